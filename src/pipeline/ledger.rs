//! The delivery rule of DESIGN §4, write-ahead: before a batch of events is written, the state
//! that produced them is committed with the events themselves marked "in doubt"; then they are
//! written and flushed; the next commit drops the mark. A run that finds events in doubt (its
//! predecessor died between the two commits, or its reader went away) delivers them again first,
//! with the same ids. So a crash can repeat an event but never lose one, and the state is never
//! behind what was delivered: a change delivered just before a `kill -9`, followed by the
//! reverse change, is still announced.
//!
//! [`Ledger`] is a state under its lock with that rule built in: `apply` snapshots, `deliver`
//! their events, `commit` the rest (health counters, forgetting). `diff`, `watch` and `serve`
//! each hold one; what they deliver to is their [`crate::pipeline::Sink`].

use crate::clock;
use crate::diff::state::State;
use crate::diff::{self, Options};
use crate::error::Error;
use crate::model::{Event, Snapshot, Timestamp};
use crate::state::file::StateFile;
use std::path::Path;

/// How far ahead of this machine's clock a snapshot may be dated and still be believed: hosts
/// disagree by seconds, not by a year.
const CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

/// A state under its lock, applied to snapshot by snapshot and committed when told.
pub struct Ledger {
    /// Where it is kept; none for a state that lives only as long as the process.
    file: Option<StateFile>,
    state: State,
    options: Options,
    /// Whether something was applied since the last commit.
    pending: bool,
    /// The newest `fetched_at` applied: the "now" by which stale providers are forgotten.
    latest: Option<Timestamp>,
}

impl Ledger {
    /// Locks and reads the state at `path` (exit 75 when another run holds it).
    pub fn open(path: &Path, options: Options) -> Result<Ledger, Error> {
        let file = StateFile::lock(path)?;
        let state = file.load()?;
        Ok(Ledger {
            file: Some(file),
            state,
            options,
            pending: false,
            latest: None,
        })
    }

    /// A state kept in memory only, starting empty (`serve --no-state`).
    pub fn in_memory(options: Options) -> Ledger {
        Ledger {
            file: None,
            state: State::new(),
            options,
            pending: false,
            latest: None,
        }
    }

    /// Applies one snapshot and returns its events, which the caller hands to
    /// [`Ledger::deliver`].
    ///
    /// A snapshot dated further ahead of this machine's clock than a few minutes (a clock
    /// step, another host's clock, a stray `STATUSQ_NOW`) is read as taken now, with a warning:
    /// believed, it would make every other provider look unseen for a year and be forgotten,
    /// and hold back this provider's real snapshots until its date came.
    pub fn apply(&mut self, snapshot: &Snapshot) -> Vec<Event> {
        let now = clock::now();
        let clamped;
        let snapshot = if snapshot.fetched_at.datetime() > now.datetime() + CLOCK_SKEW {
            warn_future(snapshot, now);
            let mut copy = snapshot.clone();
            copy.fetched_at = now;
            clamped = copy;
            &clamped
        } else {
            snapshot
        };
        self.latest = self.latest.max(Some(snapshot.fetched_at));
        self.pending = true;
        diff::apply(&mut self.state, snapshot, &self.options)
    }

    /// Events a previous run committed as in doubt: it may have died before writing them.
    /// Deliver them (again) with [`Ledger::deliver`] before anything else.
    pub fn take_in_doubt(&mut self) -> Vec<Event> {
        std::mem::take(&mut self.state.in_doubt)
    }

    /// Delivers `events` (from [`Ledger::apply`], all the snapshots applied so far): commits the
    /// state marking them in doubt, then has `write` take them for good. The mark is dropped at
    /// the next [`Ledger::commit`]. Nothing to do for no events. Until `write` succeeds they
    /// stay in doubt, in memory as on disk: a command that goes on after an error (as `serve`
    /// does) delivers them again, first, with the next batch.
    pub fn deliver(
        &mut self,
        events: Vec<Event>,
        write: impl FnOnce(&[Event]) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if events.is_empty() && self.state.in_doubt.is_empty() {
            return Ok(());
        }
        if self.state.in_doubt.is_empty() {
            self.state.in_doubt = events;
        } else {
            self.state.in_doubt.extend(events);
        }
        self.pending = true;
        self.commit()?;
        write(&self.state.in_doubt)?;
        // The clean state is committed next time: until then the events are still in doubt
        // on disk. Their memory goes now, before that commit serialises the state.
        self.state.in_doubt = Vec::new();
        self.pending = true;
        Ok(())
    }

    /// Commits what was applied since the last commit, forgetting providers not seen for
    /// `forget_after`. Events are delivered through [`Ledger::deliver`], which commits first.
    pub fn commit(&mut self) -> Result<(), Error> {
        if !self.pending {
            return Ok(());
        }
        if let Some(now) = self.latest {
            diff::forget_providers(&mut self.state, now, &self.options);
        }
        if let Some(file) = &self.file {
            file.commit(&self.state)?;
        }
        self.pending = false;
        Ok(())
    }
}

fn warn_future(snapshot: &Snapshot, now: Timestamp) {
    use std::io::Write;
    // If stderr is gone there is nobody to tell.
    let _ = writeln!(
        std::io::stderr().lock(),
        "statusq: the snapshot of {} is dated {}, ahead of this machine's clock ({now}): \
         read as taken now",
        crate::sanitize::one_line(&snapshot.provider),
        snapshot.fetched_at
    );
}
