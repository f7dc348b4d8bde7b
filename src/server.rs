//! The HTTP side of `statusq serve`: a Prometheus exporter and status board answering from
//! memory while a background poller keeps it current.
//!
//! The server is a thread per connection with a cap (beyond it a client is refused at once), a
//! deadline for the whole request head (5 s) and an 8 KiB cap on it, so a slow or hostile client
//! holds one thread for at most a few seconds and never the poller or another client. Answers
//! are prepared by the poller after each cycle; a scrape only copies them.
//!
//! Endpoints: `/metrics` (Prometheus text format), `/healthz` (200 once the first poll is
//! done), `/` (the HTML board), `/events` (recent events as JSON Lines), `/report` (the
//! reliability reports over `--report-window`, as JSON Lines).
//!
//! The poller drives [`crate::pipeline`]'s path like `watch`: the ledger keeps the diff state
//! (forgetting what is stale) and this file's keeper is the sink — the board's collection, the
//! report history, and the recent events, written to `events.ndjson` before the ledger commits
//! them delivered.
//!
//! With a state directory ([`Store`]) the diff state, the recent events and the incident history
//! survive a restart: `state.json` (the diff state, locked while the process lives, committed
//! after every poll), `events.ndjson` (what `/events` serves, replaced atomically when events
//! come) and `history.ndjson` (a snapshot a provider holding every incident known, without
//! update bodies, forgotten 400 days (or the report window, if longer) after it ended, at most
//! 1,000 a provider, replaced atomically after a poll that brought news).

use crate::clock;
use crate::diff::Options;
use crate::engine::poll::{wait_until, Poller};
use crate::error::Error;
use crate::model::{Event, Record, Snapshot, Timestamp, Weights};
use crate::ndjson::{Inputs, RecordReader};
use crate::pipeline::{poll_cycle, resume, Batch, Cycle, Ledger, Sink};
use crate::render::{html, prometheus, Collected, Style};
use crate::report::{History, Window};
use std::collections::{HashSet, VecDeque};
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// What the board and the exporter show.
#[derive(Clone, Debug)]
pub struct Board {
    /// Title of the HTML board.
    pub title: String,
    /// Seconds after which the board reloads itself.
    pub refresh: u64,
    /// Most client connections served at once.
    pub max_connections: usize,
    /// The window of the reliability section, `/report` and the availability metrics.
    pub report_window: Duration,
    /// How `/metrics` is made: other exporters' names, the components bound.
    pub metrics: crate::render::prometheus::Options,
}

/// How long an ended incident is kept in the history, and how many a provider at most.
const HISTORY_DAYS: i64 = 400;
const HISTORY_PER_PROVIDER: usize = 1000;

/// What `serve` keeps on disk beside its state: the recent events and the incident history.
/// The state itself is the ledger's ([`Store::open`] opens both).
pub struct Store {
    dir: PathBuf,
    events: Vec<Event>,
    history: History,
}

impl Store {
    /// Takes the lock on `dir`'s state (creating the directory) and opens it as a ledger, and
    /// reads what an earlier run left. A corrupt state is an error that names it; an invalid
    /// line of the events or the history is reported and skipped (they are rebuilt as polls
    /// come).
    pub fn open(dir: &Path, options: Options) -> Result<(Ledger, Store), Error> {
        let ledger = Ledger::open(&dir.join("state.json"), options).map_err(|e| match e {
            Error::Locked(why) => Error::Locked(format!(
                "{why} (another statusq serve uses {}: give this one --state-dir or --no-state)",
                dir.display()
            )),
            other => other,
        })?;
        let mut events = Vec::new();
        let mut history = History::new();
        for name in ["events.ndjson", "history.ndjson"] {
            let path = dir.join(name);
            if !path.exists() {
                continue;
            }
            // Read like any record file: long or broken lines are reported `file:line` and
            // skipped; a whole history line may be megabytes.
            let mut reader = RecordReader::new(Inputs::open(&[path], 256 << 20)?);
            while let Some(record) = reader.next_record()? {
                match record {
                    Record::Event(event) => events.push(*event),
                    Record::Snapshot(snapshot) => history.add_snapshot(&snapshot),
                }
            }
        }
        let store = Store {
            dir: dir.to_path_buf(),
            events,
            history,
        };
        Ok((ledger, store))
    }

    /// Writes the history after a poll that brought news. A failure is said on stderr and the
    /// server goes on from memory.
    fn save_history(&self, history: &History) {
        let mut lines = String::new();
        for snapshot in history.snapshots() {
            if let Ok(line) = serde_json::to_string(&Record::Snapshot(Box::new(snapshot))) {
                lines.push_str(&line);
                lines.push('\n');
            }
        }
        let path = self.dir.join("history.ndjson");
        if let Err(e) = crate::fsutil::write_atomic(&path, lines.as_bytes(), None) {
            eprintln!("statusq serve: cannot save {}: {e}", path.display());
        }
    }
}

/// `serve`'s sink: every polled snapshot into the board's collection and the report history,
/// every event into the recent events `/events` serves — and, with a state directory, into
/// `events.ndjson`, durably, before the ledger commits them delivered.
struct Keeper {
    collected: Collected,
    history: History,
    recent: Recent,
    /// `events.ndjson` of the state directory, if there is one.
    events_file: Option<PathBuf>,
    /// Whether something new came since the last publication.
    news: bool,
}

impl Sink for Keeper {
    fn observe(
        &mut self,
        snapshot: Snapshot,
        _next_poll: std::time::Duration,
    ) -> Result<(), Error> {
        self.history.add_snapshot(&snapshot);
        self.collected.add_snapshot(snapshot);
        Ok(())
    }

    fn take(&mut self, events: &[Event]) -> Result<(), Error> {
        let mut added = false;
        for event in events {
            // Events delivered again after a crash are known by their ids: kept once.
            added |= self.recent.push(event.clone());
        }
        self.news |= added;
        match &self.events_file {
            Some(path) if added => {
                crate::fsutil::write_atomic(path, self.recent.text().as_bytes(), None)
                    .map_err(|e| Error::io(path.display().to_string(), e))
            }
            _ => Ok(()),
        }
    }
}

/// Serves `listener` from what the poller (made by `make_poller`) finds, until `stop` is set. The
/// accept loop starts first, then the poller is made (probing typed URLs) and runs, each on its
/// own thread; this returns as soon as `stop` is seen, requests in flight or not.
pub fn run(
    listener: TcpListener,
    make_poller: impl FnOnce() -> Poller + Send + 'static,
    board: Board,
    ledger: Ledger,
    store: Option<Store>,
    stop: &Arc<AtomicBool>,
) {
    let published = Arc::new(Published::default());
    {
        let published = Arc::clone(&published);
        let max = board.max_connections.max(1);
        let route = board_route(published);
        std::thread::spawn(move || accept_forever(&listener, &route, max));
    }
    {
        let published = Arc::clone(&published);
        let stop = Arc::clone(stop);
        let board = board.clone();
        std::thread::spawn(move || {
            let mut poller = make_poller();
            poll_forever(&mut poller, &published, &stop, &board, ledger, store)
        });
    }
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Events kept for `/events`, at most…
const RECENT_EVENTS: usize = 1000;
/// …and at most this many bytes of them as JSON (more if the newest alone is larger): pages
/// with megabyte-long update bodies must not grow the exporter without bound.
const RECENT_BYTES: usize = 4 * 1024 * 1024;
/// How long the accept loop rests after a failed accept (out of file descriptors, say), instead
/// of spinning on it.
const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);
/// The whole request head must arrive within this.
const HEAD_DEADLINE: Duration = Duration::from_secs(5);
/// The longest request head accepted.
const MAX_HEAD: usize = 8 * 1024;

/// What the poller publishes and the server answers with.
#[derive(Default)]
struct Published {
    metrics: RwLock<String>,
    board: RwLock<String>,
    events: RwLock<String>,
    report: RwLock<String>,
    ready: AtomicBool,
    polls: AtomicU64,
    poll_failures: AtomicU64,
    last_poll: AtomicU64,
    scrapes: AtomicU64,
}

fn poll_forever(
    poller: &mut Poller,
    published: &Published,
    stop: &AtomicBool,
    board_settings: &Board,
    mut ledger: Ledger,
    mut store: Option<Store>,
) {
    let mut keeper = Keeper {
        collected: Collected::default(),
        history: History::new(),
        recent: Recent::default(),
        events_file: store.as_ref().map(|s| s.dir.join("events.ndjson")),
        news: false,
    };
    if let Some(store) = store.as_mut() {
        for event in std::mem::take(&mut store.events) {
            keeper.recent.push(event);
        }
        keeper.history = std::mem::take(&mut store.history);
    }
    // What a run that died left in doubt goes to the events first (known ids are kept once).
    if let Err(e) = resume(&mut ledger, &mut keeper) {
        eprintln!("statusq serve: {e}");
    }
    let window = report_window(board_settings);
    let mut first = true;
    loop {
        keeper.news |= first;
        let cycle = match poll_cycle(poller, &mut ledger, &mut keeper, Batch::EachCycle) {
            Ok(cycle) => cycle,
            Err(e) => {
                // Said, and tried again next cycle: what is in doubt stays in doubt.
                eprintln!("statusq serve: {e}");
                Cycle::default()
            }
        };
        // A poll of nothing (an empty shard) is a finished poll: ready, with nothing in it.
        if cycle.polled > 0 || poller.is_empty() {
            first = false;
            let now = clock::now();
            if keeper.news && store.is_some() {
                // Kept as long as the report window needs, and at least HISTORY_DAYS.
                let keep = window.max(time::Duration::days(HISTORY_DAYS));
                let cut = now
                    .datetime()
                    .checked_sub(keep)
                    .map_or(now, Timestamp::from);
                keeper.history.prune(cut, HISTORY_PER_PROVIDER);
            }
            publish(published, &mut keeper, board_settings, now);
            if let (Some(store), true) = (&store, keeper.news) {
                store.save_history(&keeper.history);
            }
            keeper.news = false;
            published
                .last_poll
                .store(now.unix_seconds().max(0) as u64, Ordering::SeqCst);
            published.ready.store(true, Ordering::SeqCst);
        }
        if !wait_until(poller.next_due(), stop) {
            return;
        }
    }
}

/// The board's report window as a duration of the clock (30 days if it is out of range).
fn report_window(board: &Board) -> time::Duration {
    time::Duration::try_from(board.report_window).unwrap_or(time::Duration::days(30))
}

/// Prepares what the server answers from what the keeper holds at `now`: the metrics (with
/// the reliability figures over the report window), the board, the recent events, the report
/// records. A scrape only copies them.
fn publish(published: &Published, keeper: &mut Keeper, board_settings: &Board, now: Timestamp) {
    let from = now
        .datetime()
        .checked_sub(report_window(board_settings))
        .map_or(now, Timestamp::from);
    keeper.collected.events = keeper
        .recent
        .events
        .iter()
        .map(|(e, _)| e.clone())
        .collect();
    let reports = keeper
        .history
        .report(Window { from, to: now }, Weights::default());
    let mut metrics = prometheus::document(&keeper.collected, &board_settings.metrics);
    metrics.push_str(&prometheus::poll_counters(&keeper.collected));

    metrics.push_str(&crate::render::report::prometheus(&reports));
    let mut board = html::page(
        &keeper.collected,
        &Style::default(),
        &board_settings.title,
        Some(board_settings.refresh),
        now,
    );
    if let Some(at) = board.rfind("</main>") {
        let label = crate::render::report::duration_label(board_settings.report_window);
        board.insert_str(at, &crate::render::report::board_section(&reports, &label));
    }
    let report: String = reports
        .iter()
        .filter_map(|r| serde_json::to_string(r).ok())
        .map(|line| line + "\n")
        .collect();
    if let Ok(mut slot) = published.metrics.write() {
        *slot = metrics;
    }
    if let Ok(mut slot) = published.board.write() {
        *slot = board;
    }
    if let Ok(mut slot) = published.events.write() {
        *slot = keeper.recent.text();
    }
    if let Ok(mut slot) = published.report.write() {
        *slot = report;
    }
    // The exporter's totals are the pages' counters summed: one count, never two that drift.
    // Set last, so a scrape that sees them sees everything those polls published.
    let total = |counts: &std::collections::HashMap<String, u64>| counts.values().sum::<u64>();
    published
        .polls
        .store(total(&keeper.collected.polls), Ordering::SeqCst);
    published
        .poll_failures
        .store(total(&keeper.collected.failures), Ordering::SeqCst);
}

/// The events `/events` serves, newest last, each with its JSON line; bounded in count and
/// bytes, each id once.
#[derive(Default)]
struct Recent {
    events: VecDeque<(Event, String)>,
    ids: HashSet<String>,
    bytes: usize,
}

impl Recent {
    /// Keeps `event` unless its id is kept already; whether it was new.
    fn push(&mut self, event: Event) -> bool {
        if self.ids.contains(&event.id) {
            return false;
        }
        let Ok(mut line) = serde_json::to_string(&Record::Event(Box::new(event.clone()))) else {
            return false;
        };
        line.push('\n');
        self.bytes += line.len();
        self.ids.insert(event.id.clone());
        self.events.push_back((event, line));
        while self.events.len() > 1
            && (self.events.len() > RECENT_EVENTS || self.bytes > RECENT_BYTES)
        {
            if let Some((old, text)) = self.events.pop_front() {
                self.bytes -= text.len();
                self.ids.remove(&old.id);
            }
        }
        true
    }

    /// Every kept event's line, oldest first: what `/events` serves and `events.ndjson` holds.
    fn text(&self) -> String {
        self.events.iter().map(|(_, line)| line.as_str()).collect()
    }
}

/// An answer to a GET: its status line, content type and body.
pub struct Answer {
    pub status: &'static str,
    pub kind: &'static str,
    pub body: Vec<u8>,
}

/// What answers each path (without its query).
pub type Route = Arc<dyn Fn(&str) -> Answer + Send + Sync>;

/// Answers GET and HEAD requests on `listener` by `route`, a thread per connection, at most
/// `max` at once, each request head within its deadline and size cap; never returns. `serve`'s
/// endpoints, and the loopback page `statusq demo` plays.
pub fn accept_forever(listener: &TcpListener, route: &Route, max: usize) {
    let active = Arc::new(AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else {
            // Out of descriptors or memory: retrying at once would spin a core.
            std::thread::sleep(ACCEPT_BACKOFF);
            continue;
        };
        if active.load(Ordering::SeqCst) >= max {
            let _ = stream.set_write_timeout(Some(Duration::from_millis(100)));
            let _ = stream.write_all(
                b"HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            );
            continue;
        }
        active.fetch_add(1, Ordering::SeqCst);
        let route = Arc::clone(route);
        let counter = Arc::clone(&active);
        let spawned = std::thread::Builder::new()
            .stack_size(128 * 1024)
            .spawn(move || {
                let _ = serve_one(stream, &route);
                counter.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // No thread to be had: the count must not leak.
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

/// `serve`'s endpoints, answered from what the poller last published.
fn board_route(published: Arc<Published>) -> Route {
    Arc::new(move |path: &str| {
        let published = &*published;
        let read = |slot: &RwLock<String>| slot.read().map(|s| s.clone()).unwrap_or_default();
        let (status, kind, body): (&'static str, &'static str, Vec<u8>) = match path {
            "/metrics" => {
                published.scrapes.fetch_add(1, Ordering::SeqCst);
                let mut text = read(&published.metrics);
                text.push_str(&self_metrics(published));
                (
                    "200 OK",
                    "text/plain; version=0.0.4; charset=utf-8",
                    text.into_bytes(),
                )
            }
            "/healthz" if published.ready.load(Ordering::SeqCst) => {
                ("200 OK", "text/plain", b"ok\n".to_vec())
            }
            "/healthz" => (
                "503 Service Unavailable",
                "text/plain",
                b"first poll not finished\n".to_vec(),
            ),
            "/" => {
                let board = read(&published.board);
                if board.is_empty() {
                    (
                        "503 Service Unavailable",
                        "text/plain",
                        b"first poll not finished\n".to_vec(),
                    )
                } else {
                    ("200 OK", "text/html; charset=utf-8", board.into_bytes())
                }
            }
            "/events" => (
                "200 OK",
                "application/x-ndjson",
                read(&published.events).into_bytes(),
            ),
            "/report" => (
                "200 OK",
                "application/x-ndjson",
                read(&published.report).into_bytes(),
            ),
            _ => (
                "404 Not Found",
                "text/plain",
                b"not found: try /metrics, /healthz, /, /events, /report\n".to_vec(),
            ),
        };
        Answer { status, kind, body }
    })
}

fn serve_one(mut stream: TcpStream, route: &Route) -> std::io::Result<()> {
    stream.set_write_timeout(Some(Duration::from_secs(5)))?;
    let deadline = Instant::now() + HEAD_DEADLINE;
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return respond(
                &mut stream,
                "408 Request Timeout",
                "text/plain",
                b"too slow\n",
            );
        }
        stream.set_read_timeout(Some(left.min(Duration::from_millis(500))))?;
        match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => head.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e),
        }
        if head.len() > MAX_HEAD {
            return respond(
                &mut stream,
                "431 Request Header Fields Too Large",
                "text/plain",
                b"too large\n",
            );
        }
    }
    let line = String::from_utf8_lossy(head.split(|b| *b == b'\n').next().unwrap_or_default())
        .into_owned();
    let mut words = line.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    if method != "GET" && method != "HEAD" {
        return respond(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
        );
    }
    let path = target.split('?').next().unwrap_or("");
    let Answer { status, kind, body } = route(path);
    // Compressed when the client asks (Prometheus does) and it is worth it: a big page's
    // metrics are mostly repeated label names.
    let (body, encoding) = if accepts_gzip(&head) && body.len() >= GZIP_FROM {
        match gzip(&body) {
            Ok(packed) => (
                packed,
                "Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n",
            ),
            Err(_) => (body, ""),
        }
    } else {
        (body, "")
    };
    // HEAD answers the length the GET would send, without the body (RFC 9110 §9.3.2).
    let length = body.len();
    let body = if method == "HEAD" { &[][..] } else { &body[..] };
    respond_with_length(&mut stream, status, kind, encoding, length, body)
}

/// Bodies shorter than this go as they are.
const GZIP_FROM: usize = 1024;

/// Whether the request head's `Accept-Encoding` takes gzip (RFC 9110 §12.5.3: a q of 0
/// refuses it).
fn accepts_gzip(head: &[u8]) -> bool {
    let head = String::from_utf8_lossy(head);
    head.lines().skip(1).any(|line| {
        let Some((name, value)) = line.split_once(':') else {
            return false;
        };
        name.trim().eq_ignore_ascii_case("accept-encoding")
            && value.split(',').any(|coding| {
                let mut parts = coding.split(';');
                let name = parts.next().unwrap_or("").trim();
                let refused = parts.any(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.trim().parse::<f64>().ok())
                        == Some(0.0)
                });
                (name.eq_ignore_ascii_case("gzip") || name == "*") && !refused
            })
    })
}

fn gzip(body: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut encoder = flate2::write::GzEncoder::new(
        Vec::with_capacity(body.len() / 8),
        flate2::Compression::fast(),
    );
    encoder.write_all(body)?;
    encoder.finish()
}

fn respond(stream: &mut TcpStream, status: &str, kind: &str, body: &[u8]) -> std::io::Result<()> {
    respond_with_length(stream, status, kind, "", body.len(), body)
}

fn respond_with_length(
    stream: &mut TcpStream,
    status: &str,
    kind: &str,
    encoding: &str,
    length: usize,
    body: &[u8],
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\n{encoding}Content-Length: {length}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n"
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()
}

/// Binds the `--listen` address: `HOST:PORT` (a name such as `localhost` is resolved), or
/// `:PORT` for every interface, as Prometheus exporters conventionally accept (IPv6 and IPv4
/// where the system allows, else IPv4).
pub fn bind(listen: &str) -> std::io::Result<TcpListener> {
    match listen.strip_prefix(':') {
        Some(port) if !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit()) => {
            TcpListener::bind(format!("[::]:{port}"))
                .or_else(|_| TcpListener::bind(format!("0.0.0.0:{port}")))
        }
        _ => TcpListener::bind(listen),
    }
}

/// The exporter's own metrics, as of this scrape.
fn self_metrics(published: &Published) -> String {
    format!(
        "# HELP statusq_build_info The statusq that answers: its version and schema, always 1.\n\
         # TYPE statusq_build_info gauge\n\
         statusq_build_info{{version=\"{}\",schema=\"{}\"}} 1\n\
         # HELP statusq_exporter_polls_total Provider polls made since the exporter started.\n\
         # TYPE statusq_exporter_polls_total counter\n\
         statusq_exporter_polls_total {}\n\
         # HELP statusq_exporter_poll_failures_total Provider polls that failed.\n\
         # TYPE statusq_exporter_poll_failures_total counter\n\
         statusq_exporter_poll_failures_total {}\n\
         # HELP statusq_exporter_last_poll_timestamp_seconds When the last poll cycle finished (Unix time).\n\
         # TYPE statusq_exporter_last_poll_timestamp_seconds gauge\n\
         statusq_exporter_last_poll_timestamp_seconds {}\n\
         # HELP statusq_exporter_scrapes_total Scrapes of /metrics since the exporter started.\n\
         # TYPE statusq_exporter_scrapes_total counter\n\
         statusq_exporter_scrapes_total {}\n",
        env!("CARGO_PKG_VERSION"),
        crate::model::SCHEMA_VERSION,
        published.polls.load(Ordering::SeqCst),
        published.poll_failures.load(Ordering::SeqCst),
        published.last_poll.load(Ordering::SeqCst),
        published.scrapes.load(Ordering::SeqCst),
    )
}
