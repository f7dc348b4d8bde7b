//! The delivery rule of DESIGN §4: a snapshot's events are written and flushed before the state
//! that records them is committed, so a crash can repeat an event (with the same `id`) but never
//! lose one; when the output is closed, what was not delivered is not committed.
//!
//! [`Ledger`] is a state under its lock with that rule built in: `apply` a snapshot, deliver its
//! events, then `commit`. [`deliver_stream`] is `diff`'s loop over an NDJSON stream: the state
//! is committed whenever the input pauses and at its end — after each snapshot when snapshots
//! arrive over time (`fetch --watch`), once for a batch that arrives all at once.

use crate::clock;
use crate::diff::{self, Options};
use crate::error::Error;
use crate::model::{Event, Record, Snapshot, Timestamp};
use crate::ndjson::{classify, line_error, report_skipped, Kind, LineError, LineReader, Output};
use crate::state::file::StateFile;
use crate::state::State;
use std::io::BufRead;
use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long the input must be quiet before the state is committed.
const QUIET: Duration = Duration::from_millis(50);

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

    /// Applies one snapshot and returns its events, which the caller delivers (writes and
    /// flushes) before the next [`Ledger::commit`].
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

    /// Commits what was applied since the last commit, forgetting providers not seen for
    /// `forget_after`. Only call it once the events of what was applied are delivered.
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
    Line(usize, Result<String, LineError>),
    Failed(std::io::Error),
}

/// Reads NDJSON from what `open` returns (opened on a reader thread): applies each snapshot and writes its events to `out`, passes
/// events through, reports and skips invalid lines. Commits when the input pauses and at its
/// end, always after the events are flushed. A read error ends the stream after what was read
/// is delivered and committed.
pub fn deliver_stream<R: BufRead + 'static>(
    open: impl FnOnce() -> R + Send + 'static,
    max_line: usize,
    ledger: &mut Ledger,
    out: &mut Output,
) -> Result<Delivered, Error> {
    // Lines arrive through a channel so that a pause in the input can be told from a line.
    let (sender, receiver) = mpsc::sync_channel::<Input>(16);
    std::thread::spawn(move || {
        let mut reader = LineReader::new(open(), max_line);
        loop {
            let item = match reader.next_line() {
                Ok(Some((number, line))) => Input::Line(number, line),
                Ok(None) => return,
                Err(e) => Input::Failed(e),
            };
            let stop = matches!(item, Input::Failed(_));
            if sender.send(item).is_err() || stop {
                return;
            }
        }
    });

    let mut delivered = Delivered::default();
    loop {
        let input = match receiver.recv_timeout(QUIET) {
            Ok(input) => input,
            Err(RecvTimeoutError::Timeout) => {
                out.flush()?;
                ledger.commit()?;
                match receiver.recv() {
                    Ok(input) => input,
                    Err(_) => break,
                }
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let (number, line) = match input {
            Input::Line(number, line) => (number, line),
            Input::Failed(e) => {
                // What was read was delivered: keep it, then report.
                out.flush()?;
                ledger.commit()?;
                return Err(Error::io("stdin", e));
            }
        };
        let text = match line {
            Ok(text) => text,
            Err(e) => {
                report_skipped(number, &line_error(&e));
                delivered.skipped += 1;
                continue;
            }
        };
        let snapshot = match classify(&text) {
            Ok(Kind::Snapshot) => serde_json::from_str::<Snapshot>(&text)
                .map_err(|e| format!("invalid snapshot: {e}")),
            Ok(Kind::Event) => {
                out.line(&text)?;
                continue;
            }
            Err(why) => Err(why),
        };
        match snapshot {
            Ok(snapshot) => {
                let events = ledger.apply(&snapshot);
                delivered.events += events.len();
                for event in events {
                    out.record(&Record::Event(Box::new(event)))?;
                }
                out.flush()?;
            }
            Err(why) => {
                report_skipped(number, &why);
                delivered.skipped += 1;
            }
        }
    }
    out.flush()?;
    ledger.commit()?;
    Ok(delivered)
}
