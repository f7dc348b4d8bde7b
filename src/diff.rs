//! The diff engine: `(State, Snapshot) → (State, events)`, pure, the heart of statusq.
//!
//! The rules (DESIGN §4):
//! - **Exactly once per upstream fact.** Every incident or maintenance update id yields one event,
//!   ever; every component transition one `component.changed`. What was announced is in the
//!   state, so a restart changes nothing.
//! - **First sight is a baseline**: only what is live now (open incidents with their latest
//!   update, running or upcoming maintenance, components not operational, a page not at
//!   `none`), unless `replay` asks for the whole history.
//! - **Resolution is read, never guessed**: `incident.resolved` comes from an upstream resolved
//!   status; an incident that vanishes (aged out of the 50-item window, or a partial page) is
//!   left alone.
//! - **A failed fetch changes nothing** but the provider's health: `provider.failed` once after
//!   `fail_after` failures in a row, `provider.recovered` once when it comes back.
//! - **Bounded**: what upstream has not shown for `forget_after` is forgotten, and an item that
//!   comes back after being forgotten, all of whose updates are older than that, is recorded
//!   silently instead of being announced as new.
//!
//! Event ids are built from upstream ids and upstream times only, so the same facts give the
//! same ids however the snapshots are split between runs.

use crate::model::{
    ComponentStatus, Event, EventComponent, EventItem, EventKind, Incident, IncidentStatus,
    Maintenance, MaintenanceStatus, Phase, Snapshot, Timestamp, Update, SCHEMA_VERSION,
};
use crate::state::{ComponentState, ItemState, ProviderState, State};

/// How the engine behaves; the `diff` flags.
#[derive(Clone, Debug)]
pub struct Options {
    /// On first sight of a provider, emit its whole history instead of a baseline.
    pub replay: bool,
    /// Failed snapshots in a row before `provider.failed`.
    pub fail_after: u32,
    /// Forget what upstream has not shown for this long.
    pub forget_after: time::Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            replay: false,
            fail_after: 2,
            forget_after: time::Duration::days(30),
        }
    }
}

/// Applies one snapshot to the state and returns what is new, in order.
pub fn apply(state: &mut State, snapshot: &Snapshot, options: &Options) -> Vec<Event> {
    let provider = state
        .providers
        .entry(snapshot.provider.clone())
        .or_default();
    let mut out = Emitter {
        snapshot,
        events: Vec::new(),
    };
    provider.last_seen = Some(snapshot.fetched_at);

    if !snapshot.ok {
        provider.failures = provider.failures.saturating_add(1);
        if provider.failures >= options.fail_after.max(1) && !provider.failed_reported {
            provider.failed_reported = true;
            let mut event = out.event(
                EventKind::ProviderFailed,
                format!("{}/failed/{}", snapshot.provider, snapshot.fetched_at),
                snapshot.fetched_at,
            );
            event.error = snapshot.error.clone();
            out.events.push(event);
        }
        return out.events;
    }
    if provider.failed_reported {
        out.push(
            EventKind::ProviderRecovered,
            format!("{}/recovered/{}", snapshot.provider, snapshot.fetched_at),
            snapshot.fetched_at,
        );
    }
    provider.failures = 0;
    provider.failed_reported = false;

    let first_sight = !provider.baselined;
    provider.baselined = true;
    let mode = Mode {
        first_sight,
        baseline: first_sight && !options.replay,
        replay: options.replay,
        horizon: snapshot.fetched_at.datetime() - options.forget_after,
    };
    page_status(provider, &mut out, &mode);
    components(provider, &mut out);
    if let Some(incidents) = &snapshot.incidents {
        let mut ordered: Vec<&Incident> = incidents.iter().collect();
        ordered.sort_by(|a, b| a.created_at.cmp(&b.created_at).then(a.id.cmp(&b.id)));
        for incident in ordered {
            self::incident(provider, incident, &mut out, &mode);
        }
    }
    if let Some(maintenances) = &snapshot.maintenances {
        let mut ordered: Vec<&Maintenance> = maintenances.iter().collect();
        ordered.sort_by(|a, b| {
            (a.scheduled_for, a.created_at, &a.id).cmp(&(b.scheduled_for, b.created_at, &b.id))
        });
        for maintenance in ordered {
            self::maintenance(provider, maintenance, &mut out, &mode);
        }
    }
    forget(provider, snapshot, &mode);
    out.events
}

/// Forgets whole providers that sent nothing (not even a failure) for `forget_after` before
/// `now`, so a state shared by changing provider lists stays bounded.
pub fn forget_providers(state: &mut State, now: Timestamp, options: &Options) {
    let horizon = now.datetime() - options.forget_after;
    state
        .providers
        .retain(|_, p| p.last_seen.is_none_or(|seen| seen.datetime() >= horizon));
}

struct Mode {
    first_sight: bool,
    baseline: bool,
    replay: bool,
    /// Older than this is forgotten.
    horizon: time::OffsetDateTime,
}

struct Emitter<'a> {
    snapshot: &'a Snapshot,
    events: Vec<Event>,
}

impl Emitter<'_> {
    fn event(&self, kind: EventKind, id: String, at: Timestamp) -> Event {
        Event {
            v: SCHEMA_VERSION,
            event: kind,
            id,
            provider: self.snapshot.provider.clone(),
            name: self.snapshot.name.clone(),
            url: self.snapshot.url.clone(),
            at,
            observed_at: self.snapshot.fetched_at,
            incident: None,
            maintenance: None,
            update: None,
            component: None,
            from: None,
            to: None,
            error: None,
        }
    }

    fn push(&mut self, kind: EventKind, id: String, at: Timestamp) -> &mut Event {
        let event = self.event(kind, id, at);
        self.events.push(event);
        self.events.last_mut().expect("just pushed")
    }
}

fn page_status(provider: &mut ProviderState, out: &mut Emitter, mode: &Mode) {
    let Some(status) = &out.snapshot.status else {
        return;
    };
    let new = status.indicator;
    let old = provider.indicator.replace(new);
    let changed = match old {
        Some(old) => old != new,
        None => mode.first_sight && new != crate::model::Indicator::None,
    };
    if changed {
        let from = old.map(|o| o.as_str().to_string());
        let observed = out.snapshot.fetched_at;
        let id = format!(
            "{}/status/{}-{}/{}",
            out.snapshot.provider,
            from.as_deref().unwrap_or("new"),
            new,
            observed
        );
        let event = out.push(EventKind::StatusChanged, id, observed);
        event.from = from;
        event.to = Some(new.as_str().to_string());
    }
}

fn components(provider: &mut ProviderState, out: &mut Emitter) {
    let Some(components) = &out.snapshot.components else {
        return;
    };
    let observed = out.snapshot.fetched_at;
    for component in components {
        let old = provider.components.insert(
            component.id.clone(),
            ComponentState {
                status: component.status,
                seen: observed,
            },
        );
        let from = match old {
            Some(old) if old.status == component.status => continue,
            Some(old) => Some(old.status),
            // Appearing operational is no news; appearing broken is.
            None if component.status == ComponentStatus::Operational => continue,
            None => None,
        };
        let at = component.updated_at.unwrap_or(observed);
        let id = format!(
            "{}/component/{}/{}-{}/{}",
            out.snapshot.provider,
            component.id,
            from.map_or("new", ComponentStatus::as_str),
            component.status,
            at
        );
        let qualified_name = match &component.group {
            Some(group) => format!("{group}/{}", component.name),
            None => component.name.clone(),
        };
        let event = out.push(EventKind::ComponentChanged, id, at);
        event.component = Some(EventComponent {
            id: component.id.clone(),
            name: component.name.clone(),
            group: component.group.clone(),
            qualified_name,
            status: component.status,
        });
        event.from = from.map(|s| s.as_str().to_string());
        event.to = Some(component.status.as_str().to_string());
    }
}

/// Whether every date an item carries is older than the horizon: it is history coming back
/// into view, not news.
fn is_ancient(created_at: Option<Timestamp>, updates: &[Update], mode: &Mode) -> bool {
    let mut dates = updates
        .iter()
        .filter_map(|u| u.at)
        .chain(created_at)
        .peekable();
    dates.peek().is_some() && dates.all(|d| d.datetime() < mode.horizon)
}

fn incident(provider: &mut ProviderState, incident: &Incident, out: &mut Emitter, mode: &Mode) {
    let observed = out.snapshot.fetched_at;
    let resolved_now = matches!(
        incident.status,
        IncidentStatus::Resolved | IncidentStatus::Postmortem
    );
    let prefix = format!("{}/incident/{}", out.snapshot.provider, incident.id);
    let item_of = |status: IncidentStatus| EventItem {
        id: incident.id.clone(),
        name: incident.name.clone(),
        status: status.as_str().to_string(),
        impact: incident.impact,
        url: incident.url.clone(),
        scheduled_for: None,
        scheduled_until: None,
    };
    let known = provider.incidents.contains_key(&incident.id);
    if !known {
        let ancient = !mode.first_sight
            && !mode.replay
            && is_ancient(incident.created_at, &incident.updates, mode);
        if mode.baseline || ancient {
            provider.incidents.insert(
                incident.id.clone(),
                ItemState {
                    status: incident.status.as_str().to_string(),
                    updates: incident.updates.iter().map(|u| u.id.clone()).collect(),
                    closed: resolved_now,
                    started: false,
                    seen: observed,
                },
            );
            // A feed entry whose status nobody stated is history, not something live.
            let stated = incident.raw_status.as_deref() != Some("unknown");
            if mode.baseline && !resolved_now && stated {
                let latest = incident.updates.last();
                let id = match latest {
                    Some(update) => format!("{prefix}/update/{}", update.id),
                    None => format!("{prefix}/created"),
                };
                let at = latest
                    .and_then(|u| u.at)
                    .or(incident.created_at)
                    .unwrap_or(observed);
                let event = out.push(EventKind::IncidentCreated, id, at);
                event.incident = Some(item_of(incident.status));
                event.update = latest.cloned();
            }
            return;
        }
    }
    let item = provider
        .incidents
        .entry(incident.id.clone())
        .or_insert_with(|| ItemState::unseen(observed));
    let mut fresh = !known;
    for update in &incident.updates {
        if !item.updates.insert(update.id.clone()) {
            continue;
        }
        let kind = if update.status == Phase::Resolved && !item.closed {
            item.closed = true;
            EventKind::IncidentResolved
        } else if fresh {
            EventKind::IncidentCreated
        } else {
            EventKind::IncidentUpdated
        };
        fresh = false;
        // The incident as it stood after this update, so a replayed history reads right.
        let status_then = match update.status {
            Phase::Investigating => IncidentStatus::Investigating,
            Phase::Identified => IncidentStatus::Identified,
            Phase::Monitoring => IncidentStatus::Monitoring,
            Phase::Resolved => IncidentStatus::Resolved,
            Phase::Postmortem => IncidentStatus::Postmortem,
            _ => incident.status,
        };
        let id = format!("{prefix}/update/{}", update.id);
        let event = out.push(kind, id, update.at.unwrap_or(observed));
        event.incident = Some(item_of(status_then));
        event.update = Some(update.clone());
    }
    if resolved_now && !item.closed {
        // Upstream says resolved without a resolving update (some platforms do).
        item.closed = true;
        let at = incident
            .resolved_at
            .or(incident.updated_at)
            .unwrap_or(observed);
        let event = out.push(
            EventKind::IncidentResolved,
            format!("{prefix}/resolved/{at}"),
            at,
        );
        event.incident = Some(item_of(incident.status));
        fresh = false;
    }
    if fresh {
        let at = incident.created_at.unwrap_or(observed);
        let event = out.push(EventKind::IncidentCreated, format!("{prefix}/created"), at);
        event.incident = Some(item_of(incident.status));
    }
    if !resolved_now {
        // Reopened upstream: a later resolution is news again.
        item.closed = false;
    }
    item.status = incident.status.as_str().to_string();
    item.seen = observed;
}

fn maintenance(
    provider: &mut ProviderState,
    maintenance: &Maintenance,
    out: &mut Emitter,
    mode: &Mode,
) {
    let observed = out.snapshot.fetched_at;
    let completed_now = maintenance.status == MaintenanceStatus::Completed;
    let running_now = matches!(
        maintenance.status,
        MaintenanceStatus::InProgress | MaintenanceStatus::Verifying
    );
    let prefix = format!("{}/maintenance/{}", out.snapshot.provider, maintenance.id);
    let item_of = |status: MaintenanceStatus| EventItem {
        id: maintenance.id.clone(),
        name: maintenance.name.clone(),
        status: status.as_str().to_string(),
        impact: maintenance.impact,
        url: maintenance.url.clone(),
        scheduled_for: maintenance.scheduled_for,
        scheduled_until: maintenance.scheduled_until,
    };
    let known = provider.maintenances.contains_key(&maintenance.id);
    if !known {
        let ancient = !mode.first_sight
            && !mode.replay
            && is_ancient(maintenance.created_at, &maintenance.updates, mode);
        if mode.baseline || ancient {
            provider.maintenances.insert(
                maintenance.id.clone(),
                ItemState {
                    status: maintenance.status.as_str().to_string(),
                    updates: maintenance.updates.iter().map(|u| u.id.clone()).collect(),
                    closed: completed_now,
                    started: running_now || completed_now,
                    seen: observed,
                },
            );
            if mode.baseline && !completed_now {
                let kind = if running_now {
                    EventKind::MaintenanceStarted
                } else {
                    EventKind::MaintenanceScheduled
                };
                let latest = maintenance.updates.last();
                let id = match latest {
                    Some(update) => format!("{prefix}/update/{}", update.id),
                    None => format!("{prefix}/scheduled"),
                };
                let at = latest
                    .and_then(|u| u.at)
                    .or(maintenance.created_at)
                    .unwrap_or(observed);
                let event = out.push(kind, id, at);
                event.maintenance = Some(item_of(maintenance.status));
                event.update = latest.cloned();
            }
            return;
        }
    }
    let item = provider
        .maintenances
        .entry(maintenance.id.clone())
        .or_insert_with(|| ItemState::unseen(observed));
    let mut fresh = !known;
    for update in &maintenance.updates {
        if !item.updates.insert(update.id.clone()) {
            continue;
        }
        let kind = match update.status {
            Phase::Completed if !item.closed => EventKind::MaintenanceCompleted,
            Phase::InProgress if !item.started => EventKind::MaintenanceStarted,
            _ if fresh => EventKind::MaintenanceScheduled,
            _ => EventKind::MaintenanceUpdated,
        };
        match update.status {
            Phase::Completed => {
                item.closed = true;
                item.started = true;
            }
            Phase::InProgress | Phase::Verifying => item.started = true,
            _ => {}
        }
        fresh = false;
        let status_then = match update.status {
            Phase::Scheduled => MaintenanceStatus::Scheduled,
            Phase::InProgress => MaintenanceStatus::InProgress,
            Phase::Verifying => MaintenanceStatus::Verifying,
            Phase::Completed => MaintenanceStatus::Completed,
            _ => maintenance.status,
        };
        let id = format!("{prefix}/update/{}", update.id);
        let event = out.push(kind, id, update.at.unwrap_or(observed));
        event.maintenance = Some(item_of(status_then));
        event.update = Some(update.clone());
    }
    // Upstream moved on without posting an update (Statuspage's automatic transitions).
    if running_now && !item.started {
        item.started = true;
        let at = maintenance.scheduled_for.unwrap_or(observed);
        let event = out.push(
            EventKind::MaintenanceStarted,
            format!("{prefix}/started"),
            at,
        );
        event.maintenance = Some(item_of(maintenance.status));
        fresh = false;
    }
    if completed_now && !item.closed {
        item.closed = true;
        item.started = true;
        let at = maintenance
            .updated_at
            .or(maintenance.scheduled_until)
            .unwrap_or(observed);
        let event = out.push(
            EventKind::MaintenanceCompleted,
            format!("{prefix}/completed"),
            at,
        );
        event.maintenance = Some(item_of(maintenance.status));
        fresh = false;
    }
    if fresh {
        let at = maintenance.created_at.unwrap_or(observed);
        let event = out.push(
            EventKind::MaintenanceScheduled,
            format!("{prefix}/scheduled"),
            at,
        );
        event.maintenance = Some(item_of(maintenance.status));
    }
    item.status = maintenance.status.as_str().to_string();
    item.seen = observed;
}

/// Drops what upstream has not shown since the horizon. Only lists the snapshot carries are
/// pruned: a payload that says nothing of components forgets none.
fn forget(provider: &mut ProviderState, snapshot: &Snapshot, mode: &Mode) {
    let keep = |seen: &Timestamp| seen.datetime() >= mode.horizon;
    if snapshot.components.is_some() {
        provider.components.retain(|_, c| keep(&c.seen));
    }
    if snapshot.incidents.is_some() {
        provider.incidents.retain(|_, i| keep(&i.seen));
    }
    if snapshot.maintenances.is_some() {
        provider.maintenances.retain(|_, m| keep(&m.seen));
    }
}

#[cfg(test)]
mod tests;
