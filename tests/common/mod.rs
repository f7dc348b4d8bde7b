//! Test helpers: a hermetic `statusq` command and loopback HTTP servers serving real payloads.
//!
//! The server is hand-rolled on `std::net` on purpose: tests need it to misbehave in exact ways
//! (stall, cut a body short, lie about its length, send gzip bombs) that a polite server crate
//! will not do.
#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The tests' fixed now (`STATUSQ_NOW`), unless a test sets its own.
pub const NOW: &str = "2026-11-22T03:30:00Z";

/// `statusq` with a clean environment: no proxies, no colour or zone settings, no `STATUSQ_*`,
/// and XDG dirs pointing into `home`, so the user's config never leaks into a test.
pub fn statusq(home: &Path) -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::new(bin());
    cmd.env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .env("STATUSQ_NOW", NOW)
        .timeout(Duration::from_secs(60));
    cmd
}

/// The path of the built binary.
pub fn bin() -> PathBuf {
    assert_cmd::cargo::cargo_bin("statusq")
}

/// A real payload from `tests/fixtures/`.
pub fn fixture(relative: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A real JSON payload from `tests/fixtures/`, parsed.
pub fn json_fixture(relative: &str) -> serde_json::Value {
    serde_json::from_slice(&fixture(relative)).unwrap()
}

/// Where a real payload of `tests/fixtures/` is.
#[allow(dead_code)]
pub fn fixture_file(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

/// Parses NDJSON output into values (the test's own view of the schema, not the program's).
pub fn records(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect()
}

/// What a server does with one request.
#[derive(Clone, Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
    /// Wait this long before answering.
    pub delay: Duration,
    /// Send only this many body bytes (Content-Length still promises all), then close.
    pub cut_after: Option<usize>,
    /// Send the headers, then stall this long before the body.
    pub stall_body: Option<Duration>,
    /// Send the body one byte per this interval.
    pub drip: Option<Duration>,
    /// After this many body bytes, reset the connection (RST, not FIN).
    pub reset_after: Option<usize>,
    /// Send these bytes as the whole response instead (status line, headers and all).
    pub raw: Option<Vec<u8>>,
}

impl Reply {
    pub fn json(body: impl Into<Vec<u8>>) -> Reply {
        Reply::status(200, body).header("Content-Type", "application/json")
    }
    pub fn status(status: u16, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status,
            headers: Vec::new(),
            body: body.into(),
            delay: Duration::ZERO,
            cut_after: None,
            stall_body: None,
            drip: None,
            reset_after: None,
            raw: None,
        }
    }
    pub fn drip(mut self, every: Duration) -> Reply {
        self.drip = Some(every);
        self
    }
    pub fn reset_after(mut self, bytes: usize) -> Reply {
        self.reset_after = Some(bytes);
        self
    }
    pub fn raw(bytes: impl Into<Vec<u8>>) -> Reply {
        let mut reply = Reply::status(200, Vec::new());
        reply.raw = Some(bytes.into());
        reply
    }
    pub fn not_found() -> Reply {
        Reply::status(404, "not found")
    }
    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
    pub fn delay(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
    pub fn cut_after(mut self, bytes: usize) -> Reply {
        self.cut_after = Some(bytes);
        self
    }
    pub fn stall_body(mut self, stall: Duration) -> Reply {
        self.stall_body = Some(stall);
        self
    }
}

/// A request as the server saw it.
#[derive(Clone, Debug)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub headers: HashMap<String, String>,
    /// The request body (as many bytes as `Content-Length` says).
    pub body: Vec<u8>,
}

type Handler = dyn Fn(&Seen, usize) -> Reply + Send + Sync;

/// A loopback HTTP/1.1 server on `127.0.0.1:0`, one thread per connection, `Connection: close`.
pub struct Server {
    pub addr: SocketAddr,
    seen: Arc<Mutex<Vec<Seen>>>,
    peak: Arc<AtomicUsize>,
    sent: Arc<AtomicUsize>,
}

impl Server {
    /// Serves `handler(request, how many earlier requests had this path)`.
    pub fn start(handler: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let addr = listener.local_addr().unwrap();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let peak = Arc::new(AtomicUsize::new(0));
        let active = Arc::new(AtomicUsize::new(0));
        let sent = Arc::new(AtomicUsize::new(0));
        let handler: Arc<Handler> = Arc::new(handler);
        {
            let seen = Arc::clone(&seen);
            let peak = Arc::clone(&peak);
            let sent = Arc::clone(&sent);
            std::thread::spawn(move || {
                for stream in listener.incoming() {
                    let Ok(stream) = stream else { continue };
                    let handler = Arc::clone(&handler);
                    let seen = Arc::clone(&seen);
                    let peak = Arc::clone(&peak);
                    let active = Arc::clone(&active);
                    let sent = Arc::clone(&sent);
                    std::thread::spawn(move || {
                        if let Ok(bytes) = serve(stream, &*handler, &seen, &active, &peak) {
                            sent.fetch_add(bytes, Ordering::SeqCst);
                        }
                    });
                }
            });
        }
        Server {
            addr,
            seen,
            peak,
            sent,
        }
    }

    /// Serves fixed replies by path; anything else is a 404.
    pub fn routes(routes: Vec<(String, Reply)>) -> Server {
        let routes: HashMap<String, Reply> = routes.into_iter().collect();
        Server::start(move |req, _| {
            routes
                .get(&req.path)
                .cloned()
                .unwrap_or_else(Reply::not_found)
        })
    }

    /// `http://127.0.0.1:PORT` + `path`.
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    /// Every request seen so far.
    pub fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// How many requests for `path` were seen.
    pub fn hits(&self, path: &str) -> usize {
        self.seen().iter().filter(|s| s.path == path).count()
    }

    /// Bytes written to clients so far, heads and bodies.
    pub fn bytes_sent(&self) -> usize {
        self.sent.load(Ordering::SeqCst)
    }

    /// The most connections that were open at once.
    pub fn peak_connections(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }
}

fn serve(
    stream: TcpStream,
    handler: &Handler,
    seen: &Mutex<Vec<Seen>>,
    active: &AtomicUsize,
    peak: &AtomicUsize,
) -> std::io::Result<usize> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let method = request_line
        .split_whitespace()
        .next()
        .unwrap_or("GET")
        .to_string();
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_lowercase(), value.trim().to_string());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|l| l.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length.min(64 << 20)];
    std::io::Read::read_exact(&mut reader, &mut body)?;
    let request = Seen {
        method,
        path,
        headers,
        body,
    };
    let earlier = {
        let mut seen = seen.lock().unwrap();
        let earlier = seen.iter().filter(|s| s.path == request.path).count();
        seen.push(request.clone());
        earlier
    };
    // A request counts as in flight from its arrival until its answer starts: the client
    // cannot send its next one before then, so the peak is exact.
    let now = active.fetch_add(1, Ordering::SeqCst) + 1;
    peak.fetch_max(now, Ordering::SeqCst);
    let reply = handler(&request, earlier);
    std::thread::sleep(reply.delay);
    active.fetch_sub(1, Ordering::SeqCst);
    let mut stream = stream;
    if let Some(raw) = &reply.raw {
        stream.write_all(raw)?;
        stream.flush()?;
        return Ok(raw.len());
    }
    let mut head = format!(
        "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
        reply.status,
        reply.body.len()
    );
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.flush()?;
    if let Some(stall) = reply.stall_body {
        std::thread::sleep(stall);
    }
    let body = match reply.cut_after.or(reply.reset_after) {
        Some(n) => &reply.body[..n.min(reply.body.len())],
        None => &reply.body[..],
    };
    if let Some(every) = reply.drip {
        for byte in body {
            stream.write_all(std::slice::from_ref(byte))?;
            stream.flush()?;
            std::thread::sleep(every);
        }
    } else {
        stream.write_all(body)?;
    }
    if reply.reset_after.is_some() {
        stream.flush()?;
        reset(&stream);
        return Ok(head.len() + body.len());
    }
    stream.flush()?;
    Ok(head.len() + body.len())
}

/// Closes with a TCP reset: SO_LINGER with a zero timeout, then close.
fn reset(stream: &TcpStream) {
    use std::os::fd::AsRawFd;
    let linger = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket and a correctly sized option value.
    unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            (&linger as *const libc::linger).cast(),
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        );
    }
}

/// A Statuspage-like site at `/{prefix}/api/v2/…`: the summary, and optional history lists
/// (404 when `None`).
pub fn statuspage_routes(
    prefix: &str,
    summary: Reply,
    incidents: Option<Reply>,
    maintenances: Option<Reply>,
) -> Vec<(String, Reply)> {
    let mut routes = vec![(format!("/{prefix}/api/v2/summary.json"), summary)];
    if let Some(reply) = incidents {
        routes.push((format!("/{prefix}/api/v2/incidents.json"), reply));
    }
    if let Some(reply) = maintenances {
        routes.push((
            format!("/{prefix}/api/v2/scheduled-maintenances.json"),
            reply,
        ));
    }
    routes
}

/// A config file in `home` declaring `id → server.url(/id)` Statuspage providers.
pub fn config_for(home: &Path, server: &Server, ids: &[&str]) -> PathBuf {
    let mut text = String::new();
    for id in ids {
        text.push_str(&format!(
            "[providers.{id}]\nname = \"{id} page\"\nurl = \"{}\"\n\n",
            server.url(&format!("/{id}"))
        ));
    }
    let path = home.join("statusq.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// Whether `program` is on the PATH.
pub fn which(program: &str) -> bool {
    std::process::Command::new("sh")
        .args(["-c", &format!("command -v {program}")])
        .output()
        .is_ok_and(|o| o.status.success())
}

/// A tool CI installs: required there, skipped with a note on a machine without it.
pub fn required_tool(program: &str) -> bool {
    if which(program) {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "{program} is required in CI (.ci/run installs it)"
    );
    eprintln!("note: {program} not installed; this check runs in CI");
    false
}

/// Runs `promtool check metrics` on `text` and fails the test on any complaint, lint included.
/// Skipped with a note where promtool is missing, required in CI (see [`required_tool`]).
pub fn assert_promtool_accepts(text: &str) {
    if !required_tool("promtool") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("metrics.prom");
    std::fs::write(&path, text).unwrap();
    let check = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::fs::File::open(&path).unwrap())
        .output()
        .unwrap();
    assert!(
        check.status.success() && check.stdout.is_empty() && check.stderr.is_empty(),
        "promtool: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
}

/// Headless Chromium with a throwaway profile, offline but for loopback.
#[allow(dead_code)]
pub fn chromium(profile: &Path) -> std::process::Command {
    let mut command = std::process::Command::new("chromium");
    command
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()));
    command
}

/// Loads `url` (a harness page whose script writes JSON into `<pre id="result">`) in headless
/// Chromium and returns that JSON.
#[allow(dead_code)]
pub fn chromium_measure(profile: &Path, url: &str) -> serde_json::Value {
    let output = chromium(profile)
        .args(["--virtual-time-budget=10000", "--window-size=1400,1000"])
        .arg("--dump-dom")
        .arg(url)
        .output()
        .unwrap();
    let dom = String::from_utf8_lossy(&output.stdout);
    let json = dom
        .split_once("<pre id=\"result\">")
        .and_then(|(_, rest)| rest.split_once("</pre>"))
        .map(|(json, _)| json.replace("&quot;", "\"").replace("&amp;", "&"))
        .unwrap_or_else(|| panic!("nothing measured at {url}: {dom}"));
    serde_json::from_str(&json).unwrap_or_else(|e| panic!("{e}: {json}"))
}

/// Claude's real page (`status.claude.com`'s summary, with its open incident) as JSON.
pub fn claude_page() -> serde_json::Value {
    json_fixture("statuspage/claude-summary-active-incident.json")
}

/// Claude's real page all clear: no incident, page status none, every component operational.
pub fn claude_page_quiet() -> serde_json::Value {
    let mut page = claude_page();
    page["incidents"] = serde_json::json!([]);
    page["status"] =
        serde_json::json!({"indicator": "none", "description": "All Systems Operational"});
    for component in page["components"].as_array_mut().unwrap() {
        component["status"] = "operational".into();
    }
    page
}

/// Claude's real maintenance (on claude.ai) in `status`, scheduled for `from`–`until`, with
/// only its announcement among its updates.
pub fn claude_maintenance(status: &str, from: &str, until: &str) -> serde_json::Value {
    let real = json_fixture("statuspage/claude-scheduled-maintenances.json");
    let mut maintenance = real["scheduled_maintenances"][0].clone();
    let announced = maintenance["incident_updates"][3].clone();
    maintenance["status"] = status.into();
    maintenance["scheduled_for"] = from.into();
    maintenance["scheduled_until"] = until.into();
    maintenance["incident_updates"] = serde_json::json!([announced]);
    maintenance
}

/// `statusq fetch ID=-` of `payload` at `now`, as the snapshot line it writes.
pub fn snapshot_of(home: &Path, id: &str, payload: &[u8], now: &str) -> String {
    let output = statusq(home)
        .env("STATUSQ_NOW", now)
        .arg("fetch")
        .arg(format!("{id}=-"))
        .write_stdin(payload.to_vec())
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}
