//! Notify delivery off the poll path, for `watch --notify`.
//!
//! On the poll path a batch of events is only spooled into every target's outbox
//! ([`crate::notify::run::spool_all`]: a synced file each, no request, no lock), which is what
//! the ledger waits for before it commits the batch delivered. Sending is the courier's, on a
//! thread of its own with a budget of its own (a round of [`crate::notify::run::deliver_all`]
//! within `max_time`), watching the stop flag between messages and while it waits to retry. A
//! receiver that accepts and never answers costs the courier its round, never the poller its
//! schedule, and never delays a stop; what it has not delivered stays in its outbox for the
//! next round or the next run.

use crate::clock;
use crate::error::Error;
use crate::model::Event;
use crate::notify::run::{deliver_all, spool_all, Settings};
use crate::notify::Target;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SyncSender};
use std::sync::Arc;
use std::time::Duration;

/// What the courier is asked for.
enum Request {
    /// A round when it can: requests that come while one runs fold into the next.
    Round,
    /// A round, with whether everything due went.
    Report,
}

/// The delivery thread of a long-running command and its handle.
pub struct Courier {
    targets: Arc<Vec<Target>>,
    settings: Settings,
    requests: SyncSender<Request>,
    results: Receiver<bool>,
    stop: Arc<AtomicBool>,
}

impl Courier {
    /// Starts the courier for `targets`, ending once `stop` is set.
    pub fn start(
        targets: Vec<Target>,
        settings: Settings,
        stop: Arc<AtomicBool>,
    ) -> Result<Courier, Error> {
        let targets = Arc::new(targets);
        let (requests, inbox) = mpsc::sync_channel::<Request>(1);
        let (tell, results) = mpsc::channel::<bool>();
        {
            let targets = Arc::clone(&targets);
            let settings = settings.clone();
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("statusq-courier".into())
                .spawn(move || loop {
                    let request = match inbox.recv_timeout(TICK) {
                        Ok(request) => request,
                        Err(RecvTimeoutError::Timeout) if !stop.load(Ordering::SeqCst) => continue,
                        Err(_) => return,
                    };
                    let all = round(&targets, &settings, &stop);
                    if let Request::Report = request {
                        let _ = tell.send(all);
                    }
                })
                .map_err(|e| {
                    Error::Other(anyhow::anyhow!("cannot start the notify thread: {e}"))
                })?;
        }
        Ok(Courier {
            targets,
            settings,
            requests,
            results,
            stop,
        })
    }

    /// Spools `events` into every target's outbox — durable once this returns — and asks for a
    /// round. On the poll path: it never sends.
    pub fn spool(&self, events: &[Event]) -> Result<(), Error> {
        if events.is_empty() {
            return Ok(());
        }
        spool_all(&self.targets, events, &self.settings.dir)?;
        self.wake();
        Ok(())
    }

    /// Asks for a round (held changes come due, what a target did not take is tried again),
    /// without waiting for it.
    pub fn wake(&self) {
        let _ = self.requests.try_send(Request::Round);
    }

    /// A round now, waited for: whether everything due was delivered. `false` when the command
    /// is stopped first.
    pub fn deliver_now(&self) -> bool {
        if self.requests.send(Request::Report).is_err() {
            return false;
        }
        loop {
            match self.results.recv_timeout(TICK) {
                Ok(all) => return all,
                Err(RecvTimeoutError::Timeout) if !self.stop.load(Ordering::SeqCst) => {}
                Err(_) => return false,
            }
        }
    }
}

/// How often the courier and its waiters look at the stop flag.
const TICK: Duration = Duration::from_millis(100);

/// One round over every target, its problems said on stderr: whether everything due went.
fn round(targets: &[Target], settings: &Settings, stop: &Arc<AtomicBool>) -> bool {
    match deliver_all(targets, settings, Some(Arc::clone(stop)), clock::now()) {
        Ok(reports) => {
            let mut all = true;
            for (name, report) in reports {
                for line in report.problem_lines(&name) {
                    eprintln!("{line}");
                }
                all &= report.all_delivered();
            }
            all
        }
        Err(error) => {
            eprintln!("statusq: notify: {error}");
            false
        }
    }
}
