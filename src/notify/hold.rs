//! Noise control: a target with `hold` lets component and page-status changes wait that long,
//! and drops a change that reverts within it together with its revert (a flap). Incident and
//! maintenance updates are never held. Pure: the shell passes `now`.

use crate::model::{Event, EventKind, Timestamp};
use std::collections::HashMap;
use std::time::Duration;

/// What becomes of an outbox event at a given moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fate {
    /// Send it now.
    Due,
    /// Held until then.
    Wait(Timestamp),
    /// It and its revert fell within the hold: not sent (kept in the event stream and the
    /// outbox's record).
    Flapped,
}

/// Whether an event is of a kind a hold applies to.
pub fn holdable(event: &Event) -> bool {
    matches!(
        event.event,
        EventKind::ComponentChanged | EventKind::StatusChanged
    )
}

/// What a held change is about: a component of a provider, or its page status.
fn subject(event: &Event) -> Option<(&str, &str)> {
    match event.event {
        EventKind::ComponentChanged => event
            .component
            .as_ref()
            .map(|c| (event.provider.as_str(), c.id.as_str())),
        EventKind::StatusChanged => Some((event.provider.as_str(), "\u{0}page")),
        _ => None,
    }
}

fn later(at: Timestamp, by: Duration) -> Timestamp {
    let by = time::Duration::try_from(by).unwrap_or(time::Duration::MAX);
    at.datetime().checked_add(by).map_or(at, Timestamp::from)
}

/// The fate of each event of `events` (the outbox, in order) at `now`. Linear: each change is
/// paired with the next change of the same subject only.
pub fn fates(events: &[Event], hold: Option<Duration>, now: Timestamp) -> Vec<Fate> {
    let Some(hold) = hold.filter(|h| !h.is_zero()) else {
        return vec![Fate::Due; events.len()];
    };
    // The next change of the same subject after each event, found from the end.
    let mut next: Vec<Option<usize>> = vec![None; events.len()];
    let mut seen: HashMap<(&str, &str), usize> = HashMap::new();
    for (index, event) in events.iter().enumerate().rev() {
        if let Some(key) = subject(event) {
            next[index] = seen.insert(key, index);
        }
    }
    let mut fates = vec![Fate::Due; events.len()];
    for (index, event) in events.iter().enumerate() {
        if !holdable(event) || fates[index] == Fate::Flapped {
            continue;
        }
        let until = later(event.observed_at, hold);
        let reverted = next[index].is_some_and(|j| {
            let back = &events[j];
            back.observed_at <= until && event.from.is_some() && back.to == event.from
        });
        if reverted {
            fates[index] = Fate::Flapped;
            if let Some(j) = next[index] {
                fates[j] = Fate::Flapped;
            }
        } else if now < until {
            fates[index] = Fate::Wait(until);
        }
    }
    fates
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ComponentStatus, EventComponent};

    fn change(id: &str, from: &str, to: ComponentStatus, at: &str) -> Event {
        let at = Timestamp::parse(at).unwrap();
        Event {
            v: 1,
            event: EventKind::ComponentChanged,
            id: id.into(),
            provider: "p".into(),
            name: "P".into(),
            url: String::new(),
            at,
            observed_at: at,
            incident: None,
            maintenance: None,
            update: None,
            component: Some(EventComponent {
                id: "c".into(),
                name: "C".into(),
                group: None,
                qualified_name: "C".into(),
                status: to,
            }),
            from: Some(from.into()),
            to: Some(to.as_str().into()),
            error: None,
        }
    }

    #[test]
    fn a_flap_within_the_hold_is_dropped_a_lasting_change_waits_then_goes() {
        let hold = Some(Duration::from_secs(600));
        let flap = [
            change(
                "1",
                "operational",
                ComponentStatus::MajorOutage,
                "2026-01-01T10:00:00Z",
            ),
            change(
                "2",
                "major_outage",
                ComponentStatus::Operational,
                "2026-01-01T10:03:00Z",
            ),
        ];
        let now = Timestamp::parse("2026-01-01T10:04:00Z").unwrap();
        assert_eq!(fates(&flap, hold, now), [Fate::Flapped, Fate::Flapped]);

        let lasting = &flap[..1];
        let until = Timestamp::parse("2026-01-01T10:10:00Z").unwrap();
        assert_eq!(fates(lasting, hold, now), [Fate::Wait(until)]);
        let later = Timestamp::parse("2026-01-01T10:15:00Z").unwrap();
        assert_eq!(fates(lasting, hold, later), [Fate::Due]);
        // Without a hold everything is due at once.
        assert_eq!(fates(&flap, None, now), [Fate::Due, Fate::Due]);
    }

    #[test]
    fn a_revert_after_the_hold_is_no_flap() {
        let hold = Some(Duration::from_secs(600));
        let events = [
            change(
                "1",
                "operational",
                ComponentStatus::MajorOutage,
                "2026-01-01T10:00:00Z",
            ),
            change(
                "2",
                "major_outage",
                ComponentStatus::Operational,
                "2026-01-01T10:15:00Z",
            ),
        ];
        let now = Timestamp::parse("2026-01-01T10:16:00Z").unwrap();
        let until = Timestamp::parse("2026-01-01T10:25:00Z").unwrap();
        assert_eq!(fates(&events, hold, now), [Fate::Due, Fate::Wait(until)]);
    }
}
