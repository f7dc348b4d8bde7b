//! Incidents: each update once, `incident.created` for the first, `incident.resolved` when
//! upstream says resolved — by an update, or by a status with no update — and never because an
//! incident disappeared. An update that is not a resolution (nor a postmortem) after one is
//! `incident.reopened`, and the next resolution is `incident.resolved` again: a consumer that
//! closes its alert on `incident.resolved` closes it every time.

use crate::diff::emit::{Emitter, Mode};
use crate::diff::items::{self, Sight, Tracked};
use crate::diff::state::ProviderState;
use crate::model::{EventItem, EventKind, Incident, IncidentStatus, Phase};

pub(crate) fn apply(
    provider: &mut ProviderState,
    incident: &Incident,
    out: &mut Emitter,
    mode: &Mode,
) {
    let observed = out.observed();
    let resolved_now = incident.status.is_closed();
    let tracked = Tracked {
        id: &incident.id,
        status: incident.status.as_str(),
        created_at: incident.created_at,
        updates: &incident.updates,
        prefix: format!("{}/incident/{}", out.snapshot.provider, incident.id),
    };
    let item_of = |status: IncidentStatus| EventItem {
        id: incident.id.clone(),
        name: incident.name.clone(),
        status: status.as_str().to_string(),
        impact: incident.impact,
        url: incident.url.clone(),
        scheduled_for: None,
        scheduled_until: None,
    };
    let (item, mut fresh) = match items::sight(
        &mut provider.incidents,
        &tracked,
        mode,
        observed,
        resolved_now,
        false,
    ) {
        Sight::Baseline => {
            // Only what is open is news on a baseline; an entry of unstated status is history.
            if incident.is_open() {
                let event =
                    items::baseline_event(out, EventKind::IncidentCreated, &tracked, "created");
                event.incident = Some(item_of(incident.status));
            }
            return;
        }
        Sight::History => return,
        Sight::Tracked { item, fresh } => (item, fresh),
    };
    for update in items::unseen_updates(item, &incident.updates) {
        let kind = match update.status {
            Phase::Resolved if !item.closed => {
                item.closed = true;
                EventKind::IncidentResolved
            }
            // A postmortem follows a resolution without reopening anything.
            Phase::Resolved | Phase::Postmortem => EventKind::IncidentUpdated,
            _ if item.closed => {
                item.closed = false;
                EventKind::IncidentReopened
            }
            _ if fresh => EventKind::IncidentCreated,
            _ => EventKind::IncidentUpdated,
        };
        fresh = false;
        // The incident as it stood after this update, so a replayed history reads right.
        let status_then = update.status.incident_status().unwrap_or(incident.status);
        let event = out.push_update(kind, &tracked.prefix, update);
        event.incident = Some(item_of(status_then));
    }
    if resolved_now && !item.closed {
        // Upstream says resolved without a resolving update (some platforms do).
        item.closed = true;
        let at = incident
            .resolved_at
            .or(incident.updated_at)
            .unwrap_or(observed);
        let id = format!("{}/resolved/{at}", tracked.prefix);
        let event = out.push(EventKind::IncidentResolved, id, at);
        event.incident = Some(item_of(incident.status));
        fresh = false;
    }
    if fresh {
        let at = incident.created_at.unwrap_or(observed);
        let id = format!("{}/created", tracked.prefix);
        let event = out.push(EventKind::IncidentCreated, id, at);
        event.incident = Some(item_of(incident.status));
    }
    if !resolved_now && item.closed {
        // Reopened upstream without a new update (some platforms only change the status).
        item.closed = false;
        let at = incident.updated_at.unwrap_or(observed);
        let id = format!("{}/reopened/{at}", tracked.prefix);
        let event = out.push(EventKind::IncidentReopened, id, at);
        event.incident = Some(item_of(incident.status));
    }
    items::seen(item, incident.status.as_str(), observed);
}
