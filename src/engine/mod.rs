//! The fetch engine: targets in, one [`Snapshot`] per target out, in the order given.
//!
//! This is the shell around the pure adapters: it owns the HTTP client (and its conditional
//! cache), the worker pool, the clock reading that dates each snapshot, and format detection
//! for typed URLs. `fetch`, `watch` and `serve` all fetch through it; [`poll`] adds time.
//!
//! Every request of every provider goes into one queue served by at most `concurrency` worker
//! threads sharing one HTTP agent, so a provider's three documents are fetched in parallel and
//! hundreds of pages take about as long as the slowest few. The worker that brings in a
//! provider's last document hands them, still gzip-compressed as they came, to a parser (a
//! thread per core, behind a short queue) that inflates and parses them, so parsing runs in
//! parallel, one big page never holds up the writer, the many request workers keep small
//! stacks, and a body waiting for its page's other documents is held compressed. Snapshots are reordered before they
//! are handed on: a snapshot leaves as soon as every provider before it has left. When the
//! consumer fails (its reader went away), no further request is started.
//!
//! Time is bounded per provider: from its first request, its documents, their retries and its
//! parsing must be done within its budget ([`HttpConfig::budget`]; a second more for
//! parsing). Past it, the writer does not wait: the provider is written as a `timeout`
//! failure and whatever its worker brings later is dropped. A cancel flag (SIGINT, SIGTERM in
//! the long-running commands) makes [`Engine::fetch_all`] return within a tenth of a second,
//! with what was written so far; requests still out are abandoned.
//!
//! Layout: this file is the pool and the reorder buffer; [`assemble`] turns a provider's bodies
//! (or a saved payload) into a snapshot; [`detect`] probes typed URLs; [`poll`] schedules polls.

pub mod assemble;
pub mod detect;
pub mod poll;

use crate::error::Error;
use crate::http::{Body, Cache, Client, HttpConfig};
use crate::model::{FetchError, Snapshot};
use crate::providers::{Provider, Target};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, OnceLock};
use std::time::{Duration, Instant};

/// How long past its budget a provider's parsing may run before the writer gives up on it.
const PARSE_GRACE: Duration = Duration::from_secs(1);
/// The stack of a request worker: it runs the HTTP client only; parsing has threads of its own.
const WORKER_STACK: usize = 128 * 1024;
/// Providers read in and waiting for a parser: past this, request workers wait, so bodies do
/// not pile up when parsing falls behind.
const PARSE_QUEUE: usize = 32;
/// Snapshots that may wait for a slow provider before it, per request in flight.
const REORDER_PER_WORKER: usize = 2;
/// How often a waiting writer looks at the cancel flag.
const TICK: Duration = Duration::from_millis(50);

/// How the engine fetches: the HTTP settings, the cache, and the width of the pool.
#[derive(Clone, Debug)]
pub struct Settings {
    pub http: HttpConfig,
    /// Where conditional-request validators and bodies are kept; `None` for no cache.
    pub cache: Option<PathBuf>,
    /// With a cache: fetch a URL unconditionally at least every this many polls.
    pub refetch_every: u32,
    /// Most requests in flight at once.
    pub concurrency: usize,
    /// Where what format detection found is remembered (`detected.json`); `None` to probe
    /// typed URLs on every run.
    pub memory: Option<PathBuf>,
}

/// The fetch engine: one HTTP client and a bounded pool of workers.
#[derive(Clone)]
pub struct Engine {
    client: Arc<Client>,
    max_body: u64,
    concurrency: usize,
    budget: Duration,
    cancel: Arc<AtomicBool>,
    memory: Option<Arc<detect::Memory>>,
}

impl Engine {
    /// An engine with its client (and cache directory, created if needed).
    pub fn open(settings: Settings) -> Result<Engine, Error> {
        let cache = match &settings.cache {
            Some(dir) => Some(
                Cache::open(dir, settings.refetch_every)
                    .map_err(|e| Error::io(dir.display().to_string(), e))?,
            ),
            None => None,
        };
        Ok(Engine {
            max_body: settings.http.max_body,
            budget: settings.http.budget(),
            cancel: Arc::new(AtomicBool::new(false)),
            concurrency: settings.concurrency.max(1),
            memory: settings
                .memory
                .as_deref()
                .map(|dir| Arc::new(detect::Memory::open(dir))),
            client: Arc::new(Client::with_cache(settings.http, cache)),
        })
    }

    /// Makes every fetch (and format detection) return promptly once `flag` is set.
    pub fn cancel_on(&mut self, flag: Arc<AtomicBool>) {
        self.cancel = flag;
    }

    /// Whether the cancel flag is set.
    pub fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    /// The format of every typed URL, probed (see [`detect::detect_formats`]).
    pub fn detect(&self, targets: Vec<Target>) -> Vec<detect::Detected> {
        detect::detect_formats(
            targets,
            &self.client,
            self.concurrency,
            self.budget,
            &self.cancel,
            self.memory.as_deref(),
        )
    }

    /// Fetches every target and hands each snapshot to `emit` in target order. Stops starting
    /// new requests as soon as `emit` fails, and returns that error.
    pub fn fetch_all(
        &self,
        targets: Vec<Target>,
        mut emit: impl FnMut(Snapshot) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if self.cancelled() {
            return Ok(());
        }
        // Typed URLs by provider id: one whose remembered format no longer reads is probed
        // again next time.
        let typed: std::collections::HashMap<String, String> = targets
            .iter()
            .filter_map(|t| match t {
                Target::Remote(p) if p.detect => Some((p.id.clone(), p.api.clone())),
                _ => None,
            })
            .collect();
        let memory = self.memory.clone();
        let mut emit = move |snapshot: Snapshot| {
            if let (Some(memory), Some(error)) = (&memory, &snapshot.error) {
                let moved = error.kind == crate::model::ErrorKind::Format
                    || matches!(error.http_status, Some(404 | 410));
                if let Some(url) = typed.get(&snapshot.provider).filter(|_| moved) {
                    memory.forget(url);
                }
            }
            emit(snapshot)
        };
        let targets = self.detect(targets);
        let mut jobs = Vec::new();
        let mut in_flight: Vec<std::sync::Mutex<Option<InFlight>>> =
            Vec::with_capacity(targets.len());
        let mut ready: Vec<Option<Snapshot>> = Vec::with_capacity(targets.len());
        let mut files = Vec::new();
        // Who each network target is, should its snapshot never come back.
        let mut remote: Vec<(usize, Provider)> = Vec::new();
        for (index, target) in targets.into_iter().enumerate() {
            ready.push(None);
            in_flight.push(std::sync::Mutex::new(None));
            match target {
                detect::Detected::Failed(provider, error, started) => {
                    ready[index] = Some(assemble::failed(&provider, error, started));
                }
                detect::Detected::Ready(Target::Remote(provider), probed) => {
                    let requests = provider.format.requests(&provider.api);
                    remote.push((index, provider.clone()));
                    // The probe already brought the first document: it is not asked for again.
                    let first = probed.filter(|_| requests[0].0 == provider.api);
                    // A page whose summary says it is unchanged has unchanged lists too: with
                    // their bodies kept, they wait for the summary's answer instead of being
                    // asked for (DESIGN §5).
                    let deferred: Vec<(usize, String)> = if provider.format.summary_first()
                        && first.is_none()
                        && requests.len() > 1
                        && requests.iter().all(|(url, _)| self.client.reusable(url))
                    {
                        requests
                            .iter()
                            .enumerate()
                            .skip(1)
                            .map(|(slot, (url, _))| (slot, url.clone()))
                            .collect()
                    } else {
                        Vec::new()
                    };
                    for (slot, (url, _)) in requests.iter().enumerate() {
                        if deferred.iter().any(|(s, _)| *s == slot)
                            || (slot == 0 && first.is_some())
                        {
                            continue;
                        }
                        jobs.push(Job {
                            target: index,
                            slot,
                            url: url.clone(),
                            redirects: provider.redirects.clone(),
                        });
                    }
                    let mut flight = InFlight {
                        required: requests.iter().map(|(_, required)| *required).collect(),
                        urls: requests.iter().map(|(url, _)| url.clone()).collect(),
                        results: requests.iter().map(|_| None).collect(),
                        remaining: requests.len() - deferred.len() - usize::from(first.is_some()),
                        started: None,
                        deferred,
                        provider,
                    };
                    if let Some(body) = first {
                        flight.results[0] = Some(Ok(Body::plain(body)));
                        flight.started = Some(Instant::now());
                    }
                    if flight.remaining == 0 {
                        // Nothing left to ask: read it now.
                        ready[index] = Some(assemble_flight(flight, self.max_body));
                    } else {
                        in_flight[index] = std::sync::Mutex::new(Some(flight));
                    }
                }
                detect::Detected::Ready(Target::File { id, path }, _) => {
                    files.push((index, id, path))
                }
            }
        }

        let shared = Arc::new(Shared {
            deadlines: (0..in_flight.len()).map(|_| OnceLock::new()).collect(),
            budget: self.budget,
            jobs,
            in_flight,
            next: AtomicUsize::new(0),
            written: AtomicUsize::new(0),
            window: self.concurrency.saturating_mul(REORDER_PER_WORKER).max(16),
            stop: AtomicBool::new(false),
            client: Arc::clone(&self.client),
        });
        let (sender, receiver) = mpsc::channel::<Done>();
        // Parsing runs on a few threads of normal stack size, one per core; the many request
        // workers only wait on sockets, on small stacks, so a request in flight costs little
        // (a parse touches tens of KB of stack, and a thread keeps what it touched).
        let parsers = std::thread::available_parallelism()
            .map_or(2, std::num::NonZero::get)
            .clamp(1, 8);
        let (parse_sender, parse_receiver) = mpsc::sync_channel::<(usize, InFlight)>(PARSE_QUEUE);
        let parse_receiver = Arc::new(std::sync::Mutex::new(parse_receiver));
        for _ in 0..parsers {
            let jobs = Arc::clone(&parse_receiver);
            let sender = sender.clone();
            let max_body = self.max_body;
            std::thread::spawn(move || parser(&jobs, &sender, max_body));
        }
        let mut workers = 0;
        for _ in 0..self.concurrency.min(shared.jobs.len()) {
            let shared = Arc::clone(&shared);
            let parse = parse_sender.clone();
            // Detached on purpose: when stdout closes, the process may exit with requests in
            // flight. A worker the system has no room for is one fewer.
            let spawned = std::thread::Builder::new()
                .stack_size(WORKER_STACK)
                .spawn(move || worker(&shared, &parse));
            workers += usize::from(spawned.is_ok());
        }
        if workers == 0 && !shared.jobs.is_empty() {
            shared.stop.store(true, Ordering::SeqCst);
            return Err(Error::Other(anyhow::anyhow!(
                "cannot start a thread to fetch with (the system is out of threads or memory)"
            )));
        }
        drop(sender);
        drop(parse_sender);

        let mut order = Reorder {
            ready,
            next: 0,
            emit: &mut emit,
        };
        let stop = |error: Error| {
            shared.stop.store(true, Ordering::SeqCst);
            error
        };
        order.write_ready().map_err(stop)?;
        shared.written.store(order.next, Ordering::SeqCst);
        // Saved payloads are read while the network requests are in flight.
        for (index, id, path) in files {
            order.ready[index] = Some(assemble::replay(&id, path.as_deref(), self.max_body));
            order.write_ready().map_err(stop)?;
            shared.written.store(order.next, Ordering::SeqCst);
        }
        loop {
            if self.cancelled() {
                shared.stop.store(true, Ordering::SeqCst);
                return Ok(());
            }
            // The writer waits for the provider at the head of the line, but not past its
            // budget.
            let head = order.next;
            let overdue = shared
                .deadlines
                .get(head)
                .and_then(OnceLock::get)
                .map(|deadline| *deadline + PARSE_GRACE);
            let wait = overdue.map_or(TICK, |at| {
                at.saturating_duration_since(Instant::now()).min(TICK)
            });
            match receiver.recv_timeout(wait) {
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
                        if let Ok(at) = remote.binary_search_by_key(&head, |(i, _)| *i) {
                            let started = shared.deadlines[head]
                                .get()
                                .and_then(|deadline| deadline.checked_sub(self.budget))
                                .unwrap_or_else(Instant::now);
                            order.ready[head] =
                                Some(overdue_failure(&remote[at].1, self.budget, started));
                        }
                    }
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            }
            order.write_ready().map_err(stop)?;
            shared.written.store(order.next, Ordering::SeqCst);
        }
        // Every worker is gone. A provider whose snapshot never came (a worker died) is still
        // written, as a failure, so the ones after it are not lost.
        for (index, provider) in remote {
            if index >= order.next && order.ready[index].is_none() {
                let error = FetchError {
                    kind: crate::model::ErrorKind::Io,
                    message: "the fetch did not finish (an internal error)".into(),
                    http_status: None,
                    retry_after: None,
                };
                order.ready[index] = Some(assemble::failed(&provider, error, Instant::now()));
            }
        }
        order.write_ready().map_err(stop)?;
        shared.written.store(order.next, Ordering::SeqCst);
        Ok(())
    }
}

/// Snapshots waiting for the ones before them.
struct Reorder<'a, F: FnMut(Snapshot) -> Result<(), Error>> {
    ready: Vec<Option<Snapshot>>,
    next: usize,
    emit: &'a mut F,
}

impl<F: FnMut(Snapshot) -> Result<(), Error>> Reorder<'_, F> {
    /// Hands on every snapshot whose predecessors have all been handed on.
    fn write_ready(&mut self) -> Result<(), Error> {
        while let Some(slot) = self.ready.get_mut(self.next) {
            let Some(snapshot) = slot.take() else { break };
            (self.emit)(snapshot)?;
            self.next += 1;
        }
        Ok(())
    }
}

/// One HTTP request of one provider.
struct Job {
    target: usize,
    slot: usize,
    url: String,
    /// Other hosts the provider's redirects may lead to.
    redirects: Vec<String>,
}

/// A provider's snapshot, sent from the worker that finished it to the writer.
struct Done {
    target: usize,
    snapshot: Snapshot,
}

struct Shared {
    jobs: Vec<Job>,
    /// When each provider must be done: its budget after its first request started.
    deadlines: Vec<OnceLock<Instant>>,
    budget: Duration,
    /// Each target's requests while they are out; `None` for targets that need none.
    in_flight: Vec<std::sync::Mutex<Option<InFlight>>>,
    next: AtomicUsize,
    /// How many providers the writer has handed on: workers start no request for a provider
    /// `window` or more places ahead of it, so a stalled provider holds at most `window`
    /// snapshots behind it, however long the list.
    written: AtomicUsize,
    window: usize,
    stop: AtomicBool,
    client: Arc<Client>,
}

/// What is known about one provider while its requests are in flight.
struct InFlight {
    provider: Provider,
    /// Whether each requested document is required (a 404 on an optional one is tolerated).
    required: Vec<bool>,
    urls: Vec<String>,
    /// Each document as it came (gzip stays compressed until a parser reads it).
    results: Vec<Option<Result<Body, FetchError>>>,
    remaining: usize,
    started: Option<Instant>,
    /// Documents not requested up front: the slot 0 document's answer decides (unchanged: the
    /// kept bodies; changed: a request each).
    deferred: Vec<(usize, String)>,
}

/// Reads a provider whose documents are all in: inflates them (at most `max_body` each; a
/// body that does not inflate is that document's failure) and parses them.
fn assemble_flight(finished: InFlight, max_body: u64) -> Snapshot {
    let documents = finished
        .results
        .into_iter()
        .zip(finished.urls)
        .zip(finished.required)
        .map(|((result, url), required)| assemble::Document {
            result: result.map(|answer| answer.and_then(|body| body.open(&url, max_body))),
            required,
        })
        .collect();
    assemble::assemble(finished.provider, documents, finished.started)
}

/// The documents that waited for the summary's answer: the kept bodies when it was unchanged
/// (and they still are kept), else requested now, in parallel.
fn fill_deferred(shared: &Shared, job: &Job, unchanged: bool, until: Instant) {
    let deferred = match shared.in_flight[job.target].lock() {
        Ok(mut slot) => match slot.as_mut() {
            Some(flight) => std::mem::take(&mut flight.deferred),
            None => return,
        },
        Err(_) => return,
    };
    if deferred.is_empty() {
        return;
    }
    let results: Vec<(usize, Result<Body, FetchError>)> = std::thread::scope(|scope| {
        let handles: Vec<_> = deferred
            .iter()
            .map(|(slot, url)| {
                let kept = if unchanged {
                    shared.client.reuse(url)
                } else {
                    None
                };
                match kept {
                    Some(body) => (*slot, Some(Ok(body)), None),
                    None => (
                        *slot,
                        None,
                        Some(scope.spawn(move || {
                            let answer = shared.client.get_checked(url, &job.redirects, until);
                            answer.map(|(body, _)| body)
                        })),
                    ),
                }
            })
            .collect();
        handles
            .into_iter()
            .map(|(slot, ready, handle)| {
                let result = ready.unwrap_or_else(|| match handle.map(|h| h.join()) {
                    Some(Ok(result)) => result,
                    _ => Err(FetchError {
                        kind: crate::model::ErrorKind::Io,
                        message: "the fetch did not finish (an internal error)".into(),
                        http_status: None,
                        retry_after: None,
                    }),
                });
                (slot, result)
            })
            .collect()
    });
    if let Ok(mut slot) = shared.in_flight[job.target].lock() {
        if let Some(flight) = slot.as_mut() {
            for (index, result) in results {
                flight.results[index] = Some(result);
            }
        }
    }
}

/// Records one request's result; returns the provider's requests when this was its last.
fn record(
    shared: &Shared,
    job: &Job,
    started: Instant,
    result: Result<Body, FetchError>,
) -> Option<InFlight> {
    // A worker that panicked while holding the lock left nothing worth keeping.
    let mut slot = shared.in_flight[job.target].lock().ok()?;
    let flight = slot.as_mut()?;
    flight.started = Some(flight.started.map_or(started, |s| s.min(started)));
    flight.results[job.slot] = Some(result);
    flight.remaining -= 1;
    if flight.remaining == 0 {
        slot.take()
    } else {
        None
    }
}

fn worker(shared: &Shared, parse: &mpsc::SyncSender<(usize, InFlight)>) {
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let index = shared.next.fetch_add(1, Ordering::SeqCst);
        let Some(job) = shared.jobs.get(index) else {
            return;
        };
        // Wait while the writer is stuck far behind (a provider early in the list stalling
        // until its timeout): the snapshots behind it stay bounded.
        while job.target >= shared.written.load(Ordering::SeqCst) + shared.window {
            if shared.stop.load(Ordering::SeqCst) {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let started = Instant::now();
        let until = *shared.deadlines[job.target].get_or_init(|| crate::http::after(shared.budget));
        let result = shared.client.get_checked(&job.url, &job.redirects, until);
        let unchanged = matches!(result, Ok((_, true)));
        let result = result.map(|(body, _)| body);
        if job.slot == 0 {
            fill_deferred(shared, job, unchanged, until);
        }
        let Some(finished) = record(shared, job, started, result) else {
            continue;
        };
        // This worker brought in the provider's last document: the parsers read them.
        if parse.send((job.target, finished)).is_err() {
            return;
        }
    }
}

/// Reads each provider whose documents are all in, and hands its snapshot to the writer.
fn parser(
    jobs: &std::sync::Mutex<mpsc::Receiver<(usize, InFlight)>>,
    sender: &mpsc::Sender<Done>,
    max_body: u64,
) {
    loop {
        let next = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(_) => return,
        };
        let Ok((target, finished)) = next else {
            return;
        };
        let snapshot = assemble_flight(finished, max_body);
        if sender.send(Done { target, snapshot }).is_err() {
            return;
        }
    }
}

/// The snapshot of a provider whose documents or parsing outlasted its budget.
fn overdue_failure(provider: &Provider, budget: Duration, started: Instant) -> Snapshot {
    let error = FetchError {
        kind: crate::model::ErrorKind::Timeout,
        message: format!(
            "{}: not fetched and read within {} s (--timeout × attempts, DESIGN §5)",
            provider.api,
            budget.as_secs()
        ),
        http_status: None,
        retry_after: None,
    };
    assemble::failed(provider, error, started)
}
