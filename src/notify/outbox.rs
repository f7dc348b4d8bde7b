//! A target's outbox: the events it has not yet accepted, in order, and the ids of those it
//! did (or that were dropped as flaps), kept under a lock in the state directory:
//!
//! ```text
//! $XDG_STATE_HOME/statusq/notify/NAME/outbox.ndjson    events waiting, one per line
//! $XDG_STATE_HOME/statusq/notify/NAME/delivered.json   {"v":1,"delivered":{"ID":"TIME",…}}
//! $XDG_STATE_HOME/statusq/notify/NAME/lock             held while a run spools or delivers
//! ```
//!
//! Both files are replaced atomically (temp file, fsync, rename). What was delivered is written
//! before the outbox that no longer holds it, so a crash between the two leaves an event in
//! both — skipped on load — never in neither. The record of delivered ids is bounded: ids older
//! than `forget` are dropped, and at most [`KEEP`] are kept.

use crate::error::Error;
use crate::fsutil::write_atomic;
use crate::model::{Event, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::fs::{File, OpenOptions};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The most delivered ids remembered per target.
pub const KEEP: usize = 100_000;

#[derive(Serialize, Deserialize)]
struct Delivered {
    v: u32,
    delivered: BTreeMap<String, Timestamp>,
}

/// A target's outbox, held under its lock for the life of this value.
pub struct Outbox {
    dir: PathBuf,
    _lock: File,
    /// Events not yet accepted, in the order they came.
    pub pending: Vec<Event>,
    /// Ids accepted (or dropped as flaps), with when.
    pub delivered: BTreeMap<String, Timestamp>,
}

impl Outbox {
    /// Opens the outbox in `dir`, waiting up to `wait` for another run to release it.
    pub fn open(dir: &Path, wait: Duration) -> Result<Outbox, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
        let lock_path = dir.join("lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io(lock_path.display().to_string(), e))?;
        let deadline = Instant::now() + wait;
        loop {
            match lock.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if Instant::now() < deadline => {
                    std::thread::sleep(Duration::from_millis(50));
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    return Err(Error::Locked(format!(
                        "{}: another statusq notify has held this outbox for {} s; try again later",
                        dir.display(),
                        wait.as_secs()
                    )))
                }
                Err(std::fs::TryLockError::Error(e)) => {
                    return Err(Error::io(lock_path.display().to_string(), e))
                }
            }
        }
        let delivered_path = dir.join("delivered.json");
        let delivered = match std::fs::read_to_string(&delivered_path) {
            Ok(text) => {
                let file: Delivered = serde_json::from_str(&text).map_err(|e| Error::Config {
                    path: delivered_path.clone(),
                    why: format!(
                        "not a statusq delivery record ({e}); move it aside to start afresh"
                    ),
                })?;
                file.delivered
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(Error::io(delivered_path.display().to_string(), e)),
        };
        let outbox_path = dir.join("outbox.ndjson");
        let mut pending = Vec::new();
        match std::fs::read_to_string(&outbox_path) {
            Ok(text) => {
                for (number, line) in text.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    match serde_json::from_str::<Event>(line) {
                        Ok(event) if !delivered.contains_key(&event.id) => pending.push(event),
                        Ok(_) => {}
                        Err(e) => {
                            eprintln!(
                                "statusq: {}:{}: not an event ({e}); kept in outbox.unreadable",
                                outbox_path.display(),
                                number + 1
                            );
                            let aside = dir.join("outbox.unreadable");
                            let _ = append_line(&aside, line);
                        }
                    }
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(outbox_path.display().to_string(), e)),
        }
        Ok(Outbox {
            dir: dir.to_path_buf(),
            _lock: lock,
            pending,
            delivered,
        })
    }

    /// Adds the events not delivered or waiting already, in order, and writes the outbox
    /// before returning: once this is done they cannot be lost. How many were new.
    pub fn spool(&mut self, events: &[Event]) -> Result<usize, Error> {
        let mut waiting: HashSet<&str> = self.pending.iter().map(|e| e.id.as_str()).collect();
        let mut new = Vec::new();
        for event in events {
            if !self.delivered.contains_key(&event.id) && waiting.insert(&event.id) {
                new.push(event.clone());
            }
        }
        let count = new.len();
        if count > 0 {
            self.pending.extend(new);
            self.write_outbox()?;
        }
        Ok(count)
    }

    /// Marks `ids` done at `now`: remembered as delivered, then removed from the outbox.
    pub fn done(&mut self, ids: &[String], now: Timestamp) -> Result<(), Error> {
        if ids.is_empty() {
            return Ok(());
        }
        for id in ids {
            self.delivered.insert(id.clone(), now);
        }
        self.write_delivered()?;
        let done: HashSet<&str> = ids.iter().map(String::as_str).collect();
        self.pending.retain(|e| !done.contains(e.id.as_str()));
        self.write_outbox()
    }

    /// Forgets delivered ids older than `forget` before `now`, and all but the newest
    /// [`KEEP`].
    pub fn prune(&mut self, now: Timestamp, forget: Duration) -> Result<(), Error> {
        let before = self.delivered.len();
        let forget = time::Duration::try_from(forget).unwrap_or(time::Duration::MAX);
        if let Some(cutoff) = now.datetime().checked_sub(forget).map(Timestamp::from) {
            self.delivered.retain(|_, at| *at >= cutoff);
        }
        if self.delivered.len() > KEEP {
            let mut times: Vec<Timestamp> = self.delivered.values().copied().collect();
            times.sort_unstable();
            let cutoff = times[times.len() - KEEP];
            self.delivered.retain(|_, at| *at >= cutoff);
        }
        if self.delivered.len() != before {
            self.write_delivered()?;
        }
        Ok(())
    }

    fn write_delivered(&self) -> Result<(), Error> {
        let path = self.dir.join("delivered.json");
        let text = serde_json::to_vec(&Delivered {
            v: 1,
            delivered: self.delivered.clone(),
        })
        .map_err(|e| Error::Other(e.into()))?;
        write_atomic(&path, &text, None).map_err(|e| Error::io(path.display().to_string(), e))
    }

    fn write_outbox(&self) -> Result<(), Error> {
        let path = self.dir.join("outbox.ndjson");
        let mut text = Vec::new();
        for event in &self.pending {
            serde_json::to_writer(&mut text, event).map_err(|e| Error::Other(e.into()))?;
            text.push(b'\n');
        }
        write_atomic(&path, &text, None).map_err(|e| Error::io(path.display().to_string(), e))
    }
}

fn append_line(path: &Path, line: &str) -> std::io::Result<()> {
    use std::io::Write;
    let mut file = OpenOptions::new().create(true).append(true).open(path)?;
    writeln!(file, "{line}")
}
