//! The CI health gate of `statusq check`: the verdict on a snapshot, pure.
//!
//! Components are judged by level (`degraded_performance < partial_outage < major_outage`);
//! without component globs, the page's own indicator is (minor as degraded_performance, major as
//! partial_outage, critical as major_outage). Maintenance counts only when asked; open incidents
//! (the model's [`crate::model::Incident::is_open`]) only with an impact threshold.

use crate::model::{ComponentStatus, Indicator, Snapshot};
use crate::render::style::window;
use crate::sanitize::one_line;
use crate::select::component_selected;

/// Component levels, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
#[value(rename_all = "snake_case")]
pub enum Level {
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
}

/// Incident impacts, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Impact {
    Minor,
    Major,
    Critical,
}

/// What an unreachable page means to `check`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum UnknownPolicy {
    Pass,
    Fail,
}

/// What `check` judges, from its flags.
#[derive(Clone, Debug)]
pub struct Rules {
    /// Component globs (`Name` or `Group/Name`); empty judges the page's indicator.
    pub component: Vec<String>,
    /// The level at which to fail.
    pub fail_on: Level,
    /// Whether maintenance fails too.
    pub include_maintenance: bool,
    /// Fail on an open incident of at least this impact.
    pub fail_on_incident: Option<Impact>,
    /// What an unreadable page counts as; `None`: unknown (exit 3).
    pub unknown: Option<UnknownPolicy>,
    /// Fail on a maintenance of a watched component in progress or starting this soon.
    pub maintenance_within: Option<std::time::Duration>,
}

/// The verdict on one provider.
#[derive(Debug, PartialEq)]
pub enum Verdict {
    /// Below the level: what was judged, in words.
    Ok(String),
    /// At or past the level: what breached, in words.
    Breach(String),
    /// The page could not be read, or does not say its status.
    Unknown(String),
}

fn level_of(status: ComponentStatus) -> Option<Level> {
    match status {
        ComponentStatus::DegradedPerformance => Some(Level::DegradedPerformance),
        ComponentStatus::PartialOutage => Some(Level::PartialOutage),
        ComponentStatus::MajorOutage => Some(Level::MajorOutage),
        ComponentStatus::Operational | ComponentStatus::UnderMaintenance => None,
    }
}

fn impact_of(indicator: Indicator) -> Option<Impact> {
    match indicator {
        Indicator::Minor => Some(Impact::Minor),
        Indicator::Major => Some(Impact::Major),
        Indicator::Critical => Some(Impact::Critical),
        Indicator::None | Indicator::Maintenance => None,
    }
}

impl Verdict {
    /// The word `check` says it with: `ok`, `FAIL`, `UNKNOWN`.
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Ok(_) => "ok",
            Verdict::Breach(_) => "FAIL",
            Verdict::Unknown(_) => "UNKNOWN",
        }
    }

    /// What was judged, in words.
    pub fn detail(&self) -> &str {
        match self {
            Verdict::Ok(detail) | Verdict::Breach(detail) | Verdict::Unknown(detail) => detail,
        }
    }
}

/// Everything `check` (and `check --wait`) says of one snapshot at `now`: the page's verdict
/// ([`judge`]) under the unknown policy, then a breach for each maintenance that freezes a
/// deploy ([`maintenance_breaches`]) when `--maintenance-within` is given.
pub fn verdicts(snapshot: &Snapshot, rules: &Rules, now: crate::model::Timestamp) -> Vec<Verdict> {
    let page = match (judge(snapshot, rules), rules.unknown) {
        (Verdict::Unknown(detail), Some(UnknownPolicy::Pass)) => {
            Verdict::Ok(format!("unknown, passed: {detail}"))
        }
        (Verdict::Unknown(detail), Some(UnknownPolicy::Fail)) => {
            Verdict::Breach(format!("unknown: {detail}"))
        }
        (verdict, _) => verdict,
    };
    let mut all = vec![page];
    if let Some(within) = rules.maintenance_within {
        all.extend(
            maintenance_breaches(snapshot, rules, now, within)
                .into_iter()
                .map(Verdict::Breach),
        );
    }
    all
}

/// The verdict on one snapshot under `rules`.
pub fn judge(snapshot: &Snapshot, rules: &Rules) -> Verdict {
    if !snapshot.ok {
        let why = snapshot
            .error
            .as_ref()
            .map(|e| format!("{}: {}", e.kind.as_str(), one_line(&e.message)))
            .unwrap_or_else(|| "could not be fetched".into());
        return Verdict::Unknown(why);
    }
    let mut said = Said::default();
    let mut watched_ids = Vec::new();
    if !rules.component.is_empty() {
        watched_ids = judge_components(snapshot, rules, &mut said);
    } else if let Some(status) = &snapshot.status {
        judge_page(status, rules, &mut said);
    } else if snapshot.incidents.is_some() {
        judge_feed(snapshot, rules, &mut said);
    } else {
        return Verdict::Unknown("the page does not say its status".into());
    }
    if let Some(threshold) = rules.fail_on_incident {
        for incident in snapshot.open_incidents() {
            let relevant = rules.component.is_empty()
                || incident.components.as_ref().is_none_or(|ids| {
                    ids.is_empty() || ids.iter().any(|id| watched_ids.contains(&id.as_str()))
                });
            let impact = incident.impact.and_then(impact_of);
            if relevant && impact.is_some_and(|i| i >= threshold) {
                said.breaches.push(format!(
                    "incident \"{}\" ({}, {})",
                    one_line(&incident.name),
                    incident.impact.map_or("?", Indicator::as_str),
                    incident.status
                ));
            }
        }
    }
    if !said.breaches.is_empty() {
        Verdict::Breach(said.breaches.join("; "))
    } else if said.fine.is_empty() {
        Verdict::Ok("no watched component on this page".into())
    } else {
        Verdict::Ok(said.fine.join(", "))
    }
}

/// What a verdict will say: the breaches, and what was looked at and found fine.
#[derive(Default)]
struct Said {
    breaches: Vec<String>,
    fine: Vec<String>,
}

impl Said {
    fn add(&mut self, breach: bool, words: String) {
        if breach {
            self.breaches.push(words);
        } else {
            self.fine.push(words);
        }
    }
}

/// No component named: the page's own indicator.
fn judge_page(status: &crate::model::PageStatus, rules: &Rules, said: &mut Said) {
    let level = match status.indicator {
        Indicator::Minor => Some(Level::DegradedPerformance),
        Indicator::Major => Some(Level::PartialOutage),
        Indicator::Critical => Some(Level::MajorOutage),
        Indicator::None | Indicator::Maintenance => None,
    };
    let words = format!(
        "page {}: {}",
        status.indicator,
        one_line(&status.description)
    );
    let maintenance = status.indicator == Indicator::Maintenance && rules.include_maintenance;
    said.add(
        level.is_some_and(|l| l >= rules.fail_on) || maintenance,
        words,
    );
}

/// A page read through its feed states no page status: judged by its open incidents. A feed
/// rarely says how bad one is, so an open incident counts as degraded performance unless its
/// impact says more.
fn judge_feed(snapshot: &Snapshot, rules: &Rules, said: &mut Said) {
    let mut worst: Option<Level> = None;
    let mut open = Vec::new();
    for incident in snapshot.open_incidents() {
        let level = match incident.impact {
            Some(Indicator::Major) => Level::PartialOutage,
            Some(Indicator::Critical) => Level::MajorOutage,
            _ => Level::DegradedPerformance,
        };
        worst = worst.max(Some(level));
        open.push(one_line(&incident.name));
    }
    let words = if open.is_empty() {
        "no open incident in its feed".to_string()
    } else {
        format!("open incident: {}", open.join("; "))
    };
    said.add(worst.is_some_and(|l| l >= rules.fail_on), words);
}

/// The components `--component` selects, each judged; their ids.
fn judge_components<'a>(snapshot: &'a Snapshot, rules: &Rules, said: &mut Said) -> Vec<&'a str> {
    let mut watched = Vec::new();
    for component in snapshot.components.iter().flatten() {
        if !component_selected(
            &rules.component,
            &component.name,
            component.group.as_deref(),
        ) {
            continue;
        }
        watched.push(component.id.as_str());
        let name = match &component.group {
            Some(group) => format!("{}/{}", one_line(group), one_line(&component.name)),
            None => one_line(&component.name),
        };
        let maintenance =
            component.status == ComponentStatus::UnderMaintenance && rules.include_maintenance;
        said.add(
            level_of(component.status).is_some_and(|l| l >= rules.fail_on) || maintenance,
            format!("{name} {}", component.status),
        );
    }
    watched
}

/// The breaches over a window of one provider's timeline ([`crate::report::History::episodes`],
/// the timeline `report` draws): each span of a watched component (every component when no
/// glob is given) at or past the level — maintenance too when asked — said with its time and
/// the incidents open over it (`Actions partial outage 2023-09-05 16:30 → 17:01 UTC (Incident
/// with Actions)`).
pub fn window_breaches(episodes: &[crate::report::Episode], rules: &Rules) -> Vec<String> {
    episodes
        .iter()
        .filter(|e| {
            rules.component.is_empty()
                || component_selected(&rules.component, &e.component, e.group.as_deref())
        })
        .filter(|e| match level_of(e.status) {
            Some(level) => level >= rules.fail_on,
            None => rules.include_maintenance && e.status == ComponentStatus::UnderMaintenance,
        })
        .map(|e| {
            let name = match &e.group {
                Some(group) => format!("{group}/{}", e.component),
                None => e.component.clone(),
            };
            let incidents = if e.incidents.is_empty() {
                String::new()
            } else {
                format!(" ({})", e.incidents.join("; "))
            };
            one_line(&format!(
                "{name} {} {}{incidents}",
                e.status.as_str().replace('_', " "),
                window(Some(e.from), Some(e.to))
            ))
        })
        .collect()
}

/// The maintenances that freeze a deploy (`check --maintenance-within`): each one touching a
/// watched component (any, when no glob is given) that is in progress, or scheduled to start
/// before `now` + `within`, said in words (`maintenance Database upgrade starts in 42m,
/// 2026-11-22 13:00 → 14:00 UTC`). A completed one never counts.
pub fn maintenance_breaches(
    snapshot: &Snapshot,
    rules: &Rules,
    now: crate::model::Timestamp,
    within: std::time::Duration,
) -> Vec<String> {
    use crate::model::MaintenanceStatus;
    let names: std::collections::HashMap<&str, (&str, Option<&str>)> = snapshot
        .components
        .iter()
        .flatten()
        .map(|c| (c.id.as_str(), (c.name.as_str(), c.group.as_deref())))
        .collect();
    let watched = |m: &crate::model::Maintenance| {
        rules.component.is_empty()
            || m.components.iter().flatten().any(|id| {
                names
                    .get(id.as_str())
                    .is_some_and(|(name, group)| component_selected(&rules.component, name, *group))
            })
    };
    // `None`: beyond any date there is.
    let horizon = time::Duration::try_from(within)
        .ok()
        .and_then(|within| now.datetime().checked_add(within));
    snapshot
        .maintenances
        .iter()
        .flatten()
        .filter(|m| watched(m))
        .filter_map(|m| {
            let when = match window(m.scheduled_for, m.scheduled_until) {
                window if window.is_empty() => window,
                window => format!(", {window}"),
            };
            let what = match m.status {
                MaintenanceStatus::InProgress | MaintenanceStatus::Verifying => {
                    "in progress".to_string()
                }
                MaintenanceStatus::Scheduled => {
                    let start = m.scheduled_for?;
                    if horizon.is_some_and(|horizon| start.datetime() > horizon) {
                        return None;
                    }
                    let wait = (start.datetime() - now.datetime()).max(time::Duration::ZERO);
                    let wait = std::time::Duration::from_secs(wait.whole_minutes() as u64 * 60);
                    format!("starts in {}", humantime::format_duration(wait))
                }
                MaintenanceStatus::Completed => return None,
            };
            Some(one_line(&format!("maintenance {} {what}{when}", m.name)))
        })
        .collect()
}
