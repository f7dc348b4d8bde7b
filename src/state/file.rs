//! The state file under its lock: read, and replaced atomically and durably.
//!
//! It is written to a temp file in the same directory, fsynced, renamed over the old one and the
//! directory fsynced, so a crash at any instant leaves either the old or the new state, never a
//! torn one. A sidecar `FILE.lock` (an advisory `flock`, released by the kernel when the process
//! dies) keeps two runs from interleaving. A file that is not a state, or of a version this build
//! does not know, is an error naming it and is never overwritten.

use crate::diff::state::State;
use crate::error::Error;
use std::fs::File;
use std::path::{Path, PathBuf};

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
        let lock = crate::fsutil::lock_file(&lock_path, std::time::Duration::ZERO)
            .map_err(|e| Error::io(lock_path.display().to_string(), e))?
            .ok_or_else(|| {
                Error::Locked(format!(
                    "{}: another statusq is using this state (lock {}); try again later",
                    path.display(),
                    lock_path.display()
                ))
            })?;
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
        let Some(dir) = self.path.parent() else {
            return;
        };
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        let prefix = crate::fsutil::temp_prefix(&self.path);
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Reads the state; a missing file is an empty state.
    pub fn load(&self) -> Result<State, Error> {
        // Bytes, not a string: a file that is not UTF-8 is a corrupt state like any other.
        match std::fs::read(&self.path) {
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
        crate::fsutil::write_atomic_steps(&self.path, &text, None, crate::fault::state_write)
            .map_err(|e| Error::io(self.path.display().to_string(), e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::state::ProviderState;

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
}
