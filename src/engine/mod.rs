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
//! Layout: this file is the engine and its one entry, [`Engine::fetch_all`]: [`plan`] decides
//! the requests, [`pool`] runs the workers and parsers, [`writer`] hands snapshots on in order
//! and by their deadlines; [`assemble`] turns a provider's bodies (or a saved payload) into a
//! snapshot; [`detect`] (its `detect_within`) probes typed URLs; [`relocate`] follows a
//! declared page that moved platform; [`poll`] schedules polls.

pub mod assemble;
pub mod detect;
pub mod plan;
pub mod poll;
pub mod pool;
pub mod relocate;
pub mod writer;

use crate::error::Error;
use crate::http::{Cache, Client, HttpConfig};
use crate::model::Snapshot;
use crate::providers::Target;
use pool::Shared;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::Duration;

/// Snapshots that may wait for a slow provider before it, per request in flight.
const REORDER_PER_WORKER: usize = 2;

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
    relocations: Arc<relocate::Relocations>,
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
            relocations: Arc::new(relocate::Relocations::new(settings.refetch_every)),
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
        emit: impl FnMut(Snapshot) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if self.cancelled() {
            return Ok(());
        }
        let mut emit = self.forgetting_moved_pages(&targets, emit);
        let mut targets = targets;
        for target in &mut targets {
            if let Target::Remote(provider) = target {
                self.relocations.apply(provider);
            }
        }
        let plan = plan::plan(self.detect(targets), &self.client, self.max_body);
        let shared = Arc::new(Shared::new(
            plan.jobs,
            plan.in_flight,
            self.budget,
            self.concurrency.saturating_mul(REORDER_PER_WORKER).max(16),
            Arc::clone(&self.client),
            Arc::clone(&self.relocations),
        ));
        let (sender, receiver) = mpsc::channel::<pool::Done>();
        pool::start(&shared, self.concurrency, self.max_body, &sender)?;
        drop(sender);
        let mut order = writer::Reorder {
            ready: plan.ready,
            next: 0,
            emit: &mut emit,
        };
        let writing = writer::Writing {
            shared: &shared,
            done: receiver,
            remote: plan.remote,
            files: plan.files,
            budget: self.budget,
            max_body: self.max_body,
            cancel: &self.cancel,
        };
        writer::write(writing, &mut order)
    }

    /// `emit`, and for a typed URL whose remembered format no longer reads (the page moved,
    /// or is gone), the memory of it forgotten so it is probed again next time.
    fn forgetting_moved_pages<F: FnMut(Snapshot) -> Result<(), Error>>(
        &self,
        targets: &[Target],
        mut emit: F,
    ) -> impl FnMut(Snapshot) -> Result<(), Error> {
        let typed: std::collections::HashMap<String, String> = targets
            .iter()
            .filter_map(|t| match t {
                Target::Remote(p) if p.detect => Some((p.id.clone(), p.api.clone())),
                _ => None,
            })
            .collect();
        let memory = self.memory.clone();
        move |snapshot: Snapshot| {
            if let (Some(memory), Some(error)) = (&memory, &snapshot.error) {
                let moved = error.kind == crate::model::ErrorKind::Format
                    || matches!(error.http_status, Some(404 | 410));
                if let Some(url) = typed.get(&snapshot.provider).filter(|_| moved) {
                    memory.forget(url);
                }
            }
            emit(snapshot)
        }
    }
}
