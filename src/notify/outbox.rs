//! A target's outbox: the events it has not yet accepted, in order, the ids of those it is done
//! with, and the messages it refused for their content, kept in the state directory:
//!
//! ```text
//! notify/NAME/incoming/*.ndjson  events spooled, one file per batch, written without the lock
//! notify/NAME/outbox.ndjson      events waiting to be sent, one per line
//! notify/NAME/delivered.ndjson   {"id":…,"at":…,"outcome":…} per event done with
//! notify/NAME/dead.ndjson        dead_letter records: messages refused for their content
//! notify/NAME/outbox.unreadable  lines of the files above that were not events, kept as they were
//! notify/NAME/lock               held while a run delivers
//! ```
//!
//! Spooling ([`spool`]) needs no lock: a batch is a new file, synced and renamed into
//! `incoming/`, so every target gets its events before anything is sent to any of them, and a
//! run that finds a target's outbox busy has still queued its events there. The run holding the
//! lock folds `incoming/` into `outbox.ndjson` (appended, synced, then the batch files removed)
//! when it opens the outbox. Delivering appends to the delivered log, synced, after each
//! accepted message. An event is pending while it is in the outbox or `incoming/` and not in
//! the log; a crash at any point leaves it pending (sent again) or delivered, never neither.
//! At the end of a run both files are compacted by atomic replacement.
//!
//! The files are read as bytes, a line at a time: a line torn by a crash (even inside a
//! multi-byte character) or not an event is set aside in `outbox.unreadable` and the rest is
//! read as usual.

use crate::error::Error;
use crate::fsutil::write_atomic;
use crate::model::{DeadLetter, Event, Record, Timestamp, SCHEMA_VERSION};
use crate::ndjson::{LineError, LineReader};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// The most delivered ids remembered per target.
pub const KEEP: usize = 100_000;

/// The longest line read back from a target's files; a longer one is reported and skipped.
const MAX_LINE: usize = 256 << 20;

#[derive(Serialize, Deserialize)]
struct DeliveredLine {
    id: String,
    at: Timestamp,
    /// What became of it: `sent`, `flapped` (dropped by a hold with its revert), `nothing`
    /// (the service has nothing to say about it, e.g. `incident.updated` for PagerDuty, or the
    /// target's route no longer takes it) or `dead` (set aside in `dead.ndjson`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<String>,
}

impl DeadLetter {
    fn events(&self) -> impl Iterator<Item = &Event> {
        self.events.iter().filter_map(|r| match r {
            Record::Event(event) => Some(&**event),
            Record::Snapshot(_) => None,
        })
    }
}

/// What became of a delivered event, as the log records it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Done {
    Sent,
    Flapped,
    Nothing,
    Dead,
}

impl Done {
    fn as_str(self) -> &'static str {
        match self {
            Done::Sent => "sent",
            Done::Flapped => "flapped",
            Done::Nothing => "nothing",
            Done::Dead => "dead",
        }
    }
}

/// Queues `events` for the target whose outbox is `dir`, without its lock: one new file in
/// `incoming/`, synced and renamed into place before this returns, so the events cannot be
/// lost once it has. How many were queued.
pub fn spool(dir: &Path, events: &[&Event]) -> Result<usize, Error> {
    if events.is_empty() {
        return Ok(0);
    }
    static BATCH: AtomicU64 = AtomicU64::new(0);
    let incoming = dir.join("incoming");
    std::fs::create_dir_all(&incoming).map_err(|e| Error::io(incoming.display().to_string(), e))?;
    let mut bytes = Vec::new();
    for event in events {
        serde_json::to_writer(&mut bytes, event).map_err(|e| Error::Other(e.into()))?;
        bytes.push(b'\n');
    }
    // Named to sort in the order batches were made: a run's own batches keep their order.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let name = format!(
        "{nanos:020}-{:010}-{:08}.ndjson",
        std::process::id(),
        BATCH.fetch_add(1, Ordering::Relaxed)
    );
    let path = incoming.join(name);
    write_atomic(&path, &bytes, None).map_err(|e| Error::io(path.display().to_string(), e))?;
    Ok(events.len())
}

/// The names of the outboxes under `root` (the targets that ever had one), sorted.
pub fn all(root: &Path) -> Result<Vec<String>, Error> {
    let mut names: Vec<String> = match std::fs::read_dir(root) {
        Ok(entries) => entries
            .filter_map(Result::ok)
            .filter(|e| e.path().is_dir())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(Error::io(root.display().to_string(), e)),
    };
    names.sort();
    Ok(names)
}

/// The dead letters of the target whose outbox is `dir`, oldest first.
pub fn dead_letters(dir: &Path) -> Result<Vec<DeadLetter>, Error> {
    let mut letters = Vec::new();
    for (place, line) in read_lines(&dir.join("dead.ndjson"))? {
        match line.map(|text| serde_json::from_str::<DeadLetter>(&text)) {
            Ok(Ok(letter)) => letters.push(letter),
            Ok(Err(e)) => eprintln!("statusq: {place}: not a dead letter ({e}); skipped"),
            Err(why) => eprintln!("statusq: {place}: {why}; skipped"),
        }
    }
    Ok(letters)
}

/// A target's outbox, held under its lock for the life of this value.
pub struct Outbox {
    dir: PathBuf,
    _lock: File,
    /// Events not yet accepted, in the order they came.
    pub pending: Vec<Event>,
    /// Ids accepted (or dropped as flaps), with when and what became of them.
    pub delivered: HashMap<String, (Timestamp, Option<String>)>,
    /// Lines of the outbox or `incoming/` that were not events, set aside this run.
    pub unreadable: usize,
    /// Lines in the files beyond what they hold now: compaction is due.
    stale: bool,
}

impl Outbox {
    /// Opens the outbox in `dir`, waiting up to `wait` for another run to release it, and
    /// folds in what was spooled since. [`Error::Locked`] when the other run kept it.
    pub fn open(dir: &Path, wait: Duration) -> Result<Outbox, Error> {
        std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
        let lock_path = dir.join("lock");
        let lock = crate::fsutil::lock_file(&lock_path, wait)
            .map_err(|e| Error::io(lock_path.display().to_string(), e))?
            .ok_or_else(|| {
                Error::Locked(format!(
                    "another statusq notify has held its outbox ({}) for {} s",
                    dir.display(),
                    wait.as_secs()
                ))
            })?;
        let mut stale = false;
        let mut delivered = HashMap::new();
        for (place, line) in read_lines(&dir.join("delivered.ndjson"))? {
            match line.map(|text| serde_json::from_str::<DeliveredLine>(&text)) {
                Ok(Ok(entry)) => {
                    stale |= delivered
                        .insert(entry.id, (entry.at, entry.outcome))
                        .is_some();
                }
                // A torn last line of a crashed run: the event stays pending, sent again.
                Ok(Err(e)) => {
                    eprintln!("statusq: {place}: not a delivery record ({e}); skipped");
                    stale = true;
                }
                Err(why) => {
                    eprintln!("statusq: {place}: {why}; skipped");
                    stale = true;
                }
            }
        }
        let mut outbox = Outbox {
            dir: dir.to_path_buf(),
            _lock: lock,
            pending: Vec::new(),
            delivered,
            unreadable: 0,
            stale,
        };
        let mut waiting = HashSet::new();
        let path = dir.join("outbox.ndjson");
        for event in outbox.read_events(&path)? {
            if !outbox.delivered.contains_key(&event.id) && waiting.insert(event.id.clone()) {
                outbox.pending.push(event);
            } else {
                outbox.stale = true;
            }
        }
        outbox.fold_incoming(&mut waiting)?;
        Ok(outbox)
    }

    /// The events of one of the target's files; lines that are not events are set aside in
    /// `outbox.unreadable`, as they were.
    fn read_events(&mut self, path: &Path) -> Result<Vec<Event>, Error> {
        let mut events = Vec::new();
        let mut unreadable: Vec<Vec<u8>> = Vec::new();
        let file = match File::open(path) {
            Ok(file) => file,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(events),
            Err(e) => return Err(Error::io(path.display().to_string(), e)),
        };
        let mut reader = LineReader::new(std::io::BufReader::new(file), MAX_LINE);
        while let Some((number, line)) = reader
            .next_bytes()
            .map_err(|e| Error::io(path.display().to_string(), e))?
        {
            let place = format!("{}:{number}", path.display());
            let bytes = match line {
                Ok(bytes) => bytes,
                Err(e) => {
                    let why = match e {
                        LineError::TooLong(cap) => format!("a line over {cap} bytes"),
                        LineError::NotUtf8 => "not UTF-8".to_string(),
                    };
                    eprintln!("statusq: {place}: {why}; skipped");
                    self.unreadable += 1;
                    self.stale = true;
                    continue;
                }
            };
            let why = match std::str::from_utf8(&bytes) {
                Ok(text) => match serde_json::from_str::<Event>(text) {
                    Ok(event) => {
                        events.push(event);
                        continue;
                    }
                    Err(e) => format!("not an event ({e})"),
                },
                Err(_) => "not UTF-8 (torn by a crash?)".to_string(),
            };
            eprintln!("statusq: {place}: {why}; kept in outbox.unreadable");
            unreadable.push(bytes);
            self.unreadable += 1;
            self.stale = true;
        }
        if !unreadable.is_empty() {
            let path = self.dir.join("outbox.unreadable");
            append(&path, &unreadable, true)
                .map_err(|e| Error::io(path.display().to_string(), e))?;
        }
        Ok(events)
    }

    /// Moves what was spooled into `incoming/` to the end of the outbox, in the order it was
    /// spooled: appended and synced, then the batch files removed (a crash between folds them
    /// again, and the ids already waiting are not added twice).
    fn fold_incoming(&mut self, waiting: &mut HashSet<String>) -> Result<(), Error> {
        let incoming = self.dir.join("incoming");
        let mut batches: Vec<PathBuf> = match std::fs::read_dir(&incoming) {
            Ok(entries) => entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "ndjson"))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(Error::io(incoming.display().to_string(), e)),
        };
        if batches.is_empty() {
            return Ok(());
        }
        batches.sort();
        let mut lines = Vec::new();
        for batch in &batches {
            for event in self.read_events(batch)? {
                if !self.delivered.contains_key(&event.id) && waiting.insert(event.id.clone()) {
                    lines.push(serde_json::to_vec(&event).map_err(|e| Error::Other(e.into()))?);
                    self.pending.push(event);
                }
            }
        }
        let path = self.dir.join("outbox.ndjson");
        append(&path, &lines, true).map_err(|e| Error::io(path.display().to_string(), e))?;
        for batch in &batches {
            std::fs::remove_file(batch).map_err(|e| Error::io(batch.display().to_string(), e))?;
        }
        Ok(())
    }

    /// Marks `ids` done at `now`: appended to the delivered log (synced) with what became of
    /// them, then dropped from what is pending.
    pub fn done(&mut self, ids: &[String], now: Timestamp, outcome: Done) -> Result<(), Error> {
        if ids.is_empty() {
            return Ok(());
        }
        let lines: Vec<Vec<u8>> = ids
            .iter()
            .map(|id| {
                serde_json::to_vec(&DeliveredLine {
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

    /// Sets a refused message's events aside: a dead letter appended to `dead.ndjson` (synced),
    /// then the events marked done as `dead`, so the target goes on with the next message.
    pub fn set_aside(&mut self, letter: DeadLetter) -> Result<(), Error> {
        let ids: Vec<String> = letter.events().map(|e| e.id.clone()).collect();
        let line = serde_json::to_vec(&letter).map_err(|e| Error::Other(e.into()))?;
        let path = self.dir.join("dead.ndjson");
        append(&path, &[line], true).map_err(|e| Error::io(path.display().to_string(), e))?;
        self.done(&ids, letter.at, Done::Dead)
    }

    /// Puts every dead letter's events back at the head of the outbox, in order, to be sent
    /// again; the dead letters are then removed. How many events came back.
    pub fn revive(&mut self) -> Result<usize, Error> {
        let letters = dead_letters(&self.dir)?;
        if letters.is_empty() {
            return Ok(0);
        }
        let mut waiting: HashSet<String> = self.pending.iter().map(|e| e.id.clone()).collect();
        let mut revived: Vec<Event> = Vec::new();
        for letter in &letters {
            for event in letter.events() {
                self.delivered.remove(&event.id);
                if waiting.insert(event.id.clone()) {
                    revived.push(event.clone());
                }
            }
        }
        let count = revived.len();
        revived.append(&mut self.pending);
        self.pending = revived;
        // The outbox holds them before the log forgets them and the letters go: a crash in
        // between leaves them dead or pending, never neither.
        self.compact()?;
        let path = self.dir.join("dead.ndjson");
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(Error::io(path.display().to_string(), e)),
        }
        Ok(count)
    }

    /// Ends a run: forgets delivered ids older than `forget` before `now` (keeping at most
    /// [`KEEP`]) and rewrites both files to what they hold.
    pub fn finish(&mut self, now: Timestamp, forget: Duration) -> Result<(), Error> {
        let before = self.delivered.len();
        if let Some(cutoff) = forgotten_before(now, forget) {
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
        self.compact()
    }

    /// Rewrites the outbox, then the delivered log, each atomically, to what they hold now.
    /// The outbox goes first: a crash between leaves the old log, which only knows more.
    fn compact(&mut self) -> Result<(), Error> {
        let mut outbox = Vec::new();
        for event in &self.pending {
            serde_json::to_writer(&mut outbox, event).map_err(|e| Error::Other(e.into()))?;
            outbox.push(b'\n');
        }
        let path = self.dir.join("outbox.ndjson");
        write_atomic(&path, &outbox, None).map_err(|e| Error::io(path.display().to_string(), e))?;
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
        self.stale = false;
        Ok(())
    }
}

/// A new dead letter for `target`.
pub fn dead_letter(
    target: &str,
    at: Timestamp,
    status: u16,
    why: &str,
    events: &[Event],
) -> DeadLetter {
    DeadLetter {
        kind: "dead_letter".into(),
        v: SCHEMA_VERSION,
        target: target.to_string(),
        at,
        status,
        why: why.to_string(),
        events: events
            .iter()
            .map(|e| Record::Event(Box::new(e.clone())))
            .collect(),
    }
}

/// What a target forgets at `now`: what it last did before this (`--forget-after` ago), its
/// delivered ids and its threads' roots alike; `None` when that is before time began.
pub fn forgotten_before(now: Timestamp, forget: Duration) -> Option<Timestamp> {
    let forget = time::Duration::try_from(forget).unwrap_or(time::Duration::MAX);
    now.datetime().checked_sub(forget).map(Timestamp::from)
}

/// A line with its place (`path:N`), as text or why it is not.
pub(crate) type Placed = (String, Result<String, String>);

/// The non-blank lines of `path` with their place (`path:N`), as text, or why a line is not
/// text; none when the file does not exist.
pub(crate) fn read_lines(path: &Path) -> Result<Vec<Placed>, Error> {
    let file = match File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(path.display().to_string(), e)),
    };
    let mut reader = LineReader::new(std::io::BufReader::new(file), MAX_LINE);
    let mut lines = Vec::new();
    while let Some((number, line)) = reader
        .next_line()
        .map_err(|e| Error::io(path.display().to_string(), e))?
    {
        let line = line.map_err(|e| match e {
            LineError::TooLong(cap) => format!("a line over {cap} bytes"),
            LineError::NotUtf8 => "not UTF-8 (torn by a crash?)".to_string(),
        });
        lines.push((format!("{}:{number}", path.display()), line));
    }
    Ok(lines)
}

/// Appends `lines` to `path` in one write (created 0600), synced when `sync`.
pub(crate) fn append(path: &Path, lines: &[Vec<u8>], sync: bool) -> std::io::Result<()> {
    if lines.is_empty() {
        return Ok(());
    }
    let mut options = OpenOptions::new();
    options.create(true).append(true).read(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    let mut bytes = Vec::new();
    // A crashed run's torn last line must not swallow the first of these.
    let length = file.metadata()?.len();
    if length > 0 {
        use std::io::{Read, Seek, SeekFrom};
        let mut last = [0u8];
        file.seek(SeekFrom::Start(length - 1))?;
        file.read_exact(&mut last)?;
        if last[0] != b'\n' {
            bytes.push(b'\n');
        }
    }
    for line in lines {
        bytes.extend_from_slice(line);
        bytes.push(b'\n');
    }
    file.write_all(&bytes)?;
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
        append(&path, &[b"{\"id\":\"b\"}".to_vec()], false).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text, "{\"id\":\"a\"}\n{\"id\":\"tor\n{\"id\":\"b\"}\n");
    }
}
