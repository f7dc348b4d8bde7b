//! The writer: snapshots handed on in target order, each as soon as every provider before it
//! has been, and none waited for past its provider's budget (and a second for parsing): a
//! provider overdue is written as a `timeout` failure and what its worker brings later is
//! dropped. Saved payloads are read while the network requests are out; a provider whose
//! snapshot never comes (its worker died) is still written, as a failure.

use crate::engine::assemble;
use crate::engine::pool::{overdue_failure, Done, Shared};
use crate::error::Error;
use crate::model::{FetchError, Snapshot};
use crate::providers::Provider;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::atomic::Ordering;
use std::sync::{mpsc, OnceLock};
use std::time::{Duration, Instant};

/// How long past its budget a provider's parsing may run before the writer gives up on it.
const PARSE_GRACE: Duration = Duration::from_secs(1);
/// How often a waiting writer looks at the cancel flag.
const TICK: Duration = Duration::from_millis(50);

/// What the writer works from.
pub struct Writing<'a> {
    pub shared: &'a Shared,
    pub done: mpsc::Receiver<Done>,
    /// Who each network target is (sorted by target).
    pub remote: Vec<(usize, Provider)>,
    pub files: Vec<(usize, String, Option<PathBuf>)>,
    pub budget: Duration,
    pub max_body: u64,
    pub cancel: &'a AtomicBool,
}

/// Writes every snapshot through `order`, in target order, until every worker is gone or the
/// fetch is cancelled. An error of the consumer stops every worker and is returned.
pub fn write<F: FnMut(Snapshot) -> Result<(), Error>>(
    writing: Writing,
    order: &mut Reorder<F>,
) -> Result<(), Error> {
    let shared = writing.shared;
    let hand_on = |order: &mut Reorder<F>| -> Result<(), Error> {
        order.write_ready().inspect_err(|_| shared.halt())?;
        shared.advance(order.next);
        Ok(())
    };
    hand_on(order)?;
    // Saved payloads are read while the network requests are in flight.
    for (index, id, path) in writing.files {
        order.ready[index] = Some(assemble::replay(&id, path.as_deref(), writing.max_body));
        hand_on(order)?;
    }
    loop {
        if writing.cancel.load(Ordering::SeqCst) {
            shared.halt();
            return Ok(());
        }
        // The writer waits for the provider at the head of the line, but not past its budget.
        let head = order.next;
        let overdue = shared
            .deadlines
            .get(head)
            .and_then(OnceLock::get)
            .map(|deadline| *deadline + PARSE_GRACE);
        let wait = overdue.map_or(TICK, |at| {
            at.saturating_duration_since(Instant::now()).min(TICK)
        });
        match writing.done.recv_timeout(wait) {
            Ok(done) => {
                // A provider already written as overdue stays written.
                if done.target >= order.next {
                    order.ready[done.target] = Some(done.snapshot);
                }
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                if overdue.is_some_and(|at| Instant::now() >= at)
                    && order.ready.get(head).is_some_and(Option::is_none)
                {
                    if let Ok(at) = writing.remote.binary_search_by_key(&head, |(i, _)| *i) {
                        let started = shared.deadlines[head]
                            .get()
                            .and_then(|deadline| deadline.checked_sub(writing.budget))
                            .unwrap_or_else(Instant::now);
                        order.ready[head] = Some(overdue_failure(
                            &writing.remote[at].1,
                            writing.budget,
                            started,
                        ));
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        hand_on(order)?;
    }
    // Every worker is gone. A provider whose snapshot never came (a worker died) is still
    // written, as a failure, so the ones after it are not lost.
    for (index, provider) in &writing.remote {
        if *index >= order.next && order.ready[*index].is_none() {
            let error = FetchError {
                kind: crate::model::ErrorKind::Io,
                message: "the fetch did not finish (an internal error)".into(),
                http_status: None,
                retry_after: None,
            };
            order.ready[*index] = Some(assemble::failed(provider, error, Instant::now()));
        }
    }
    hand_on(order)
}

/// Snapshots waiting for the ones before them.
pub struct Reorder<'a, F: FnMut(Snapshot) -> Result<(), Error>> {
    pub ready: Vec<Option<Snapshot>>,
    pub next: usize,
    pub emit: &'a mut F,
}

impl<F: FnMut(Snapshot) -> Result<(), Error>> Reorder<'_, F> {
    /// Hands on every snapshot whose predecessors have all been handed on.
    pub fn write_ready(&mut self) -> Result<(), Error> {
        while let Some(slot) = self.ready.get_mut(self.next) {
            let Some(snapshot) = slot.take() else { break };
            (self.emit)(snapshot)?;
            self.next += 1;
        }
        Ok(())
    }
}
