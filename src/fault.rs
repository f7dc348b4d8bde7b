//! Fault injection for the crash tests: with the `fault-injection` cargo feature (which only the
//! test build enables), `STATUSQ_FAULT_STATE_WRITE=STEP[@N]` kills the process at that step of
//! the process's Nth state commit (the first when `@N` is left out), as a power cut or `kill -9`
//! would. STEP is `rename` (the temp file is written and synced, not renamed), `after` (renamed)
//! or anything else (`temp`: half-way through the temp file). A release build has no such
//! switch: without the feature, [`state_write`] is empty and the variable is never read.

use crate::fsutil::Step;

/// Called at each step of a state commit.
#[cfg(feature = "fault-injection")]
pub fn state_write(step: Step) {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COMMITS: AtomicUsize = AtomicUsize::new(0);
    let Some(value) = std::env::var_os("STATUSQ_FAULT_STATE_WRITE") else {
        return;
    };
    let value = value.to_string_lossy();
    let (name, nth) = match value.split_once('@') {
        Some((name, nth)) => (name, nth.parse::<usize>().unwrap_or(1)),
        None => (&*value, 1),
    };
    // Every commit passes HalfWritten first: that is where one commit is told from the next.
    let commit = if step == Step::HalfWritten {
        COMMITS.fetch_add(1, Ordering::SeqCst) + 1
    } else {
        COMMITS.load(Ordering::SeqCst)
    };
    let chosen = match name {
        "rename" => Step::Written,
        "after" => Step::Renamed,
        _ => Step::HalfWritten,
    };
    if step == chosen && commit == nth {
        std::process::abort();
    }
}

/// Called at each step of a state commit: nothing, in a build without fault injection.
#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn state_write(_step: Step) {}
