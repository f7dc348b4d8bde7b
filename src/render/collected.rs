//! What a document renderer (prometheus, html, atom, email) reads: the whole input, gathered.

use crate::model::{Event, Snapshot, Timestamp};
use std::collections::HashMap;

/// What a document renderer gets: the last snapshot of each provider (first-seen order) and
/// every event, in input order. Snapshots go in through [`Collected::add_snapshot`].
#[derive(Default)]
pub struct Collected {
    pub snapshots: Vec<Snapshot>,
    pub events: Vec<Event>,
    /// The `fetched_at` of the last successful snapshot of each provider.
    pub last_success: HashMap<String, Timestamp>,
    /// Snapshots of each provider taken in, and how many of them were failures (`ok:false`):
    /// `serve`'s poll counters, and a stream's.
    pub polls: HashMap<String, u64>,
    pub failures: HashMap<String, u64>,
    /// Where each provider's snapshot is in `snapshots`: a look-up, not a scan, so 100,000
    /// providers take linear time.
    position: HashMap<String, usize>,
}

impl Collected {
    /// Keeps `snapshot` as its provider's latest.
    pub fn add_snapshot(&mut self, snapshot: Snapshot) {
        *self.polls.entry(snapshot.provider.clone()).or_default() += 1;
        if !snapshot.ok {
            *self.failures.entry(snapshot.provider.clone()).or_default() += 1;
        }
        if snapshot.ok {
            let latest = self
                .last_success
                .entry(snapshot.provider.clone())
                .or_insert(snapshot.fetched_at);
            *latest = (*latest).max(snapshot.fetched_at);
        }
        match self.position.get(&snapshot.provider) {
            Some(&index) => self.snapshots[index] = snapshot,
            None => {
                self.position
                    .insert(snapshot.provider.clone(), self.snapshots.len());
                self.snapshots.push(snapshot);
            }
        }
    }
}
