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

/// The temp file a write of `path` by this process goes through.
pub fn temp_path(path: &Path) -> PathBuf {
    sidecar(path, &format!(".tmp.{}", std::process::id()))
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
/// exactly those permissions, whatever the umask. The temp file is removed on failure.
pub fn write_atomic(path: &Path, bytes: &[u8], mode: Option<u32>) -> std::io::Result<()> {
    write_atomic_steps(path, bytes, mode, |_| {})
}

/// [`write_atomic`], calling `step` as each step is reached.
pub fn write_atomic_steps(
    path: &Path,
    bytes: &[u8],
    mode: Option<u32>,
    step: impl Fn(Step),
) -> std::io::Result<()> {
    let temp = temp_path(path);
    let result = (|| {
        let mut file = File::create(&temp)?;
        let (first, second) = bytes.split_at(bytes.len() / 2);
        file.write_all(first)?;
        step(Step::HalfWritten);
        file.write_all(second)?;
        #[cfg(unix)]
        if let Some(mode) = mode {
            use std::os::unix::fs::PermissionsExt;
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        #[cfg(not(unix))]
        let _ = mode;
        file.sync_all()?;
        drop(file);
        step(Step::Written);
        std::fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
        return result;
    }
    step(Step::Renamed);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        // Makes the rename itself durable; some filesystems cannot, which is not fatal.
        if let Ok(dir) = File::open(dir) {
            let _ = dir.sync_all();
        }
    }
    Ok(())
}
