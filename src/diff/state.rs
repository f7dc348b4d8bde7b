//! The diff state: what `diff` remembers between runs, per provider — the update ids already
//! announced and the last status of every component, incident and maintenance — as versioned
//! JSON (`{"statusq_state":1,"providers":{…}}`). The diff engine reads and changes it in memory;
//! [`crate::state`] keeps it on disk under its lock, and [`crate::pipeline`] decides when.

use crate::error::Error;
use crate::model::{ComponentStatus, Indicator, Timestamp};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The state format version this build reads and writes.
pub const STATE_VERSION: u32 = 1;

/// Everything `diff` knows, keyed by provider id.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct State {
    /// Always [`STATE_VERSION`]; its presence marks the file as a statusq state.
    pub statusq_state: u32,
    pub providers: BTreeMap<String, ProviderState>,
    /// Events committed as part of this state but perhaps not delivered: the state is committed
    /// with them before they are written, and without them once they are flushed. A run that
    /// finds some left (the last one died in between) delivers them again first, same ids.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub in_doubt: Vec<crate::model::Event>,
}

/// What is known of one provider.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ProviderState {
    /// Whether a successful snapshot has been seen (the first one is the baseline).
    pub baselined: bool,
    /// `fetched_at` of the last snapshot, successful or not.
    pub last_seen: Option<Timestamp>,
    /// `fetched_at` of the last successful snapshot: what the ids of the transitions statusq
    /// observes are named after.
    #[serde(default)]
    pub last_ok: Option<Timestamp>,
    /// The format of the last successful snapshot: a change is a move to another platform.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
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
    /// The `--remind` lead times (seconds) already reminded of, each once.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub reminded: BTreeSet<u64>,
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
            reminded: BTreeSet::new(),
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
            in_doubt: Vec::new(),
        }
    }

    /// Parses a state file's bytes (not UTF-8, or not JSON: corrupt); `path` only names the
    /// file in errors.
    pub fn parse(text: &[u8], path: &Path) -> Result<State, Error> {
        let corrupt = |why: String| {
            Error::Other(anyhow::anyhow!(
                "{}: {why}; it is left untouched (move it away to start afresh)",
                path.display()
            ))
        };
        let value: serde_json::Value = serde_json::from_slice(text)
            .map_err(|e| corrupt(format!("corrupt state file: {e}")))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrupt_foreign_and_future_states_are_refused_by_name() {
        let path = Path::new("/x/state.json");
        for (text, why) in [
            ("{\"statusq_state\":1,", "corrupt"),
            ("{\"hello\":1}", "not a statusq state"),
            ("{\"statusq_state\":9,\"providers\":{}}", "version 9"),
            ("{\"statusq_state\":1,\"providers\":3}", "corrupt"),
            ("\u{fffd}", "corrupt"),
        ] {
            let err = State::parse(text.as_bytes(), path).unwrap_err().to_string();
            assert!(err.contains("/x/state.json") && err.contains(why), "{err}");
        }
        for bytes in [
            &b"\xff\xfe{}"[..],
            b"{\"statusq_state\":1,\"providers\":{\"\xff\":{}}}",
        ] {
            let err = State::parse(bytes, path).unwrap_err().to_string();
            assert!(
                err.contains("corrupt state file") && err.contains("left untouched"),
                "{err}"
            );
        }
    }
}
