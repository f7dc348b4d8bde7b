//! `statusq diff`: write only what is new since the last run, as `event` records.
//!
//! Reads: `snapshot` records on stdin (from `fetch`, or `fetch --watch` over time); `event`
//! records pass through untouched, so `diff` can sit anywhere in a pipeline.
//! Writes: `event` records; updates the state file.
//!
//! ```text
//! $ statusq fetch github | statusq diff --state state.json | jq -r '.event + " " + .id'
//! incident.updated github/incident/gqx5l06jjxhp/update/x017628t2rl5
//! ```
//!
//! Delivery: a snapshot's events are written and flushed before the state that records them is
//! committed, so a crash can repeat an event (with the same `id`) but never lose one. The state
//! is committed whenever the input pauses and at its end — after each snapshot when snapshots
//! arrive over time, once for a batch that arrives all at once. When stdout is closed the
//! pending state is not committed. The lock on the state is held for the whole run.

use crate::cli::DiffArgs;
use crate::diff::{self, Options};
use crate::error::{Error, Exit};
use crate::model::{Record, Snapshot, Timestamp};
use crate::ndjson::{classify, line_error, report_skipped, Kind, LineError, LineReader, Output};
use crate::state::{default_state_path, StateFile};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::time::Duration;

/// How long the input must be quiet before the state is committed.
const QUIET: Duration = Duration::from_millis(50);

/// Runs `statusq diff`.
pub fn run(args: DiffArgs, out: &mut Output) -> Result<Exit, Error> {
    let path = match args.state {
        Some(path) => path,
        None => default_state_path().ok_or_else(|| {
            Error::Usage("no state directory known for this user: pass --state FILE".into())
        })?,
    };
    let file = StateFile::lock(&path)?;
    let mut state = file.load()?;
    let options = Options {
        replay: args.replay,
        fail_after: args.fail_after,
        forget_after: time::Duration::try_from(args.forget_after)
            .map_err(|_| Error::Usage("--forget-after is too long".into()))?,
    };

    let (sender, receiver) = mpsc::sync_channel::<Input>(16);
    let max_line = args.max_line;
    std::thread::spawn(move || {
        let mut reader = LineReader::new(std::io::stdin().lock(), max_line);
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

    let mut pending = false;
    let mut skipped = 0usize;
    let mut emitted = 0usize;
    let mut latest: Option<Timestamp> = None;
    let commit = |state: &mut crate::state::State, latest: Option<Timestamp>| {
        if let Some(now) = latest {
            diff::forget_providers(state, now, &options);
        }
        file.commit(state)
    };
    loop {
        let input = match receiver.recv_timeout(QUIET) {
            Ok(input) => input,
            Err(RecvTimeoutError::Timeout) => {
                out.flush()?;
                if pending {
                    commit(&mut state, latest)?;
                    pending = false;
                }
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
                if pending {
                    commit(&mut state, latest)?;
                }
                return Err(Error::io("stdin", e));
            }
        };
        let text = match line {
            Ok(text) => text,
            Err(e) => {
                report_skipped(number, &line_error(&e));
                skipped += 1;
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
                latest = latest.max(Some(snapshot.fetched_at));
                let events = diff::apply(&mut state, &snapshot, &options);
                emitted += events.len();
                for event in events {
                    out.record(&Record::Event(Box::new(event)))?;
                }
                out.flush()?;
                pending = true;
            }
            Err(why) => {
                report_skipped(number, &why);
                skipped += 1;
            }
        }
    }
    out.flush()?;
    if pending {
        commit(&mut state, latest)?;
    }
    Ok(if skipped > 0 {
        Exit::Partial
    } else if args.exit_code && emitted > 0 {
        Exit::Found
    } else {
        Exit::Success
    })
}

enum Input {
    Line(usize, Result<String, LineError>),
    Failed(std::io::Error),
}
