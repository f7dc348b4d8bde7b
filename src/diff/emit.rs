//! What every part of the diff engine writes with: the [`Emitter`] that builds events for one
//! snapshot, and the [`Mode`] the snapshot is read in.

use crate::model::{Event, EventKind, Snapshot, Timestamp, Update, SCHEMA_VERSION};

/// How a snapshot is read.
pub(crate) struct Mode {
    /// The first successful snapshot of this provider.
    pub first_sight: bool,
    /// First sight without `replay`: only what is live now comes out.
    pub baseline: bool,
    pub replay: bool,
    /// Older than this is forgotten.
    pub horizon: time::OffsetDateTime,
}

/// The events of one snapshot, in order.
pub(crate) struct Emitter<'a> {
    pub snapshot: &'a Snapshot,
    pub events: Vec<Event>,
    /// `after/<fetched_at of the provider's previous snapshot>`, as the state recorded it
    /// before this one, or `first/<this one's>`.
    pub since: String,
}

impl Emitter<'_> {
    /// The snapshot's `fetched_at`: when statusq saw what it shows.
    pub fn observed(&self) -> Timestamp {
        self.snapshot.fetched_at
    }

    /// The id of a transition statusq observed (`what` is `status/none-minor`,
    /// `component/ID/operational-major_outage`, `failed`…): named after the previous snapshot,
    /// which a run repeating the transition after a crash reads from the same state.
    pub fn transition_id(&self, what: &str) -> String {
        format!("{}/{what}/{}", self.snapshot.provider, self.since)
    }

    /// An event about this snapshot's provider, not yet pushed.
    pub fn event(&self, kind: EventKind, id: String, at: Timestamp) -> Event {
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

    /// Pushes an event and returns it to be filled in.
    pub fn push(&mut self, kind: EventKind, id: String, at: Timestamp) -> &mut Event {
        let event = self.event(kind, id, at);
        self.events.push(event);
        self.events.last_mut().expect("just pushed")
    }

    /// Pushes the event of one upstream update of the incident or maintenance at `prefix`: its
    /// id is the update's, its time the update's (or now, when upstream does not date it).
    pub fn push_update(&mut self, kind: EventKind, prefix: &str, update: &Update) -> &mut Event {
        let at = update.at.unwrap_or(self.snapshot.fetched_at);
        let event = self.push(kind, format!("{prefix}/update/{}", update.id), at);
        event.update = Some(update.clone());
        event
    }
}
