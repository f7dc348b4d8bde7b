//! Polling over time, shared by `fetch --watch`, `watch` and `serve`: the engine, again and
//! again, each provider on its own schedule.
//!
//! Each provider has its own next poll time: the normal interval, the `--fast` one while it has
//! an unresolved incident or a running maintenance, and an exponential backoff after failures
//! in a row (a `429 Too Many Requests` is a failure too): the wait doubles from the interval up
//! to [`BACKOFF_FACTOR`] times it, and never past an hour, so a page that was down is looked at
//! again on the scale its interval says. Every delay gets
//! ±10% jitter, so 500 providers polled together drift apart instead of firing at one instant.
//! The first poll of every provider is immediate. A provider refused with a `Retry-After`
//! longer than the wait it would get is next polled once that has passed (up to a day).
//!
//! Stopping: SIGINT, SIGTERM and SIGHUP set a flag that the loops check while waiting and that
//! the engine checks while requests are out ([`Engine::cancel_on`]), so a command stops within
//! a tenth of a second in every phase — probing, fetching, waiting — after delivering and
//! committing what it already has. A second signal ends the process at once (exit 128 + the
//! signal's number).

use crate::engine::detect::Detected;
use crate::engine::Engine;
use crate::error::Error;
use crate::model::Snapshot;
use crate::providers::Target;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A failing provider waits at most this many intervals between polls…
pub const BACKOFF_FACTOR: u32 = 8;
/// …and never longer than this…
const MAX_BACKOFF: Duration = Duration::from_secs(3600);
/// …unless the server asked for longer with `Retry-After`, up to this.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(86_400);

/// When to poll.
#[derive(Clone, Debug)]
pub struct Schedule {
    pub interval: Duration,
    /// The interval while a provider has something open; `None` keeps the normal one.
    pub fast: Option<Duration>,
}

/// The providers of a long-running command and when each is next due.
pub struct Poller {
    targets: Vec<Target>,
    engine: Engine,
    schedule: Schedule,
    due: Vec<Instant>,
    failures: Vec<u32>,
}

impl Poller {
    /// Probes the format of typed URLs once; every provider is due at once.
    pub fn new(targets: Vec<Target>, engine: Engine, schedule: Schedule) -> Poller {
        let original = targets.clone();
        let targets: Vec<Target> = engine
            .detect(targets)
            .into_iter()
            .zip(original)
            .map(|(detected, original)| match detected {
                Detected::Ready(target, _) => target,
                // Probed again at every poll until the page answers.
                Detected::Failed(..) => original,
            })
            .collect();
        let now = Instant::now();
        Poller {
            due: vec![now; targets.len()],
            failures: vec![0; targets.len()],
            targets,
            engine,
            schedule,
        }
    }

    /// Polls every provider that is due, handing the snapshots to `emit` in the order the
    /// providers were given, each with how long until that provider is polled again (the
    /// interval, or the backoff after a failure). Returns how many were polled.
    pub fn poll_due(
        &mut self,
        mut emit: impl FnMut(Snapshot, Duration) -> Result<(), Error>,
    ) -> Result<usize, Error> {
        let now = Instant::now();
        let due: Vec<usize> = (0..self.targets.len())
            .filter(|&i| self.due[i] <= now)
            .collect();
        if due.is_empty() {
            return Ok(0);
        }
        let batch: Vec<Target> = due.iter().map(|&i| self.targets[i].clone()).collect();
        let mut position = 0;
        let mut outcome: Vec<(usize, Duration)> = Vec::with_capacity(due.len());
        let schedule = self.schedule.clone();
        let failures = &mut self.failures;
        self.engine.fetch_all(batch, |snapshot| {
            let index = due[position];
            position += 1;
            failures[index] = if snapshot.ok { 0 } else { failures[index] + 1 };
            let wait = delay(&schedule, &snapshot, failures[index]);
            outcome.push((index, wait));
            emit(snapshot, wait)
        })?;
        let finished = Instant::now();
        for (index, wait) in outcome {
            self.due[index] = finished + wait;
        }
        Ok(due.len())
    }

    /// When the next provider is due; with no providers (an empty shard), an interval from
    /// now, so waiting for nothing never spins.
    pub fn next_due(&self) -> Instant {
        self.due
            .iter()
            .min()
            .copied()
            .unwrap_or_else(|| Instant::now() + self.schedule.interval)
    }

    /// Whether there is nothing to poll (a shard that holds none of the providers): every
    /// poll of it is finished at once.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// How many providers it polls.
    pub fn len(&self) -> usize {
        self.targets.len()
    }
}

/// Whether a provider earns the fast interval: its snapshot shows an open incident or a
/// maintenance under way (an upcoming one waits its turn). "Open" is the model's
/// ([`crate::model::Incident::is_open`]), as everywhere else.
pub fn is_busy(snapshot: &Snapshot) -> bool {
    snapshot.ok
        && (snapshot.open_incidents().next().is_some()
            || snapshot.open_maintenances().any(|m| m.is_running()))
}

/// The wait before a provider's next poll.
fn delay(schedule: &Schedule, snapshot: &Snapshot, failures: u32) -> Duration {
    let base = match schedule.fast {
        Some(fast) if is_busy(snapshot) => fast,
        _ => schedule.interval,
    };
    let backed_off = if failures == 0 {
        base
    } else {
        base.saturating_mul(1 << failures.min(10))
            .min(base.saturating_mul(BACKOFF_FACTOR))
            .min(MAX_BACKOFF)
            .max(base)
    };
    let asked = snapshot
        .error
        .as_ref()
        .and_then(|e| e.retry_after)
        .map_or(Duration::ZERO, |s| {
            Duration::from_secs(s).min(MAX_RETRY_AFTER)
        });
    // Jitter may lengthen the server's wait, never shorten it.
    jitter(backed_off).max(asked + asked / 20)
}

/// ±10%.
fn jitter(delay: Duration) -> Duration {
    let random = crate::random::u64();
    delay.mul_f64(0.9 + (random % 2001) as f64 / 10_000.0)
}

/// A flag that SIGINT, SIGTERM and SIGHUP set; the same signal again, or another of them,
/// ends the process at once with 128 + its number, for a user who will not wait.
pub fn stop_flag() -> Result<Arc<AtomicBool>, Error> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let flag = Arc::new(AtomicBool::new(false));
    for signal in [SIGINT, SIGTERM, SIGHUP] {
        // Registered first, so the first signal finds the flag unset and only sets it.
        signal_hook::flag::register_conditional_shutdown(signal, 128 + signal, Arc::clone(&flag))
            .map_err(|e| Error::io("signal handler", e))?;
        signal_hook::flag::register(signal, Arc::clone(&flag))
            .map_err(|e| Error::io("signal handler", e))?;
    }
    Ok(flag)
}

/// Sleeps until `deadline` or until `stop` is set; false when stopped.
pub fn wait_until(deadline: Instant, stop: &AtomicBool) -> bool {
    wait_for_output(deadline, stop, false)
}

/// [`wait_until`], also stopping (false) when `watch_stdout` and the reader of standard output
/// has gone (`watch | head -1`): a command whose product is its output polls no more for
/// nobody, instead of finding out at its next write.
pub fn wait_for_output(deadline: Instant, stop: &AtomicBool, watch_stdout: bool) -> bool {
    loop {
        if stop.load(Ordering::SeqCst) || (watch_stdout && stdout_reader_gone()) {
            return false;
        }
        let now = Instant::now();
        if now >= deadline {
            return true;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(50)));
    }
}

/// Whether standard output is a pipe whose reader has closed it (poll reports an error on the
/// write end). A terminal or a file never is.
fn stdout_reader_gone() -> bool {
    let mut fd = libc::pollfd {
        fd: libc::STDOUT_FILENO,
        events: libc::POLLOUT,
        revents: 0,
    };
    // SAFETY: one valid pollfd, no timeout; poll only reads the descriptor's state.
    let ready = unsafe { libc::poll(&mut fd, 1, 0) };
    ready > 0 && fd.revents & (libc::POLLERR | libc::POLLHUP) != 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ErrorKind, FetchError, SnapshotMeta, Timestamp};

    fn snapshot(ok: bool) -> Snapshot {
        let mut s = Snapshot::failed(
            SnapshotMeta {
                provider: "p".into(),
                name: "P".into(),
                url: String::new(),
                format: "statuspage".into(),
                fetched_at: Timestamp::parse("2026-11-22T00:00:00Z").unwrap(),
                elapsed_ms: 0,
            },
            FetchError {
                kind: ErrorKind::Http,
                message: String::new(),
                http_status: Some(429),
                retry_after: None,
            },
        );
        if ok {
            s.ok = true;
            s.error = None;
            s.incidents = Some(Vec::new());
        }
        s
    }

    #[test]
    fn failures_back_off_exponentially_within_jitter_and_a_cap() {
        let schedule = Schedule {
            interval: Duration::from_secs(60),
            fast: Some(Duration::from_secs(10)),
        };
        let ok = delay(&schedule, &snapshot(true), 0);
        assert!(
            ok >= Duration::from_secs(54) && ok <= Duration::from_secs(66),
            "{ok:?}"
        );
        let third = delay(&schedule, &snapshot(false), 3);
        assert!(third >= Duration::from_secs(432) && third <= Duration::from_secs(528));
        // Bounded by the interval's scale: 8 × 60 s, ±10%, however many failures.
        let many = delay(&schedule, &snapshot(false), 30);
        assert!(
            many >= Duration::from_secs(432) && many <= Duration::from_secs(528),
            "{many:?}"
        );
        // A long interval is still held to an hour.
        let hourly = Schedule {
            interval: Duration::from_secs(1800),
            fast: None,
        };
        assert!(delay(&hourly, &snapshot(false), 30) <= Duration::from_secs(3960));
    }
}
