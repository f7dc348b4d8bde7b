//! A threaded target's roots: for each incident (and maintenance) it has posted, the id of the
//! message its thread hangs from, in `notify/NAME/threads.ndjson` beside the outbox, so a
//! restart, a crash or the next cron run continues the same thread.
//!
//! A root is appended (synced) as soon as the service has answered with its id, before the
//! message's events are marked delivered: a crash in between posts the root again (a second
//! thread, never a lost update). The file is read a line at a time; a line that is not a root
//! is skipped and said. It is compacted with the outbox at the end of a run, roots last used
//! longer ago than `--forget-after` dropped. Only the run holding the outbox's lock writes it.

use crate::error::Error;
use crate::model::Timestamp;
use crate::notify::outbox::{append, forgotten_before, read_lines};
use crate::notify::payload::request::Root;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// The roots of one target.
#[derive(Debug, Default)]
pub struct Threads {
    path: PathBuf,
    roots: HashMap<String, Root>,
    /// Roots posted (or rewritten) since it was read: the file needs compacting.
    changed: bool,
}

impl Threads {
    /// The roots kept in the outbox directory `dir` (none when there is no file).
    pub fn read(dir: &Path) -> Result<Threads, Error> {
        let path = dir.join("threads.ndjson");
        let mut roots = HashMap::new();
        for (place, line) in read_lines(&path)? {
            match line.map(|text| serde_json::from_str::<Root>(&text)) {
                Ok(Ok(root)) => {
                    roots.insert(root.key.clone(), root);
                }
                Ok(Err(e)) => eprintln!("statusq: {place}: not a thread root ({e}); skipped"),
                Err(why) => eprintln!("statusq: {place}: {why}; skipped"),
            }
        }
        Ok(Threads {
            path,
            roots,
            changed: false,
        })
    }

    /// Threads that are only imagined (`--dry-run`): nothing is read or written.
    pub fn imagined(roots: HashMap<String, Root>) -> Threads {
        Threads {
            roots,
            ..Threads::default()
        }
    }

    /// Its roots, by key.
    pub fn into_roots(self) -> HashMap<String, Root> {
        self.roots
    }

    /// Drops the root of `key` (the service no longer has it): the next step starts a new
    /// thread. Said to the file at the end of the run.
    pub fn forget(&mut self, key: &str) -> Result<(), Error> {
        if self.roots.remove(key).is_some() {
            self.changed = true;
        }
        Ok(())
    }

    pub fn get(&self, key: &str) -> Option<&Root> {
        self.roots.get(key)
    }

    /// Keeps `root`, durably when the threads have a file.
    pub fn keep(&mut self, root: Root) -> Result<(), Error> {
        if !self.path.as_os_str().is_empty() {
            let mut line = serde_json::to_vec(&root).map_err(|e| Error::Other(e.into()))?;
            line.push(b'\n');
            append(&self.path, &[line], true)
                .map_err(|e| Error::io(self.path.display().to_string(), e))?;
            self.changed = true;
        }
        self.roots.insert(root.key.clone(), root);
        Ok(())
    }

    /// Rewrites the file with the roots used within `forget` of `now`.
    pub fn finish(&mut self, now: Timestamp, forget: Duration) -> Result<(), Error> {
        let before = self.roots.len();
        if let Some(cutoff) = forgotten_before(now, forget) {
            self.roots.retain(|_, root| root.at >= cutoff);
        }
        if self.path.as_os_str().is_empty() || (!self.changed && before == self.roots.len()) {
            return Ok(());
        }
        let mut roots: Vec<&Root> = self.roots.values().collect();
        roots.sort_by(|a, b| (a.at, &a.key).cmp(&(b.at, &b.key)));
        let mut bytes = Vec::new();
        for root in roots {
            serde_json::to_writer(&mut bytes, root).map_err(|e| Error::Other(e.into()))?;
            bytes.push(b'\n');
        }
        crate::fsutil::write_atomic(&self.path, &bytes, None)
            .map_err(|e| Error::io(self.path.display().to_string(), e))?;
        self.changed = false;
        Ok(())
    }
}
