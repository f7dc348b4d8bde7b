//! The delivery rule of DESIGN §4, write-ahead: before a batch of events is written, the state
//! that produced them is committed with the events themselves marked "in doubt"; then they are
//! written and flushed; the next commit drops the mark. A run that finds events in doubt (its
//! predecessor died between the two commits, or its reader went away) delivers them again first,
//! with the same ids. So a crash can repeat an event but never lose one, and the state is never
//! behind what was delivered: a change delivered just before a `kill -9`, followed by the
//! reverse change, is still announced.
//!
//! [`Ledger`] is a state under its lock with that rule built in: `apply` snapshots, `deliver`
//! their events, `commit` the rest (health counters, forgetting). [`deliver_stream`] is `diff`'s
//! loop over an NDJSON stream: events are delivered in batches — whenever the input pauses, at
//! its end, and every [`BATCH`] events — so a burst of snapshots costs one commit, and
//! `fetch --watch` output is delivered as each snapshot arrives.

use crate::clock;
use crate::diff::state::State;
use crate::diff::{self, Options};
use crate::error::Error;
use crate::model::{Event, Record, Snapshot, Timestamp};
use crate::ndjson::{classify, line_error, report_skipped, Inputs, Kind, LineError, Output, Place};
use crate::state::file::StateFile;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long the input must be quiet before what it brought is delivered and committed.
const QUIET: Duration = Duration::from_millis(50);
/// Most events held back for one delivery while the input keeps coming.
pub const BATCH: usize = 10_000;

/// How far ahead of this machine's clock a snapshot may be dated and still be believed: hosts
/// disagree by seconds, not by a year.
const CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

/// A state under its lock, applied to snapshot by snapshot and committed when told.
pub struct Ledger {
    file: StateFile,
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
            file,
            state,
            options,
            pending: false,
            latest: None,
        })
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
    /// state marking them in doubt, then has `write` write and flush them. The mark is dropped
    /// at the next [`Ledger::commit`]. Nothing to do for no events.
    pub fn deliver(
        &mut self,
        events: Vec<Event>,
        write: impl FnOnce(Vec<Event>) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if events.is_empty() {
            return Ok(());
        }
        self.state.in_doubt = events;
        self.pending = true;
        self.commit()?;
        // The clean state is committed next time: until then the events are still in doubt.
        let events = std::mem::take(&mut self.state.in_doubt);
        self.pending = true;
        write(events)
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
        self.file.commit(&self.state)?;
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

/// What a stream delivered.
#[derive(Debug, Default)]
pub struct Delivered {
    /// Events written.
    pub events: usize,
    /// Input lines skipped as invalid (each reported on stderr).
    pub skipped: usize,
}

enum Input {
    Line(Place, Result<String, LineError>),
    Failed(Error),
}

/// Reads NDJSON from `inputs` (on a reader thread): applies each snapshot and
/// delivers its events to `out`, passes events through, reports and skips invalid lines.
/// Delivers and commits when the input pauses, at its end, and when `stop` is set (SIGINT,
/// SIGTERM, SIGHUP), which ends the stream. A read error ends the stream after what was read is
/// delivered and committed.
pub fn deliver_stream(
    mut inputs: Inputs,
    ledger: &mut Ledger,
    out: &mut Output,
    stop: &AtomicBool,
) -> Result<Delivered, Error> {
    // Lines arrive through a channel so that a pause in the input can be told from a line.
    let (sender, receiver) = mpsc::sync_channel::<Input>(16);
    std::thread::spawn(move || loop {
        let item = match inputs.next_line() {
            Ok(Some((number, line))) => Input::Line(number, line),
            Ok(None) => return,
            Err(e) => Input::Failed(e),
        };
        let stop = matches!(item, Input::Failed(_));
        if sender.send(item).is_err() || stop {
            return;
        }
    });

    let mut delivered = Delivered::default();
    // Applied, not yet delivered: what the next delivery writes.
    let mut batch: Vec<Event> = ledger.take_in_doubt();
    loop {
        if batch.len() >= BATCH || stop.load(Ordering::SeqCst) {
            deliver(ledger, &mut batch, &mut delivered, out)?;
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let input = match receiver.recv_timeout(QUIET) {
            Ok(input) => input,
            Err(RecvTimeoutError::Timeout) => {
                deliver(ledger, &mut batch, &mut delivered, out)?;
                ledger.commit()?;
                match wait_for_input(&receiver, stop) {
                    Some(input) => input,
                    None => break,
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let (place, line) = match input {
            Input::Line(place, line) => (place, line),
            Input::Failed(e) => {
                // What was read is delivered: keep it, then report.
                deliver(ledger, &mut batch, &mut delivered, out)?;
                ledger.commit()?;
                return Err(e);
            }
        };
        let text = match line {
            Ok(text) => text,
            Err(e) => {
                report_skipped(&place, &line_error(&e));
                delivered.skipped += 1;
                continue;
            }
        };
        let snapshot = match classify(&text) {
            Ok(Kind::Snapshot) => serde_json::from_str::<Snapshot>(&text)
                .map_err(|e| format!("invalid snapshot: {e}")),
            Ok(Kind::Event) => {
                // Passed through in its place among the events of the snapshots around it.
                deliver(ledger, &mut batch, &mut delivered, out)?;
                out.line(&text)?;
                continue;
            }
            Err(why) => Err(why),
        };
        match snapshot {
            Ok(snapshot) => batch.extend(ledger.apply(&snapshot)),
            Err(why) => {
                report_skipped(&place, &why);
                delivered.skipped += 1;
            }
        }
    }
    deliver(ledger, &mut batch, &mut delivered, out)?;
    out.flush()?;
    ledger.commit()?;
    Ok(delivered)
}

/// The next input after a pause; `None` at its end or once `stop` is set.
fn wait_for_input(receiver: &mpsc::Receiver<Input>, stop: &AtomicBool) -> Option<Input> {
    loop {
        match receiver.recv_timeout(Duration::from_millis(100)) {
            Ok(input) => return Some(input),
            Err(RecvTimeoutError::Timeout) if !stop.load(Ordering::SeqCst) => {}
            Err(_) => return None,
        }
    }
}

/// Delivers the events applied so far (write-ahead, see the module's text) and empties `batch`.
fn deliver(
    ledger: &mut Ledger,
    batch: &mut Vec<Event>,
    delivered: &mut Delivered,
    out: &mut Output,
) -> Result<(), Error> {
    delivered.events += batch.len();
    ledger.deliver(std::mem::take(batch), |events| {
        for event in events {
            out.record(&Record::Event(Box::new(event)))?;
        }
        out.flush()
    })
}
