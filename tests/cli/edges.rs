//! The edges of issue 24, each reproduced end to end with the real binary against loopback
//! servers: no vendor hammered, errors that point the right way, foreign pages told apart,
//! health that tells the truth.

use crate::common::*;

/// A Statuspage site that counts what it is asked.
fn counting_page() -> (tempfile::TempDir, Server, std::path::PathBuf) {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "p",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["p"]);
    (home, server, config)
}

#[test]
fn intervals_below_the_floor_are_usage_errors_and_send_nothing() {
    let (home, server, config) = counting_page();
    for args in [
        &["watch", "p", "--interval", "0s"][..],
        &["watch", "p", "--interval", "9s", "--once"],
        &["fetch", "p", "--watch", "0s"],
        &["serve", "p", "--interval", "0s", "--listen", "127.0.0.1:0"],
        &["watch", "p", "--fast", "1ms"],
        &["fetch", "p", "--watch", "1m", "--fast", "999ms"],
    ] {
        let out = statusq(home.path())
            .arg("--config")
            .arg(&config)
            .args(args)
            .timeout(std::time::Duration::from_secs(20))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("hammer"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("--allow-short-intervals"),
            "{args:?}: {stderr}"
        );
        assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    }
    assert_eq!(server.seen().len(), 0, "no request may be sent");
    // The floor is the documented one: 10 s and 1 s are accepted.
    statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args([
            "watch",
            "p",
            "--interval",
            "10s",
            "--fast",
            "1s",
            "--once",
            "-f",
            "json",
        ])
        .assert()
        .success();
    assert_eq!(server.hits("/p/api/v2/summary.json"), 1);
}

#[test]
fn a_zero_timeout_is_a_usage_error() {
    let (home, server, config) = counting_page();
    for args in [
        &["fetch", "p", "--timeout", "0"][..],
        &["fetch", "p", "--timeout", "0s"],
        &["watch", "p", "--once", "--timeout", "0ms"],
        &["notify", "--timeout", "0s"],
        &[
            "providers",
            "--detect",
            "http://127.0.0.1:9/",
            "--timeout",
            "0",
        ],
    ] {
        let out = statusq(home.path())
            .arg("--config")
            .arg(&config)
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains("above zero"), "{args:?}: {stderr}");
    }
    assert_eq!(server.seen().len(), 0);
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

#[test]
fn a_dead_proxy_is_named_and_no_proxy_is_honoured() {
    let (home, server, _) = counting_page();
    let config = home.path().join("proxied.toml");
    std::fs::write(
        &config,
        format!(
            "[providers.far]\nurl = \"https://status.example.invalid/\"\nformat = \"statuspage\"\n\n\
             [providers.near]\nurl = \"{}\"\nformat = \"statuspage\"\n",
            server.url("/p")
        ),
    )
    .unwrap();
    let proxy = format!("http://user:secret@127.0.0.1:{}", closed_port());
    let out = statusq(home.path())
        .env("HTTPS_PROXY", &proxy)
        .env("NO_PROXY", "127.0.0.1,localhost")
        .arg("--config")
        .arg(&config)
        .args(["fetch", "far", "near", "--retries", "0"])
        .output()
        .unwrap();
    let records = records(&out.stdout);
    let far = records.iter().find(|r| r["provider"] == "far").unwrap();
    let near = records.iter().find(|r| r["provider"] == "near").unwrap();
    let message = far["error"]["message"].as_str().unwrap();
    assert_eq!(far["error"]["kind"], "connect", "{far}");
    let port = proxy.rsplit(':').next().unwrap();
    assert!(
        message.contains(&format!("via proxy http://127.0.0.1:{port}: ")),
        "{message}"
    );
    assert!(!message.contains("secret"), "credentials shown: {message}");
    // The loopback page is exempt through NO_PROXY and answers.
    assert_eq!(near["ok"], true, "{near}");
    assert_eq!(server.hits("/p/api/v2/summary.json"), 1);
}

#[test]
fn providers_detect_names_the_entry_after_the_page_itself() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "acme",
        Reply::json(fixture("statuspage/intercom-summary-groups.json")),
        None,
        None,
    ));
    let config = home.path().join("config.toml");
    std::fs::write(&config, "").unwrap();
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["providers", "--detect", &server.url("/acme")])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let entry = String::from_utf8(output.stdout).unwrap();
    // The raw document calls the page "Intercom" (page.name).
    assert!(entry.starts_with("[providers.intercom]\n"), "{entry}");
    assert!(entry.contains("name = \"Intercom\"\n"), "{entry}");
    assert!(!entry.contains("127.0.0.1-"), "{entry}");
    std::fs::write(&config, &entry).unwrap();
    let fetched = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "intercom"])
        .output()
        .unwrap();
    let snapshot = records(&fetched.stdout).remove(0);
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(snapshot["name"], "Intercom");
}

/// Control characters, a bidi override and an isolate, as a hostile page could name itself.
const HOSTILE_NAME: &str = "Acme\u{1b}[31m\u{7}\r\u{202e}\u{2066}Evil";

/// Airbrake's real summary, renamed `name` by its page, with Notifications in a major outage
/// since an incident opened on 2026-10-13 that is still open: built on the real document, the
/// incident added in Statuspage's own shape.
pub(crate) fn carried_over_summary(name: &str) -> Vec<u8> {
    let mut summary: serde_json::Value =
        serde_json::from_slice(&fixture("statuspage/airbrake-summary.json")).unwrap();
    summary["page"]["name"] = name.into();
    for component in summary["components"].as_array_mut().unwrap() {
        if component["id"] == "r3tsbzdb7qst" {
            component["status"] = "major_outage".into();
        }
    }
    let at = "2026-10-13T00:00:00Z";
    summary["incidents"] = serde_json::json!([{
        "id": "carried", "name": "Notifications down", "status": "investigating",
        "impact": "major", "created_at": at, "updated_at": at, "monitoring_at": null,
        "resolved_at": null, "shortlink": "https://stspg.io/carried", "started_at": at,
        "page_id": "jq64r4cdpggk",
        "components": [{"id": "r3tsbzdb7qst", "name": "Notifications", "status": "major_outage"}],
        "incident_updates": [{
            "id": "u1", "status": "investigating", "body": "Notifications are down.",
            "incident_id": "carried", "created_at": at, "updated_at": at, "display_at": at,
            "affected_components": [{"code": "r3tsbzdb7qst", "name": "Notifications",
                "old_status": "operational", "new_status": "major_outage"}]
        }]
    }]);
    serde_json::to_vec(&summary).unwrap()
}

/// The snapshot of a typed URL serving `summary`.
pub(crate) fn snapshot_of(home: &std::path::Path, summary: Vec<u8>) -> Vec<u8> {
    let server = Server::routes(statuspage_routes("acme", Reply::json(summary), None, None));
    let output = statusq(home)
        .args(["fetch", &server.url("/acme")])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output.stdout
}

/// `statusq report -f FORMAT` of `snapshot` over 2026-11-01 → 2026-11-22, which must succeed.
fn report_of(home: &std::path::Path, snapshot: &[u8], format: &str) -> String {
    let output = statusq(home)
        .args([
            "report",
            "-f",
            format,
            "--from",
            "2026-11-01",
            "--to",
            "2026-11-22",
        ])
        .write_stdin(snapshot.to_vec())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn report_counts_an_incident_carried_over_from_before_the_window() {
    let home = tempfile::tempdir().unwrap();
    let snapshot = snapshot_of(home.path(), carried_over_summary("Airbrake"));
    let report = |format: &str| report_of(home.path(), &snapshot, format);
    let json = records(report("json").as_bytes()).remove(0);
    // Created on 2026-10-13, before the window, still open: not one of the window's
    // incidents, but carried over; Notifications was down all 21 days.
    assert_eq!(json["incidents"]["count"], 0, "{json}");
    assert_eq!(json["incidents"]["ongoing"], 1, "{json}");
    let notifications = json["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Notifications")
        .unwrap();
    assert_eq!(notifications["availability"], 0.0);
    assert_eq!(notifications["incidents"], 1, "{notifications}");
    for format in ["text", "markdown", "html"] {
        let out = report(format);
        assert!(!out.contains("no incidents"), "{format}: {out}");
        assert!(
            out.contains("no new incidents · 1 carried over from before the window"),
            "{format}: {out}"
        );
    }
}

/// `statusq serve` of `what` with the clock at `now`, and its address once `/healthz` is 200.
fn serve_ready(home: &std::path::Path, now: &str, what: &[&str]) -> (crate::watch::Guard, String) {
    use std::io::BufRead;
    let mut child = crate::watch::Guard(
        std::process::Command::new(bin())
            .env_clear()
            .env("HOME", home)
            .env("XDG_CACHE_HOME", home.join("cache"))
            .env("XDG_STATE_HOME", home.join("state"))
            .env("XDG_CONFIG_HOME", home.join("config"))
            .env("STATUSQ_NOW", now)
            .arg("serve")
            .args(what)
            .args(["--listen", "127.0.0.1:0", "--no-cache", "--no-state"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut first = String::new();
    std::io::BufReader::new(child.0.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first.trim().rsplit("http://").next().unwrap().to_string();
    let ready = crate::watch::wait_for(
        || crate::watch::http_get(&address, "/healthz").0 == 200,
        std::time::Duration::from_secs(20),
    );
    assert!(ready, "{what:?}: /healthz never 200");
    (child, address)
}

#[test]
fn the_board_counts_carried_over_incidents_and_strips_control_characters_from_names() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "acme",
        Reply::json(carried_over_summary(HOSTILE_NAME)),
        None,
        None,
    ));
    let (_serve, address) =
        serve_ready(home.path(), "2026-11-22T03:30:00Z", &[&server.url("/acme")]);
    let (status, board) = crate::watch::http_get(&address, "/");
    assert_eq!(status, 200);
    let reliability = &board[board
        .find("Reliability, last")
        .expect("the reliability section")..];
    assert!(
        reliability.contains("no new incidents · 1 carried over from before the window"),
        "{reliability}"
    );
    for c in ['\u{1b}', '\u{7}', '\r', '\u{202e}', '\u{2066}'] {
        assert!(!board.contains(c), "{c:?} reached the board");
    }
    assert!(reliability.contains("Acme[31m Evil"), "{reliability}");
}

#[test]
fn report_html_strips_control_characters_from_page_names_like_every_format() {
    let home = tempfile::tempdir().unwrap();
    let snapshot = snapshot_of(home.path(), carried_over_summary(HOSTILE_NAME));
    for format in ["html", "text", "markdown", "csv"] {
        let out = report_of(home.path(), &snapshot, format);
        for c in ['\u{1b}', '\u{7}', '\r', '\u{202e}', '\u{2066}'] {
            assert!(!out.contains(c), "{format}: {c:?} kept");
        }
        let shown = if format == "markdown" {
            "Acme\\[31m Evil"
        } else {
            "Acme[31m Evil"
        };
        assert!(out.contains(shown), "{format}: {out}");
    }
}

#[test]
fn an_empty_serve_shard_is_healthy_after_its_empty_poll() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "p",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["p"]);
    // One provider in two shards: one of them holds none.
    for shard in ["1/2", "2/2"] {
        let (_serve, address) = crate::watch::serve(&config, &["p"], &["--shard", shard]);
        assert!(
            crate::watch::wait_for(
                || crate::watch::http_get(&address, "/healthz").0 == 200,
                std::time::Duration::from_secs(20)
            ),
            "shard {shard} never ready"
        );
    }
    assert_eq!(
        server.hits("/p/api/v2/summary.json"),
        1,
        "one shard polled it"
    );
}

#[test]
fn a_feed_that_says_incident_history_is_not_a_statuspage_feed_and_its_resolved_entries_are_resolved(
) {
    let home = tempfile::tempdir().unwrap();
    // xAI's real feed: its description is "Current status and incident history of xAI's
    // services and systems"; 105 items, each with <category>resolved</category> and
    // <h3>Status: RESOLVED</h3> (counted with grep in the raw document).
    let raw = fixture("rss/xai-2026-07.rss");
    let text = String::from_utf8_lossy(&raw);
    assert!(text.contains("incident history"));
    assert_eq!(text.matches("<item>").count(), 105);
    assert_eq!(text.matches("<category>resolved</category>").count(), 105);
    let server = Server::routes(vec![("/feed.xml".into(), Reply::json(raw.clone()))]);
    let output = statusq(home.path())
        .args(["fetch", &server.url("/feed.xml")])
        .output()
        .unwrap();
    let snapshot = records(&output.stdout).remove(0);
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(snapshot["format"], "custom-feed");
    assert_eq!(snapshot["name"], "xAI System Status");
    let incidents = snapshot["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 105);
    for incident in incidents {
        assert_eq!(incident["status"], "resolved", "{incident}");
        assert!(incident["resolved_at"].is_string(), "{incident}");
        assert!(!incident["updates"].as_array().unwrap().is_empty());
    }
    // And so a first diff says nothing is live.
    let diffed = statusq(home.path())
        .args(["diff", "--state"])
        .arg(home.path().join("state.json"))
        .write_stdin(output.stdout)
        .output()
        .unwrap();
    assert!(diffed.status.success());
    assert_eq!(
        records(&diffed.stdout).len(),
        0,
        "{}",
        String::from_utf8_lossy(&diffed.stdout)
    );
}

#[test]
fn a_state_file_that_is_not_utf8_is_a_corrupt_state_left_untouched() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let bytes = b"{\"statusq_state\":1,\"providers\":{\"\xff\xfe\":{}}}".to_vec();
    std::fs::write(&state, &bytes).unwrap();
    let output = statusq(home.path())
        .args(["diff", "--state"])
        .arg(&state)
        .write_stdin("")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("corrupt state file"), "{stderr}");
    assert!(stderr.contains("left untouched (move it away"), "{stderr}");
    assert!(stderr.contains(&state.display().to_string()), "{stderr}");
    assert_eq!(
        std::fs::read(&state).unwrap(),
        bytes,
        "the file is not touched"
    );
}

#[test]
fn a_webhook_that_redirects_says_where_it_led() {
    use crate::notify::{config_file, incident, lines, notify, receiver};
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| {
        Reply::status(301, "").header("Location", "https://hooks.moved.example/T0/B0/secret-path")
    });
    let config = config_file(
        home.path(),
        &[(
            "ops",
            format!("url = \"{}\"\nkind = \"webhook\"", server.url("/hook")),
        )],
    );
    let events = [incident("github", 1, "incident.created", "major", "Down.")];
    let (code, _, stderr) = notify(home.path(), &config, &["ops"], &lines(&events));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("answered HTTP 301, redirecting to https://hooks.moved.example/…"),
        "{stderr}"
    );
    assert!(!stderr.contains("secret-path"), "{stderr}");
    assert!(stderr.contains("1 event(s) kept in its outbox"), "{stderr}");
    assert!(bodies.lock().unwrap().is_empty());
}

#[test]
fn a_kept_body_that_does_not_read_is_forgotten_and_the_page_fetched_afresh_at_once() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/airbrake-summary.json");
    let server = Server::start(move |req, _| {
        if req.path != "/p/api/v2/summary.json" {
            return Reply::not_found();
        }
        if req.headers.get("if-none-match").map(String::as_str) == Some("\"v1\"") {
            Reply::status(304, "")
        } else {
            Reply::json(summary.clone()).header("ETag", "\"v1\"")
        }
    });
    let config = config_for(home.path(), &server, &["p"]);
    let cache = home.path().join("cache-dir");
    let fetch = || {
        let output = statusq(home.path())
            .arg("--config")
            .arg(&config)
            .args(["fetch", "p", "--cache"])
            .arg(&cache)
            .output()
            .unwrap();
        records(&output.stdout).remove(0)
    };
    assert_eq!(fetch()["ok"], true);
    let mut kept = 0;
    for entry in std::fs::read_dir(&cache).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "body") {
            std::fs::write(&path, b"").unwrap();
            kept += 1;
        }
    }
    assert_eq!(kept, 1, "the summary's body was kept");
    // The server says 304 for the emptied body: it is forgotten and the page fetched again,
    // unconditionally, in the same run — never a parse failure.
    for round in 0..2 {
        let snapshot = fetch();
        assert_eq!(snapshot["ok"], true, "round {round}: {}", snapshot["error"]);
        assert_eq!(snapshot["components"].as_array().unwrap().len(), 8);
    }
    let seen: Vec<bool> = server
        .seen()
        .iter()
        .filter(|s| s.path == "/p/api/v2/summary.json")
        .map(|s| s.headers.contains_key("if-none-match"))
        .collect();
    // 200; 304 on the emptied body, then unconditional 200; then a 304 on the good body.
    assert_eq!(seen, [false, true, false, true]);
}

#[test]
fn another_platforms_json_under_format_statuspage_is_a_format_error_naming_it() {
    let home = tempfile::tempdir().unwrap();
    // What each page answers at /api/v2/summary.json, and what the error must name.
    let cases: [(&str, Vec<u8>, &str); 4] = [
        (
            "upptime",
            fixture("foreign/upptime-cloudesire-summary.json"),
            "got an Upptime summary (history/summary.json)",
        ),
        (
            "flashcat",
            fixture("foreign/flashcat-deepseek-active.json"),
            "got a Flashcat (Flashduty) status page document",
        ),
        (
            "alibaba",
            fixture("from-docs/alibabacloud-events-from-docs.json"),
            "got an Alibaba Cloud API document",
        ),
        // JSON no platform writes is named by its shape, never "invalid type: map".
        (
            "array",
            br#"[{"service":"api","ok":true},{"service":"web","ok":false}]"#.to_vec(),
            r#"got JSON of no known status platform (an array of 2 objects with keys "ok", "service")"#,
        ),
    ];
    let mut routes = Vec::new();
    for (id, body, _) in &cases {
        routes.push((
            format!("/{id}/api/v2/summary.json"),
            Reply::json(body.clone()),
        ));
    }
    // A Statuspage summary cut short stays what it is: a `parse` error.
    let good = fixture("statuspage/airbrake-summary.json");
    routes.push((
        "/cut/api/v2/summary.json".to_string(),
        Reply::json(good[..good.len() / 2].to_vec()),
    ));
    let server = Server::routes(routes);
    let mut ids: Vec<&str> = cases.iter().map(|(id, _, _)| *id).collect();
    ids.push("cut");
    let config = config_for(home.path(), &server, &ids);
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .arg("fetch")
        .args(&ids)
        .output()
        .unwrap();
    let out = records(&output.stdout);
    assert_eq!(out.len(), ids.len());
    for ((id, _, named), snapshot) in cases.iter().zip(&out) {
        assert_eq!(snapshot["provider"], *id);
        assert_eq!(snapshot["ok"], false, "{id}");
        assert_eq!(
            snapshot["error"]["kind"], "format",
            "{id}: {}",
            snapshot["error"]
        );
        let message = snapshot["error"]["message"].as_str().unwrap();
        assert!(
            message.contains("expected a Statuspage API document") && message.contains(named),
            "{id}: {message}"
        );
        assert!(!message.contains("invalid type"), "{id}: {message}");
    }
    assert_eq!(out[ids.len() - 1]["error"]["kind"], "parse");
    // A saved payload of a platform statusq only names says the same.
    let output = statusq(home.path())
        .arg("fetch")
        .arg(fixture_file("foreign/upptime-cloudesire-summary.json"))
        .output()
        .unwrap();
    let saved = records(&output.stdout).remove(0);
    assert_eq!(saved["error"]["kind"], "format", "{}", saved["error"]);
    assert!(saved["error"]["message"]
        .as_str()
        .unwrap()
        .contains("got an Upptime summary"));
}

/// A declared Statuspage page at `/p` that, once `moved` is set, answers HTML at its old API
/// and a Better Stack index at its base URL's `/index.json`.
fn moving_page(moved: &std::sync::Arc<std::sync::atomic::AtomicBool>) -> Server {
    use std::sync::atomic::Ordering;
    let summary = fixture("statuspage/airbrake-summary.json");
    let index = fixture("betterstack/together-index-2026-09.json");
    let moved = std::sync::Arc::clone(moved);
    Server::start(move |req, _| {
        let now = moved.load(Ordering::SeqCst);
        match req.path.as_str() {
            "/p/api/v2/summary.json" if now => Reply::status(
                200,
                "<!DOCTYPE html><html><body>We have moved to Better Stack</body></html>",
            )
            .header("Content-Type", "text/html"),
            "/p/api/v2/summary.json" => Reply::json(summary.clone()),
            "/p/index.json" if now => Reply::json(index.clone()),
            _ => Reply::not_found(),
        }
    })
}

#[test]
fn a_declared_page_whose_api_answers_html_is_read_where_its_base_url_now_answers() {
    use std::sync::atomic::{AtomicBool, Ordering};
    let home = tempfile::tempdir().unwrap();
    let moved = std::sync::Arc::new(AtomicBool::new(false));
    let server = moving_page(&moved);
    let config = config_for(home.path(), &server, &["p"]);
    let state = home.path().join("state.json");
    let fetch = |at: &str| {
        let output = statusq(home.path())
            .env("STATUSQ_NOW", at)
            .arg("--config")
            .arg(&config)
            .args(["fetch", "p", "--no-cache"])
            .output()
            .unwrap();
        output.stdout
    };
    let diff = |snapshot: &[u8]| {
        let output = statusq(home.path())
            .args(["diff", "--state"])
            .arg(&state)
            .write_stdin(snapshot.to_vec())
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        records(&output.stdout)
    };
    let before = fetch("2026-11-22T03:30:00Z");
    assert_eq!(records(&before)[0]["format"], "statuspage");
    diff(&before);

    moved.store(true, Ordering::SeqCst);
    let after = fetch("2026-11-22T03:35:00Z");
    let snapshot = &records(&after)[0];
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(snapshot["format"], "betterstack");
    // The Better Stack index has 22 resources (tests/fixtures/SOURCES.md).
    assert_eq!(snapshot["components"].as_array().unwrap().len(), 22);
    let events = diff(&after);
    let kinds: Vec<&str> = events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["provider.moved"], "{events:?}");
    assert_eq!(events[0]["from"], "statuspage");
    assert_eq!(events[0]["to"], "betterstack");
    // Once: the next run finds it there again and has nothing new to say.
    assert_eq!(
        diff(&fetch("2026-11-22T03:40:00Z")),
        Vec::<serde_json::Value>::new()
    );
    assert_eq!(server.hits("/p/index.json"), 2);
}

/// The first `n` snapshots a `fetch p --no-cache --watch …` with `args` writes.
fn watched(
    home: &std::path::Path,
    config: &std::path::Path,
    args: &[&str],
    n: usize,
) -> Vec<serde_json::Value> {
    use std::io::BufRead;
    let mut watch = crate::watch::Guard(
        std::process::Command::new(bin())
            .env("HOME", home)
            .env("XDG_CACHE_HOME", home.join("cache"))
            .arg("--config")
            .arg(config)
            .args([
                "fetch",
                "p",
                "--no-cache",
                "--allow-short-intervals",
                "--watch",
            ])
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let stdout = watch.0.stdout.take().unwrap();
    std::io::BufReader::new(stdout)
        .lines()
        .take(n)
        .map(|line| serde_json::from_str(&line.unwrap()).unwrap())
        .collect()
}

#[test]
fn a_watch_follows_a_moved_page_without_asking_its_old_address_again_until_it_fails() {
    use std::sync::atomic::AtomicBool;
    let home = tempfile::tempdir().unwrap();
    let moved = std::sync::Arc::new(AtomicBool::new(true));
    let server = moving_page(&moved);
    let config = config_for(home.path(), &server, &["p"]);
    let formats: Vec<String> = watched(home.path(), &config, &["1s"], 3)
        .iter()
        .map(|snapshot| format!("{} {}", snapshot["ok"], snapshot["format"]))
        .collect();
    assert_eq!(formats, ["true \"betterstack\""; 3]);
    // The first poll asked the old API and the probe asked it again; the later polls read
    // the new page directly.
    assert_eq!(server.hits("/p/api/v2/summary.json"), 2);
    assert_eq!(server.hits("/p/index.json"), 3);
}

#[test]
fn a_page_that_answers_html_and_moved_nowhere_is_probed_once_per_refetch_every_failures() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(|req, _| match req.path.as_str() {
        "/p/api/v2/summary.json" => {
            Reply::status(200, "<!DOCTYPE html><html><body>Sign in</body></html>")
                .header("Content-Type", "text/html")
        }
        _ => Reply::not_found(),
    });
    let config = config_for(home.path(), &server, &["p"]);
    let kinds: Vec<String> = watched(home.path(), &config, &["100ms", "--refetch-every", "3"], 7)
        .iter()
        .map(|snapshot| snapshot["error"]["kind"].to_string())
        .collect();
    assert_eq!(kinds, ["\"format\""; 7]);
    // Probed on the 1st, 4th and 7th failure: the base URL's Better Stack path asked 3 times.
    assert_eq!(server.hits("/p/index.json"), 3);
}
