//! Where statusq keeps things on this machine: the one place that asks the XDG base
//! directories (and their equivalents elsewhere, through etcetera).
//!
//! ```text
//! $XDG_CONFIG_HOME/statusq/config.toml    the config file            (--config)
//! $XDG_STATE_HOME/statusq/state.json      diff's and watch's state    (--state)
//! $XDG_STATE_HOME/statusq/notify/         notify's outboxes           (--outbox)
//! $XDG_STATE_HOME/statusq/serve/ADDRESS/  serve's state directory     (--state-dir)
//! $XDG_CACHE_HOME/statusq/                the conditional-request cache (--cache)
//! ```

use etcetera::BaseStrategy;
use std::path::PathBuf;

/// The config file used when `--config` is not given: `$XDG_CONFIG_HOME/statusq/config.toml`.
pub fn config_file() -> Option<PathBuf> {
    let dirs = etcetera::choose_base_strategy().ok()?;
    Some(dirs.config_dir().join("statusq").join("config.toml"))
}

/// statusq's state directory: `$XDG_STATE_HOME/statusq` (the data directory where a system has
/// no state directory).
pub fn state_dir() -> Option<PathBuf> {
    let dirs = etcetera::choose_base_strategy().ok()?;
    let base = dirs.state_dir().unwrap_or_else(|| dirs.data_dir());
    Some(base.join("statusq"))
}

/// The state file used when `--state` is not given: `state.json` in [`state_dir`].
pub fn state_file() -> Option<PathBuf> {
    state_dir().map(|dir| dir.join("state.json"))
}

/// The conditional-request cache of long-running commands: `$XDG_CACHE_HOME/statusq`.
pub fn cache_dir() -> Option<PathBuf> {
    let dirs = etcetera::choose_base_strategy().ok()?;
    Some(dirs.cache_dir().join("statusq"))
}
