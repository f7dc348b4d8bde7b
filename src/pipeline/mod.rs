//! The one path every command that remembers takes: snapshots → diff → ledger → sinks.
//!
//! `diff` (a stream of snapshots on stdin), `watch` and `serve` (their own poller) all apply
//! snapshots through one [`Ledger`], which keeps DESIGN §4's delivery rule: the state that
//! produced a batch of events is committed with them in doubt, the events go to the command's
//! [`Sink`] — printed and flushed, spooled into notify outboxes, saved in serve's store — and
//! the next commit drops them; forgetting runs at every commit. A sink takes its events for
//! good before the ledger commits them clean, so a crash repeats an event and never loses one.
//!
//! A sink is never slow: what may be (a webhook) is only spooled on the poll path and sent by
//! the [`courier::Courier`], on a thread of its own with a budget of its own.
//!
//! - [`ledger`]: the state under its lock with the delivery rule and forgetting.
//! - [`stream`]: `diff`'s loop over NDJSON input.
//! - [`courier`]: notify delivery off the poll path.
//! - [`printer`]: `watch`'s sink, what a person watching reads.
//! - [`wait`]: `check --wait`, snapshots judged as they come.

pub mod courier;
pub mod ledger;
pub mod printer;
pub mod stream;
pub mod wait;

pub use ledger::Ledger;

use crate::engine::poll::Poller;
use crate::error::Error;
use crate::model::{Event, Snapshot};
use std::time::Duration;

/// Where a command's events go: it takes a batch for good (written and flushed, spooled,
/// saved) before the ledger commits the batch as delivered. An error stops the command with the
/// events still in doubt in the state, so the next run delivers them again.
pub trait Sink {
    fn take(&mut self, events: &[Event]) -> Result<(), Error>;

    /// Sees each polled snapshot after the ledger applied it and before its events are taken
    /// (a first-sight board, serve's history), with how long until its provider is polled
    /// again. Nothing by default.
    fn observe(&mut self, snapshot: Snapshot, next_poll: Duration) -> Result<(), Error> {
        let _ = (snapshot, next_poll);
        Ok(())
    }
}

/// A sink that is a closure.
impl<F: FnMut(&[Event]) -> Result<(), Error>> Sink for F {
    fn take(&mut self, events: &[Event]) -> Result<(), Error> {
        self(events)
    }
}

/// When a poll's events go to the sink.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Batch {
    /// After each provider's snapshot, so a person sees each as it comes (`watch`).
    EachSnapshot,
    /// Once a cycle, one commit for all (`serve`).
    EachCycle,
}

/// What a poll cycle did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cycle {
    /// Snapshots polled, and how many of them were failures.
    pub polled: usize,
    pub failed: usize,
    /// Events delivered.
    pub events: usize,
}

/// Delivers what a previous run committed in doubt (it may have died before its sinks had
/// it): first, before anything new.
pub fn resume(ledger: &mut Ledger, sink: &mut dyn Sink) -> Result<usize, Error> {
    let events = ledger.take_in_doubt();
    let count = events.len();
    ledger.deliver(events, |events| sink.take(events))?;
    Ok(count)
}

/// One cycle of a long-running command: every provider due is polled; each snapshot is applied
/// to the ledger, shown to the sink ([`Sink::observe`]) and its events delivered to it as
/// `batch` says; then the ledger is committed, forgetting what is stale.
pub fn poll_cycle(
    poller: &mut Poller,
    ledger: &mut Ledger,
    sink: &mut dyn Sink,
    batch: Batch,
) -> Result<Cycle, Error> {
    let mut cycle = Cycle::default();
    let mut waiting: Vec<Event> = Vec::new();
    poller.poll_due(|snapshot, next_poll| {
        cycle.polled += 1;
        cycle.failed += usize::from(!snapshot.ok);
        let events = ledger.apply(&snapshot);
        cycle.events += events.len();
        sink.observe(snapshot, next_poll)?;
        match batch {
            Batch::EachSnapshot => ledger.deliver(events, |events| sink.take(events)),
            Batch::EachCycle => {
                waiting.extend(events);
                Ok(())
            }
        }
    })?;
    ledger.deliver(waiting, |events| sink.take(events))?;
    ledger.commit()?;
    Ok(cycle)
}
