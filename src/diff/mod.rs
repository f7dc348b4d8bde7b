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
//! - **Time only moves forward**: a snapshot not newer than the last one applied for its
//!   provider changes nothing.
//! - **Bounded**: what upstream has not shown for `forget_after` is forgotten, and an item that
//!   comes back after being forgotten, all of whose updates are older than that, is recorded
//!   silently instead of being announced as new.
//!
//! Event ids are built from upstream ids and upstream times only, so the same facts give the
//! same ids however the snapshots are split between runs. Transitions statusq observes itself
//! (page status, components, provider health) are named after the snapshot they follow —
//! `…/component/ID/FROM-TO/after/<previous fetched_at>` — which is in the committed state, so a
//! run that repeats them after a crash gives them the same ids (a first sight: `first/<its
//! own fetched_at>`).
//!
//! Pure: a state and a snapshot in, events out — no clock (the snapshot's `fetched_at` is the
//! time), no files (the state file is [`crate::state`]'s, the delivery rule
//! [`crate::pipeline`]'s). Layout: this file applies a snapshot (page banner, components,
//! health); [`state`] holds what is remembered; [`incident`] and [`maintenance`] hold their own
//! lifecycles over the bookkeeping they share in [`items`].

mod emit;
mod incident;
mod items;
mod maintenance;
pub mod state;

use crate::diff::state::{ComponentState, ProviderState, State};
use crate::model::{
    ComponentStatus, Event, EventComponent, EventKind, Incident, Maintenance, Snapshot, Timestamp,
};
use emit::{Emitter, Mode};

/// How the engine behaves; the `diff` flags.
#[derive(Clone, Debug)]
pub struct Options {
    /// On first sight of a provider, emit its whole history instead of a baseline.
    pub replay: bool,
    /// Failed snapshots in a row before `provider.failed`.
    pub fail_after: u32,
    /// Forget what upstream has not shown for this long.
    pub forget_after: time::Duration,
    /// Lead times before a scheduled maintenance's start at which to remind of it, once each.
    pub remind: Vec<time::Duration>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            replay: false,
            fail_after: 2,
            forget_after: time::Duration::days(30),
            remind: Vec::new(),
        }
    }
}

/// Applies one snapshot to the state and returns what is new, in order.
pub fn apply(state: &mut State, snapshot: &Snapshot, options: &Options) -> Vec<Event> {
    let provider = state
        .providers
        .entry(snapshot.provider.clone())
        .or_default();
    // A snapshot not newer than the last one applied (a late one from an overlapping run, or
    // the same one twice) is not news: applying it would announce changes that went backwards.
    if provider
        .last_seen
        .is_some_and(|seen| snapshot.fetched_at <= seen)
    {
        return Vec::new();
    }
    let mut out = Emitter {
        snapshot,
        events: Vec::new(),
        // Failures do not rename the transitions around them: those are named after the
        // previous successful snapshot; a failure is named after the previous snapshot.
        since: match if snapshot.ok {
            provider.last_ok
        } else {
            provider.last_seen
        } {
            Some(previous) => format!("after/{previous}"),
            // A first sight (a new state, or a provider forgotten and back) is named by its
            // own time, so it never takes the id of a first sight long ago.
            None => format!("first/{}", snapshot.fetched_at),
        },
    };
    provider.last_seen = Some(snapshot.fetched_at);

    if !snapshot.ok {
        provider.failures = provider.failures.saturating_add(1);
        if provider.failures >= options.fail_after.max(1) && !provider.failed_reported {
            provider.failed_reported = true;
            let mut event = out.event(
                EventKind::ProviderFailed,
                out.transition_id("failed"),
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
            out.transition_id("recovered"),
            snapshot.fetched_at,
        );
    }
    provider.failures = 0;
    provider.failed_reported = false;
    provider.last_ok = Some(snapshot.fetched_at);

    // The vendor moved platform: ids of everything change, so the new page is a silent
    // baseline and the move itself the only news.
    let moved = match provider.format.replace(snapshot.format.clone()) {
        Some(old) if old != snapshot.format && provider.baselined => {
            let mut event = out.event(
                EventKind::ProviderMoved,
                out.transition_id(&format!("moved/{old}-{}", snapshot.format)),
                snapshot.fetched_at,
            );
            event.from = Some(old);
            event.to = Some(snapshot.format.clone());
            out.events.push(event);
            provider.baselined = false;
            provider.components.clear();
            provider.incidents.clear();
            provider.maintenances.clear();
            true
        }
        _ => false,
    };
    let kept = out.events.len();

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
            incident::apply(provider, incident, &mut out, &mode);
        }
    }
    if let Some(maintenances) = &snapshot.maintenances {
        let mut ordered: Vec<&Maintenance> = maintenances.iter().collect();
        ordered.sort_by(|a, b| {
            (a.scheduled_for, a.created_at, &a.id).cmp(&(b.scheduled_for, b.created_at, &b.id))
        });
        for maintenance in ordered {
            maintenance::apply(provider, maintenance, &mut out, &mode);
            maintenance::remind(provider, maintenance, &mut out, &options.remind);
        }
    }
    forget(provider, snapshot, &mode);
    if moved {
        out.events.truncate(kept);
    }
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
        let id = out.transition_id(&format!(
            "status/{}-{}",
            from.as_deref().unwrap_or("new"),
            new
        ));
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
        let id = out.transition_id(&format!(
            "component/{}/{}-{}",
            component.id,
            from.map_or("new", ComponentStatus::as_str),
            component.status
        ));
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
