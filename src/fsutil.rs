//! Writing files so readers never see half of one: temp file, fsync, rename, fsync directory.

use std::fs::File;
use std::io::Write;
use std::path::{Path, PathBuf};

/// `path` with `suffix` appended to its file name.
pub fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The prefix of the temp files a write of `path` goes through (a random part follows), so a
/// crashed writer's leftovers can be found and removed.
pub fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    format!("{name}.tmp.")
}

/// The steps of an atomic write, at which the crash tests stop the process (see
/// [`crate::fault`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Half the temp file is written.
    HalfWritten,
    /// The temp file is complete and synced, not yet renamed.
    Written,
    /// Renamed into place; the directory is not yet synced.
    Renamed,
}

/// Replaces `path` with `bytes` atomically and durably. With `mode` (Unix), the file gets
/// exactly those permissions, whatever the umask (otherwise 0600, as the temp file is
/// created). The temp file is removed on failure.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    write_atomic_steps(path, bytes, mode, |_| {})
}

/// [`write_atomic`], calling `step` as each step is reached.
///
/// The temp file gets a random name and is created with `O_EXCL` (the tempfile crate), so a
/// symlink planted beside `path` — in a directory others can write to — is never followed, and
/// two writers of one path never share a temp file.
pub fn write_atomic_steps(
    path: &Path,
    bytes: &[u8],
    mode: Option<u32>,
    step: impl Fn(Step),
) -> std::io::Result<()> {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir,
        None => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .rand_bytes(8)
        .tempfile_in(dir)?;
    let (first, second) = bytes.split_at(bytes.len() / 2);
    temp.write_all(first)?;
    step(Step::HalfWritten);
    temp.write_all(second)?;
    #[cfg(unix)]
    if let Some(mode) = mode {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = mode;
    temp.as_file().sync_all()?;
    step(Step::Written);
    // On failure the temp file is removed when `temp` is dropped.
    temp.persist(path).map_err(|e| e.error)?;
    step(Step::Renamed);
    // Makes the rename itself durable; some filesystems cannot, which is not fatal.
    if let Ok(dir) = File::open(dir) {
        let _ = dir.sync_all();
    }
    Ok(())
}

/// Opens `path` (created if needed) and takes an exclusive advisory lock on it, waiting up to
/// `wait` for another holder (released by the kernel when that process dies). `None` when it
/// was still held after `wait`.
pub fn lock_file(path: &Path, wait: std::time::Duration) -> std::io::Result<Option<File>> {
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(path)?;
    let deadline = std::time::Instant::now() + wait;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(Some(file)),
            Err(std::fs::TryLockError::WouldBlock) if std::time::Instant::now() < deadline => {
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            Err(std::fs::TryLockError::WouldBlock) => return Ok(None),
            Err(std::fs::TryLockError::Error(e)) => return Err(e),
        }
    }
}

/// Replaces `path` with `bytes` atomically for readers (a temp file renamed into place, so a
/// reader sees the old file or the new one) but not durably: no fsync. For caches, where a
/// write lost to a crash costs a request and nothing more, and a sync per URL per poll costs
/// more than the poll.
pub fn replace(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => dir,
        None => Path::new("."),
    };
    let mut temp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .rand_bytes(8)
        .tempfile_in(dir)?;
    temp.write_all(bytes)?;
    temp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_symlink_planted_at_the_old_temp_name_is_not_followed() {
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        std::fs::write(&victim, "precious").unwrap();
        let path = dir.path().join("state.json");
        // The name this process's temp file used to have, predictable by anyone.
        let planted = sidecar(&path, &format!(".tmp.{}", std::process::id()));
        std::os::unix::fs::symlink(&victim, &planted).unwrap();
        write_atomic(&path, b"new state", None).unwrap();
        assert_eq!(std::fs::read_to_string(&victim).unwrap(), "precious");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new state");
        assert!(
            !std::fs::symlink_metadata(&path).unwrap().is_symlink(),
            "the state is a file of its own"
        );
    }

    #[test]
    fn two_threads_writing_one_file_never_collide() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("cache.body");
        let contents = [vec![b'a'; 64 * 1024], vec![b'b'; 64 * 1024]];
        std::thread::scope(|scope| {
            for content in &contents {
                let path = &path;
                scope.spawn(move || {
                    for _ in 0..50 {
                        write_atomic(path, content, None).unwrap();
                    }
                });
            }
        });
        let last = std::fs::read(&path).unwrap();
        assert!(contents.contains(&last), "a whole write, never a mix");
        let names: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["cache.body"], "no temp file left");
    }
}
