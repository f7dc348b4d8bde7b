//! Hostile servers: every fault scenario in one run beside good providers — each the right
//! error kind, the whole run bounded in time and memory, the good providers intact.

use crate::common::*;
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A gzip body that inflates to `size` bytes of zeros, compressed a megabyte at a time.
fn gzip_bomb(size: usize) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    let chunk = vec![0u8; 1 << 20];
    for _ in 0..size / chunk.len() {
        encoder.write_all(&chunk).unwrap();
    }
    encoder.finish().unwrap()
}

/// Runs statusq and returns its stdout, exit code and peak RSS in MB. The peak is the child's own
/// `VmHWM`, polled while it runs: `ru_maxrss` would include this test process's memory, which
/// Linux carries into a child across fork and exec.
fn run_measured(args: &[String]) -> (Vec<u8>, i32, f64) {
    let mut child = Command::new(bin())
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).unwrap();
        out
    });
    let mut peak_kb = 0u64;
    let status = loop {
        if let Some(hwm) = std::fs::read_to_string(&status_file).ok().and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        }) {
            peak_kb = peak_kb.max(hwm);
        }
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    (
        reader.join().unwrap(),
        status.code().unwrap_or(-1),
        peak_kb as f64 / 1024.0,
    )
}

#[test]
fn hostile_servers_fail_cleanly_in_bounded_time_and_memory_and_spare_the_others() {
    let home = tempfile::tempdir().unwrap();
    let good = fixture("statuspage/claude-summary-active-incident.json");
    let million: Vec<u8> = {
        let mut body = b"{\"page\":{\"id\":\"x\"},\"components\":[".to_vec();
        for i in 0..1_000_000 {
            if i > 0 {
                body.push(b',');
            }
            write!(
                body,
                "{{\"id\":\"c{i}\",\"name\":\"C{i}\",\"status\":\"operational\"}}"
            )
            .unwrap();
        }
        body.extend_from_slice(b"]}");
        body
    };
    let deep = format!(
        "{{\"components\":{}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let redirect = |to: &str| Reply::status(302, "").header("Location", to);
    let mut cases: Vec<(&str, Reply, &str)> = vec![
        ("drip", Reply::json(good.clone()).drip(Duration::from_millis(1000)), "timeout"),
        ("stall", Reply::json(good.clone()).stall_body(Duration::from_secs(30)), "timeout"),
        ("reset", Reply::json(good.clone()).reset_after(200), "io"),
        ("e503", Reply::status(503, "busy"), "http"),
        ("e502", Reply::status(502, "bad gateway"), "http"),
        ("huge-retry-after", Reply::status(429, "").header("Retry-After", "999999999"), "http"),
        ("bad-retry-after", Reply::status(429, "").header("Retry-After", "soon, maybe"), "http"),
        ("redirect-ftp", redirect("ftp://example.com/summary.json"), "http"),
        ("redirect-file", redirect("file:///etc/passwd"), "http"),
        ("bomb", Reply::json(gzip_bomb(1 << 30)).header("Content-Encoding", "gzip"), "too_large"),
        ("hundred-mb", Reply::json(vec![b' '; 100 << 20]), "too_large"),
        ("length-lie-long", Reply::raw(format!("HTTP/1.1 200 OK\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n{}", String::from_utf8_lossy(&good[..500]))), "io"),
        ("length-lie-short", Reply::raw([b"HTTP/1.1 200 OK\r\nContent-Length: 300\r\nConnection: close\r\n\r\n".to_vec(), good.clone()].concat()), "parse"),
        ("truncated-json", Reply::json(good[..good.len() / 3].to_vec()), "parse"),
        ("million-components", Reply::json(million), "too_large"),
        ("deep-nesting", Reply::json(deep), "parse"),
        ("bad-utf8", Reply::json([&good[..100], b"\xff\xfe\xfd", &good[100..]].concat()), "parse"),
        ("login-page", Reply::status(200, "<!DOCTYPE html><html><head><title>Sign in</title></head><body><form>…</form></body></html>").header("Content-Type", "text/html"), "format"),
        ("empty-200", Reply::json(Vec::new()), "parse"),
    ];
    // A redirect loop: /loop/… sends to itself.
    let mut routes = vec![(
        "/loop/api/v2/summary.json".to_string(),
        redirect("/loop/api/v2/summary.json"),
    )];
    for (name, reply, _) in &cases {
        routes.push((format!("/{name}/api/v2/summary.json"), reply.clone()));
    }
    routes.extend(statuspage_routes(
        "good",
        Reply::json(good.clone()),
        None,
        None,
    ));
    // The same feed truncated, served as a history feed.
    routes.push((
        "/truncated-xml/history.atom".into(),
        Reply::status(
            200,
            fixture("atom/github-2025-05-26-upcoming-maintenance.atom")[..3000].to_vec(),
        ),
    ));
    cases.push(("loop", Reply::not_found(), "http"));
    let server = Server::routes(routes);
    let mut config = String::new();
    let mut names: Vec<String> = vec!["good".into()];
    for (name, _, _) in &cases {
        config.push_str(&format!(
            "[providers.{name}]\nurl = \"{}\"\n",
            server.url(&format!("/{name}"))
        ));
        names.push(name.to_string());
    }
    config.push_str(&format!(
        "[providers.truncated-xml]\nurl = \"{}\"\nformat = \"statuspage-feed\"\n",
        server.url("/truncated-xml")
    ));
    config.push_str(&format!(
        "[providers.good]\nurl = \"{}\"\n",
        server.url("/good")
    ));
    names.push("truncated-xml".into());
    names.push("good".into());
    let config_path = home.path().join("c.toml");
    std::fs::write(&config_path, config).unwrap();

    let mut args: Vec<String> = vec![
        "--config".into(),
        config_path.display().to_string(),
        "fetch".into(),
        "--timeout".into(),
        "3s".into(),
        "--retries".into(),
        "1".into(),
        "--max-retry-after".into(),
        "1s".into(),
    ];
    args.extend(names.iter().cloned());
    let started = Instant::now();
    let (stdout, code, peak_mb) = run_measured(&args);
    let elapsed = started.elapsed();
    assert_eq!(code, 3);
    // Two attempts of at most 3 s each, and at most a 1 s wait between them.
    assert!(
        elapsed < Duration::from_secs(10),
        "the run took {elapsed:?}"
    );
    assert!(peak_mb < 120.0, "peak RSS {peak_mb:.0} MB");
    let out = records(&stdout);
    assert_eq!(out.len(), names.len());
    let by_name = |name: &str| out.iter().find(|s| s["provider"] == name).unwrap();
    for (name, _, kind) in &cases {
        let snapshot = by_name(name);
        assert_eq!(snapshot["ok"], false, "{name}");
        assert_eq!(
            snapshot["error"]["kind"], *kind,
            "{name}: {}",
            snapshot["error"]
        );
        assert!(snapshot["error"]["message"].as_str().unwrap().len() > 10);
    }
    assert_eq!(by_name("truncated-xml")["error"]["kind"], "parse");
    let goods: Vec<&Value> = out.iter().filter(|s| s["provider"] == "good").collect();
    assert_eq!(goods.len(), 2);
    for snapshot in goods {
        assert_eq!(snapshot["ok"], true);
        assert_eq!(snapshot["incidents"][0]["id"], "978mjkgw6mh7");
    }
    assert_eq!(out.first().unwrap()["provider"], "good");
    assert_eq!(out.last().unwrap()["provider"], "good", "order kept");
}

#[test]
fn bursts_of_5xx_and_a_polite_retry_after_are_survived_a_day_long_one_fails_at_once() {
    let home = tempfile::tempdir().unwrap();
    let good = fixture("statuspage/airbrake-summary.json");
    let server = Server::start(move |req, earlier| match (req.path.as_str(), earlier) {
        ("/burst/api/v2/summary.json", 0) => Reply::status(502, ""),
        ("/burst/api/v2/summary.json", 1) => Reply::status(503, ""),
        ("/burst/api/v2/summary.json", _) => Reply::json(good.clone()),
        ("/polite/api/v2/summary.json", 0) => Reply::status(429, "").header("Retry-After", "1"),
        ("/polite/api/v2/summary.json", _) => Reply::json(good.clone()),
        ("/slow-down/api/v2/summary.json", 0) => {
            Reply::status(429, "").header("Retry-After", "86400")
        }
        ("/slow-down/api/v2/summary.json", _) => Reply::json(good.clone()),
        _ => Reply::not_found(),
    });
    let config = config_for(home.path(), &server, &["burst", "polite", "slow-down"]);
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args([
            "fetch",
            "burst",
            "polite",
            "slow-down",
            "--retries",
            "2",
            "--max-retry-after",
            "2s",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let out = records(&output.stdout);
    assert_eq!(out[0]["ok"], true, "502, 503, then the page");
    assert_eq!(
        out[1]["ok"], true,
        "a Retry-After within the cap is waited out"
    );
    // Asked to come back tomorrow: no shortened wait and no second ask.
    assert_eq!(out[2]["ok"], false);
    assert_eq!(out[2]["error"]["http_status"], 429);
    let message = out[2]["error"]["message"].as_str().unwrap();
    assert!(message.contains("retry after 86400 s"), "{message}");
    assert_eq!(server.hits("/slow-down/api/v2/summary.json"), 1);
}

#[test]
fn a_typed_url_that_throttles_is_probed_once_not_eight_times() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(|_, _| Reply::status(429, "").header("Retry-After", "86400"));
    let output = statusq(home.path())
        .args(["fetch", "--timeout", "3s", "--max-retry-after", "1s"])
        .arg(server.url("/status"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let snapshot = records(&output.stdout).remove(0);
    assert_eq!(snapshot["error"]["http_status"], 429);
    assert_eq!(
        server.seen().len(),
        1,
        "one request: the page asked us to wait"
    );
}

/// `fetch` of a saved payload, with a hang guard: the snapshot it writes.
fn replay_with_guard(home: &std::path::Path, name: &str, body: &[u8]) -> Value {
    let path = home.join(name);
    std::fs::write(&path, body).unwrap();
    let output = statusq(home)
        .arg("fetch")
        .arg(format!("p={}", path.display()))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{name}");
    records(&output.stdout).remove(0)
}

#[test]
fn pages_built_to_make_parsing_quadratic_parse_in_linear_time() {
    let home = tempfile::tempdir().unwrap();
    // Small pages, read by scans per item they took minutes; each is a look-up now. The
    // guard above only catches a hang; the counts say nothing was lost.

    // A history feed entry with thousands of updates of the same time and label.
    let repeats = 3000;
    let update = "&lt;p&gt;&lt;small&gt;Sep &lt;var data-var='date'&gt; 8&lt;/var&gt;, \
                  &lt;var data-var='time'&gt;12:08&lt;/var&gt; UTC&lt;/small&gt;&lt;br&gt;\
                  &lt;strong&gt;Update&lt;/strong&gt; - Same again.&lt;/p&gt;";
    let feed = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\
         <title>X Status - Incident History</title>\
         <link rel=\"alternate\" type=\"text/html\" href=\"https://x.example\"/>\
         <entry><id>tag:x.example,2005:Incident/1</id><published>2019-09-08T12:08:54Z</published>\
         <updated>2019-09-08T12:08:54Z</updated>\
         <link rel=\"alternate\" type=\"text/html\" href=\"https://x.example/incidents/abc\"/>\
         <title>Repeats</title><content type=\"html\">{}</content></entry></feed>",
        update.repeat(repeats)
    );
    let snapshot = replay_with_guard(home.path(), "history.atom", feed.as_bytes());
    let updates = snapshot["incidents"][0]["updates"].as_array().unwrap();
    assert_eq!(updates.len(), repeats);
    let ids: std::collections::HashSet<&str> =
        updates.iter().map(|u| u["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), repeats, "every repeat has an id of its own");

    // An RSS feed of tens of thousands of items.
    let items = 20_000;
    let mut rss = String::from(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Vendor</title>\
         <link>https://vendor.example</link>",
    );
    for i in 0..items {
        rss.push_str(&format!(
            "<item><title>Event {i}</title><guid>g{i}</guid>\
             <pubDate>Sat, 21 Nov 2026 09:15:00 +0000</pubDate></item>"
        ));
    }
    rss.push_str("</channel></rss>");
    let snapshot = replay_with_guard(home.path(), "vendor.rss", rss.as_bytes());
    assert_eq!(snapshot["incidents"].as_array().unwrap().len(), items);

    // A Statuspage summary with tens of thousands of incidents.
    let mut summary: Value =
        serde_json::from_slice(&fixture("statuspage/airbrake-summary.json")).unwrap();
    let incidents: Vec<Value> = (0..20_000)
        .map(|i| {
            serde_json::json!({"id": format!("inc{i}"), "name": "x", "status": "investigating",
                "impact": "minor", "created_at": "2026-11-21T09:15:00Z",
                "updated_at": "2026-11-21T09:15:00Z", "incident_updates": []})
        })
        .collect();
    summary["incidents"] = Value::Array(incidents);
    let snapshot = replay_with_guard(home.path(), "summary.json", summary.to_string().as_bytes());
    assert_eq!(snapshot["incidents"].as_array().unwrap().len(), 20_000);
}

/// A one-request-at-a-time server on another loopback address (127.0.0.2) answering every
/// request with a valid Statuspage summary, counting the requests: the place a hostile
/// redirect wants statusq to read as the vendor's status.
fn other_host() -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::Read as _;
    let listener = std::net::TcpListener::bind("127.0.0.2:0").unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = std::sync::Arc::clone(&hits);
    let body = fixture("statuspage/airbrake-summary.json");
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut head = [0u8; 4096];
            let _ = stream.read(&mut head);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (address, hits)
}

#[test]
fn redirects_stay_on_the_vendors_host_unless_the_config_allows_another() {
    let home = tempfile::tempdir().unwrap();
    let (elsewhere, elsewhere_hits) = other_host();
    let good = fixture("statuspage/airbrake-summary.json");
    let target = format!("http://{elsewhere}/api/v2/summary.json");
    let server = Server::start(move |req, _| match req.path.as_str() {
        "/cross/api/v2/summary.json" | "/allowed/api/v2/summary.json" => {
            Reply::status(302, "").header("Location", &target)
        }
        "/file/api/v2/summary.json" => {
            Reply::status(301, "").header("Location", "file:///etc/passwd")
        }
        "/port/api/v2/summary.json" => {
            Reply::status(302, "").header("Location", "http://127.0.0.1:1/admin")
        }
        "/same/api/v2/summary.json" => {
            Reply::status(301, "").header("Location", "/moved/api/v2/summary.json")
        }
        "/moved/api/v2/summary.json" => Reply::json(good.clone()),
        _ => Reply::not_found(),
    });
    let config = home.path().join("config.toml");
    let mut text = String::new();
    for id in ["cross", "file", "port", "same", "allowed"] {
        text.push_str(&format!(
            "[providers.{id}]\nurl = \"{}\"\n",
            server.url(&format!("/{id}"))
        ));
        if id == "allowed" {
            text.push_str(&format!("redirects = [\"{elsewhere}\"]\n"));
        }
    }
    std::fs::write(&config, text).unwrap();
    let run = |ids: &[&str]| {
        let output = statusq(home.path())
            .arg("--config")
            .arg(&config)
            .args(["fetch", "--retries", "0"])
            .args(ids)
            .output()
            .unwrap();
        records(&output.stdout)
    };
    let out = run(&["cross", "file", "port", "same"]);
    let by = |id: &str| out.iter().find(|s| s["provider"] == id).unwrap().clone();
    // Sent to another host, the page has moved: a `format` error, never an outage (`http`).
    for (id, says, kind) in [
        ("cross", "another host", "format"),
        ("port", "another host", "format"),
        ("file", "not http or https", "http"),
    ] {
        let snapshot = by(id);
        assert_eq!(snapshot["ok"], false, "{id}");
        assert_eq!(snapshot["error"]["kind"], kind, "{id}");
        let message = snapshot["error"]["message"].as_str().unwrap();
        assert!(message.contains(says), "{id}: {message}");
    }
    assert_eq!(
        elsewhere_hits.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "nothing was asked of the other host"
    );
    assert_eq!(server.hits("/file/api/v2/summary.json"), 1, "no loop");
    assert_eq!(
        by("same")["ok"],
        true,
        "a move on the same host is followed"
    );

    // Allowed for this provider in the config: followed.
    let out = run(&["allowed"]);
    assert_eq!(out[0]["ok"], true, "{}", out[0]["error"]);
    assert!(elsewhere_hits.load(std::sync::atomic::Ordering::SeqCst) >= 1);
}

#[test]
fn response_headers_up_to_15_kib_are_read_and_bigger_ones_fail_clearly() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/claude-summary-active-incident.json");
    let response = |header_bytes: usize| {
        let mut head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
             Connection: close\r\nX-Padding: {}\r\n\r\n",
            summary.len(),
            "p".repeat(header_bytes)
        )
        .into_bytes();
        head.extend_from_slice(&summary);
        head
    };
    let (normal, huge) = (response(14 * 1024), response(40 * 1024));
    let server = Server::start(move |req, _| match req.path.as_str() {
        "/big/api/v2/summary.json" => Reply::raw(normal.clone()),
        "/huge/api/v2/summary.json" => Reply::raw(huge.clone()),
        _ => Reply::not_found(),
    });
    let config = config_for(home.path(), &server, &["big", "huge"]);
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "big", "huge", "--retries", "0"])
        .output()
        .unwrap();
    let snapshots = records(&output.stdout);
    assert_eq!(snapshots[0]["ok"], true, "{}", snapshots[0]);
    assert_eq!(snapshots[1]["ok"], false);
    let message = snapshots[1]["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("response header larger than 15 KiB"),
        "{message}"
    );
    assert_eq!(snapshots[1]["error"]["kind"], "http");
}
