//! Maintenances: each update once, with a lifecycle — `maintenance.scheduled` when announced,
//! `maintenance.started` once when work begins, `maintenance.completed` once when it ends —
//! read from updates, or from the status alone when upstream moves on without posting one
//! (Statuspage's automatic transitions). With `--remind` lead times, `maintenance.reminder`
//! once per lead when a scheduled maintenance's start is that close ([`remind`]).

use crate::diff::emit::{Emitter, Mode};
use crate::diff::items::{self, Sight, Tracked};
use crate::diff::state::ProviderState;
use crate::model::{EventItem, EventKind, Maintenance, MaintenanceStatus, Phase};

pub(crate) fn apply(
    provider: &mut ProviderState,
    maintenance: &Maintenance,
    out: &mut Emitter,
    mode: &Mode,
) {
    let observed = out.observed();
    let completed_now = maintenance.status == MaintenanceStatus::Completed;
    let running_now = maintenance.is_running();
    let tracked = Tracked {
        id: &maintenance.id,
        status: maintenance.status.as_str(),
        created_at: maintenance.created_at,
        updates: &maintenance.updates,
        prefix: format!("{}/maintenance/{}", out.snapshot.provider, maintenance.id),
    };
    let item_of = |status: MaintenanceStatus| item_of(maintenance, status);
    let (item, mut fresh) = match items::sight(
        &mut provider.maintenances,
        &tracked,
        mode,
        observed,
        completed_now,
        running_now || completed_now,
    ) {
        Sight::Baseline => {
            if maintenance.is_open() {
                let kind = if running_now {
                    EventKind::MaintenanceStarted
                } else {
                    EventKind::MaintenanceScheduled
                };
                let event = items::baseline_event(out, kind, &tracked, "scheduled");
                event.maintenance = Some(item_of(maintenance.status));
            }
            return;
        }
        Sight::History => return,
        Sight::Tracked { item, fresh } => (item, fresh),
    };
    for update in items::unseen_updates(item, &maintenance.updates) {
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
        let status_then = update
            .status
            .maintenance_status()
            .unwrap_or(maintenance.status);
        let event = out.push_update(kind, &tracked.prefix, update);
        event.maintenance = Some(item_of(status_then));
    }
    // Upstream moved on without posting an update.
    if running_now && !item.started {
        item.started = true;
        let at = maintenance.scheduled_for.unwrap_or(observed);
        let id = format!("{}/started", tracked.prefix);
        let event = out.push(EventKind::MaintenanceStarted, id, at);
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
        let id = format!("{}/completed", tracked.prefix);
        let event = out.push(EventKind::MaintenanceCompleted, id, at);
        event.maintenance = Some(item_of(maintenance.status));
        fresh = false;
    }
    if fresh {
        let at = maintenance.created_at.unwrap_or(observed);
        let id = format!("{}/scheduled", tracked.prefix);
        let event = out.push(EventKind::MaintenanceScheduled, id, at);
        event.maintenance = Some(item_of(maintenance.status));
    }
    items::seen(item, maintenance.status.as_str(), observed);
}

/// `maintenance.reminder` for each lead time the maintenance's start has come within, once per
/// lead (the state keeps which), never for one already started, completed or not yet known
/// (its first sight is the baseline's) — its id is the maintenance's and the lead's.
pub(crate) fn remind(
    provider: &mut ProviderState,
    maintenance: &Maintenance,
    out: &mut Emitter,
    leads: &[time::Duration],
) {
    if leads.is_empty() || maintenance.status != MaintenanceStatus::Scheduled {
        return;
    }
    let Some(start) = maintenance.scheduled_for else {
        return;
    };
    let Some(item) = provider.maintenances.get_mut(&maintenance.id) else {
        return;
    };
    if item.started || item.closed {
        return;
    }
    let observed = out.observed();
    let left = start.datetime() - observed.datetime();
    if left <= time::Duration::ZERO {
        return;
    }
    // The nearest lead the start has come within: one reminder a poll, the others it passed
    // marked as said (a reminder for 24 h is not news 50 minutes before).
    let mut due: Vec<u64> = leads
        .iter()
        .filter(|lead| left <= **lead)
        .map(|lead| lead.whole_seconds().max(0) as u64)
        .filter(|secs| !item.reminded.contains(secs))
        .collect();
    due.sort_unstable();
    let Some(&nearest) = due.first() else {
        return;
    };
    item.reminded.extend(due.iter().copied());
    let id = format!(
        "{}/maintenance/{}/reminder/{nearest}s",
        out.snapshot.provider, maintenance.id
    );
    let event = out.push(EventKind::MaintenanceReminder, id, observed);
    event.maintenance = Some(item_of(maintenance, maintenance.status));
}

/// The maintenance as an event carries it, in `status`.
fn item_of(maintenance: &Maintenance, status: MaintenanceStatus) -> EventItem {
    EventItem {
        id: maintenance.id.clone(),
        name: maintenance.name.clone(),
        status: status.as_str().to_string(),
        impact: maintenance.impact,
        url: maintenance.url.clone(),
        scheduled_for: maintenance.scheduled_for,
        scheduled_until: maintenance.scheduled_until,
    }
}
