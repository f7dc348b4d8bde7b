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
use crate::model::{Record, Snapshot, Timestamp, SCHEMA_VERSION};
use crate::ndjson::{LineError, LineReader, Output};
use crate::state::{default_state_path, StateFile};
use serde::Deserialize;
use std::io::Write;
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
            Err(LineError::TooLong(cap)) => {
                skip(
                    number,
                    &format!("line longer than {cap} bytes (--max-line); skipped"),
                );
                skipped += 1;
                continue;
            }
            Err(LineError::NotUtf8) => {
                skip(number, "not UTF-8; skipped");
                skipped += 1;
                continue;
            }
        };
        match classify(&text) {
            Ok(Kind::Snapshot(snapshot)) => {
                latest = latest.max(Some(snapshot.fetched_at));
                let events = diff::apply(&mut state, &snapshot, &options);
                emitted += events.len();
                for event in events {
                    out.record(&Record::Event(Box::new(event)))?;
                }
                out.flush()?;
                pending = true;
            }
            Ok(Kind::Event) => out.line(&text)?,
            Err(why) => {
                skip(number, &format!("{why}; skipped"));
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

enum Kind {
    Snapshot(Box<Snapshot>),
    Event,
}

/// The two fields that say what a line is; the rest is skipped without being built.
#[derive(Deserialize)]
struct Header {
    #[serde(rename = "type")]
    kind: Option<String>,
    v: Option<serde_json::Value>,
}

fn classify(line: &str) -> Result<Kind, String> {
    let header: Header = serde_json::from_str(line).map_err(|e| {
        if e.is_data() {
            "not a JSON object".to_string()
        } else {
            format!("not JSON: {e}")
        }
    })?;
    let kind = header.kind.ok_or("no \"type\" field")?;
    match header.v.as_ref().and_then(|v| v.as_u64()) {
        Some(v) if v == u64::from(SCHEMA_VERSION) => {}
        Some(v) => {
            return Err(format!(
                "schema version {v} is not supported (this statusq reads 1)"
            ))
        }
        None => return Err("no numeric \"v\" field".into()),
    }
    match kind.as_str() {
        "snapshot" => serde_json::from_str::<Snapshot>(line)
            .map(|s| Kind::Snapshot(Box::new(s)))
            .map_err(|e| format!("invalid snapshot: {e}")),
        "event" => Ok(Kind::Event),
        other => Err(format!("unknown record type {other:?}")),
    }
}

fn skip(number: usize, why: &str) {
    // If stderr is gone there is nobody to tell; the exit status still says 3.
    let _ = writeln!(std::io::stderr().lock(), "statusq: stdin:{number}: {why}");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_classified_with_a_reason() {
        let reason = |line: &str| classify(line).err().unwrap_or_default();
        assert!(reason("{not json").starts_with("not JSON"));
        assert_eq!(reason("[1,2]"), "not a JSON object");
        assert_eq!(reason("{\"v\":1}"), "no \"type\" field");
        assert!(reason("{\"type\":\"snapshot\",\"v\":2}").contains("version 2"));
        assert!(reason("{\"type\":\"gossip\",\"v\":1}").contains("unknown record type"));
        assert!(reason("{\"type\":\"snapshot\",\"v\":1}").starts_with("invalid snapshot"));
        assert!(matches!(
            classify("{\"type\":\"event\",\"v\":1,\"anything\":[1]}"),
            Ok(Kind::Event)
        ));
    }
}
