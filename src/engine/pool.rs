//! The pool: request workers on small stacks taking jobs from one queue, parsers (a thread
//! per core) reading each provider once its documents are in, and what they share with the
//! writer. A worker starts no request for a provider too far ahead of the writer, and waits on
//! a condition variable for the writer to move on, not on a clock.

use crate::engine::assemble;
use crate::error::Error;
use crate::http::{Body, Client};
use crate::model::{FetchError, Snapshot};
use crate::providers::Provider;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The stack of a request worker: it runs the HTTP client only; parsing has threads of its own.
const WORKER_STACK: usize = 128 * 1024;
/// Providers read in and waiting for a parser: past this, request workers wait, so bodies do
/// not pile up when parsing falls behind.
const PARSE_QUEUE: usize = 32;
/// How often a worker waiting for the window looks at the stop flag.
const STOP_CHECK: Duration = Duration::from_millis(50);

/// Starts the parsers and up to `concurrency` request workers for `shared`'s jobs, each
/// finished provider's snapshot sent to `done`. Fails when no worker can be started for jobs
/// there are.
pub fn start(
    shared: &Arc<Shared>,
    concurrency: usize,
    max_body: u64,
    done: &mpsc::Sender<Done>,
) -> Result<(), Error> {
    // Parsing runs on a few threads of normal stack size, one per core; the many request
    // workers only wait on sockets, on small stacks, so a request in flight costs little
    // (a parse touches tens of KB of stack, and a thread keeps what it touched).
    let parsers = std::thread::available_parallelism()
        .map_or(2, std::num::NonZero::get)
        .clamp(1, 8);
    let (parse_sender, parse_receiver) = mpsc::sync_channel::<(usize, InFlight)>(PARSE_QUEUE);
    let parse_receiver = Arc::new(Mutex::new(parse_receiver));
    for _ in 0..parsers {
        let jobs = Arc::clone(&parse_receiver);
        let sender = done.clone();
        let shared = Arc::clone(shared);
        std::thread::spawn(move || parser(&shared, &jobs, &sender, max_body));
    }
    let mut workers = 0;
    for _ in 0..concurrency.min(shared.jobs.len()) {
        let shared = Arc::clone(shared);
        let parse = parse_sender.clone();
        // Detached on purpose: when stdout closes, the process may exit with requests in
        // flight. A worker the system has no room for is one fewer.
        let spawned = std::thread::Builder::new()
            .stack_size(WORKER_STACK)
            .spawn(move || worker(&shared, &parse));
        workers += usize::from(spawned.is_ok());
    }
    if workers == 0 && !shared.jobs.is_empty() {
        shared.halt();
        return Err(Error::Other(anyhow::anyhow!(
            "cannot start a thread to fetch with (the system is out of threads or memory)"
        )));
    }
    Ok(())
}

/// One HTTP request of one provider.
pub struct Job {
    pub target: usize,
    pub slot: usize,
    pub url: String,
    /// Other hosts the provider's redirects may lead to.
    pub redirects: Vec<String>,
}

/// A provider's snapshot, sent from the worker that finished it to the writer.
pub struct Done {
    pub target: usize,
    pub snapshot: Snapshot,
}

pub struct Shared {
    pub jobs: Vec<Job>,
    /// When each provider must be done: its budget after its first request started.
    pub deadlines: Vec<OnceLock<Instant>>,
    pub budget: Duration,
    /// Each target's requests while they are out; `None` for targets that need none.
    pub in_flight: Vec<Mutex<Option<InFlight>>>,
    pub next: AtomicUsize,
    /// How many providers the writer has handed on: workers start no request for a provider
    /// `window` or more places ahead of it, so a stalled provider holds at most `window`
    /// snapshots behind it, however long the list. Workers wait on `advanced` for it to move.
    pub written: Mutex<usize>,
    pub advanced: Condvar,
    pub window: usize,
    pub stop: AtomicBool,
    pub client: Arc<Client>,
    /// Where declared pages that moved were found (the engine's, for its life).
    pub relocations: Arc<crate::engine::relocate::Relocations>,
}

impl Shared {
    /// What the workers share for `jobs` and the providers `in_flight`.
    pub fn new(
        jobs: Vec<Job>,
        in_flight: Vec<Mutex<Option<InFlight>>>,
        budget: Duration,
        window: usize,
        client: Arc<Client>,
        relocations: Arc<crate::engine::relocate::Relocations>,
    ) -> Shared {
        Shared {
            deadlines: (0..in_flight.len()).map(|_| OnceLock::new()).collect(),
            budget,
            jobs,
            in_flight,
            next: AtomicUsize::new(0),
            written: Mutex::new(0),
            advanced: Condvar::new(),
            window,
            stop: AtomicBool::new(false),
            client,
            relocations,
        }
    }

    /// The writer has handed on `written` providers: workers waiting behind the window go on.
    pub fn advance(&self, written: usize) {
        if let Ok(mut slot) = self.written.lock() {
            if *slot != written {
                *slot = written;
                self.advanced.notify_all();
            }
        }
    }

    /// Stops every worker at its next step, and any waiting for the window.
    pub fn halt(&self) {
        self.stop.store(true, Ordering::SeqCst);
        self.advanced.notify_all();
    }

    /// Waits while `target` is too far ahead of the writer (a provider early in the list
    /// stalling until its timeout); whether the worker may go on (not stopped).
    fn wait_for_window(&self, target: usize) -> bool {
        let Ok(mut written) = self.written.lock() else {
            return false;
        };
        while target >= *written + self.window {
            if self.stop.load(Ordering::SeqCst) {
                return false;
            }
            // Woken by the writer; the timeout only bounds how late a stop is seen.
            match self.advanced.wait_timeout(written, STOP_CHECK) {
                Ok((guard, _)) => written = guard,
                Err(_) => return false,
            }
        }
        !self.stop.load(Ordering::SeqCst)
    }
}

/// What is known about one provider while its requests are in flight.
pub struct InFlight {
    pub provider: Provider,
    /// Whether each requested document is required (a 404 on an optional one is tolerated).
    pub required: Vec<bool>,
    pub urls: Vec<String>,
    /// Each document as it came (gzip stays compressed until a parser reads it).
    pub results: Vec<Option<Result<Body, FetchError>>>,
    pub remaining: usize,
    pub started: Option<Instant>,
    /// Documents not requested up front: the slot 0 document's answer decides (unchanged: the
    /// kept bodies; changed: a request each).
    pub deferred: Vec<(usize, String)>,
}

/// Reads a provider whose documents are all in: inflates them (at most `max_body` each; a
/// body that does not inflate is that document's failure) and parses them.
pub fn assemble_flight(finished: InFlight, max_body: u64) -> Snapshot {
    read(
        &finished.provider,
        finished.results,
        &finished.urls,
        &finished.required,
        finished.started,
        max_body,
    )
}

fn read(
    provider: &Provider,
    results: Vec<Option<Result<Body, FetchError>>>,
    urls: &[String],
    required: &[bool],
    started: Option<Instant>,
    max_body: u64,
) -> Snapshot {
    let documents = results
        .into_iter()
        .zip(urls)
        .zip(required)
        .map(|((result, url), &required)| assemble::Document {
            result: result.map(|answer| answer.and_then(|body| body.open(url, max_body))),
            required,
        })
        .collect();
    assemble::assemble(provider, documents, started)
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
        // Wait while the writer is stuck far behind: the snapshots behind it stay bounded.
        if !shared.wait_for_window(job.target) {
            return;
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
    shared: &Arc<Shared>,
    jobs: &Mutex<mpsc::Receiver<(usize, InFlight)>>,
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
        let Some(snapshot) = read_flight(shared, target, finished, max_body, sender) else {
            continue;
        };
        if sender.send(Done { target, snapshot }).is_err() {
            return;
        }
    }
}

/// [`assemble_flight`]; but when a document was the cache's kept body and the provider does
/// not read, what was kept is forgotten and its documents fetched afresh, within its budget,
/// in this poll: a corrupt cache must not pass for a broken page (DESIGN §5). And a declared
/// page that answers in another format is looked for at its base URL
/// ([`crate::engine::relocate`]). Both are rare, so the parser thread makes those requests
/// itself.
fn read_flight(
    shared: &Arc<Shared>,
    target: usize,
    finished: InFlight,
    max_body: u64,
    sender: &mpsc::Sender<Done>,
) -> Option<Snapshot> {
    use crate::model::ErrorKind;
    let InFlight {
        provider,
        required,
        urls,
        results,
        started,
        ..
    } = finished;
    let kept = results
        .iter()
        .any(|result| matches!(result, Some(Ok(body)) if body.kept));
    let mut snapshot = read(&provider, results, &urls, &required, started, max_body);
    let failed_as = |snapshot: &Snapshot, kinds: &[ErrorKind]| {
        snapshot
            .error
            .as_ref()
            .is_some_and(|e| kinds.contains(&e.kind))
    };
    if snapshot.ok
        || !failed_as(
            &snapshot,
            &[ErrorKind::Parse, ErrorKind::Format, ErrorKind::Io],
        )
    {
        return Some(snapshot);
    }
    let until = *shared.deadlines[target].get_or_init(|| crate::http::after(shared.budget));
    if kept {
        let redirects = shared
            .jobs
            .iter()
            .find(|job| job.target == target)
            .map(|job| job.redirects.clone())
            .unwrap_or_default();
        let results = urls
            .iter()
            .map(|url| Some(shared.client.refetch(url, &redirects, until)))
            .collect();
        snapshot = read(&provider, results, &urls, &required, started, max_body);
    }
    if !shared.relocations.wanted(&provider, &snapshot) {
        return Some(snapshot);
    }
    // Probing takes several requests: on a thread of its own, so the parsers keep reading
    // the other providers meanwhile.
    let (shared, sender, failed) = (Arc::clone(shared), sender.clone(), snapshot.clone());
    let spawned = std::thread::Builder::new().spawn(move || {
        let snapshot = shared
            .relocations
            .follow(&shared.client, &provider, until, started)
            .unwrap_or(snapshot);
        let _ = sender.send(Done { target, snapshot });
    });
    match spawned {
        Ok(_) => None,
        Err(_) => Some(failed),
    }
}

/// The snapshot of a provider whose documents or parsing outlasted its budget.
pub fn overdue_failure(provider: &Provider, budget: Duration, started: Instant) -> Snapshot {
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
