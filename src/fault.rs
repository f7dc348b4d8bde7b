//! Fault injection for the crash tests: with the `fault-injection` cargo feature (which only the
//! test build enables), `STATUSQ_FAULT_STATE_WRITE=rename|after` kills the process at that step
//! of a state commit (any other value: `temp`, half-way through the temp file), as a power cut
//! or `kill -9` would. A release build has no such switch:
//! without the feature, [`state_write`] is empty and the variable is never read.

use crate::fsutil::Step;

/// Called at each step of a state commit.
#[cfg(feature = "fault-injection")]
pub fn state_write(step: Step) {
    let Some(value) = std::env::var_os("STATUSQ_FAULT_STATE_WRITE") else {
        return;
    };
    let chosen = match value.to_str() {
        Some("rename") => Step::Written,
        Some("after") => Step::Renamed,
        _ => Step::HalfWritten,
    };
    if step == chosen {
        std::process::abort();
    }
}

/// Called at each step of a state commit: nothing, in a build without fault injection.
#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn state_write(_step: Step) {}
