//! What `diff` remembers between runs, and how it is kept safe on disk.
//!
//! The state file is versioned JSON (`{"statusq_state":1,"providers":{…}}`) holding, per
//! provider, the update ids already announced and the last status of every component, incident
//! and maintenance. It is written to a temp file in the same directory, fsynced, renamed over the
//! old one and the directory fsynced, so a crash at any instant leaves either the old or the new
//! state, never a torn one. A sidecar `FILE.lock` (an advisory `flock`, released by the kernel
//! when the process dies) keeps two runs from interleaving. A file that is not a state, or of a
//! version this build does not know, is an error naming it and is never overwritten.

use crate::error::Error;
use crate::model::{ComponentStatus, Indicator, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// The state format version this build reads and writes.
pub const STATE_VERSION: u32 = 1;

/// Everything `diff` knows, keyed by provider id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Always [`STATE_VERSION`]; its presence marks the file as a statusq state.
    pub statusq_state: u32,
    pub providers: BTreeMap<String, ProviderState>,
}

/// What is known of one provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProviderState {
    /// Whether a successful snapshot has been seen (the first one is the baseline).
    pub baselined: bool,
    /// `fetched_at` of the last snapshot, successful or not.
    pub last_seen: Option<Timestamp>,
    /// Failed snapshots in a row.
    pub failures: u32,
    /// Whether `provider.failed` was emitted for the current run of failures.
    pub failed_reported: bool,
    /// The page indicator last seen.
    pub indicator: Option<Indicator>,
    pub components: BTreeMap<String, ComponentState>,
    pub incidents: BTreeMap<String, ItemState>,
    pub maintenances: BTreeMap<String, ItemState>,
}

/// A component's last status.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ComponentState {
    pub status: ComponentStatus,
    /// When upstream last showed it.
    pub seen: Timestamp,
}

/// An incident or maintenance: which of its updates were announced and which milestones.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemState {
    /// Its status word when last seen.
    pub status: String,
    /// Update ids already seen (announced, or part of a baseline).
    pub updates: BTreeSet<String>,
    /// `incident.resolved` / `maintenance.completed` was emitted or baselined.
    #[serde(default)]
    pub closed: bool,
    /// `maintenance.started` was emitted or baselined.
    #[serde(default)]
    pub started: bool,
    /// When upstream last showed it.
    pub seen: Timestamp,
}

impl ItemState {
    /// An item met for the first time, none of its updates seen yet.
    pub fn unseen(seen: Timestamp) -> ItemState {
        ItemState {
            status: String::new(),
            updates: BTreeSet::new(),
            closed: false,
            started: false,
            seen,
        }
    }
}

impl State {
    /// An empty state.
    pub fn new() -> State {
        State {
            statusq_state: STATE_VERSION,
            providers: BTreeMap::new(),
        }
    }

    /// Parses a state file's text; `path` only names the file in errors.
    pub fn parse(text: &str, path: &Path) -> Result<State, Error> {
        let corrupt = |why: String| {
            Error::Other(anyhow::anyhow!(
                "{}: {why}; it is left untouched (move it away to start afresh)",
                path.display()
            ))
        };
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| corrupt(format!("corrupt state file: {e}")))?;
        match value.get("statusq_state").and_then(|v| v.as_u64()) {
            None => return Err(corrupt("not a statusq state file".into())),
            Some(v) if v != u64::from(STATE_VERSION) => {
                return Err(corrupt(format!(
                    "state file version {v}, but this statusq reads version {STATE_VERSION}"
                )))
            }
            Some(_) => {}
        }
        serde_json::from_value(value).map_err(|e| corrupt(format!("corrupt state file: {e}")))
    }
}

/// The state file used when `--state` is not given: `$XDG_STATE_HOME/statusq/state.json`.
pub fn default_state_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let dirs = etcetera::choose_base_strategy().ok()?;
    let base = dirs.state_dir().unwrap_or_else(|| dirs.data_dir());
    Some(base.join("statusq").join("state.json"))
}

/// A state file held under its lock for the life of this value.
pub struct StateFile {
    path: PathBuf,
    /// Held open so the lock lasts; released when dropped or when the process dies.
    _lock: File,
}

impl StateFile {
    /// Takes the lock on `path` (creating its directory), failing at once with exit 75 when
    /// another run holds it.
    pub fn lock(path: &Path) -> Result<StateFile, Error> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| Error::io(dir.display().to_string(), e))?;
        }
        let lock_path = crate::fsutil::sidecar(path, ".lock");
        let lock = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| Error::io(lock_path.display().to_string(), e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                return Err(Error::Locked(format!(
                    "{}: another statusq is using this state (lock {}); try again later",
                    path.display(),
                    lock_path.display()
                )))
            }
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(Error::io(lock_path.display().to_string(), e))
            }
        }
        let file = StateFile {
            path: path.to_path_buf(),
            _lock: lock,
        };
        file.remove_stale_temps();
        Ok(file)
    }

    /// Removes temp files a crashed run left beside the state. Only the lock holder writes
    /// them, so under the lock any that exist are dead.
    fn remove_stale_temps(&self) {
        let (Some(dir), Some(name)) = (self.path.parent(), self.path.file_name()) else {
            return;
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let prefix = format!("{}.tmp.", name.to_string_lossy());
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Reads the state; a missing file is an empty state.
    pub fn load(&self) -> Result<State, Error> {
        match std::fs::read_to_string(&self.path) {
            Ok(text) => State::parse(&text, &self.path),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(State::new()),
            Err(e) => Err(Error::io(self.path.display().to_string(), e)),
        }
    }

    /// Replaces the state on disk atomically and durably: temp file, fsync, rename, fsync dir.
    pub fn commit(&self, state: &State) -> Result<(), Error> {
        let mut text = serde_json::to_vec(state)
            .map_err(|e| Error::Other(anyhow::anyhow!("cannot serialize the state: {e}")))?;
        text.push(b'\n');
        // Test hook: die at a step of the commit, as a power cut or kill -9 would: `temp`
        // (half the temp file written), `rename` (temp complete, not yet renamed), `after`
        // (renamed, directory not yet synced).
        if let Some(step) = std::env::var_os("STATUSQ_FAULT_STATE_WRITE") {
            let temp = crate::fsutil::temp_path(&self.path);
            match step.to_str() {
                Some("rename") => {
                    let _ = std::fs::write(&temp, &text);
                }
                Some("after") => {
                    let _ = crate::fsutil::write_atomic(&self.path, &text, None);
                }
                _ => {
                    if let Ok(mut file) = File::create(&temp) {
                        let _ = file.write_all(&text[..text.len() / 2]);
                        let _ = file.sync_all();
                    }
                }
            }
            std::process::abort();
        }
        crate::fsutil::write_atomic(&self.path, &text, None)
            .map_err(|e| Error::io(self.path.display().to_string(), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_through_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let file = StateFile::lock(&dir.path().join("sub/state.json")).unwrap();
        assert_eq!(file.load().unwrap(), State::new());
        let mut state = State::new();
        state.providers.insert("p".into(), ProviderState::default());
        file.commit(&state).unwrap();
        assert_eq!(file.load().unwrap(), state);
        let leftovers: Vec<_> = std::fs::read_dir(dir.path().join("sub"))
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(
            leftovers.iter().all(|n| !n.contains(".tmp")),
            "{leftovers:?}"
        );
    }

    #[test]
    fn a_second_lock_on_the_same_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let first = StateFile::lock(&path).unwrap();
        let second = StateFile::lock(&path);
        assert!(matches!(second, Err(Error::Locked(_))));
        drop(first);
        assert!(StateFile::lock(&path).is_ok());
    }

    #[test]
    fn corrupt_foreign_and_future_states_are_refused_by_name() {
        let path = Path::new("/x/state.json");
        for (text, why) in [
            ("{\"statusq_state\":1,", "corrupt"),
            ("{\"hello\":1}", "not a statusq state"),
            ("{\"statusq_state\":9,\"providers\":{}}", "version 9"),
            ("{\"statusq_state\":1,\"providers\":3}", "corrupt"),
        ] {
            let err = State::parse(text, path).unwrap_err().to_string();
            assert!(err.contains("/x/state.json") && err.contains(why), "{err}");
        }
    }
}
