//! What a document renderer (prometheus, html, atom, email) reads: the whole input, gathered.

use crate::model::{Event, Snapshot, Timestamp};
use std::collections::HashMap;

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
