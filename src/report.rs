//! `statusq report`'s arithmetic: how reliable each vendor has been, from its page's own history.
//!
//! Pure: snapshots and events go in ([`History::add_snapshot`], [`History::add_event`]), a
//! window and weights come from the shell, and [`History::report`] gives one
//! [`ProviderReport`] per provider. No clock, no files.
//!
//! ## The arithmetic (README: *How report counts*)
//!
//! - **Component timeline.** Each incident update that lists components (Statuspage's
//!   `affected_components`, Google Cloud's products) sets each of them to the status it gives,
//!   from the update's time (the first update's: from the incident's start) until the
//!   incident's next update that lists it, or the incident's end (its `resolved_at`; an open
//!   incident lasts until the end of the window). An incident
//!   whose updates name no component but that lists components gives them the status its impact
//!   stands for (critical: major outage, major: partial outage, minor: degraded performance)
//!   from its creation to its end. A maintenance puts its components under maintenance from its
//!   start (its first `in_progress` update, else its scheduled start) to its end (its
//!   `completed` update, else its scheduled end). `component.changed` events, where an events
//!   log is given, add the transitions statusq saw itself, each until the next one.
//! - **Overlaps count once.** At every instant a component has the worst status any of these
//!   give it (major outage, partial outage, degraded performance, under maintenance, in that
//!   order), so two incidents at once are not counted twice.
//! - **Availability** = 1 − Σ weight(status) × minutes(status) ÷ minutes covered. Default
//!   weights are Statuspage's convention: a major outage counts fully, a partial outage at 30%,
//!   degraded performance and maintenance not at all (`--weights`).
//! - **Coverage.** A page lists only its recent incidents (Statuspage the last 50). History is
//!   known from the oldest incident listed: a window that starts before it is reported as
//!   `partial`, with `covered_from`, and figures are over the covered part only; a page that
//!   lists no incident has coverage `none` and no availability, never a flattering 100%.
//!   Minutes per status are what is known in the whole window (maintenances and transitions
//!   statusq saw can predate the oldest incident).
//! - **Incidents** are those created in the window: by impact, their total and median
//!   duration (creation to resolution; an open one to the end of the window), the median time
//!   from creation to the first update, and how many were reopened (an update after a
//!   `resolved` one that is not itself resolved or postmortem).
//!
//! Work is linear in the incidents and updates read (plus a sort per component).

use crate::model::{
    Component, ComponentReport, ComponentStatus, Coverage, Day, Event, EventKind, Incident,
    IncidentStats, Indicator, Maintenance, MaintenanceStats, MaintenanceStatus, Phase,
    ProviderReport, Snapshot, StatusMinutes, Timestamp, Update, Weights, SCHEMA_VERSION,
};
use std::collections::{BTreeMap, HashMap};

impl Weights {
    fn of(&self, status: ComponentStatus) -> f64 {
        match status {
            ComponentStatus::MajorOutage => self.major_outage,
            ComponentStatus::PartialOutage => self.partial_outage,
            ComponentStatus::DegradedPerformance => self.degraded_performance,
            ComponentStatus::UnderMaintenance => self.under_maintenance,
            ComponentStatus::Operational => 0.0,
        }
    }
}

/// The time a report covers: `[from, to)`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub from: Timestamp,
    pub to: Timestamp,
}

impl StatusMinutes {
    fn add(&mut self, status: ComponentStatus, minutes: f64) {
        match status {
            ComponentStatus::DegradedPerformance => self.degraded_performance += minutes,
            ComponentStatus::PartialOutage => self.partial_outage += minutes,
            ComponentStatus::MajorOutage => self.major_outage += minutes,
            ComponentStatus::UnderMaintenance => self.under_maintenance += minutes,
            ComponentStatus::Operational => {}
        }
    }

    fn get(&self, status: ComponentStatus) -> f64 {
        match status {
            ComponentStatus::DegradedPerformance => self.degraded_performance,
            ComponentStatus::PartialOutage => self.partial_outage,
            ComponentStatus::MajorOutage => self.major_outage,
            ComponentStatus::UnderMaintenance => self.under_maintenance,
            ComponentStatus::Operational => 0.0,
        }
    }

    fn rounded(self) -> StatusMinutes {
        StatusMinutes {
            degraded_performance: round1(self.degraded_performance),
            partial_outage: round1(self.partial_outage),
            major_outage: round1(self.major_outage),
            under_maintenance: round1(self.under_maintenance),
        }
    }
}

/// A component status change statusq saw itself (a `component.changed` event).
struct Change {
    component: String,
    at: i64,
    status: ComponentStatus,
}

/// What is known of one provider: the latest copy of each incident and maintenance.
struct ProviderHistory {
    provider: String,
    name: String,
    url: String,
    format: String,
    /// The newest component list, in page order.
    components: Vec<Component>,
    components_at: Option<Timestamp>,
    incidents: Vec<(Timestamp, Incident)>,
    incident_at: HashMap<String, usize>,
    maintenances: Vec<(Timestamp, Maintenance)>,
    maintenance_at: HashMap<String, usize>,
    changes: Vec<Change>,
    last_seen: Option<Timestamp>,
    snapshots: usize,
    failed: usize,
}

/// Everything read, folded as it comes: memory grows with distinct incidents, not with
/// snapshots (a year of polls of one page holds its incidents once).
#[derive(Default)]
pub struct History {
    providers: Vec<ProviderHistory>,
    index: HashMap<String, usize>,
}

impl History {
    pub fn new() -> History {
        History::default()
    }

    fn provider(&mut self, id: &str, name: &str, url: &str) -> &mut ProviderHistory {
        let index = *self.index.entry(id.to_string()).or_insert_with(|| {
            self.providers.push(ProviderHistory {
                provider: id.to_string(),
                name: name.to_string(),
                url: url.to_string(),
                format: String::new(),
                components: Vec::new(),
                components_at: None,
                incidents: Vec::new(),
                incident_at: HashMap::new(),
                maintenances: Vec::new(),
                maintenance_at: HashMap::new(),
                changes: Vec::new(),
                last_seen: None,
                snapshots: 0,
                failed: 0,
            });
            self.providers.len() - 1
        });
        &mut self.providers[index]
    }

    /// Folds in one snapshot: the newest copy of each incident and maintenance wins. Update
    /// bodies are not kept: the arithmetic needs times and statuses, not prose. Only what
    /// changed is copied, so a poller folding in every poll of an unchanged page (`serve`)
    /// allocates nothing for it.
    pub fn add_snapshot(&mut self, snapshot: &Snapshot) {
        let at = snapshot.fetched_at;
        let history = self.provider(&snapshot.provider, &snapshot.name, &snapshot.url);
        history.snapshots += 1;
        if !snapshot.ok {
            history.failed += 1;
            return;
        }
        if !snapshot.name.is_empty() && history.name != snapshot.name {
            history.name.clone_from(&snapshot.name);
        }
        if history.url != snapshot.url {
            history.url.clone_from(&snapshot.url);
        }
        if history.format != snapshot.format {
            history.format.clone_from(&snapshot.format);
        }
        history.last_seen = history.last_seen.max(Some(at));
        if let Some(components) = &snapshot.components {
            if history.components_at.is_none_or(|seen| at >= seen) {
                history.components_at = Some(at);
                if history.components != *components {
                    history.components.clone_from(components);
                }
            }
        }
        for incident in snapshot.incidents.iter().flatten() {
            keep_newest(
                &mut history.incidents,
                &mut history.incident_at,
                at,
                &incident.id,
                incident,
                |held, new| {
                    (&held.name, held.status, held.impact, held.created_at)
                        == (&new.name, new.status, new.impact, new.created_at)
                        && (held.resolved_at, &held.components)
                            == (new.resolved_at, &new.components)
                        && same_course(&held.updates, &new.updates)
                },
                |new| Incident {
                    id: new.id.clone(),
                    name: new.name.clone(),
                    status: new.status,
                    raw_status: new.raw_status.clone(),
                    impact: new.impact,
                    url: new.url.clone(),
                    created_at: new.created_at,
                    updated_at: new.updated_at,
                    resolved_at: new.resolved_at,
                    components: new.components.clone(),
                    updates: without_bodies(&new.updates),
                },
            );
        }
        for maintenance in snapshot.maintenances.iter().flatten() {
            keep_newest(
                &mut history.maintenances,
                &mut history.maintenance_at,
                at,
                &maintenance.id,
                maintenance,
                |held, new| {
                    (
                        &held.name,
                        held.status,
                        held.scheduled_for,
                        held.scheduled_until,
                    ) == (
                        &new.name,
                        new.status,
                        new.scheduled_for,
                        new.scheduled_until,
                    ) && (held.updated_at, &held.components) == (new.updated_at, &new.components)
                        && same_course(&held.updates, &new.updates)
                },
                |new| Maintenance {
                    id: new.id.clone(),
                    name: new.name.clone(),
                    status: new.status,
                    raw_status: new.raw_status.clone(),
                    impact: new.impact,
                    url: new.url.clone(),
                    scheduled_for: new.scheduled_for,
                    scheduled_until: new.scheduled_until,
                    created_at: new.created_at,
                    updated_at: new.updated_at,
                    components: new.components.clone(),
                    updates: without_bodies(&new.updates),
                },
            );
        }
    }

    /// Folds in one event: `component.changed` ones are transitions statusq saw.
    pub fn add_event(&mut self, event: Event) {
        let history = self.provider(&event.provider, &event.name, &event.url);
        history.last_seen = history.last_seen.max(Some(event.observed_at));
        if event.event != EventKind::ComponentChanged {
            return;
        }
        if let Some(component) = event.component {
            if !history.components.iter().any(|c| c.id == component.id) {
                history.components.push(Component {
                    id: component.id.clone(),
                    name: component.name,
                    group: component.group,
                    status: component.status,
                    raw_status: None,
                    updated_at: Some(event.at),
                });
            }
            history.changes.push(Change {
                component: component.id,
                at: millis(event.at),
                status: component.status,
            });
        }
    }

    /// What is held, as one snapshot per provider — its newest components and every incident
    /// and maintenance known, bodies left out — to be written to disk and folded in again
    /// ([`History::add_snapshot`]) after a restart.
    pub fn snapshots(&self) -> Vec<Snapshot> {
        self.providers
            .iter()
            .filter_map(|h| {
                Some(Snapshot {
                    v: SCHEMA_VERSION,
                    provider: h.provider.clone(),
                    name: h.name.clone(),
                    url: h.url.clone(),
                    format: h.format.clone(),
                    fetched_at: h.last_seen?,
                    elapsed_ms: 0,
                    ok: true,
                    error: None,
                    status: None,
                    components: Some(h.components.clone()),
                    incidents: Some(h.incidents.iter().map(|(_, i)| i.clone()).collect()),
                    maintenances: Some(h.maintenances.iter().map(|(_, m)| m.clone()).collect()),
                })
            })
            .collect()
    }

    /// Forgets what ended before `before` (incidents resolved, maintenances over), and keeps at
    /// most `keep` incidents and `keep` maintenances a provider (the newest), so what is held
    /// stays bounded however long it runs.
    pub fn prune(&mut self, before: Timestamp, keep: usize) {
        let cut = millis(before);
        for history in &mut self.providers {
            history
                .incidents
                .retain(|(_, incident)| incident_end(incident, i64::MAX) >= cut);
            history
                .incidents
                .sort_by_key(|(_, i)| std::cmp::Reverse(incident_start(i)));
            history.incidents.truncate(keep);
            history.incident_at = history
                .incidents
                .iter()
                .enumerate()
                .map(|(n, (_, i))| (i.id.clone(), n))
                .collect();
            history
                .maintenances
                .retain(|(_, m)| maintenance_span(m, i64::MAX).is_none_or(|(_, end)| end >= cut));
            history
                .maintenances
                .sort_by_key(|(_, m)| std::cmp::Reverse(m.scheduled_for));
            history.maintenances.truncate(keep);
            history.maintenance_at = history
                .maintenances
                .iter()
                .enumerate()
                .map(|(n, (_, m))| (m.id.clone(), n))
                .collect();
            history.changes.retain(|c| c.at >= cut);
        }
    }

    /// One report per provider, in the order they were first read.
    pub fn report(&self, window: Window, weights: Weights) -> Vec<ProviderReport> {
        self.providers
            .iter()
            .map(|history| report_one(history, window, weights))
            .collect()
    }
}

/// Copies of updates without what the arithmetic does not read: their bodies.
fn without_bodies(updates: &[Update]) -> Vec<Update> {
    updates
        .iter()
        .map(|u| Update {
            id: u.id.clone(),
            status: u.status,
            raw_status: u.raw_status.clone(),
            body: String::new(),
            at: u.at,
            components: u.components.clone(),
        })
        .collect()
}

/// Whether two update lists tell the same course (bodies aside).
fn same_course(held: &[Update], new: &[Update]) -> bool {
    held.len() == new.len()
        && held.iter().zip(new).all(|(a, b)| {
            (&a.id, a.status, a.at, &a.components) == (&b.id, b.status, b.at, &b.components)
        })
}

/// Keeps `item` (a `copy` of it) under `id` unless a newer copy is held; an unchanged one
/// (`same`) is only re-dated.
fn keep_newest<T>(
    list: &mut Vec<(Timestamp, T)>,
    index: &mut HashMap<String, usize>,
    at: Timestamp,
    id: &str,
    item: &T,
    same: impl Fn(&T, &T) -> bool,
    copy: impl Fn(&T) -> T,
) {
    match index.get(id) {
        Some(&i) if list[i].0 <= at => {
            if same(&list[i].1, item) {
                list[i].0 = at;
            } else {
                list[i] = (at, copy(item));
            }
        }
        Some(_) => {}
        None => {
            index.insert(id.to_string(), list.len());
            list.push((at, copy(item)));
        }
    }
}

fn millis(at: Timestamp) -> i64 {
    (at.datetime().unix_timestamp_nanos() / 1_000_000) as i64
}

fn minutes(ms: i64) -> f64 {
    ms as f64 / 60_000.0
}

fn round1(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

const BY_SEVERITY: [ComponentStatus; 5] = [
    ComponentStatus::Operational,
    ComponentStatus::UnderMaintenance,
    ComponentStatus::DegradedPerformance,
    ComponentStatus::PartialOutage,
    ComponentStatus::MajorOutage,
];

/// When an incident ended, in ms; `open_until` while it is open ([`Incident::is_open`]). One
/// that is not open — resolved, or of unstated status, which is history — ended at its
/// resolution, else at the last time upstream spoke of it.
fn incident_end(incident: &Incident, open_until: i64) -> i64 {
    if let Some(at) = incident.resolved_at {
        return millis(at);
    }
    if incident.is_open() {
        return open_until;
    }
    let resolved = crate::model::resolved_at(&incident.updates);
    let last_word = incident.updates.iter().filter_map(|u| u.at).max();
    resolved
        .or(incident.updated_at)
        .or(last_word)
        .or(incident.created_at)
        .map_or(open_until, millis)
}

fn incident_start(incident: &Incident) -> Option<i64> {
    incident
        .created_at
        .or_else(|| incident.updates.iter().find_map(|u| u.at))
        .map(millis)
}

/// A component in a status over `[start, end)`, in ms.
struct Interval {
    start: i64,
    end: i64,
    status: ComponentStatus,
}

/// The intervals an incident gives each component it touches.
fn incident_intervals(
    incident: &Incident,
    open_until: i64,
    out: &mut HashMap<String, Vec<Interval>>,
    names: &mut HashMap<String, String>,
) {
    let Some(start) = incident_start(incident) else {
        return;
    };
    let end = incident_end(incident, open_until).max(start);
    let listed = incident.updates.iter().any(|u| u.components.is_some());
    if listed {
        // Component id → (status, since).
        // Component id → (status, since): a map, so an update naming thousands of components
        // costs as many steps, not their square.
        let mut current: HashMap<String, (ComponentStatus, i64)> = HashMap::new();
        let mut first = true;
        for update in &incident.updates {
            let (Some(at), Some(components)) = (update.at, &update.components) else {
                continue;
            };
            // What the first update says holds from the incident's start: a page that dates
            // an incident's beginning before its first post (Google Cloud's `begin`) says
            // when the trouble began.
            let at = if first {
                start
            } else {
                millis(at).clamp(start, end)
            };
            first = false;
            for component in components {
                names
                    .entry(component.id.clone())
                    .or_insert_with(|| component.name.clone());
                match current.get_mut(&component.id) {
                    Some((status, since)) if *status != component.status => {
                        push(out, &component.id, *since, at, *status);
                        *status = component.status;
                        *since = at;
                    }
                    Some(_) => {}
                    None => {
                        current.insert(component.id.clone(), (component.status, at));
                    }
                }
            }
        }
        for (id, (status, since)) in current {
            push(out, &id, since, end, status);
        }
    } else if let Some(components) = &incident.components {
        let status = match incident.impact {
            Some(Indicator::Critical) => ComponentStatus::MajorOutage,
            Some(Indicator::Major) => ComponentStatus::PartialOutage,
            Some(Indicator::Minor) => ComponentStatus::DegradedPerformance,
            _ => return,
        };
        for id in components {
            push(out, id, start, end, status);
        }
    }
}

fn push(
    out: &mut HashMap<String, Vec<Interval>>,
    id: &str,
    start: i64,
    end: i64,
    status: ComponentStatus,
) {
    if status != ComponentStatus::Operational && end > start {
        out.entry(id.to_string())
            .or_default()
            .push(Interval { start, end, status });
    }
}

/// When a maintenance ran, in ms, if it started.
fn maintenance_span(maintenance: &Maintenance, open_until: i64) -> Option<(i64, i64)> {
    if maintenance.status == MaintenanceStatus::Scheduled {
        return None;
    }
    let phase_at = |phase: Phase| {
        maintenance
            .updates
            .iter()
            .filter(|u| u.status == phase)
            .find_map(|u| u.at)
    };
    let start = phase_at(Phase::InProgress).or(maintenance.scheduled_for)?;
    let end = match maintenance.status {
        MaintenanceStatus::Completed => phase_at(Phase::Completed)
            .or(maintenance.scheduled_until)
            .or(maintenance.updated_at)
            .map_or(open_until, millis),
        _ => open_until,
    };
    let start = millis(start);
    Some((start, end.max(start)))
}

/// The worst status at each moment of `[lo, hi)`: the minutes in each, and the segments.
fn sweep(intervals: &[Interval], lo: i64, hi: i64) -> (StatusMinutes, Vec<Interval>) {
    let mut edges: Vec<(i64, i32, usize)> = Vec::with_capacity(intervals.len() * 2);
    for interval in intervals {
        let (start, end) = (interval.start.max(lo), interval.end.min(hi));
        if end > start {
            let rank = usize::from(interval.status.trouble());
            edges.push((start, 1, rank));
            edges.push((end, -1, rank));
        }
    }
    edges.sort_unstable_by_key(|&(at, delta, _)| (at, delta));
    let mut counts = [0i32; 5];
    let mut total = StatusMinutes::default();
    let mut segments: Vec<Interval> = Vec::new();
    let mut previous = lo;
    for (at, delta, rank) in edges {
        if at > previous {
            if let Some(worst) = (1..5).rev().find(|&r| counts[r] > 0) {
                let status = BY_SEVERITY[worst];
                total.add(status, minutes(at - previous));
                match segments.last_mut() {
                    Some(last) if last.end == previous && last.status == status => last.end = at,
                    _ => segments.push(Interval {
                        start: previous,
                        end: at,
                        status,
                    }),
                }
            }
            previous = at;
        }
        counts[rank] += delta;
    }
    (total, segments)
}

/// The UTC days the segments touch, with the worst status of each.
fn days(segments: &[Interval]) -> Vec<Day> {
    const DAY: i64 = 86_400_000;
    let mut worst: BTreeMap<i64, ComponentStatus> = BTreeMap::new();
    for segment in segments {
        let mut day = segment.start.div_euclid(DAY);
        let last = (segment.end - 1).div_euclid(DAY);
        while day <= last {
            let slot = worst.entry(day).or_insert(segment.status);
            if segment.status.trouble() > slot.trouble() {
                *slot = segment.status;
            }
            day += 1;
        }
    }
    worst
        .into_iter()
        .map(|(day, status)| Day {
            date: date_string(day * DAY),
            worst: status,
        })
        .collect()
}

/// The UTC date (`YYYY-MM-DD`) of a time in ms since the epoch.
pub fn date_string(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(ms.div_euclid(1000))
        .map(|t| t.date().to_string())
        .unwrap_or_default()
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

fn reopened(incident: &Incident) -> bool {
    let mut resolved = false;
    for update in &incident.updates {
        match update.status {
            Phase::Resolved => resolved = true,
            Phase::Postmortem => {}
            _ if resolved => return true,
            _ => {}
        }
    }
    false
}

fn impact_word(impact: Option<Indicator>) -> &'static str {
    match impact {
        Some(Indicator::None) => "none",
        Some(Indicator::Minor) => "minor",
        Some(Indicator::Major) => "major",
        Some(Indicator::Critical) => "critical",
        Some(Indicator::Maintenance) | None => "unknown",
    }
}

fn report_one(history: &ProviderHistory, window: Window, weights: Weights) -> ProviderReport {
    let (from, to) = (millis(window.from), millis(window.to));
    let oldest = history
        .incidents
        .iter()
        .filter_map(|(_, incident)| incident_start(incident))
        .min();
    let (coverage, lo) = match oldest {
        Some(oldest) if oldest <= from => (Coverage::Full, from),
        Some(oldest) if oldest < to => (Coverage::Partial, oldest),
        _ => (Coverage::None, to),
    };
    let (timelines, stats, touched, maintenance) = timelines_of(history, from, to);

    let covered = minutes(to - lo);
    let components = timelines
        .component_order(history)
        .into_iter()
        .map(|(id, name, group)| {
            let list = timelines
                .intervals
                .get(&id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            // Minutes are what is known in the whole window (a maintenance or a change statusq
            // saw may predate the oldest incident listed); availability is over the covered
            // part only.
            let (spent, segments) = sweep(list, from, to);
            let judged = if lo > from {
                sweep(list, lo, to).0
            } else {
                spent
            };
            let lost: f64 = BY_SEVERITY
                .iter()
                .map(|&status| weights.of(status) * judged.get(status))
                .sum();
            let availability = (coverage != Coverage::None && covered > 0.0)
                .then(|| (1.0 - lost / covered).clamp(0.0, 1.0));
            ComponentReport {
                incidents: touched.get(&id).copied().unwrap_or(0),
                minutes: spent.rounded(),
                availability: availability.map(|a| (a * 1e6).round() / 1e6),
                days: days(&segments),
                id,
                name,
                group,
            }
        })
        .collect();

    ProviderReport {
        kind: "report",
        v: SCHEMA_VERSION,
        provider: history.provider.clone(),
        name: history.name.clone(),
        url: history.url.clone(),
        from: window.from,
        to: window.to,
        coverage,
        covered_from: oldest.map(timestamp),
        weights,
        incidents: stats,
        maintenance,
        components,
        snapshots: history.snapshots,
        failed_snapshots: history.failed,
    }
}

/// Every component's intervals — incidents, maintenances, transitions seen — with the counts
/// a report gives of them: the one timeline `report`, the board and `check --since` judge by.
fn timelines_of(
    history: &ProviderHistory,
    from: i64,
    to: i64,
) -> (
    Timelines,
    IncidentStats,
    HashMap<String, usize>,
    MaintenanceStats,
) {
    let mut timelines = Timelines::default();
    let (stats, touched) = incident_stats(history, from, to, &mut timelines);
    let maintenance = maintenance_stats(history, from, to, &mut timelines);
    timelines.add_changes(history, to);
    (timelines, stats, touched, maintenance)
}

/// A span of a component's timeline in one status (the worst at each instant), and the
/// incidents touching the component that were open over it.
#[derive(Clone, Debug, PartialEq)]
pub struct Episode {
    pub component: String,
    pub group: Option<String>,
    pub status: ComponentStatus,
    pub from: Timestamp,
    pub to: Timestamp,
    pub incidents: Vec<String>,
}

fn timestamp(ms: i64) -> Timestamp {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).map_or_else(
        |_| Timestamp::from(time::OffsetDateTime::UNIX_EPOCH),
        Timestamp::from,
    )
}

impl History {
    /// Each provider's trouble over `window`, component by component, in time order: what
    /// `check --since` judges (provider id, episodes).
    pub fn episodes(&self, window: Window) -> Vec<(String, Vec<Episode>)> {
        self.providers
            .iter()
            .map(|history| (history.provider.clone(), episodes_of(history, window)))
            .collect()
    }
}

fn episodes_of(history: &ProviderHistory, window: Window) -> Vec<Episode> {
    let (from, to) = (millis(window.from), millis(window.to));
    let (timelines, ..) = timelines_of(history, from, to);
    let mut out = Vec::new();
    for (id, name, group) in timelines.component_order(history) {
        let Some(list) = timelines.intervals.get(&id) else {
            continue;
        };
        for segment in sweep(list, from, to).1 {
            let incidents = history
                .incidents
                .iter()
                .map(|(_, incident)| incident)
                .filter(|incident| touched_components(incident).contains(&&id))
                .filter(|incident| {
                    incident_start(incident).is_some_and(|start| {
                        start < segment.end && incident_end(incident, to) > segment.start
                    })
                })
                .map(|incident| incident.name.clone())
                .collect();
            out.push(Episode {
                component: name.clone(),
                group: group.clone(),
                status: segment.status,
                from: timestamp(segment.start),
                to: timestamp(segment.end),
                incidents,
            });
        }
    }
    out.sort_by_key(|e| e.from);
    out
}

/// Every component's intervals in one status, and the names incidents and maintenances give
/// components the page does not list.
#[derive(Default)]
struct Timelines {
    intervals: HashMap<String, Vec<Interval>>,
    names: HashMap<String, String>,
}

impl Timelines {
    /// The transitions statusq saw, each until the next one (the last until it last looked).
    fn add_changes(&mut self, history: &ProviderHistory, to: i64) {
        let seen_until = history.last_seen.map_or(to, millis).min(to);
        let mut changes: Vec<&Change> = history.changes.iter().collect();
        changes.sort_by(|a, b| a.component.cmp(&b.component).then(a.at.cmp(&b.at)));
        for (i, change) in changes.iter().enumerate() {
            let until = match changes.get(i + 1) {
                Some(next) if next.component == change.component => next.at,
                _ => seen_until,
            };
            push(
                &mut self.intervals,
                &change.component,
                change.at,
                until,
                change.status,
            );
        }
    }

    /// The components to report on: in page order, then those only incidents name, by name.
    fn component_order(&self, history: &ProviderHistory) -> Vec<(String, String, Option<String>)> {
        let mut order: Vec<(String, String, Option<String>)> = history
            .components
            .iter()
            .map(|c| (c.id.clone(), c.name.clone(), c.group.clone()))
            .collect();
        let listed: std::collections::HashSet<&str> =
            history.components.iter().map(|c| c.id.as_str()).collect();
        let mut extra: Vec<(String, String, Option<String>)> = self
            .intervals
            .keys()
            .filter(|id| !listed.contains(id.as_str()))
            .map(|id| {
                let name = self.names.get(id).cloned().unwrap_or_else(|| id.clone());
                (id.clone(), name, None)
            })
            .collect();
        extra.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        order.extend(extra);
        order
    }
}

/// The incidents created in `[from, to)` counted (and those carried over into it from before,
/// as `ongoing`), every incident's intervals added to `timelines`, and how many of either
/// touched each component.
fn incident_stats(
    history: &ProviderHistory,
    from: i64,
    to: i64,
    timelines: &mut Timelines,
) -> (IncidentStats, HashMap<String, usize>) {
    let mut touched: HashMap<String, usize> = HashMap::new();
    let mut stats = IncidentStats::default();
    let (mut durations, mut first_updates) = (Vec::new(), Vec::new());
    for (_, incident) in &history.incidents {
        incident_intervals(incident, to, &mut timelines.intervals, &mut timelines.names);
        let Some(start) = incident_start(incident) else {
            continue;
        };
        let end = incident_end(incident, to);
        if start < from && end > from {
            // Created before the window and still running into it: not counted among the
            // window's incidents, but never invisible beside the minutes it cost.
            stats.ongoing += 1;
            for id in touched_components(incident) {
                *touched.entry(id.clone()).or_default() += 1;
            }
            continue;
        }
        if start < from || start >= to {
            continue;
        }
        stats.count += 1;
        stats.open += usize::from(incident.is_open());
        *stats
            .by_impact
            .entry(impact_word(incident.impact).to_string())
            .or_default() += 1;
        let duration = minutes(end.min(to).max(start) - start);
        stats.total_minutes += duration;
        durations.push(duration);
        if let Some(first) = incident.updates.iter().filter_map(|u| u.at).min() {
            first_updates.push(minutes((millis(first) - start).max(0)));
        }
        stats.reopened += usize::from(reopened(incident));
        for id in touched_components(incident) {
            *touched.entry(id.clone()).or_default() += 1;
        }
    }
    stats.total_minutes = round1(stats.total_minutes);
    stats.median_minutes = median(&mut durations).map(round1);
    stats.median_first_update_minutes = median(&mut first_updates).map(round1);
    (stats, touched)
}

/// The ids of the components an incident names, itself or in its updates, each once.
fn touched_components(incident: &Incident) -> Vec<&String> {
    let mut ids: Vec<&String> = incident.components.iter().flatten().collect();
    for update in &incident.updates {
        ids.extend(update.components.iter().flatten().map(|c| &c.id));
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// The maintenances that ran in `[from, to)` counted and their minutes (overlaps once), and
/// every maintenance's components put under maintenance in `timelines` for its span.
fn maintenance_stats(
    history: &ProviderHistory,
    from: i64,
    to: i64,
    timelines: &mut Timelines,
) -> MaintenanceStats {
    let mut spans = Vec::new();
    let mut maintenance = MaintenanceStats::default();
    for (_, item) in &history.maintenances {
        let Some((start, end)) = maintenance_span(item, to) else {
            continue;
        };
        if end > from && start < to {
            maintenance.count += 1;
        }
        spans.push(Interval {
            start,
            end,
            status: ComponentStatus::UnderMaintenance,
        });
        let mut ids: Vec<String> = item.components.clone().unwrap_or_default();
        for update in &item.updates {
            for component in update.components.iter().flatten() {
                timelines
                    .names
                    .entry(component.id.clone())
                    .or_insert_with(|| component.name.clone());
                ids.push(component.id.clone());
            }
        }
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            push(
                &mut timelines.intervals,
                &id,
                start,
                end,
                ComponentStatus::UnderMaintenance,
            );
        }
    }
    let (spent, _) = sweep(&spans, from, to);
    maintenance.minutes = round1(spent.under_maintenance);
    maintenance
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> i64 {
        millis(Timestamp::parse(text).unwrap())
    }

    #[test]
    fn overlapping_intervals_count_the_worst_once() {
        // 10:00–12:00 degraded, 11:00–11:30 major: 90 min degraded, 30 major, not 150.
        let intervals = [
            Interval {
                start: at("2026-01-01T10:00:00Z"),
                end: at("2026-01-01T12:00:00Z"),
                status: ComponentStatus::DegradedPerformance,
            },
            Interval {
                start: at("2026-01-01T11:00:00Z"),
                end: at("2026-01-01T11:30:00Z"),
                status: ComponentStatus::MajorOutage,
            },
            Interval {
                start: at("2026-01-01T11:10:00Z"),
                end: at("2026-01-01T11:20:00Z"),
                status: ComponentStatus::PartialOutage,
            },
        ];
        let (spent, segments) = sweep(
            &intervals,
            at("2026-01-01T00:00:00Z"),
            at("2026-01-02T00:00:00Z"),
        );
        assert_eq!(spent.degraded_performance, 90.0);
        assert_eq!(spent.major_outage, 30.0);
        assert_eq!(spent.partial_outage, 0.0);
        assert_eq!(segments.len(), 3);
        // Clipped to the window.
        let (clipped, _) = sweep(
            &intervals,
            at("2026-01-01T11:15:00Z"),
            at("2026-01-01T11:45:00Z"),
        );
        assert_eq!(clipped.major_outage, 15.0);
        assert_eq!(clipped.degraded_performance, 15.0);
    }

    #[test]
    fn weights_parse_and_refuse_nonsense() {
        let w = Weights::parse("partial=0.5, degraded=0.1").unwrap();
        assert_eq!(
            (w.major_outage, w.partial_outage, w.degraded_performance),
            (1.0, 0.5, 0.1)
        );
        assert!(Weights::parse("major=2").is_err());
        assert!(Weights::parse("broken=1").is_err());
        assert!(Weights::parse("major").is_err());
    }

    fn snapshot(json: &str) -> Snapshot {
        serde_json::from_str(json).unwrap()
    }

    /// A page whose component `c` (API) was partial 10:00–11:00 (incident A, resolved) and
    /// major from 10:30 with incident B, still open.
    fn two_incidents() -> History {
        let mut history = History::new();
        history.add_snapshot(&snapshot(
            r#"{"v":1,"provider":"p","name":"P","url":"u","format":"statuspage",
            "fetched_at":"2026-01-02T00:00:00Z","elapsed_ms":1,"ok":true,"error":null,
            "status":null,"components":[{"id":"c","name":"API","status":"major_outage",
              "group":null}],"maintenances":[],"incidents":[
              {"id":"a","name":"A","status":"resolved","impact":"major","url":null,
               "created_at":"2026-01-01T10:00:00Z","updated_at":null,
               "resolved_at":"2026-01-01T11:00:00Z","components":["c"],"updates":[
               {"id":"a1","status":"investigating","body":"","at":"2026-01-01T10:00:00Z",
                "components":[{"id":"c","name":"API","status":"partial_outage"}]}]},
              {"id":"b","name":"B","status":"investigating","impact":"critical","url":null,
               "created_at":"2026-01-01T10:30:00Z","updated_at":null,"resolved_at":null,
               "components":["c"],"updates":[
               {"id":"b1","status":"investigating","body":"","at":"2026-01-01T10:30:00Z",
                "components":[{"id":"c","name":"API","status":"major_outage"}]}]}]}"#,
        ));
        history
    }

    fn window(from: &str, to: &str) -> Window {
        Window {
            from: Timestamp::parse(from).unwrap(),
            to: Timestamp::parse(to).unwrap(),
        }
    }

    fn spans(
        history: &History,
        from: &str,
        to: &str,
    ) -> Vec<(String, String, String, Vec<String>)> {
        history.episodes(window(from, to))[0]
            .1
            .iter()
            .map(|e| {
                (
                    e.status.as_str().to_string(),
                    e.from.to_string(),
                    e.to.to_string(),
                    e.incidents.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn episodes_are_the_worst_status_at_each_instant_cut_to_the_window() {
        let history = two_incidents();
        // Overlapping incidents: partial until the open one makes it major, which lasts to
        // the window's end; each span names the incidents open over it.
        assert_eq!(
            spans(&history, "2026-01-01T09:00:00Z", "2026-01-01T12:00:00Z"),
            [
                (
                    "partial_outage".into(),
                    "2026-01-01T10:00:00Z".into(),
                    "2026-01-01T10:30:00Z".into(),
                    vec!["A".to_string()]
                ),
                (
                    "major_outage".into(),
                    "2026-01-01T10:30:00Z".into(),
                    "2026-01-01T12:00:00Z".into(),
                    vec!["A".to_string(), "B".to_string()]
                ),
            ]
        );
        // A window that ends exactly where the trouble begins holds none of it; one that
        // begins exactly there holds it from its first instant.
        assert!(spans(&history, "2026-01-01T09:00:00Z", "2026-01-01T10:00:00Z").is_empty());
        assert_eq!(
            spans(&history, "2026-01-01T10:00:00Z", "2026-01-01T10:01:00Z"),
            [(
                "partial_outage".into(),
                "2026-01-01T10:00:00Z".into(),
                "2026-01-01T10:01:00Z".into(),
                vec!["A".to_string()]
            )]
        );
        // Long after: the open incident still holds the component down.
        assert_eq!(
            spans(&history, "2026-01-05T00:00:00Z", "2026-01-05T01:00:00Z")[0].0,
            "major_outage"
        );
    }

    #[test]
    fn what_is_held_is_pruned_by_age_and_written_back_without_bodies() {
        let mut history = History::new();
        history.add_snapshot(&snapshot(
            r#"{"v":1,"provider":"p","name":"P","url":"u","format":"statuspage",
            "fetched_at":"2026-01-01T00:00:00Z","elapsed_ms":1,"ok":true,"error":null,
            "status":null,"components":[],"maintenances":[],"incidents":[
              {"id":"old","name":"Old","status":"resolved","impact":"minor","url":null,
               "created_at":"2020-01-01T00:00:00Z","updated_at":null,
               "resolved_at":"2020-01-01T01:00:00Z","components":null,"updates":[]},
              {"id":"open","name":"Open","status":"investigating","impact":"major","url":null,
               "created_at":"2019-06-01T00:00:00Z","updated_at":null,"resolved_at":null,
               "components":null,"updates":[{"id":"u","status":"investigating",
               "body":"a long story","at":"2019-06-01T00:00:00Z","components":null}]}]}"#,
        ));
        history.prune(Timestamp::parse("2021-01-01T00:00:00Z").unwrap(), 10);
        let kept = history.snapshots();
        let incidents = kept[0].incidents.as_ref().unwrap();
        assert_eq!(incidents.len(), 1, "the open one stays, however old");
        assert_eq!(incidents[0].id, "open");
        assert_eq!(incidents[0].updates[0].body, "", "bodies are not kept");
        // Folded in again, it is the same history; a failed fetch adds nothing.
        let mut again = History::new();
        again.add_snapshot(&kept[0]);
        again.add_snapshot(&snapshot(
            r#"{"v":1,"provider":"p","name":"P","url":"u","format":"statuspage",
            "fetched_at":"2026-01-02T00:00:00Z","elapsed_ms":1,"ok":false,
            "error":{"kind":"timeout","message":"slow","http_status":null},
            "status":null,"components":null,"incidents":null,"maintenances":null}"#,
        ));
        assert_eq!(again.snapshots()[0].incidents, kept[0].incidents);
    }

    #[test]
    fn a_newer_copy_replaces_a_changed_incident_and_an_older_one_does_not() {
        let page = |at: &str, updates: &str| {
            snapshot(&format!(
                r#"{{"v":1,"provider":"p","name":"P","url":"u","format":"statuspage",
                "fetched_at":"{at}","elapsed_ms":1,"ok":true,"error":null,"status":null,
                "components":[],"maintenances":[],"incidents":[{{"id":"i","name":"I",
                "status":"investigating","impact":"minor","url":null,
                "created_at":"2026-01-01T00:00:00Z","updated_at":null,"resolved_at":null,
                "components":null,"updates":[{updates}]}}]}}"#
            ))
        };
        let one = r#"{"id":"a","status":"investigating","body":"x","at":"2026-01-01T00:00:00Z","components":null}"#;
        let two = format!(
            r#"{one},{{"id":"b","status":"identified","body":"y","at":"2026-01-01T01:00:00Z","components":null}}"#
        );
        let mut history = History::new();
        history.add_snapshot(&page("2026-01-01T00:05:00Z", one));
        history.add_snapshot(&page("2026-01-01T01:05:00Z", &two));
        // An older copy read after the newer one changes nothing.
        history.add_snapshot(&page("2026-01-01T00:30:00Z", one));
        let held = history.snapshots();
        let incident = &held[0].incidents.as_ref().unwrap()[0];
        assert_eq!(incident.updates.len(), 2);
        assert!(incident.updates.iter().all(|u| u.body.is_empty()));
        assert_eq!(held[0].fetched_at.to_string(), "2026-01-01T01:05:00Z");
    }

    #[test]
    fn days_span_midnight() {
        let segments = [Interval {
            start: at("2026-01-01T23:00:00Z"),
            end: at("2026-01-03T00:00:00Z"),
            status: ComponentStatus::PartialOutage,
        }];
        let list = days(&segments);
        let dates: Vec<&str> = list.iter().map(|d| d.date.as_str()).collect();
        assert_eq!(dates, ["2026-01-01", "2026-01-02"]);
    }
}
