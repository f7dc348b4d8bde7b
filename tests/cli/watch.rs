//! watch, fetch --watch, conditional HTTP, adaptive polling and serve: long-running behaviour
//! asserted on what was printed and on request counts, with short intervals.

use crate::common::*;
use serde_json::Value;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A long-running child that is killed if the test ends early (a panic must not leave it
/// holding the test harness's output pipe open).
pub(crate) struct Guard(pub(crate) Child);

impl Drop for Guard {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl std::ops::Deref for Guard {
    type Target = Child;
    fn deref(&self) -> &Child {
        &self.0
    }
}

impl std::ops::DerefMut for Guard {
    fn deref_mut(&mut self) -> &mut Child {
        &mut self.0
    }
}

pub(crate) fn terminate(child: &Child) {
    // SAFETY: signalling our own child process.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGTERM);
    }
}

/// The exit status of `child` within `limit`, or a panic.
pub(crate) fn exits_within(child: &mut Child, limit: Duration) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "did not exit within {limit:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn spawn(home: &Path, args: &[&str]) -> Guard {
    Guard(
        Command::new(bin())
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("XDG_CACHE_HOME", home.join("cache"))
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    )
}

/// The GitHub incident as upstream showed it after its first `k` updates.
fn github_after(k: usize) -> Vec<u8> {
    let mut doc: Value =
        serde_json::from_slice(&fixture("statuspage/github-incident-smdz34v7j8q0.json")).unwrap();
    let updates = doc["incident"]["incident_updates"]
        .as_array()
        .unwrap()
        .clone();
    let shown: Vec<Value> = updates[updates.len() - k..].to_vec();
    doc["incident"]["status"] = shown[0]["status"].clone();
    if shown[0]["status"] != "resolved" {
        doc["incident"]["resolved_at"] = Value::Null;
    }
    doc["incident"]["incident_updates"] = Value::Array(shown);
    doc.to_string().into_bytes()
}

fn upstream_update_ids() -> Vec<String> {
    let doc: Value =
        serde_json::from_slice(&fixture("statuspage/github-incident-smdz34v7j8q0.json")).unwrap();
    let mut ids: Vec<String> = doc["incident"]["incident_updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect();
    ids.reverse();
    ids
}

/// A server whose one document can be swapped while it runs.
fn changing_server(path: &'static str, first: Vec<u8>) -> (Server, Arc<Mutex<Vec<u8>>>) {
    let body = Arc::new(Mutex::new(first));
    let shared = Arc::clone(&body);
    let server = Server::start(move |req, _| {
        if req.path == path {
            Reply::json(shared.lock().unwrap().clone())
        } else {
            Reply::not_found()
        }
    });
    (server, body)
}

fn read_event(lines: &mut impl BufRead) -> Value {
    let mut line = String::new();
    assert!(lines.read_line(&mut line).unwrap() > 0, "watch ended early");
    serde_json::from_str(&line).unwrap()
}

#[test]
fn watch_prints_each_update_once_and_a_restart_only_what_came_after() {
    let home = tempfile::tempdir().unwrap();
    let (server, body) = changing_server("/gh/api/v2/incidents/x.json", github_after(1));
    std::fs::create_dir_all(home.path().join("config/statusq")).unwrap();
    std::fs::write(
        home.path().join("config/statusq/config.toml"),
        format!(
            "[providers.gh]\nurl = \"{}\"\napi = \"/api/v2/incidents/x.json\"\n",
            server.url("/gh")
        ),
    )
    .unwrap();
    let ids = upstream_update_ids();
    let args = [
        "watch",
        "gh",
        "--interval",
        "150ms",
        "--allow-short-intervals",
        "-f",
        "json",
    ];

    let mut watch = spawn(home.path(), &args);
    let mut lines = BufReader::new(watch.stdout.take().unwrap());
    for k in 1..=6 {
        *body.lock().unwrap() = github_after(k);
        let event = read_event(&mut lines);
        assert_eq!(event["update"]["id"], ids[k - 1].as_str(), "update {k}");
        let expected = if k == 1 {
            "incident.created"
        } else {
            "incident.updated"
        };
        assert_eq!(event["event"], expected);
    }
    // Unchanged polls print nothing: three more go by, counted at the server, then a stop.
    let polls = server.hits("/gh/api/v2/incidents/x.json");
    assert!(wait_for(
        || server.hits("/gh/api/v2/incidents/x.json") >= polls + 3,
        Duration::from_secs(20)
    ));
    terminate(&watch);
    assert!(exits_within(&mut watch, Duration::from_secs(10)).success());
    let mut rest = String::new();
    lines.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "", "nothing but the six updates");

    // Upstream moved on while watch was down; the restart prints updates 7, 8 and 9 only.
    *body.lock().unwrap() = github_after(9);
    let mut watch = spawn(home.path(), &args);
    let mut lines = BufReader::new(watch.stdout.take().unwrap());
    for id in &ids[6..9] {
        assert_eq!(read_event(&mut lines)["update"]["id"], id.as_str());
    }
    let polls = server.hits("/gh/api/v2/incidents/x.json");
    assert!(wait_for(
        || server.hits("/gh/api/v2/incidents/x.json") >= polls + 3,
        Duration::from_secs(20)
    ));
    terminate(&watch);
    assert!(exits_within(&mut watch, Duration::from_secs(10)).success());
    let mut rest = String::new();
    lines.read_to_string(&mut rest).unwrap();
    assert_eq!(rest, "");
}

#[test]
fn watch_once_is_one_cycle_and_silent_when_nothing_is_new() {
    let home = tempfile::tempdir().unwrap();
    let (server, _body) = changing_server("/gh/api/v2/incidents/x.json", github_after(3));
    let url = format!("gh={}", server.url("/gh/api/v2/incidents/x.json"));
    let run = || {
        statusq(home.path())
            .args(["watch", "--once", &url])
            .output()
            .unwrap()
    };
    let first = run();
    assert_eq!(
        first.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    let text = String::from_utf8(first.stdout).unwrap();
    assert!(text.contains("GitHub: new incident"), "{text}");
    let second = run();
    assert_eq!(second.status.code(), Some(0));
    assert!(
        second.stdout.is_empty(),
        "cron mails nothing: {}",
        String::from_utf8_lossy(&second.stdout)
    );
}

#[test]
fn unchanged_pages_cost_a_304_and_a_full_refetch_comes_every_n_polls() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/airbrake-summary.json");
    let not_modified = Arc::new(Mutex::new(0usize));
    let counter = Arc::clone(&not_modified);
    // The ETag never changes, as on some real servers.
    let server = Server::start(move |req, _| {
        if req.path != "/p/api/v2/summary.json" {
            return Reply::not_found();
        }
        if req.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
            *counter.lock().unwrap() += 1;
            return Reply::status(304, Vec::new()).header("ETag", "\"v1\"");
        }
        Reply::json(summary.clone()).header("ETag", "\"v1\"")
    });
    let config = config_for(home.path(), &server, &["p"]);
    let cache = home.path().join("cache-dir");
    let mut snapshots = Vec::new();
    for _ in 0..9 {
        let output = statusq(home.path())
            .arg("--config")
            .arg(&config)
            .args(["fetch", "p", "--refetch-every", "3", "--cache"])
            .arg(&cache)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        let mut snapshot = records(&output.stdout).remove(0);
        snapshot["elapsed_ms"] = Value::Null;
        snapshots.push(snapshot);
    }
    assert!(
        snapshots.windows(2).all(|w| w[0] == w[1]),
        "a 304 reuses the body: same snapshot"
    );
    let conditional: Vec<bool> = server
        .seen()
        .iter()
        .filter(|s| s.path == "/p/api/v2/summary.json")
        .map(|s| s.headers.contains_key("if-none-match"))
        .collect();
    assert_eq!(
        conditional,
        [false, true, true, true, false, true, true, true, false]
    );
    assert_eq!(*not_modified.lock().unwrap(), 6);
    // Without --cache nothing is conditional.
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "p"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!server
        .seen()
        .last()
        .unwrap()
        .headers
        .contains_key("if-none-match"));
}

#[test]
fn the_fast_interval_engages_during_an_incident_and_disengages_after() {
    let home = tempfile::tempdir().unwrap();
    let open = fixture("statuspage/claude-summary-active-incident.json");
    let mut resolved: Value = serde_json::from_slice(&open).unwrap();
    resolved["incidents"] = serde_json::json!([]);
    let (server, body) = changing_server("/busy/api/v2/summary.json", open);
    let quiet = fixture("statuspage/airbrake-summary.json");
    let quiet_server = Server::routes(statuspage_routes("calm", Reply::json(quiet), None, None));
    // A page whose incident stays open: polled every 100 ms throughout, the clock the test
    // reads instead of its own.
    let witness = Server::routes(statuspage_routes(
        "witness",
        Reply::json(fixture("statuspage/claude-summary-active-incident.json")),
        None,
        None,
    ));
    let witness_polls = || witness.hits("/witness/api/v2/summary.json");
    let config = home.path().join("c.toml");
    std::fs::write(
        &config,
        format!(
            "[providers.busy]\nurl = \"{}\"\n\n[providers.calm]\nurl = \"{}\"\n\n\
             [providers.witness]\nurl = \"{}\"\n",
            server.url("/busy"),
            quiet_server.url("/calm"),
            witness.url("/witness")
        ),
    )
    .unwrap();
    let busy_polls = || server.hits("/busy/api/v2/summary.json");
    let mut watch = Guard(
        Command::new(bin())
            .arg("--config")
            .arg(&config)
            .args([
                "fetch",
                "busy",
                "calm",
                "witness",
                "--watch",
                "1h",
                "--fast",
                "100ms",
                "--allow-short-intervals",
                "--no-cache",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    // Each snapshot as it is written: (provider, open incidents). Read on a thread, so the
    // pipe never fills and holds the poller up.
    let (sender, snapshots) = std::sync::mpsc::channel::<(String, usize)>();
    let stdout = watch.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            let Ok(line) = line else { return };
            let snapshot: Value = serde_json::from_str(&line).unwrap();
            let open = snapshot["incidents"].as_array().map_or(0, Vec::len);
            let provider = snapshot["provider"].as_str().unwrap_or("").to_string();
            if sender.send((provider, open)).is_err() {
                return;
            }
        }
    });

    // Waited for, not timed: however slow the machine, the open incident brings the poller
    // back every 100 ms while the calm page waits its hour.
    assert!(
        wait_for(|| busy_polls() >= 5, Duration::from_secs(30)),
        "fast while the incident is open: {} polls",
        busy_polls()
    );
    assert_eq!(
        quiet_server.hits("/calm/api/v2/summary.json"),
        1,
        "the calm page waits its normal hour"
    );

    // Once a snapshot shows the incident gone, the busy page's next poll is an hour away.
    *body.lock().unwrap() = resolved.to_string().into_bytes();
    let guard = Instant::now() + Duration::from_secs(30);
    loop {
        let left = guard.saturating_duration_since(Instant::now());
        let (provider, open) = snapshots
            .recv_timeout(left)
            .expect("a snapshot of the resolved page");
        if provider == "busy" && open == 0 {
            break;
        }
    }
    let after_resolution = busy_polls();
    // Ten fast cycles of the witness later, the resolved page has not been asked again.
    let cycles = witness_polls();
    assert!(wait_for(
        || witness_polls() >= cycles + 10,
        Duration::from_secs(30)
    ));
    assert_eq!(
        busy_polls(),
        after_resolution,
        "back to the normal interval once resolved"
    );
    assert!(
        snapshots
            .try_iter()
            .all(|(provider, _)| provider == "witness"),
        "no poll of it since"
    );
    terminate(&watch);
    assert!(exits_within(&mut watch, Duration::from_secs(10)).success());
}

/// `GET path` over a fresh connection: (status code, body).
pub(crate) fn http_get(address: &str, path: &str) -> (u16, String) {
    let (head, body) = http_exchange(address, "GET", path, "");
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    (status, String::from_utf8_lossy(&body).into_owned())
}

pub(crate) fn wait_for(what: impl Fn() -> bool, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while Instant::now() < deadline {
        if what() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    what()
}

#[test]
fn serve_answers_metrics_health_board_and_events_and_keeps_up_under_slow_clients() {
    let home = tempfile::tempdir().unwrap();
    let (server, body) = changing_server(
        "/claude/api/v2/summary.json",
        fixture("statuspage/claude-summary-active-incident.json"),
    );
    let config = config_for(home.path(), &server, &["claude"]);
    let mut serve = Guard(
        Command::new(bin())
            .arg("--config")
            .arg(&config)
            .args([
                "serve",
                "claude",
                "--listen",
                "127.0.0.1:0",
                "--interval",
                "200ms",
                "--allow-short-intervals",
                "--no-cache",
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut first = String::new();
    BufReader::new(serve.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first.trim().rsplit("http://").next().unwrap().to_string();
    assert!(
        first.starts_with("statusq serve: listening on http://127.0.0.1:"),
        "{first}"
    );

    assert!(wait_for(
        || http_get(&address, "/healthz").0 == 200,
        Duration::from_secs(10)
    ));
    let (status, metrics) = http_get(&address, "/metrics");
    assert_eq!(status, 200);
    assert!(
        metrics.contains("statusq_up{provider=\"claude\",name=\"claude page\"} 1"),
        "{metrics}"
    );
    assert!(metrics.contains("statusq_exporter_polls_total "));
    assert_promtool_accepts(&metrics);
    let (status, page) = http_get(&address, "/");
    assert_eq!(status, 200);
    assert!(page.contains("<title>statusq</title>") && page.contains("http-equiv=\"refresh\""));
    let (status, events) = http_get(&address, "/events");
    assert_eq!(status, 200);
    assert!(records(events.as_bytes())
        .iter()
        .any(|e| e["event"] == "incident.created"));
    assert_eq!(http_get(&address, "/nope").0, 404);

    // Upstream changes; the metrics follow without anyone asking for a fetch.
    let mut changed: Value =
        serde_json::from_slice(&fixture("statuspage/claude-summary-active-incident.json")).unwrap();
    changed["components"][0]["status"] = "major_outage".into();
    *body.lock().unwrap() = changed.to_string().into_bytes();
    assert!(
        wait_for(
            || {
                http_get(&address, "/metrics").1.contains("component_id=\"rwppv331jlwc\",component=\"claude.ai\",group=\"\",status=\"major_outage\"} 1")
            },
            Duration::from_secs(10)
        ),
        "the metrics changed after upstream did"
    );

    // 200 slow clients: connected, sending a head byte by byte, or nothing at all.
    let mut slow = Vec::new();
    for i in 0..200 {
        let mut stream = TcpStream::connect(&address).unwrap();
        if i % 2 == 0 {
            let _ = stream.write_all(b"GET /metrics HT");
        }
        slow.push(stream);
    }
    let (status, _) = http_get(&address, "/metrics");
    assert_eq!(status, 200);
    // Ordered, not timed: the scrape was answered while every slow client was still waiting
    // for its 5 s head deadline — none of them has been answered or dropped yet.
    for stream in slow.iter_mut() {
        stream.set_nonblocking(true).unwrap();
        let mut byte = [0u8; 1];
        match stream.read(&mut byte) {
            Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {}
            other => panic!("a slow client was dealt with before the scrape: {other:?}"),
        }
    }
    // A huge head is refused, not buffered.
    let mut big = TcpStream::connect(&address).unwrap();
    let _ =
        big.write_all(format!("GET / HTTP/1.1\r\nX-Big: {}\r\n", "a".repeat(20_000)).as_bytes());
    let mut answer = String::new();
    let _ = big.read_to_string(&mut answer);
    assert!(
        answer.starts_with("HTTP/1.1 431"),
        "{}",
        &answer[..answer.len().min(80)]
    );
    drop(slow);

    terminate(&serve);
    assert!(exits_within(&mut serve, Duration::from_secs(10)).success());
}

#[test]
fn fetch_watch_streams_snapshots_until_its_reader_leaves() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "p",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["p"]);
    let mut child = spawn_with(
        &config,
        &[
            "fetch",
            "p",
            "--watch",
            "100ms",
            "--allow-short-intervals",
            "--no-cache",
        ],
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    for _ in 0..3 {
        let mut line = String::new();
        lines.read_line(&mut line).unwrap();
        assert_eq!(
            serde_json::from_str::<Value>(&line).unwrap()["provider"],
            "p"
        );
    }
    drop(lines);
    let status = exits_within(&mut child, Duration::from_secs(5));
    assert!(status.success(), "a closed pipe is a graceful end");
    let mut stderr = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert_eq!(stderr, "");
}

#[test]
fn a_304_for_a_cached_body_that_is_gone_fetches_the_page_again() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/airbrake-summary.json");
    // Whoever sends a validator is told nothing changed, as a real server would.
    let server = Server::start(move |req, _| {
        if req.path != "/p/api/v2/summary.json" {
            return Reply::not_found();
        }
        if req.headers.contains_key("if-none-match") {
            return Reply::status(304, Vec::new()).header("ETag", "\"v1\"");
        }
        Reply::json(summary.clone()).header("ETag", "\"v1\"")
    });
    let config = config_for(home.path(), &server, &["p"]);
    let cache = home.path().join("cache-dir");
    let mut child = Guard(
        Command::new(bin())
            .arg("--config")
            .arg(&config)
            .args([
                "fetch",
                "p",
                "--watch",
                "100ms",
                "--allow-short-intervals",
                "--cache",
            ])
            .arg(&cache)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    let mut next = || {
        let mut line = String::new();
        assert!(
            lines.read_line(&mut line).unwrap() > 0,
            "fetch --watch ended"
        );
        serde_json::from_str::<Value>(&line).unwrap()
    };
    assert_eq!(next()["ok"], true);
    assert_eq!(next()["ok"], true, "a 304 served from the cache");
    // A cleaner takes the cached bodies while the poller runs.
    for entry in std::fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "body") {
            std::fs::remove_file(path).unwrap();
        }
    }
    for _ in 0..3 {
        let snapshot = next();
        assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    }
    let unconditional = server
        .seen()
        .iter()
        .filter(|s| !s.headers.contains_key("if-none-match"))
        .count();
    assert!(unconditional >= 2, "the page was fetched whole again");
    terminate(&child);
    assert!(exits_within(&mut child, Duration::from_secs(10)).success());
}

/// Whole seconds of CPU a process has used so far (user and system), from /proc.
/// `statusq --config CONFIG ARGS…`, its output piped, killed if the test ends early.
fn spawn_with(config: &Path, args: &[&str]) -> Guard {
    Guard(
        Command::new(bin())
            .arg("--config")
            .arg(config)
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    )
}

pub(crate) fn cpu_ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap();
    // Fields after the command name (which may hold spaces) start after the last ')'.
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .unwrap()
        .1
        .split_whitespace()
        .collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

/// `statusq serve` of the given providers (config in `config`) on a free port: the child and
/// its address.
pub(crate) fn serve(config: &Path, providers: &[&str], extra: &[&str]) -> (Guard, String) {
    serve_on("127.0.0.1:0", config, providers, extra)
}

/// `statusq serve` listening on `listen`: the child and the address it printed.
pub(crate) fn serve_on(
    listen: &str,
    config: &Path,
    providers: &[&str],
    extra: &[&str],
) -> (Guard, String) {
    let mut serve = Guard(
        Command::new(bin())
            .arg("--config")
            .arg(config)
            .arg("serve")
            .args(providers)
            .args(["--listen", listen, "--no-cache"])
            .args(if extra.contains(&"--state-dir") {
                &[][..]
            } else {
                &["--no-state"][..]
            })
            .args(extra)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut first = String::new();
    BufReader::new(serve.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first.trim().rsplit("http://").next().unwrap().to_string();
    (serve, address)
}

/// `METHOD path` over a fresh connection, `extra` header lines (each ending in CRLF) after
/// `Host`: (head, body bytes) as sent.
pub(crate) fn http_exchange(
    address: &str,
    method: &str,
    path: &str,
    extra: &str,
) -> (String, Vec<u8>) {
    let mut stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: {address}\r\n{extra}\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let at = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap_or(response.len());
    let body = response.get(at + 4..).unwrap_or_default().to_vec();
    (String::from_utf8_lossy(&response[..at]).into_owned(), body)
}

/// `METHOD path` over a fresh connection: (head, body) as sent.
fn http_raw(address: &str, method: &str, path: &str) -> (String, String) {
    let (head, body) = http_exchange(address, method, path, "");
    (head, String::from_utf8(body).unwrap())
}

fn content_length(head: &str) -> usize {
    head.lines()
        .find_map(|l| l.strip_prefix("Content-Length: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no Content-Length in {head}"))
}

#[test]
fn serve_listens_on_a_bare_port_or_a_host_name_and_head_tells_the_get_length() {
    let home = tempfile::tempdir().unwrap();
    let (server, _) = changing_server(
        "/claude/api/v2/summary.json",
        fixture("statuspage/claude-summary-active-incident.json"),
    );
    let config = config_for(home.path(), &server, &["claude"]);
    // `:PORT` is every interface, as exporters conventionally accept; a host name resolves.
    for listen in [":0", "localhost:0"] {
        let (_serve, printed) = serve_on(listen, &config, &["claude"], &["--interval", "1h"]);
        let first = format!("listening on http://{printed}");
        let port = printed.rsplit(':').next().unwrap();
        assert!(port.parse::<u16>().is_ok_and(|p| p > 0), "{first}");
        // Every interface includes IPv4 loopback; a host name binds the address it resolves to.
        let address = if listen.starts_with(':') {
            format!("127.0.0.1:{port}")
        } else {
            printed.clone()
        };
        if listen.starts_with(':') {
            assert!(
                printed.starts_with("[::]:") || printed.starts_with("0.0.0.0:"),
                "{listen} binds every interface: {first}"
            );
        }
        assert!(
            wait_for(
                || http_get(&address, "/healthz").0 == 200,
                Duration::from_secs(10)
            ),
            "{listen}: {first}"
        );
        let (head, body) = http_raw(&address, "HEAD", "/metrics");
        assert!(head.starts_with("HTTP/1.1 200"), "{head}");
        assert!(body.is_empty(), "HEAD sends no body: {body}");
        let (get_head, metrics) = http_raw(&address, "GET", "/metrics");
        assert_eq!(content_length(&get_head), metrics.len());
        assert!(
            metrics.contains("statusq_up{provider=\"claude\""),
            "{metrics}"
        );
        assert_eq!(
            content_length(&head),
            metrics.len(),
            "HEAD /metrics answers the length the GET sends"
        );
    }
    drop(server);
}

#[test]
fn the_events_endpoint_is_bounded_in_bytes_not_only_in_count() {
    let home = tempfile::tempdir().unwrap();
    let page: Value =
        serde_json::from_slice(&fixture("statuspage/claude-summary-active-incident.json")).unwrap();
    // Every poll, the open incident has one more update with a 1 MB body.
    let server = Server::start(move |req, earlier| {
        if req.path != "/big/api/v2/summary.json" {
            return Reply::not_found();
        }
        let mut page = page.clone();
        let updates = page["incidents"][0]["incident_updates"]
            .as_array_mut()
            .unwrap();
        let mut update = updates[0].clone();
        update["id"] = format!("big{earlier}").into();
        update["body"] = format!("{earlier} {}", "x".repeat(1 << 20)).into();
        updates.insert(0, update);
        Reply::json(page.to_string().into_bytes())
    });
    let config = config_for(home.path(), &server, &["big"]);
    let (mut serve, address) = serve(
        &config,
        &["big"],
        &["--interval", "50ms", "--allow-short-intervals"],
    );
    let polls = || {
        let metrics = http_get(&address, "/metrics").1;
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("statusq_exporter_polls_total "))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    assert!(
        wait_for(|| polls() >= 12, Duration::from_secs(60)),
        "polls: {}",
        polls()
    );
    let (status, events) = http_get(&address, "/events");
    assert_eq!(status, 200);
    let lines = records(events.as_bytes());
    assert!(lines.len() >= 2, "{}", lines.len());
    // Twelve megabytes of updates were announced; four (and one more event) are kept.
    assert!(
        events.len() <= 4 * 1024 * 1024 + (1 << 20) + 8192,
        "{} bytes",
        events.len()
    );
    let newest = lines.last().unwrap()["update"]["body"].as_str().unwrap();
    let number: u64 = newest.split(' ').next().unwrap().parse().unwrap();
    assert!(
        number >= 11,
        "the newest events are the ones kept: {number}"
    );
    terminate(&serve);
    assert!(exits_within(&mut serve, Duration::from_secs(10)).success());
}

#[test]
fn serve_out_of_file_descriptors_does_not_spin() {
    use std::os::unix::process::CommandExt;
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "p",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["p"]);
    let mut command = Command::new(bin());
    command
        .arg("--config")
        .arg(&config)
        .args(["serve", "p", "--listen", "127.0.0.1:0", "--no-cache"])
        .stdout(Stdio::piped());
    // SAFETY: setrlimit is async-signal-safe; it only lowers this child's own limit.
    unsafe {
        command.pre_exec(|| {
            let limit = libc::rlimit {
                rlim_cur: 48,
                rlim_max: 48,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut serve = Guard(command.spawn().unwrap());
    let mut first = String::new();
    BufReader::new(serve.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first.trim().rsplit("http://").next().unwrap().to_string();
    assert!(wait_for(
        || http_get(&address, "/healthz").0 == 200,
        Duration::from_secs(10)
    ));
    // Silent clients hold a descriptor each until their head deadline: more than the limit.
    let mut held = Vec::new();
    for _ in 0..80 {
        if let Ok(stream) = TcpStream::connect(&address) {
            held.push(stream);
        }
    }
    // Out of descriptors: every one of its 48 open (counted by the kernel, not waited for).
    let pid = serve.id();
    let open = || std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |fds| fds.count());
    assert!(
        wait_for(|| open() >= 47, Duration::from_secs(10)),
        "{} open",
        open()
    );
    // The measurement itself: a spin is CPU per second, and a rate needs its second.
    let before = cpu_ticks(pid);
    std::thread::sleep(Duration::from_millis(1000));
    let used = cpu_ticks(pid) - before;
    // A loop retrying accept at once burns the whole second (100 ticks).
    assert!(used < 30, "{used} ticks of CPU in one idle second");
    drop(held);
    terminate(&serve);
    assert!(exits_within(&mut serve, Duration::from_secs(10)).success());
}

#[test]
fn a_reader_that_leaves_while_nothing_is_due_ends_the_poll_at_once() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "p",
        Reply::json(fixture("statuspage/claude-summary-active-incident.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["p"]);
    let state = home.path().join("state.json");
    let state = state.to_str().unwrap();
    // `… | head -1`: one line, then the reader is gone while the next poll is an hour away.
    for args in [
        &["fetch", "p", "--watch", "1h", "--no-cache"][..],
        &[
            "watch",
            "p",
            "--interval",
            "1h",
            "-f",
            "json",
            "--no-cache",
            "--state",
            state,
        ][..],
    ] {
        let mut child = spawn_with(&config, args);
        let mut lines = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        lines.read_line(&mut line).unwrap();
        assert!(line.starts_with('{'), "{args:?}: {line}");
        drop(lines);
        let status = exits_within(&mut child, Duration::from_secs(10));
        assert!(
            status.success(),
            "{args:?}: a closed pipe is a graceful end"
        );
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        assert_eq!(stderr, "", "{args:?}");
    }
}

fn signal(child: &Child, signal: libc::c_int) {
    // SAFETY: signalling our own child process.
    unsafe {
        libc::kill(child.id() as libc::pid_t, signal);
    }
}

/// How long `child` took to exit after `signal`, which it must do within `limit`.
fn stops_after(child: &mut Child, signal_number: libc::c_int, limit: Duration) -> (i32, Duration) {
    let sent = Instant::now();
    signal(child, signal_number);
    let status = exits_within(child, limit);
    (status.code().unwrap_or(-1), sent.elapsed())
}

#[test]
fn sigterm_stops_watch_and_fetch_watch_while_a_request_is_stalled() {
    let home = tempfile::tempdir().unwrap();
    // The page answers, but only after a minute: the request is in flight when the signal comes.
    let server = Server::routes(statuspage_routes(
        "p",
        Reply::json(fixture("statuspage/airbrake-summary.json")).delay(Duration::from_secs(60)),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["p"]);
    let state = home.path().join("state.json");
    let state = state.to_str().unwrap();
    for args in [
        &["fetch", "p", "--watch", "1m", "--timeout", "2m"][..],
        &["watch", "p", "--timeout", "2m", "--state", state][..],
    ] {
        for signal_number in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
            let before = server.hits("/p/api/v2/summary.json");
            let mut child = spawn_with(&config, &[args, &["--no-cache"]].concat());
            assert!(
                wait_for(
                    || server.hits("/p/api/v2/summary.json") > before,
                    Duration::from_secs(10)
                ),
                "the request went out"
            );
            let hits = server.hits("/p/api/v2/summary.json");
            let (code, _) = stops_after(&mut child, signal_number, Duration::from_secs(2));
            assert_eq!(code, 0, "{args:?} signal {signal_number}: a graceful stop");
            assert_eq!(server.hits("/p/api/v2/summary.json"), hits);
        }
    }
}

#[test]
fn a_second_signal_ends_a_stop_that_cannot_finish() {
    let home = tempfile::tempdir().unwrap();
    // A snapshot far larger than a pipe's buffer, to a reader that never reads: the first
    // SIGTERM finds statusq blocked writing it, and cannot be acted on until the write ends.
    let mut page: Value =
        serde_json::from_slice(&fixture("statuspage/claude-summary-active-incident.json")).unwrap();
    page["incidents"][0]["incident_updates"][0]["body"] = "x".repeat(1 << 20).into();
    let server = Server::routes(statuspage_routes(
        "p",
        Reply::json(page.to_string()),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["p"]);
    let mut child = spawn_with(&config, &["fetch", "p", "--watch", "1h", "--no-cache"]);
    assert!(wait_for(
        || server.hits("/p/api/v2/summary.json") > 0,
        Duration::from_secs(10)
    ));
    let pid = child.id();
    assert!(
        wait_for(|| blocked_writing_a_pipe(pid), Duration::from_secs(10)),
        "statusq blocks writing the snapshot to the full pipe"
    );
    signal(&child, libc::SIGTERM);
    assert!(
        wait_for(
            || no_signal_pending(pid) && blocked_writing_a_pipe(pid),
            Duration::from_secs(10)
        ),
        "the signal is taken, and the write goes on"
    );
    assert!(
        child.try_wait().unwrap().is_none(),
        "blocked in the write, the first signal only asks"
    );
    let (code, _) = stops_after(&mut child, libc::SIGTERM, Duration::from_secs(2));
    assert_eq!(code, 128 + libc::SIGTERM, "the second one ends it");
}

#[test]
fn serve_answers_while_it_probes_and_stops_during_probing() {
    let home = tempfile::tempdir().unwrap();
    // A typed URL whose every probe stalls for a minute.
    let server = Server::start(|_, _| Reply::json("{}").delay(Duration::from_secs(60)));
    let config = home.path().join("empty.toml");
    std::fs::write(&config, "").unwrap();
    let url = server.url("/status");
    let (mut serve, address) = serve(&config, &[&url], &["--timeout", "2m"]);
    assert!(wait_for(
        || !server.seen().is_empty(),
        Duration::from_secs(10)
    ));
    let (status, body) = http_get(&address, "/healthz");
    assert_eq!(
        status, 503,
        "answering while probing, not ready yet: {body}"
    );
    let (code, _) = stops_after(&mut serve, libc::SIGTERM, Duration::from_secs(2));
    assert_eq!(code, 0);
}

#[test]
fn watch_stops_during_format_detection() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(|_, _| Reply::json("{}").delay(Duration::from_secs(60)));
    let state = home.path().join("state.json");
    let mut child = spawn(
        home.path(),
        &[
            "watch",
            &server.url("/status"),
            "--timeout",
            "2m",
            "--no-cache",
            "--state",
            state.to_str().unwrap(),
        ],
    );
    assert!(wait_for(
        || !server.seen().is_empty(),
        Duration::from_secs(10)
    ));
    let (code, _) = stops_after(&mut child, libc::SIGINT, Duration::from_secs(2));
    assert_eq!(code, 0);
}

#[test]
fn a_retry_after_past_the_cap_fails_at_once_and_the_next_poll_waits_for_it() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(
        [
            statuspage_routes(
                "p",
                Reply::status(429, "slow down").header("Retry-After", "3600"),
                None,
                None,
            ),
            // A page that answers: polled every second, what the test counts time by.
            statuspage_routes(
                "witness",
                Reply::json(fixture("statuspage/airbrake-summary.json")),
                None,
                None,
            ),
        ]
        .concat(),
    );
    let config = config_for(home.path(), &server, &["p", "witness"]);
    // Polled every second, but asked to wait an hour: one request while the witness gets three.
    let mut child = spawn_with(
        &config,
        &[
            "fetch",
            "p",
            "witness",
            "--watch",
            "1s",
            "--allow-short-intervals",
            "--no-cache",
        ],
    );
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    lines.read_line(&mut line).unwrap();
    let snapshot: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(snapshot["ok"], false);
    assert_eq!(snapshot["error"]["http_status"], 429);
    assert_eq!(snapshot["error"]["retry_after"], 3600);
    assert!(snapshot["error"]["message"]
        .as_str()
        .unwrap()
        .contains("--max-retry-after"));
    // Read on, so the pipe never fills while the witness is polled.
    std::thread::spawn(move || {
        let mut rest = String::new();
        let _ = lines.read_to_string(&mut rest);
    });
    assert!(wait_for(
        || server.hits("/witness/api/v2/summary.json") >= 3,
        Duration::from_secs(20)
    ));
    assert_eq!(server.hits("/p/api/v2/summary.json"), 1, "not asked again");
    let (code, _) = stops_after(&mut child, libc::SIGTERM, Duration::from_secs(2));
    assert_eq!(code, 0);
}

#[test]
fn watch_killed_after_printing_prints_the_same_events_first_next_time() {
    let home = tempfile::tempdir().unwrap();
    let (server, body) = changing_server("/gh/api/v2/incidents/x.json", github_after(2));
    let url = format!("gh={}", server.url("/gh/api/v2/incidents/x.json"));
    let run = |minute: u32, fault: Option<&str>| {
        let mut command = statusq(home.path());
        command.env("STATUSQ_NOW", format!("2026-11-22T03:{minute:02}:00Z"));
        if let Some(fault) = fault {
            command.env("STATUSQ_FAULT_STATE_WRITE", fault);
        }
        command
            .args(["watch", "--once", "-f", "json", &url])
            .output()
            .unwrap()
    };
    let ids = |stdout: &[u8]| -> Vec<String> {
        records(stdout)
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(run(1, None).status.success());
    *body.lock().unwrap() = github_after(4);
    // Killed once the two new updates are printed, before the state settles.
    let crashed = run(2, Some("rename@2"));
    assert!(!crashed.status.success());
    let printed = ids(&crashed.stdout);
    assert_eq!(printed.len(), 2);
    // The page has moved on by one more update: the two come again, same ids, then the new one.
    *body.lock().unwrap() = github_after(5);
    let next = run(3, None);
    assert!(next.status.success());
    let again = ids(&next.stdout);
    assert_eq!(again.len(), 3, "{again:?}");
    assert_eq!(again[..2], printed[..]);
    assert!(run(4, None).stdout.is_empty(), "and then nothing");
}

/// `statusq ARGS…` on a pseudo-terminal (util-linux `script`), stdout and stderr on it both,
/// until `done` says of what it printed so far that it has shown enough; what it printed.
/// `statusq --config CONFIG ARGS` (ARGS may go on as shell: `…; stty -a`) on a terminal of
/// 100 columns that script(1) gives it, its state and cache in `home`; and the file script
/// writes the screen to, fresh for each run.
pub(crate) fn under_script(home: &Path, config: &Path, args: &str) -> (PathBuf, Guard) {
    let log = home.join("typescript");
    // Each run reads its own screen, not the last one's.
    let _ = std::fs::remove_file(&log);
    let command = format!(
        // The shell outlives a Ctrl-C meant for statusq: dash, unlike bash, dies of a SIGINT
        // that reached it while it waited, and what follows statusq would not run. A trap that
        // runs a command is reset for the child, so statusq still gets SIGINT as from a person.
        "trap : INT; XDG_STATE_HOME={state} XDG_CACHE_HOME={cache} COLUMNS=100 {bin} --config {config} {args}",
        state = home.join("state").display(),
        cache = home.join("cache").display(),
        bin = bin().display(),
        config = config.display(),
    );
    let child = Guard(
        Command::new("script")
            .args(["-q", "-f", "-e", "-c", &command])
            // The same shell wherever the tests run (script(1) runs $SHELL, else /bin/sh).
            .env("SHELL", "/bin/sh")
            .arg(&log)
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    (log, child)
}

pub(crate) fn on_a_terminal(
    home: &Path,
    config: &Path,
    args: &str,
    done: impl Fn(&str) -> bool,
) -> String {
    let (log, mut child) = under_script(home, config, args);
    let screen = || {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        // script's own header and footer lines, and the terminal's carriage returns.
        text.replace('\r', "")
            .lines()
            .filter(|l| !l.starts_with("Script started") && !l.starts_with("Script done"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        wait_for(|| done(&screen()), Duration::from_secs(30)),
        "{args}: {}",
        screen()
    );
    terminate(&child);
    let _ = exits_within(&mut child, Duration::from_secs(10));
    screen()
}

/// Whether a thread of process `pid` is blocked writing to a pipe (the kernel's wait channel).
fn blocked_writing_a_pipe(pid: u32) -> bool {
    std::fs::read_dir(format!("/proc/{pid}/task"))
        .into_iter()
        .flatten()
        .flatten()
        .any(|task| {
            std::fs::read_to_string(task.path().join("wchan"))
                .is_ok_and(|channel| channel.contains("pipe_write"))
        })
}

/// Whether process `pid` has no signal waiting to be delivered.
fn no_signal_pending(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/status")).is_ok_and(|status| {
        status
            .lines()
            .filter(|l| l.starts_with("SigPnd:") || l.starts_with("ShdPnd:"))
            .all(|l| {
                l.split_whitespace()
                    .nth(1)
                    .is_some_and(|mask| mask.bytes().all(|b| b == b'0'))
            })
    })
}

#[test]
fn on_a_terminal_watch_says_what_it_watches_and_the_state_once_then_only_news() {
    if !required_tool("script") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(
        [
            statuspage_routes(
                "intercom",
                Reply::json(fixture("statuspage/intercom-summary-groups.json")),
                None,
                None,
            ),
            statuspage_routes(
                "openai",
                Reply::json(fixture("incidentio/openai-api-v2-summary.json")),
                None,
                None,
            ),
        ]
        .concat(),
    );
    let mut config = String::new();
    for (id, format) in [("intercom", "statuspage"), ("openai", "incidentio")] {
        config.push_str(&format!(
            "[providers.{id}]\nname = \"{id} page\"\nurl = \"{}\"\nformat = \"{format}\"\n\n",
            server.url(&format!("/{id}"))
        ));
    }
    config.push_str("[providers.gone]\nname = \"gone page\"\nurl = \"http://127.0.0.1:9/x\"\n");
    let config_path = home.path().join("statusq.toml");
    std::fs::write(&config_path, config).unwrap();
    // Three polls of each page at a 1s interval, counted at the server.
    let hits = |id: &str| server.hits(&format!("/{id}/api/v2/summary.json"));
    let polled = |n: usize| {
        let server = &server;
        move |_: &str| {
            server.hits("/intercom/api/v2/summary.json") >= n
                && server.hits("/openai/api/v2/summary.json") >= n
        }
    };
    let text = on_a_terminal(
        home.path(),
        &config_path,
        "watch intercom openai gone --interval 1s --allow-short-intervals --timeout 1s --retries 0",
        polled(3),
    );
    // The start line, once: what, how often, where the state is.
    assert_eq!(text.matches("statusq: watching").count(), 1, "{text}");
    assert!(
        text.contains("statusq: watching intercom page, openai page, gone page every 1s"),
        "{text}"
    );
    // The current state of each page, once: healthy, and what is not fine (grouped).
    assert_eq!(text.matches("All Systems Operational").count(), 1, "{text}");
    assert!(text.contains("operational"), "{text}");
    assert_eq!(
        text.matches("22 components degraded performance").count(),
        1,
        "{text}"
    );
    // A page that cannot be fetched says so at once, each time, with when it is tried again:
    // the first failure backs off to twice the 1s interval.
    let failures: Vec<&str> = text
        .lines()
        .filter(|line| line.contains("statusq: gone: cannot be fetched: "))
        .collect();
    assert!(!failures.is_empty(), "{text}");
    assert!(failures[0].ends_with("; retrying in 2s"), "{text}");
    assert!(
        failures.iter().all(|line| line.contains("; retrying in ")),
        "{text}"
    );
    // Each fact once: the board names the open incidents, and the first sight's events do
    // not say them again; nothing either for the unchanged polls after.
    assert_eq!(
        text.matches("Elevated errors across ChatGPT, Codex")
            .count(),
        1,
        "{text}"
    );
    assert_eq!(
        text.matches("22 components now degraded performance")
            .count(),
        0,
        "{text}"
    );
    assert_eq!(text.matches("new incident").count(), 0, "{text}");
    assert_eq!(text.matches("page status").count(), 0, "{text}");

    // --quiet: none of the above but the news.
    let quiet_home = tempfile::tempdir().unwrap();
    let before = hits("intercom").max(hits("openai"));
    let quiet = on_a_terminal(
        quiet_home.path(),
        &config_path,
        "watch intercom openai gone --quiet --interval 1s --allow-short-intervals --timeout 1s --retries 0",
        polled(before + 2),
    );
    assert!(!quiet.contains("statusq: watching"), "{quiet}");
    assert!(!quiet.contains("All Systems Operational"), "{quiet}");
    assert!(
        !quiet.contains("gone: cannot be fetched:"),
        "no note: {quiet}"
    );
    assert_eq!(quiet.matches("new incident").count(), 2, "{quiet}");
}

#[test]
fn serve_keeps_its_state_events_and_history_across_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("serve-state");
    let summary = Arc::new(Mutex::new(fixture("statuspage/airbrake-summary.json")));
    let incidents = Arc::new(Mutex::new(fixture(
        "statuspage/airbrake-incidents-first-3.json",
    )));
    let listed = Arc::clone(&incidents);
    let page = Arc::clone(&summary);
    let server = Server::start(move |req, _| match req.path.as_str() {
        "/airbrake/api/v2/summary.json" => Reply::json(page.lock().unwrap().clone()),
        "/airbrake/api/v2/incidents.json" => Reply::json(listed.lock().unwrap().clone()),
        _ => Reply::not_found(),
    });
    let config = config_for(home.path(), &server, &["airbrake"]);
    let dir_arg = dir.to_str().unwrap();
    // A window reaching back past Airbrake's incidents of 2022 and 2023.
    let extra = [
        "--state-dir",
        dir_arg,
        "--interval",
        "200ms",
        "--allow-short-intervals",
        "--report-window",
        "1600d",
    ];
    let report_of = |address: &str| -> Value {
        let (status, body) = http_get(address, "/report");
        assert_eq!(status, 200);
        records(body.as_bytes())
            .into_iter()
            .find(|r| r["provider"] == "airbrake")
            .unwrap_or_else(|| panic!("no report: {body}"))
    };

    let set_notifications = |status: &str| {
        let mut page: Value = serde_json::from_slice(&summary.lock().unwrap()).unwrap();
        for component in page["components"].as_array_mut().unwrap() {
            if component["id"] == "r3tsbzdb7qst" {
                component["status"] = status.into();
            }
        }
        *summary.lock().unwrap() = page.to_string().into_bytes();
    };
    let changed_to = |address: &str, status: &str| {
        records(http_get(address, "/events").1.as_bytes())
            .iter()
            .any(|e| e["event"] == "component.changed" && e["to"] == status)
    };

    let (first_run, address) = serve(&config, &["airbrake"], &extra);
    assert!(wait_for(
        || http_get(&address, "/healthz").0 == 200,
        Duration::from_secs(10)
    ));
    set_notifications("major_outage");
    assert!(wait_for(
        || changed_to(&address, "major_outage"),
        Duration::from_secs(10)
    ));
    let (_, events_before) = http_get(&address, "/events");
    let report = report_of(&address);
    assert_eq!(report["incidents"]["count"], 3, "{report}");
    let notifications = report["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Notifications")
        .unwrap()
        .clone();
    assert!(notifications["availability"].as_f64().unwrap() < 1.0);
    let (_, metrics) = http_get(&address, "/metrics");
    assert!(
        metrics.contains("statusq_component_availability_ratio{provider=\"airbrake\",component=\"Notifications\",group=\"\",window=\"1600d\"}"),
        "{metrics}"
    );
    assert_promtool_accepts(&metrics);
    let (_, board) = http_get(&address, "/");
    assert!(board.contains("Reliability, last 1600d") && board.contains("class=\"reliability\""));
    // The board shows a row for each of the 6 components the incidents touched, 1600 days
    // ending now — 1,601 calendar days, today's included — in bars of 5 days, and counts the
    // 2 others (Deploy Tracking, Website).
    assert_eq!(board.matches("<i class=").count(), 6 * 321);
    assert!(board.contains("2 components without trouble in this window."));

    // A second serve on the same state directory is refused, saying why.
    let second = Command::new(bin())
        .arg("--config")
        .arg(&config)
        .args(["serve", "airbrake", "--listen", "127.0.0.1:0", "--no-cache"])
        .args(["--state-dir", dir_arg])
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(75));
    assert!(String::from_utf8_lossy(&second.stderr).contains("--state-dir"));

    // Killed; meanwhile Notifications recovers and the page stops listing its incidents.
    drop(first_run);
    set_notifications("operational");
    for name in ["state.json", "events.ndjson", "history.ndjson"] {
        assert!(dir.join(name).exists(), "{name}");
    }
    // A torn line in the history is skipped, not fatal.
    let mut torn = std::fs::read(dir.join("history.ndjson")).unwrap();
    torn.extend_from_slice(b"{\"type\":\"snapshot\",\"v\":1,\"provi");
    std::fs::write(dir.join("history.ndjson"), torn).unwrap();
    let mut emptied: Value = serde_json::from_slice(&incidents.lock().unwrap()).unwrap();
    emptied["incidents"] = Value::Array(Vec::new());
    *incidents.lock().unwrap() = emptied.to_string().into_bytes();

    let (_second_run, address) = serve(&config, &["airbrake"], &extra);
    assert!(wait_for(
        || http_get(&address, "/healthz").0 == 200,
        Duration::from_secs(10)
    ));
    // No fresh baseline: the recovery that happened while it was down is news (a fresh start
    // would have taken "operational" as its baseline, silently), and /events goes on from
    // what it had.
    assert!(wait_for(
        || changed_to(&address, "operational"),
        Duration::from_secs(10)
    ));
    let before = records(events_before.as_bytes());
    let after = records(http_get(&address, "/events").1.as_bytes());
    assert!(!before.is_empty());
    assert_eq!(after[..before.len()], before[..]);
    assert_eq!(
        after.len(),
        before.len() + 1,
        "only the recovery is new: {after:?}"
    );
    // The history on disk still knows the three incidents the page no longer lists.
    let report = report_of(&address);
    assert_eq!(report["incidents"]["count"], 3, "{report}");
}
