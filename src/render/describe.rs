//! Records said in words: an event as a [`Described`], a snapshot as a status-board [`Board`]
//! row. This is the one gate untrusted text passes through on its way to any format: every
//! string here is already cleaned of control, bidi and zero-width characters by
//! [`crate::sanitize`], and each format escapes the rest as it needs.

use crate::model::{ComponentStatus, Event, EventKind, Indicator, Snapshot, Timestamp};
use crate::render::style::{window, Severity};
use crate::sanitize::{clean, http_url, one_line};

/// An event said in words, every string already cleaned of control, bidi and zero-width
/// characters. Formats escape these further as they need.
#[derive(Clone, Debug)]
pub struct Described {
    /// The provider's name (one line).
    pub provider: String,
    /// What happened (`incident identified`, `maintenance started`, `degraded_performance`).
    pub what: String,
    /// What it happened to: the incident, maintenance or component name (one line).
    pub title: String,
    /// The update's text or the error message, multi-line, possibly empty.
    pub body: String,
    /// Components the update names, with the status it gave them.
    pub affected: Vec<(String, String)>,
    /// A http(s) link to read more, if any.
    pub link: Option<String>,
    /// Upstream impact word, if any.
    pub impact: Option<Indicator>,
    pub severity: Severity,
    pub at: Timestamp,
}

/// Says an event in words.
pub fn describe(event: &Event) -> Described {
    let item = event.incident.as_ref().or(event.maintenance.as_ref());
    let (what, severity) = what_happened(event);
    let title = if let Some(item) = item {
        one_line(&item.name)
    } else if let Some(component) = &event.component {
        one_line(&component.qualified_name)
    } else {
        String::new()
    };
    let body = match (&event.update, &event.error) {
        (Some(update), _) => clean(&update.body).into_owned(),
        (None, Some(error)) => clean(&error.message).into_owned(),
        _ => String::new(),
    };
    let affected = event
        .update
        .as_ref()
        .and_then(|u| u.components.as_ref())
        .map(|list| {
            list.iter()
                .map(|c| (one_line(&c.name), c.status.as_str().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let link = item
        .and_then(|i| i.url.as_deref())
        .and_then(http_url)
        .or_else(|| http_url(&event.url))
        .map(str::to_string);
    Described {
        provider: one_line(&event.name),
        what: clean(&what).into_owned(),
        title,
        body,
        affected,
        link,
        impact: item.and_then(|i| i.impact),
        severity,
        at: event.at,
    }
}

/// What happened, in words (`new incident, investigating`, `component operational → major
/// outage`), and how bad it is.
fn what_happened(event: &Event) -> (String, Severity) {
    let item = event.incident.as_ref().or(event.maintenance.as_ref());
    let update_status = event.update.as_ref().map(|u| u.status.as_str());
    let status_word = update_status
        .or(item.map(|i| i.status.as_str()))
        .unwrap_or("")
        .replace('_', " ");
    let impact_severity = match item.and_then(|i| i.impact) {
        Some(Indicator::Critical) => Severity::Critical,
        Some(Indicator::Major) => Severity::Major,
        Some(Indicator::Maintenance) => Severity::Maintenance,
        _ => Severity::Minor,
    };
    match event.event {
        EventKind::IncidentCreated => (format!("new incident, {status_word}"), impact_severity),
        EventKind::IncidentUpdated => (format!("incident {status_word}"), impact_severity),
        EventKind::IncidentResolved => ("incident resolved".to_string(), Severity::Good),
        EventKind::IncidentReopened => {
            (format!("incident reopened, {status_word}"), impact_severity)
        }
        EventKind::MaintenanceScheduled => {
            let window = item
                .map(|m| window(m.scheduled_for, m.scheduled_until))
                .filter(|w| !w.is_empty())
                .map(|w| format!(" for {w}"))
                .unwrap_or_default();
            (
                format!("maintenance scheduled{window}"),
                Severity::Maintenance,
            )
        }
        EventKind::MaintenanceStarted => ("maintenance started".into(), Severity::Maintenance),
        EventKind::MaintenanceReminder => {
            // `maintenance in 1h: 13:00 → 14:00 UTC`, counted from when it was observed.
            let lead = item
                .and_then(|m| m.scheduled_for)
                .map(|start| start.datetime() - event.observed_at.datetime())
                .filter(|left| left.is_positive())
                .map(|left| {
                    let minutes = left.whole_minutes().max(1) as u64;
                    humantime::format_duration(std::time::Duration::from_secs(minutes * 60))
                        .to_string()
                })
                .map_or_else(
                    || "maintenance soon".to_string(),
                    |l| format!("maintenance in {l}"),
                );
            let window = item
                .map(|m| window(m.scheduled_for, m.scheduled_until))
                .filter(|w| !w.is_empty())
                .map(|w| format!(": {w}"))
                .unwrap_or_default();
            (format!("{lead}{window}"), Severity::Maintenance)
        }
        EventKind::MaintenanceUpdated => {
            (format!("maintenance {status_word}"), Severity::Maintenance)
        }
        EventKind::MaintenanceCompleted => ("maintenance completed".into(), Severity::Good),
        EventKind::ComponentChanged => {
            let to = event.component.as_ref().map(|c| c.status);
            // Status words for people: "degraded performance", not the identifier.
            let human = |word: &str| word.replace('_', " ");
            let words = match (&event.from, to) {
                (Some(from), Some(to)) => {
                    format!(
                        "component {} → {}",
                        human(&one_line(from)),
                        human(to.as_str())
                    )
                }
                (None, Some(to)) => format!("component {}", human(to.as_str())),
                _ => "changed".into(),
            };
            (words, to.map_or(Severity::Minor, Severity::of_component))
        }
        EventKind::StatusChanged => {
            let to = event.to.as_deref().and_then(Indicator::from_word);
            let words = match &event.from {
                Some(from) => format!(
                    "page status {} → {}",
                    one_line(from),
                    to.map_or("?", |t| t.as_str())
                ),
                None => format!("page status {}", to.map_or("?", |t| t.as_str())),
            };
            (words, to.map_or(Severity::Minor, Severity::of_indicator))
        }
        EventKind::ProviderFailed => {
            let kind = event.error.as_ref().map_or("error", |e| e.kind.as_str());
            (format!("cannot be fetched ({kind})"), Severity::Critical)
        }
        EventKind::ProviderRecovered => ("can be fetched again".into(), Severity::Good),
        EventKind::ProviderMoved => (
            format!(
                "page moved from {} to {}",
                event.from.as_deref().unwrap_or("?"),
                event.to.as_deref().unwrap_or("?")
            ),
            Severity::Minor,
        ),
    }
}

/// A snapshot as a status board row: the banner and what is not fine.
#[derive(Clone, Debug)]
pub struct Board {
    pub name: String,
    pub link: Option<String>,
    /// `None` when the provider could not be fetched.
    pub indicator: Option<Indicator>,
    pub description: String,
    /// `kind: message` when the provider could not be fetched.
    pub error: Option<String>,
    /// Components not operational: (qualified name, status).
    pub components: Vec<(String, ComponentStatus)>,
    pub incidents: Vec<BoardItem>,
    pub maintenances: Vec<BoardItem>,
    pub fetched_at: Timestamp,
    pub severity: Severity,
}

/// An active incident or maintenance on the board.
#[derive(Clone, Debug)]
pub struct BoardItem {
    pub name: String,
    pub status: String,
    pub impact: Option<Indicator>,
    pub link: Option<String>,
    /// For maintenances: the planned window.
    pub window: String,
}

impl Board {
    /// The components not operational, one entry per status in the order statuses first
    /// appear: how the text board and the HTML card list them.
    pub fn components_by_status(&self) -> Vec<(ComponentStatus, Vec<&str>)> {
        let mut by_status: Vec<(ComponentStatus, Vec<&str>)> = Vec::new();
        for (name, status) in &self.components {
            match by_status.iter_mut().find(|(s, _)| s == status) {
                Some((_, names)) => names.push(name),
                None => by_status.push((*status, vec![name])),
            }
        }
        by_status
    }

    /// The board row of a snapshot, every string cleaned.
    pub fn of(snapshot: &Snapshot) -> Board {
        let components: Vec<(String, ComponentStatus)> = snapshot
            .components
            .iter()
            .flatten()
            .filter(|c| c.status != ComponentStatus::Operational)
            .map(|c| {
                let name = match &c.group {
                    Some(group) => format!("{}/{}", group, c.name),
                    None => c.name.clone(),
                };
                (one_line(&name), c.status)
            })
            .collect();
        let incidents = snapshot
            .open_incidents()
            .map(|i| BoardItem {
                name: one_line(&i.name),
                status: i.status.as_str().replace('_', " "),
                impact: i.impact,
                link: i.url.as_deref().and_then(http_url).map(str::to_string),
                window: String::new(),
            })
            .collect();
        let maintenances = snapshot
            .open_maintenances()
            .map(|m| BoardItem {
                name: one_line(&m.name),
                status: m.status.as_str().replace('_', " "),
                impact: m.impact,
                link: m.url.as_deref().and_then(http_url).map(str::to_string),
                window: window(m.scheduled_for, m.scheduled_until),
            })
            .collect();
        let indicator = snapshot.status.as_ref().map(|s| s.indicator);
        let error = snapshot
            .error
            .as_ref()
            .map(|e| format!("{}: {}", e.kind.as_str(), one_line(&e.message)));
        let severity = match indicator {
            _ if !snapshot.ok => Severity::Critical,
            Some(indicator) => Severity::of_indicator(indicator),
            // No page status: judged by what the page does list (a feed's open incidents, its
            // components), as `check` does; with nothing to judge by, unknown — never good.
            None if snapshot.components.is_none() && snapshot.incidents.is_none() => {
                Severity::Unknown
            }
            None => {
                let worst_component = components
                    .iter()
                    .map(|(_, status)| Severity::of_component(*status))
                    .max();
                let worst_incident = snapshot
                    .open_incidents()
                    .map(|i| match i.impact {
                        Some(Indicator::Critical) => Severity::Critical,
                        Some(Indicator::Major) => Severity::Major,
                        _ => Severity::Minor,
                    })
                    .max();
                let maintenance = snapshot
                    .open_maintenances()
                    .next()
                    .map(|_| Severity::Maintenance);
                worst_component
                    .max(worst_incident)
                    .max(maintenance)
                    .unwrap_or(Severity::Good)
            }
        };
        Board {
            name: one_line(&snapshot.name),
            link: http_url(&snapshot.url).map(str::to_string),
            indicator: if snapshot.ok { indicator } else { None },
            description: snapshot
                .status
                .as_ref()
                .map(|s| one_line(&s.description))
                .unwrap_or_default(),
            error,
            components,
            incidents,
            maintenances,
            fetched_at: snapshot.fetched_at,
            severity,
        }
    }
}

/// The line a person on a terminal reads for a page that could not be fetched (`watch`, and
/// `fetch` to a terminal, where a long JSON line is not read): its id, why, and when it is
/// tried again if it will be (`statusq: github: cannot be fetched: …; retrying in 2m`).
pub fn fetch_failure(snapshot: &Snapshot, retry_in: Option<std::time::Duration>) -> String {
    let why = snapshot
        .error
        .as_ref()
        .map_or_else(|| "no error given".to_string(), |e| one_line(&e.message));
    let retry = retry_in.map_or_else(String::new, |wait| {
        let seconds = std::time::Duration::from_secs(wait.as_secs_f64().round() as u64);
        format!("; retrying in {}", humantime::format_duration(seconds))
    });
    format!(
        "statusq: {}: cannot be fetched: {why}{retry}",
        one_line(&snapshot.provider)
    )
}
