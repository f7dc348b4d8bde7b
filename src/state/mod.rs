//! The state file: the diff state ([`crate::diff::state::State`]) on disk, under its lock, read
//! and replaced atomically and durably ([`file`]). What the state holds is the diff engine's;
//! when it is committed (the delivery rule of DESIGN §4) is [`crate::pipeline`]'s.

pub mod file;

use std::path::PathBuf;

/// The state file used when `--state` is not given: `$XDG_STATE_HOME/statusq/state.json`.
pub fn default_state_path() -> Option<PathBuf> {
    use etcetera::BaseStrategy;
    let dirs = etcetera::choose_base_strategy().ok()?;
    let base = dirs.state_dir().unwrap_or_else(|| dirs.data_dir());
    Some(base.join("statusq").join("state.json"))
}
