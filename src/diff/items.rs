//! The bookkeeping incidents and maintenances share: which updates were seen, how an item met
//! for the first time is recorded, and the baseline event that stands for a live item. What an
//! update *means* differs (resolution vs start and completion) and stays in [`super::incident`]
//! and [`super::maintenance`].

use crate::diff::emit::{Emitter, Mode};
use crate::diff::state::ItemState;
use crate::model::{Event, EventKind, Timestamp, Update};
use std::collections::BTreeMap;

/// The parts of an incident or maintenance the bookkeeping reads.
pub(crate) struct Tracked<'a> {
    pub id: &'a str,
    /// Its status word now.
    pub status: &'static str,
    pub created_at: Option<Timestamp>,
    pub updates: &'a [Update],
    /// `/incident/ID` or `/maintenance/ID` under the provider: every event id of the item
    /// starts with it.
    pub prefix: String,
}

/// How an item stands in the state after [`sight`].
pub(crate) enum Sight<'s> {
    /// Met during a baseline: recorded whole, and announced only if it is live.
    Baseline,
    /// History coming back into view after being forgotten: recorded whole, silently.
    History,
    /// Tracked update by update; `fresh` when met for the first time.
    Tracked {
        item: &'s mut ItemState,
        fresh: bool,
    },
}

/// Looks an item up in `items` (incidents or maintenances of one provider). One met for the
/// first time during a baseline, or all of whose dates are older than the horizon, is recorded
/// with every update seen and `closed`/`started` as given; otherwise it is tracked.
pub(crate) fn sight<'s>(
    items: &'s mut BTreeMap<String, ItemState>,
    tracked: &Tracked,
    mode: &Mode,
    observed: Timestamp,
    closed: bool,
    started: bool,
) -> Sight<'s> {
    let known = items.contains_key(tracked.id);
    if !known {
        let history = !mode.first_sight && !mode.replay && is_ancient(tracked, mode);
        if mode.baseline || history {
            items.insert(
                tracked.id.to_string(),
                ItemState {
                    status: tracked.status.to_string(),
                    updates: tracked.updates.iter().map(|u| u.id.clone()).collect(),
                    closed,
                    started,
                    reminded: Default::default(),
                    seen: observed,
                },
            );
            return if mode.baseline {
                Sight::Baseline
            } else {
                Sight::History
            };
        }
    }
    let item = items
        .entry(tracked.id.to_string())
        .or_insert_with(|| ItemState::unseen(observed));
    Sight::Tracked {
        item,
        fresh: !known,
    }
}

/// Whether every date an item carries is older than the horizon.
fn is_ancient(tracked: &Tracked, mode: &Mode) -> bool {
    let mut dates = tracked
        .updates
        .iter()
        .filter_map(|u| u.at)
        .chain(tracked.created_at)
        .peekable();
    dates.peek().is_some() && dates.all(|d| d.datetime() < mode.horizon)
}

/// The updates not seen before, in upstream order; all are marked seen.
pub(crate) fn unseen_updates<'u>(item: &mut ItemState, updates: &'u [Update]) -> Vec<&'u Update> {
    updates
        .iter()
        .filter(|update| item.updates.insert(update.id.clone()))
        .collect()
}

/// The one event that stands for a live item on a baseline: its latest update (or, with none,
/// `PREFIX/<none_suffix>`), dated by that update, else the item's creation, else now.
pub(crate) fn baseline_event<'e>(
    out: &'e mut Emitter,
    kind: EventKind,
    tracked: &Tracked,
    none_suffix: &str,
) -> &'e mut Event {
    let latest = tracked.updates.last();
    let id = match latest {
        Some(update) => format!("{}/update/{}", tracked.prefix, update.id),
        None => format!("{}/{none_suffix}", tracked.prefix),
    };
    let at = latest
        .and_then(|u| u.at)
        .or(tracked.created_at)
        .unwrap_or(out.observed());
    let event = out.push(kind, id, at);
    event.update = latest.cloned();
    event
}

/// Records that the item was shown now, in `status`.
pub(crate) fn seen(item: &mut ItemState, status: &str, observed: Timestamp) {
    item.status = status.to_string();
    item.seen = observed;
}
