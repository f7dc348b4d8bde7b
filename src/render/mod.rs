//! Renderers: events and snapshots → text for people and programs.
//!
//! Every renderer is pure (records in, `String` out). Upstream text reaches them only through
//! [`describe`] and [`Board`], which pass it through [`crate::sanitize`] first; each format then
//! applies its own escaping (HTML, XML, Markdown, mail headers) on top.
//!
//! Streaming formats (`text`, `markdown`, `json`) render one record at a time, so
//! `fetch --watch | diff | render` prints each event as it happens. Document formats
//! (`prometheus`, `html`, `atom`, `email`) need the whole input and render once at the end.

pub mod atom;
pub mod email;
pub mod html;
pub mod markdown;
pub mod prometheus;
pub mod text;

use crate::model::{
    ComponentStatus, Event, EventKind, Incident, IncidentStatus, Indicator, Maintenance,
    MaintenanceStatus, Snapshot, Timestamp,
};
use crate::sanitize::{clean, http_url, one_line};
use std::collections::HashMap;

/// How output looks; the `render` flags.
#[derive(Clone, Debug)]
pub struct Style {
    /// ANSI colours (text only).
    pub color: bool,
    /// Wrap width for text bodies.
    pub width: usize,
    /// Show times in the local zone instead of UTC.
    pub local: bool,
}

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 80,
            local: false,
        }
    }
}

/// How bad something is, for colours and ordering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Back to normal: resolved, completed, recovered, operational.
    Good,
    /// Planned work.
    Maintenance,
    /// Worth knowing: minor impact, degraded performance.
    Minor,
    /// Partial outage, major impact.
    Major,
    /// Major outage, critical impact, a provider that cannot be fetched.
    Critical,
}

impl Severity {
    pub fn of_component(status: ComponentStatus) -> Severity {
        match status {
            ComponentStatus::Operational => Severity::Good,
            ComponentStatus::UnderMaintenance => Severity::Maintenance,
            ComponentStatus::DegradedPerformance => Severity::Minor,
            ComponentStatus::PartialOutage => Severity::Major,
            ComponentStatus::MajorOutage => Severity::Critical,
        }
    }

    pub fn of_indicator(indicator: Indicator) -> Severity {
        match indicator {
            Indicator::None => Severity::Good,
            Indicator::Maintenance => Severity::Maintenance,
            Indicator::Minor => Severity::Minor,
            Indicator::Major => Severity::Major,
            Indicator::Critical => Severity::Critical,
        }
    }

    /// A lowercase word for CSS classes and plain-text tags.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Good => "good",
            Severity::Maintenance => "maintenance",
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

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
    pub impact: Option<&'static str>,
    pub severity: Severity,
    pub at: Timestamp,
}

/// Says an event in words.
pub fn describe(event: &Event) -> Described {
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
    let (what, severity) = match event.event {
        EventKind::IncidentCreated => (format!("new incident, {status_word}"), impact_severity),
        EventKind::IncidentUpdated => (format!("incident {status_word}"), impact_severity),
        EventKind::IncidentResolved => ("incident resolved".to_string(), Severity::Good),
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
        EventKind::MaintenanceUpdated => {
            (format!("maintenance {status_word}"), Severity::Maintenance)
        }
        EventKind::MaintenanceCompleted => ("maintenance completed".into(), Severity::Good),
        EventKind::ComponentChanged => {
            let to = event.component.as_ref().map(|c| c.status);
            let words = match (&event.from, to) {
                (Some(from), Some(to)) => format!("component {} → {}", one_line(from), to),
                (None, Some(to)) => format!("component {to}"),
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
    };
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
        impact: item.and_then(|i| i.impact).map(Indicator::as_str),
        severity,
        at: event.at,
    }
}

/// A snapshot as a status board row: the banner and what is not fine.
#[derive(Clone, Debug)]
pub struct Board {
    pub provider: String,
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
    pub impact: Option<&'static str>,
    pub link: Option<String>,
    /// The latest update's text.
    pub latest: Option<String>,
    /// For maintenances: the planned window.
    pub window: String,
}

impl Board {
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
        let incidents = active_incidents(snapshot)
            .map(|i| BoardItem {
                name: one_line(&i.name),
                status: i.status.as_str().replace('_', " "),
                impact: i.impact.map(Indicator::as_str),
                link: i.url.as_deref().and_then(http_url).map(str::to_string),
                latest: i.updates.last().map(|u| clean(&u.body).into_owned()),
                window: String::new(),
            })
            .collect();
        let maintenances = active_maintenances(snapshot)
            .map(|m| BoardItem {
                name: one_line(&m.name),
                status: m.status.as_str().replace('_', " "),
                impact: m.impact.map(Indicator::as_str),
                link: m.url.as_deref().and_then(http_url).map(str::to_string),
                latest: m.updates.last().map(|u| clean(&u.body).into_owned()),
                window: window(m.scheduled_for, m.scheduled_until),
            })
            .collect();
        let indicator = snapshot.status.as_ref().map(|s| s.indicator);
        let error = snapshot
            .error
            .as_ref()
            .map(|e| format!("{}: {}", e.kind.as_str(), one_line(&e.message)));
        let severity = if !snapshot.ok {
            Severity::Critical
        } else {
            indicator.map_or(Severity::Good, Severity::of_indicator)
        };
        Board {
            provider: one_line(&snapshot.provider),
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

/// Incidents that are not resolved.
pub fn active_incidents(snapshot: &Snapshot) -> impl Iterator<Item = &Incident> {
    snapshot.incidents.iter().flatten().filter(|i| {
        !matches!(
            i.status,
            IncidentStatus::Resolved | IncidentStatus::Postmortem
        )
    })
}

/// Maintenances that are scheduled or running.
pub fn active_maintenances(snapshot: &Snapshot) -> impl Iterator<Item = &Maintenance> {
    snapshot
        .maintenances
        .iter()
        .flatten()
        .filter(|m| m.status != MaintenanceStatus::Completed)
}

/// `2026-11-23 02:00 → 04:00 UTC`, or empty when upstream gave no window.
pub fn window(from: Option<Timestamp>, until: Option<Timestamp>) -> String {
    match (from, until) {
        (Some(from), Some(until)) => {
            let start = clock(from, false);
            let end = clock(until, false);
            let same_day = start.get(..10) == end.get(..10);
            let end = if same_day { end[11..].to_string() } else { end };
            format!("{} → {}", start.trim_end_matches(" UTC"), end)
        }
        (Some(from), None) => format!("from {}", clock(from, false)),
        (None, Some(until)) => format!("until {}", clock(until, false)),
        (None, None) => String::new(),
    }
}

/// `2026-10-07 21:44 UTC`, or in the local zone with its offset (`2026-10-07 14:44 -07:00`).
pub fn clock(at: Timestamp, local: bool) -> String {
    let utc = at.datetime();
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    if local {
        if let Ok(offset) = time::UtcOffset::local_offset_at(utc) {
            let there = utc.to_offset(offset);
            let zone =
                time::macros::format_description!("[offset_hour sign:mandatory]:[offset_minute]");
            return format!(
                "{} {}",
                there.format(&format).unwrap_or_default(),
                there.format(&zone).unwrap_or_default()
            );
        }
    }
    format!("{} UTC", utc.format(&format).unwrap_or_default())
}

/// What a document renderer gets: the last snapshot of each provider (first-seen order) and
/// every event, in input order.
#[derive(Default)]
pub struct Collected {
    pub snapshots: Vec<Snapshot>,
    pub events: Vec<Event>,
    /// The `fetched_at` of the last successful snapshot of each provider.
    pub last_success: HashMap<String, Timestamp>,
}

impl Collected {
    pub fn add_snapshot(&mut self, snapshot: Snapshot) {
        if snapshot.ok {
            let latest = self
                .last_success
                .entry(snapshot.provider.clone())
                .or_insert(snapshot.fetched_at);
            *latest = (*latest).max(snapshot.fetched_at);
        }
        match self
            .snapshots
            .iter_mut()
            .find(|s| s.provider == snapshot.provider)
        {
            Some(existing) => *existing = snapshot,
            None => self.snapshots.push(snapshot),
        }
    }
}
