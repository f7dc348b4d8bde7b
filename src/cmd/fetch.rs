//! `statusq fetch`: poll status pages concurrently, write one `snapshot` per provider.
//!
//! Reads: the network (catalog ids, URLs) or saved payloads (files, `-` for stdin).
//! Writes: one `snapshot` record per provider, in the order the providers were given.
//!
//! ```text
//! $ statusq fetch github openai | jq -c '{provider, ok, indicator: .status.indicator}'
//! {"provider":"github","ok":true,"indicator":"none"}
//! {"provider":"openai","ok":true,"indicator":"minor"}
//! ```
//!
//! Every request of every provider goes into one queue served by at most `--concurrency`
//! worker threads sharing one HTTP agent, so a provider's three documents are fetched in
//! parallel and hundreds of pages take about as long as the slowest few. Results are reordered
//! before writing; a snapshot is written as soon as every provider before it is written. When
//! the reader of stdout goes away, no further request is started.

use crate::cli::{FetchArgs, HttpArgs, PollArgs};
use crate::error::{Error, Exit};
use crate::http::{Client, HttpConfig};
use crate::model::{ErrorKind, FetchError, Record, Snapshot, SnapshotMeta, Timestamp};
use crate::ndjson::Output;
use crate::providers::{self, Catalog, Provider, Target};
use crate::sources::{Format, Parts};
use std::io::Read;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Instant;

/// Runs `statusq fetch`.
pub fn run(args: FetchArgs, config: Option<&Path>, out: &mut Output) -> Result<Exit, Error> {
    let catalog = Catalog::load(config)?;
    let targets = targets(&args.providers, args.all, &catalog)?;
    let client = client(&args.http, &args.poll, args.watch.is_some())?;
    let concurrency = args.http.concurrency as usize;
    let mut any_failed = false;
    let Some(interval) = args.watch else {
        fetch_all(
            targets,
            &client,
            args.http.max_body,
            concurrency,
            |snapshot| {
                any_failed |= !snapshot.ok;
                out.record(&Record::Snapshot(Box::new(snapshot)))
            },
        )?;
        out.flush()?;
        return Ok(if any_failed {
            Exit::Partial
        } else {
            Exit::Success
        });
    };
    let stop = crate::poll::stop_flag()?;
    let schedule = crate::poll::Schedule {
        interval,
        fast: args.poll.fast,
    };
    let mut poller =
        crate::poll::Poller::new(targets, client, args.http.max_body, concurrency, schedule);
    loop {
        poller.poll_due(|snapshot| {
            out.record(&Record::Snapshot(Box::new(snapshot)))?;
            out.flush()
        })?;
        if !crate::poll::wait_until(poller.next_due(), &stop) {
            return Ok(Exit::Success);
        }
    }
}

/// The one HTTP client of a command, with the conditional-request cache when asked for (or by
/// default for long-running commands).
pub fn client(
    http: &HttpArgs,
    poll: &PollArgs,
    cache_by_default: bool,
) -> Result<Arc<Client>, Error> {
    let config = HttpConfig {
        timeout: http.timeout,
        max_body: http.max_body,
        retries: http.retries,
        max_retry_after: http.max_retry_after,
        ..HttpConfig::default()
    };
    let dir = match (&poll.cache, poll.no_cache, cache_by_default) {
        (_, true, _) => None,
        (Some(dir), _, _) => Some(dir.clone()),
        (None, _, true) => default_cache_dir(),
        (None, _, false) => None,
    };
    let cache = match dir {
        Some(dir) => Some(
            crate::http::Cache::open(&dir, poll.refetch_every)
                .map_err(|e| Error::io(dir.display().to_string(), e))?,
        ),
        None => None,
    };
    Ok(Arc::new(Client::with_cache(config, cache)))
}

/// `$XDG_CACHE_HOME/statusq`.
pub fn default_cache_dir() -> Option<std::path::PathBuf> {
    use etcetera::BaseStrategy;
    etcetera::choose_base_strategy()
        .ok()
        .map(|dirs| dirs.cache_dir().join("statusq"))
}

/// Resolves command-line words (and `--all`) into targets; an unreadable format is a usage
/// error.
pub fn targets(words: &[String], all: bool, catalog: &Catalog) -> Result<Vec<Target>, Error> {
    let mut targets: Vec<Target> = Vec::new();
    if all {
        targets.extend(
            catalog
                .all()
                .iter()
                .filter(|p| p.format.is_supported())
                .cloned()
                .map(Target::Remote),
        );
    }
    for word in words {
        let target = providers::resolve(word, catalog)?;
        if let Target::Remote(provider) = &target {
            if !provider.format.is_supported() {
                return Err(Error::Usage(format!(
                    "{}: its page uses the {} format, which this build cannot read yet",
                    provider.id,
                    provider.format.as_str()
                )));
            }
        }
        targets.push(target);
    }
    if targets.is_empty() {
        return Err(Error::Usage(
            "nothing to fetch: name providers or use --all (see `statusq providers`)".into(),
        ));
    }
    Ok(targets)
}

/// One HTTP request of one provider.
struct Job {
    target: usize,
    slot: usize,
    url: String,
}

/// A finished request, sent from a worker to the writer.
struct Done {
    target: usize,
    slot: usize,
    started: Instant,
    result: Result<Vec<u8>, FetchError>,
}

struct Shared {
    jobs: Vec<Job>,
    next: AtomicUsize,
    stop: AtomicBool,
    client: Arc<Client>,
}

/// What is known about one provider while its requests are in flight.
struct InFlight {
    provider: Provider,
    /// Whether each requested document is required (a 404 on an optional one is tolerated).
    required: Vec<bool>,
    results: Vec<Option<Result<Vec<u8>, FetchError>>>,
    remaining: usize,
    started: Option<Instant>,
}

/// Fetches every target and hands each snapshot to `emit` in target order. Stops starting new
/// requests as soon as `emit` fails, and returns that error.
pub fn fetch_all(
    targets: Vec<Target>,
    client: &Arc<Client>,
    max_body: u64,
    concurrency: usize,
    mut emit: impl FnMut(Snapshot) -> Result<(), Error>,
) -> Result<(), Error> {
    let targets = detect_formats(targets, client, concurrency);
    let mut jobs = Vec::new();
    let mut in_flight: Vec<Option<InFlight>> = Vec::with_capacity(targets.len());
    let mut ready: Vec<Option<Snapshot>> = Vec::with_capacity(targets.len());
    let mut files = Vec::new();
    let mut undetectable: Vec<(usize, Snapshot)> = Vec::new();
    for (index, target) in targets.into_iter().enumerate() {
        ready.push(None);
        match target {
            Detected::Failed(provider, error) => {
                in_flight.push(None);
                undetectable.push((index, failed_snapshot(&provider, error)));
            }
            Detected::Ready(Target::Remote(provider)) => {
                let requests = provider.format.requests(&provider.api);
                for (slot, (url, _)) in requests.iter().enumerate() {
                    jobs.push(Job {
                        target: index,
                        slot,
                        url: url.clone(),
                    });
                }
                in_flight.push(Some(InFlight {
                    required: requests.iter().map(|(_, required)| *required).collect(),
                    results: requests.iter().map(|_| None).collect(),
                    remaining: requests.len(),
                    started: None,
                    provider,
                }));
            }
            Detected::Ready(Target::File { id, path }) => {
                in_flight.push(None);
                files.push((index, id, path));
            }
        }
    }

    let shared = Arc::new(Shared {
        jobs,
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        client: Arc::clone(client),
    });
    let (sender, receiver) = mpsc::channel::<Done>();
    let workers = concurrency.min(shared.jobs.len());
    for _ in 0..workers {
        let shared = Arc::clone(&shared);
        let sender = sender.clone();
        // Detached on purpose: when stdout closes, the process may exit with requests in flight.
        std::thread::spawn(move || worker(&shared, &sender));
    }
    drop(sender);

    let mut next_to_write = 0;
    let mut write_ready = |ready: &mut Vec<Option<Snapshot>>| -> Result<(), Error> {
        while let Some(slot) = ready.get_mut(next_to_write) {
            let Some(snapshot) = slot.take() else { break };
            emit(snapshot)?;
            next_to_write += 1;
        }
        Ok(())
    };
    let stop = |shared: &Shared, error: Error| {
        shared.stop.store(true, Ordering::SeqCst);
        error
    };

    for (index, snapshot) in undetectable {
        ready[index] = Some(snapshot);
    }
    write_ready(&mut ready).map_err(|e| stop(&shared, e))?;
    // Saved payloads are read while the network requests are in flight.
    for (index, id, path) in files {
        ready[index] = Some(replay(&id, path.as_deref(), max_body));
        write_ready(&mut ready).map_err(|e| stop(&shared, e))?;
    }
    for done in receiver {
        let Some(flight) = in_flight[done.target].as_mut() else {
            continue;
        };
        flight.started = Some(flight.started.map_or(done.started, |s| s.min(done.started)));
        flight.results[done.slot] = Some(done.result);
        flight.remaining -= 1;
        if flight.remaining == 0 {
            if let Some(flight) = in_flight[done.target].take() {
                ready[done.target] = Some(assemble(flight));
            }
            write_ready(&mut ready).map_err(|e| stop(&shared, e))?;
        }
    }
    Ok(())
}

/// A target whose format is known, or one whose probing failed.
pub enum Detected {
    Ready(Target),
    Failed(Provider, FetchError),
}

/// Probes the format of every typed URL, in parallel (at most `concurrency` at once); catalog
/// and config providers pass through untouched.
pub fn detect_formats(targets: Vec<Target>, client: &Client, concurrency: usize) -> Vec<Detected> {
    let mut slots: Vec<Option<Detected>> = Vec::with_capacity(targets.len());
    let mut pending: Vec<(usize, Provider)> = Vec::new();
    for (index, target) in targets.into_iter().enumerate() {
        match target {
            Target::Remote(provider) if provider.detect => {
                slots.push(None);
                pending.push((index, provider));
            }
            other => slots.push(Some(Detected::Ready(other))),
        }
    }
    for chunk in pending.chunks(concurrency.max(1)) {
        let results: Vec<(usize, Detected)> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|(index, provider)| {
                    scope.spawn(move || {
                        let mut provider = provider.clone();
                        let outcome = match crate::sources::detect::detect(client, &provider.api) {
                            Ok((format, api)) => {
                                provider.format = format;
                                provider.api = api;
                                provider.detect = false;
                                Detected::Ready(Target::Remote(provider))
                            }
                            Err(error) => Detected::Failed(provider, error),
                        };
                        (*index, outcome)
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        for (index, outcome) in results {
            slots[index] = Some(outcome);
        }
    }
    slots
        .into_iter()
        .zip(0..)
        .map(|(slot, _)| {
            slot.unwrap_or_else(|| {
                Detected::Failed(
                    Provider {
                        id: "unknown".into(),
                        name: "unknown".into(),
                        url: String::new(),
                        format: Format::Statuspage,
                        api: String::new(),
                        components: Vec::new(),
                        origin: "url",
                        detect: false,
                    },
                    FetchError {
                        kind: ErrorKind::Io,
                        message: "format detection did not finish".into(),
                        http_status: None,
                    },
                )
            })
        })
        .collect()
}

fn failed_snapshot(provider: &Provider, error: FetchError) -> Snapshot {
    Snapshot::failed(
        SnapshotMeta {
            provider: provider.id.clone(),
            name: provider.name.clone(),
            url: provider.url.clone(),
            format: provider.format.as_str().to_string(),
            fetched_at: Timestamp::now(),
            elapsed_ms: 0,
        },
        error,
    )
}

fn worker(shared: &Shared, sender: &mpsc::Sender<Done>) {
    loop {
        if shared.stop.load(Ordering::SeqCst) {
            return;
        }
        let index = shared.next.fetch_add(1, Ordering::SeqCst);
        let Some(job) = shared.jobs.get(index) else {
            return;
        };
        let started = Instant::now();
        let result = shared.client.get(&job.url);
        let done = Done {
            target: job.target,
            slot: job.slot,
            started,
            result,
        };
        if sender.send(done).is_err() {
            return;
        }
    }
}

/// Builds a provider's snapshot once all its requests are back.
fn assemble(flight: InFlight) -> Snapshot {
    let provider = flight.provider;
    let elapsed_ms = flight.started.map_or(0, |s| s.elapsed().as_millis() as u64);
    let mut meta = SnapshotMeta {
        provider: provider.id.clone(),
        name: provider.name.clone(),
        url: provider.url.clone(),
        format: provider.format.as_str().to_string(),
        fetched_at: Timestamp::now(),
        elapsed_ms,
    };
    let mut bodies: Vec<Vec<u8>> = Vec::new();
    for (result, required) in flight.results.into_iter().zip(flight.required) {
        match result {
            Some(Ok(body)) => bodies.push(body),
            // A page without the optional history lists is read from its summary alone.
            Some(Err(e)) if !required && matches!(e.http_status, Some(404 | 410)) => {}
            Some(Err(e)) => return Snapshot::failed(meta, e),
            None => {
                let error = FetchError {
                    kind: ErrorKind::Io,
                    message: "request never completed".into(),
                    http_status: None,
                };
                return Snapshot::failed(meta, error);
            }
        }
    }
    let slices: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
    match provider.format.parse(&slices, &provider.url) {
        Ok(mut parts) => {
            if let Some(detected) = parts.detected_format {
                meta.format = detected.to_string();
            }
            if provider.origin == "url" {
                if let Some(name) = parts.page_name.take() {
                    meta.name = name;
                }
            }
            parts.restrict(&provider.components);
            parts.into_snapshot(meta)
        }
        Err(mut e) => {
            e.message = format!("{}: {}", provider.api, e.message);
            Snapshot::failed(meta, e)
        }
    }
}

/// Reads a saved Statuspage/incident.io payload from a file or stdin.
fn replay(id: &str, path: Option<&Path>, max_body: u64) -> Snapshot {
    let started = Instant::now();
    let source = path.map_or("stdin".to_string(), |p| p.display().to_string());
    let mut body = Vec::new();
    let read = match path {
        Some(path) => std::fs::File::open(path)
            .and_then(|file| file.take(max_body + 1).read_to_end(&mut body)),
        None => std::io::stdin()
            .lock()
            .take(max_body + 1)
            .read_to_end(&mut body),
    };
    let result = match read {
        Err(e) => Err(FetchError {
            kind: ErrorKind::Io,
            message: format!("{source}: {e}"),
            http_status: None,
        }),
        Ok(_) if body.len() as u64 > max_body => Err(FetchError {
            kind: ErrorKind::TooLarge,
            message: format!("{source}: larger than the {max_body}-byte cap (--max-body)"),
            http_status: None,
        }),
        Ok(_) => {
            // A saved payload says what it is.
            let format = match crate::sources::detect::sniff(&body) {
                Some(crate::sources::detect::Found::Is(format)) => format,
                _ => Format::Statuspage,
            };
            format.parse(&[&body], "")
        }
        .map_err(|mut e| {
            e.message = format!("{source}: {}", e.message);
            e
        }),
    };
    let meta = |parts: Option<&Parts>| SnapshotMeta {
        provider: id.to_string(),
        name: parts
            .and_then(|p| p.page_name.clone())
            .unwrap_or_else(|| id.to_string()),
        url: parts.and_then(|p| p.page_url.clone()).unwrap_or_default(),
        format: parts
            .and_then(|p| p.detected_format)
            .unwrap_or("statuspage")
            .to_string(),
        fetched_at: Timestamp::now(),
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    match result {
        Ok(parts) => {
            let meta = meta(Some(&parts));
            parts.into_snapshot(meta)
        }
        Err(e) => Snapshot::failed(meta(None), e),
    }
}
