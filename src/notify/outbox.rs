//! A target's outbox: the events it has not yet accepted, in order, and the ids of those it
//! did (or that were dropped as flaps), kept under a lock in the state directory:
//!
//! ```text
//! $XDG_STATE_HOME/statusq/notify/NAME/outbox.ndjson     events spooled, one per line
//! $XDG_STATE_HOME/statusq/notify/NAME/delivered.ndjson  {"id":…,"at":…} per delivered event
//! $XDG_STATE_HOME/statusq/notify/NAME/lock              held while a run spools or delivers
//! ```
//!
//! Spooling appends to the outbox and delivering appends to the delivered log, each synced
//! before the call returns, so a run's cost grows with what it sends, not with what waits. An
//! event is pending while its id is in the outbox and not in the log; a crash at any point
//! leaves it pending (sent again) or delivered, never neither. At the end of a run both files
//! are compacted by atomic replacement: the outbox to what is still pending, the log to the ids
//! younger than `forget` (at most [`KEEP`]).

use crate::error::Error;
use crate::fsutil::write_atomic;
use crate::model::{Event, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The most delivered ids remembered per target.
pub const KEEP: usize = 100_000;

#[derive(Serialize, Deserialize)]
struct DeliveredLine {
    id: String,
    at: Timestamp,
    /// What became of it: `sent`, `flapped` (dropped by a hold with its revert) or `nothing`
    /// (the service has nothing to say about it, e.g. `incident.updated` for PagerDuty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<String>,
}

/// What became of a delivered event, as the log records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Sent,
    Flapped,
    Nothing,
}

impl Done {
    fn as_str(self) -> &'static str {
        match self {
            Done::Sent => "sent",
            Done::Flapped => "flapped",
            Done::Nothing => "nothing",
        }
    }
}

/// A target's outbox, held under its lock for the life of this value.
pub struct Outbox {
    dir: PathBuf,
    _lock: File,
    /// Events not yet accepted, in the order they came.
    pub pending: Vec<Event>,
    /// Ids accepted (or dropped as flaps), with when and what became of them.
    pub delivered: HashMap<String, (Timestamp, Option<String>)>,
    /// Lines in the files beyond what they hold now: compaction is due.
    stale: bool,
}

impl Outbox {
    /// Opens the outbox in `dir`, waiting up to `wait` for another run to release it.
    pub fn open(dir: &Path, wait: Duration) -> Result<Outbox, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
        let lock_path = dir.join("lock");
        let lock = crate::fsutil::lock_file(&lock_path, wait)
            .map_err(|e| Error::io(lock_path.display().to_string(), e))?
            .ok_or_else(|| {
                Error::Locked(format!(
                    "{}: another statusq notify has held this outbox for {} s; try again later",
                    dir.display(),
                    wait.as_secs()
                ))
            })?;
        let mut stale = false;
        let mut delivered = HashMap::new();
        for (place, line) in read_lines(&dir.join("delivered.ndjson"))? {
            match serde_json::from_str::<DeliveredLine>(&line) {
                Ok(entry) => {
                    stale |= delivered
                        .insert(entry.id, (entry.at, entry.outcome))
                        .is_some();
                }
                Err(e) => {
                    // A torn last line of a crashed run: the event stays pending, sent again.
                    eprintln!("statusq: {place}: not a delivery record ({e}); skipped");
                    stale = true;
                }
            }
        }
        let mut pending = Vec::new();
        let mut waiting = HashSet::new();
        for (place, line) in read_lines(&dir.join("outbox.ndjson"))? {
            match serde_json::from_str::<Event>(&line) {
                Ok(event)
                    if !delivered.contains_key(&event.id) && waiting.insert(event.id.clone()) =>
                {
                    pending.push(event)
                }
                Ok(_) => stale = true,
                Err(e) => {
                    eprintln!("statusq: {place}: not an event ({e}); kept in outbox.unreadable");
                    let _ = append(&dir.join("outbox.unreadable"), &[line], false);
                    stale = true;
                }
            }
        }
        Ok(Outbox {
            dir: dir.to_path_buf(),
            _lock: lock,
            pending,
            delivered,
            stale,
        })
    }

    /// Adds the events not delivered or waiting already, in order, appended to the outbox and
    /// synced before returning: once this is done they cannot be lost. How many were new.
    pub fn spool(&mut self, events: &[Event]) -> Result<usize, Error> {
        let mut waiting: HashSet<&str> = self.pending.iter().map(|e| e.id.as_str()).collect();
        let mut new = Vec::new();
        for event in events {
            if !self.delivered.contains_key(&event.id) && waiting.insert(&event.id) {
                new.push(event.clone());
            }
        }
        let lines: Vec<String> = new
            .iter()
            .map(serde_json::to_string)
            .collect::<Result<_, _>>()
            .map_err(|e| Error::Other(e.into()))?;
        let path = self.dir.join("outbox.ndjson");
        append(&path, &lines, true).map_err(|e| Error::io(path.display().to_string(), e))?;
        let count = new.len();
        self.pending.extend(new);
        Ok(count)
    }

    /// Marks `ids` done at `now`: appended to the delivered log (synced) with what became of
    /// them, then dropped from what is pending.
    pub fn done(&mut self, ids: &[String], now: Timestamp, outcome: Done) -> Result<(), Error> {
        if ids.is_empty() {
            return Ok(());
        }
        let lines: Vec<String> = ids
            .iter()
            .map(|id| {
                serde_json::to_string(&DeliveredLine {
                    id: id.clone(),
                    at: now,
                    outcome: Some(outcome.as_str().into()),
                })
            })
            .collect::<Result<_, _>>()
            .map_err(|e| Error::Other(e.into()))?;
        let path = self.dir.join("delivered.ndjson");
        append(&path, &lines, true).map_err(|e| Error::io(path.display().to_string(), e))?;
        for id in ids {
            self.delivered
                .insert(id.clone(), (now, Some(outcome.as_str().into())));
        }
        let done: HashSet<&str> = ids.iter().map(String::as_str).collect();
        self.pending.retain(|e| !done.contains(e.id.as_str()));
        self.stale = true;
        Ok(())
    }

    /// Ends a run: forgets delivered ids older than `forget` before `now` (keeping at most
    /// [`KEEP`]) and rewrites both files to what they hold.
    pub fn finish(&mut self, now: Timestamp, forget: Duration) -> Result<(), Error> {
        let before = self.delivered.len();
        let forget = time::Duration::try_from(forget).unwrap_or(time::Duration::MAX);
        if let Some(cutoff) = now.datetime().checked_sub(forget).map(Timestamp::from) {
            self.delivered.retain(|_, (at, _)| *at >= cutoff);
        }
        if self.delivered.len() > KEEP {
            let mut times: Vec<Timestamp> = self.delivered.values().map(|(at, _)| *at).collect();
            times.sort_unstable();
            let cutoff = times[times.len() - KEEP];
            self.delivered.retain(|_, (at, _)| *at >= cutoff);
        }
        if !self.stale && self.delivered.len() == before {
            return Ok(());
        }
        let mut log = Vec::new();
        let mut entries: Vec<(&String, &(Timestamp, Option<String>))> =
            self.delivered.iter().collect();
        entries.sort_by(|a, b| a.1 .0.cmp(&b.1 .0).then(a.0.cmp(b.0)));
        for (id, (at, outcome)) in entries {
            serde_json::to_writer(
                &mut log,
                &DeliveredLine {
                    id: id.clone(),
                    at: *at,
                    outcome: outcome.clone(),
                },
            )
            .map_err(|e| Error::Other(e.into()))?;
            log.push(b'\n');
        }
        let path = self.dir.join("delivered.ndjson");
        write_atomic(&path, &log, None).map_err(|e| Error::io(path.display().to_string(), e))?;
        let mut outbox = Vec::new();
        for event in &self.pending {
            serde_json::to_writer(&mut outbox, event).map_err(|e| Error::Other(e.into()))?;
            outbox.push(b'\n');
        }
        let path = self.dir.join("outbox.ndjson");
        write_atomic(&path, &outbox, None).map_err(|e| Error::io(path.display().to_string(), e))?;
        self.stale = false;
        Ok(())
    }
}

/// The non-blank lines of `path` with their place (`path:N`); none when it does not exist.
fn read_lines(path: &Path) -> Result<Vec<(String, String)>, Error> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(n, l)| (format!("{}:{}", path.display(), n + 1), l.to_string()))
            .collect()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(Error::io(path.display().to_string(), e)),
    }
}

/// Appends `lines` to `path` in one write (created 0600), synced when `sync`.
fn append(path: &Path, lines: &[String], sync: bool) -> std::io::Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true).read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    let mut text = String::new();
    // A crashed run's torn last line must not swallow the first of these.
    let length = file.metadata()?.len();
    if length > 0 {
        use std::io::{Read, Seek, SeekFrom};
        let mut last = [0u8];
        file.seek(SeekFrom::Start(length - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            text.push('\n');
        }
    }
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    file.write_all(text.as_bytes())?;
    if sync {
        file.sync_data()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_torn_last_line_does_not_swallow_the_next_append() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("log");
        std::fs::write(&path, "{\"id\":\"a\"}\n{\"id\":\"tor").unwrap();
        append(&path, &["{\"id\":\"b\"}".to_string()], false).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "{\"id\":\"a\"}\n{\"id\":\"tor\n{\"id\":\"b\"}\n");
    }
}
