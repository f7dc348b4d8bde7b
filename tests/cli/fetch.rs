//! `statusq fetch` against real payloads served from 127.0.0.1.

use crate::common::*;
use serde_json::{json, Value};
use std::time::Duration;

fn run_fetch(
    home: &std::path::Path,
    config: &std::path::Path,
    args: &[&str],
) -> (i32, Vec<Value>, String) {
    let output = statusq(home)
        .arg("--config")
        .arg(config)
        .arg("fetch")
        .args(args)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        records(&output.stdout),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect()
}

#[test]
fn intercom_groups_resolve_to_names_and_duplicate_names_stay_apart() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "intercom",
        Reply::json(fixture("statuspage/intercom-summary-groups.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["intercom"]);
    let (code, out, stderr) = run_fetch(home.path(), &config, &["intercom"]);
    assert_eq!(code, 0, "{stderr}");
    let snapshot = &out[0];
    assert_eq!(snapshot["ok"], true);
    assert_eq!(snapshot["provider"], "intercom");
    assert_eq!(snapshot["format"], "statuspage");
    let components = snapshot["components"].as_array().unwrap();
    // 24 rows upstream, 4 of them groups: groups are names, not components.
    assert_eq!(components.len(), 20);
    let mut groups: Vec<&str> = components
        .iter()
        .filter_map(|c| c["group"].as_str())
        .collect();
    groups.sort();
    groups.dedup();
    assert_eq!(groups.len(), 4, "{groups:?}");
    assert!(groups.contains(&"Intercom Messenger"));
    let ids: std::collections::HashSet<&str> = components
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids.len(),
        components.len(),
        "ids are unique even where names repeat"
    );
    let all_names = names(&snapshot["components"]);
    let mut unique = all_names.clone();
    unique.sort();
    unique.dedup();
    assert!(
        unique.len() < all_names.len(),
        "the fixture repeats names across groups"
    );
    assert_eq!(snapshot["incidents"], serde_json::json!([]));
    assert_eq!(snapshot["status"]["indicator"], "none");
}

#[test]
fn local_offsets_are_normalised_to_utc() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "airbrake",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["airbrake"]);
    let (code, out, _) = run_fetch(home.path(), &config, &["airbrake"]);
    assert_eq!(code, 0);
    let components = out[0]["components"].as_array().unwrap();
    assert_eq!(components.len(), 8);
    let web_app = components
        .iter()
        .find(|c| c["id"] == "l9s6qy47zpz7")
        .unwrap();
    // Upstream: 2023-03-15T15:25:43.752-07:00
    assert_eq!(web_app["updated_at"], "2023-03-15T22:25:43.752Z");
    assert_eq!(out[0]["fetched_at"], "2026-11-22T03:30:00Z");
}

#[test]
fn an_open_incident_and_completed_maintenances_come_from_summary_and_history() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/claude-summary-active-incident.json");
    // incidents.json carries the same open incident again: it must come out once.
    let summary_value: Value = serde_json::from_slice(&summary).unwrap();
    let incidents = serde_json::json!({
        "page": summary_value["page"],
        "incidents": summary_value["incidents"],
    });
    let server = Server::routes(statuspage_routes(
        "claude",
        Reply::json(summary),
        Some(Reply::json(incidents.to_string())),
        Some(Reply::json(fixture(
            "statuspage/claude-scheduled-maintenances.json",
        ))),
    ));
    let config = config_for(home.path(), &server, &["claude"]);
    let (code, out, stderr) = run_fetch(home.path(), &config, &["claude"]);
    assert_eq!(code, 0, "{stderr}");
    let snapshot = &out[0];
    assert_eq!(snapshot["status"]["indicator"], "minor");
    let incidents = snapshot["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 1);
    let incident = &incidents[0];
    assert_eq!(incident["id"], "978mjkgw6mh7");
    assert_eq!(incident["status"], "monitoring");
    assert_eq!(incident["impact"], "major");
    assert_eq!(incident["resolved_at"], Value::Null);
    assert_eq!(incident["components"], serde_json::json!(["0qbwn08sd68x"]));
    let updates = incident["updates"].as_array().unwrap();
    assert_eq!(updates.len(), 4);
    assert_eq!(updates[0]["status"], "investigating");
    assert_eq!(updates[3]["status"], "monitoring");
    assert_eq!(updates[3]["at"], "2026-10-07T21:44:41.466Z");
    assert_eq!(
        updates[3]["components"][0]["status"],
        "degraded_performance"
    );
    assert_eq!(
        updates[3]["components"][0]["name"],
        "Claude Console (platform.claude.com)"
    );

    let maintenances = snapshot["maintenances"].as_array().unwrap();
    assert_eq!(maintenances.len(), 2);
    let phases = |m: &Value| -> Vec<String> {
        m["updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| u["status"].as_str().unwrap().to_string())
            .collect()
    };
    assert!(maintenances.iter().all(|m| m["status"] == "completed"));
    assert_eq!(
        phases(&maintenances[0]),
        ["scheduled", "in_progress", "verifying", "completed"]
    );
    assert_eq!(
        phases(&maintenances[1]),
        ["scheduled", "scheduled", "in_progress", "completed"]
    );
    assert_eq!(maintenances[0]["scheduled_for"], "2025-08-29T01:25:00Z");
    assert_eq!(maintenances[0]["scheduled_until"], "2025-08-29T02:40:00Z");
    // The three documents were each requested once.
    assert_eq!(server.seen().len(), 3);
}

#[test]
fn incident_io_pages_keep_ulids_and_markdown_and_map_their_words() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "openai",
        Reply::json(fixture("incidentio/openai-api-v2-summary.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["openai"]);
    let (code, out, stderr) = run_fetch(home.path(), &config, &["openai"]);
    assert_eq!(code, 0, "{stderr}");
    let snapshot = &out[0];
    assert_eq!(snapshot["format"], "incidentio");
    let components = snapshot["components"].as_array().unwrap();
    assert_eq!(components.len(), 25);
    assert!(components.iter().all(|c| c["group"].is_null()));
    assert!(components
        .iter()
        .all(|c| c["id"].as_str().unwrap().len() == 26));
    let incidents = snapshot["incidents"].as_array().unwrap();
    assert_eq!(incidents.len(), 2);
    for incident in incidents {
        assert_eq!(incident["resolved_at"], Value::Null);
        let url = incident["url"].as_str().unwrap();
        assert!(url.starts_with(&server.url("/openai/incidents/")), "{url}");
        let updates = incident["updates"].as_array().unwrap();
        assert!(updates
            .windows(2)
            .all(|w| w[0]["at"].as_str() <= w[1]["at"].as_str()));
    }
    // Markdown paragraphs survive as written.
    let body = incidents
        .iter()
        .flat_map(|i| i["updates"].as_array().unwrap())
        .map(|u| u["body"].as_str().unwrap())
        .find(|b| b.contains("\n\n"))
        .expect("a multi-paragraph body");
    assert!(body.contains("Some users may experience failed requests"));
}

#[test]
fn full_outage_becomes_major_outage_with_the_word_kept() {
    let home = tempfile::tempdir().unwrap();
    let mut summary: Value =
        serde_json::from_slice(&fixture("incidentio/openai-api-v2-summary.json")).unwrap();
    summary["components"][0]["status"] = "full_outage".into();
    let server = Server::routes(statuspage_routes(
        "openai",
        Reply::json(summary.to_string()),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["openai"]);
    let (_, out, _) = run_fetch(home.path(), &config, &["openai"]);
    let first = &out[0]["components"][0];
    assert_eq!(first["status"], "major_outage");
    assert_eq!(first["raw_status"], "full_outage");
}

#[test]
fn a_resolved_incident_document_has_every_update_oldest_first() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(vec![
        (
            "/gh/api/v2/incidents/smdz34v7j8q0.json".into(),
            Reply::json(fixture("statuspage/github-incident-smdz34v7j8q0.json")),
        ),
        (
            "/gh/api/v2/incidents/gqx5l06jjxhp.json".into(),
            Reply::json(fixture("statuspage/github-incident-gqx5l06jjxhp.json")),
        ),
    ]);
    let output = statusq(home.path())
        .arg("fetch")
        .arg(format!(
            "a={}",
            server.url("/gh/api/v2/incidents/smdz34v7j8q0.json")
        ))
        .arg(format!(
            "b={}",
            server.url("/gh/api/v2/incidents/gqx5l06jjxhp.json")
        ))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let out = records(&output.stdout);
    let a = &out[0]["incidents"][0];
    assert_eq!(a["status"], "resolved");
    assert_eq!(a["impact"], "major");
    let updates = a["updates"].as_array().unwrap();
    assert_eq!(updates.len(), 18);
    assert_eq!(updates.first().unwrap()["status"], "investigating");
    assert_eq!(updates.last().unwrap()["status"], "resolved");
    assert_eq!(a["resolved_at"].as_str().unwrap().chars().last(), Some('Z'));
    assert_eq!(
        updates.last().unwrap()["components"]
            .as_array()
            .unwrap()
            .len(),
        8
    );
    assert_eq!(
        updates.first().unwrap()["components"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let b = &out[1]["incidents"][0];
    assert_eq!(b["impact"], "critical");
    assert_eq!(b["updates"].as_array().unwrap().len(), 8);
    assert_eq!(b["components"].as_array().unwrap().len(), 10);
    assert_eq!(
        out[0]["components"],
        Value::Null,
        "one incident says nothing of components"
    );
}

/// Every way a page can fail, all in one run beside a good page: each gives the right error
/// kind, the good page is intact, the order is kept, and the exit status is 3.
#[test]
fn failing_pages_are_ok_false_with_the_right_kind_and_spare_the_others() {
    let home = tempfile::tempdir().unwrap();
    let good = fixture("statuspage/claude-summary-active-incident.json");
    let mut big = b"{\"page\":{},\"components\":[".to_vec();
    big.extend(std::iter::repeat_n(b' ', 70_000));
    big.extend_from_slice(b"]}");
    let mut routes = Vec::new();
    routes.extend(statuspage_routes(
        "good",
        Reply::json(good.clone()),
        None,
        None,
    ));
    routes.extend(statuspage_routes(
        "e500",
        Reply::status(500, "boom"),
        None,
        None,
    ));
    routes.extend(statuspage_routes("e404", Reply::not_found(), None, None));
    routes.extend(statuspage_routes(
        "html",
        Reply::status(200, "<!DOCTYPE html><html><body>We moved!</body></html>")
            .header("Content-Type", "text/html"),
        None,
        None,
    ));
    routes.extend(statuspage_routes(
        "truncated",
        Reply::json(good[..good.len() / 2].to_vec()),
        None,
        None,
    ));
    routes.extend(statuspage_routes(
        "cut",
        Reply::json(good.clone()).cut_after(100),
        None,
        None,
    ));
    routes.extend(statuspage_routes(
        "empty",
        Reply::json(Vec::new()),
        None,
        None,
    ));
    routes.extend(statuspage_routes("huge", Reply::json(big), None, None));
    routes.extend(statuspage_routes(
        "stall",
        Reply::json(good.clone()).delay(Duration::from_secs(5)),
        None,
        None,
    ));
    routes.extend(statuspage_routes(
        "slowbody",
        Reply::json(good.clone()).stall_body(Duration::from_secs(5)),
        None,
        None,
    ));
    routes.extend(statuspage_routes(
        "lists500",
        Reply::json(good.clone()),
        Some(Reply::status(503, "")),
        None,
    ));
    let server = Server::routes(routes);
    let ids = [
        "good",
        "e500",
        "e404",
        "html",
        "truncated",
        "cut",
        "empty",
        "huge",
        "stall",
        "slowbody",
        "lists500",
    ];
    let config = config_for(home.path(), &server, &ids);
    let started = std::time::Instant::now();
    let (code, out, stderr) = run_fetch(
        home.path(),
        &config,
        &[
            "--timeout",
            "1s",
            "--retries",
            "0",
            "--max-body",
            "64k",
            "good",
            "e500",
            "e404",
            "html",
            "truncated",
            "cut",
            "empty",
            "huge",
            "stall",
            "slowbody",
            "lists500",
            "good",
        ],
    );
    assert!(
        started.elapsed() < Duration::from_secs(4),
        "timeouts held the run up"
    );
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.is_empty(),
        "failures are data, not stderr noise: {stderr}"
    );
    let got: Vec<(&str, bool, &str)> = out
        .iter()
        .map(|s| {
            (
                s["provider"].as_str().unwrap(),
                s["ok"].as_bool().unwrap(),
                s["error"]["kind"].as_str().unwrap_or("-"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("good", true, "-"),
            ("e500", false, "http"),
            ("e404", false, "http"),
            ("html", false, "format"),
            ("truncated", false, "parse"),
            ("cut", false, "io"),
            ("empty", false, "parse"),
            ("huge", false, "too_large"),
            ("stall", false, "timeout"),
            ("slowbody", false, "timeout"),
            ("lists500", false, "http"),
            ("good", true, "-"),
        ]
    );
    assert_eq!(out[1]["error"]["http_status"], 500);
    assert_eq!(out[2]["error"]["http_status"], 404);
    assert!(out[3]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("HTML"));
    assert!(out[6]["error"]["message"]
        .as_str()
        .unwrap()
        .contains("empty"));
    for failed in &out[1..11] {
        assert!(failed["components"].is_null() && failed["incidents"].is_null());
        assert!(failed["error"]["message"].as_str().unwrap().len() > 10);
    }
    assert_eq!(out[0], {
        let mut last = out[11].clone();
        last["elapsed_ms"] = out[0]["elapsed_ms"].clone();
        last
    });
}

#[test]
fn a_gzip_body_over_the_cap_after_decompression_is_too_large() {
    use std::io::Write;
    let home = tempfile::tempdir().unwrap();
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    encoder.write_all(b"{\"components\":[").unwrap();
    encoder.write_all(&vec![b' '; 4 << 20]).unwrap();
    encoder.write_all(b"]}").unwrap();
    let bomb = encoder.finish().unwrap();
    assert!(
        bomb.len() < 64 << 10,
        "compressed it is small: {}",
        bomb.len()
    );
    let server = Server::routes(statuspage_routes(
        "bomb",
        Reply::json(bomb).header("Content-Encoding", "gzip"),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["bomb"]);
    let (code, out, _) = run_fetch(home.path(), &config, &["--max-body", "1MiB", "bomb"]);
    assert_eq!(code, 3);
    assert_eq!(out[0]["error"]["kind"], "too_large");
}

#[test]
fn gzip_is_asked_for_and_decoded_and_a_bad_or_unasked_encoding_is_an_http_error() {
    use std::io::Write;
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/airbrake-summary.json");
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(&summary).unwrap();
    let zipped = encoder.finish().unwrap();
    let cut = zipped[..zipped.len() / 2].to_vec();
    let server = Server::start(move |req, _| {
        let asked = req
            .headers
            .get("accept-encoding")
            .is_some_and(|v| v.contains("gzip"));
        match req.path.as_str() {
            "/plain/api/v2/summary.json" => Reply::json(summary.clone()),
            "/zipped/api/v2/summary.json" if asked => {
                Reply::json(zipped.clone()).header("Content-Encoding", "gzip")
            }
            "/cut/api/v2/summary.json" => {
                Reply::json(cut.clone()).header("Content-Encoding", "gzip")
            }
            "/brotli/api/v2/summary.json" => {
                Reply::json(summary.clone()).header("Content-Encoding", "br")
            }
            _ => Reply::not_found(),
        }
    });
    let ids = ["plain", "zipped", "cut", "brotli"];
    let config = config_for(home.path(), &server, &ids);
    let (code, out, _) = run_fetch(home.path(), &config, &ids);
    assert_eq!(code, 3);
    assert_eq!(out[0]["ok"], true, "{}", out[0]);
    assert_eq!(out[1]["ok"], true, "{}", out[1]);
    assert!(out[0]["components"].as_array().unwrap().len() > 3);
    for field in ["status", "components", "incidents", "maintenances"] {
        assert_eq!(out[0][field], out[1][field], "{field}");
    }
    assert_eq!(out[2]["error"]["kind"], "http");
    let cut = out[2]["error"]["message"].as_str().unwrap();
    assert!(cut.contains("gzip body does not decode"), "{cut}");
    assert_eq!(out[3]["error"]["kind"], "http");
    let brotli = out[3]["error"]["message"].as_str().unwrap();
    assert!(brotli.contains("Content-Encoding \"br\""), "{brotli}");
}

#[test]
fn a_429_with_retry_after_is_retried_and_then_succeeds() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/airbrake-summary.json");
    let server = Server::start(move |req, earlier| match req.path.as_str() {
        "/busy/api/v2/summary.json" if earlier == 0 => {
            Reply::status(429, "slow down").header("Retry-After", "1")
        }
        "/busy/api/v2/summary.json" => Reply::json(summary.clone()),
        _ => Reply::not_found(),
    });
    let config = config_for(home.path(), &server, &["busy"]);
    let (code, out, stderr) = run_fetch(home.path(), &config, &["busy"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(out[0]["ok"], true);
    assert_eq!(server.hits("/busy/api/v2/summary.json"), 2);
    assert!(
        out[0]["elapsed_ms"].as_u64().unwrap() >= 1000,
        "Retry-After was honoured"
    );
}

#[test]
fn a_5xx_is_retried_with_backoff_but_a_404_is_not() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/airbrake-summary.json");
    let server = Server::start(move |req, earlier| match req.path.as_str() {
        "/flaky/api/v2/summary.json" if earlier < 2 => Reply::status(502, "bad gateway"),
        "/flaky/api/v2/summary.json" => Reply::json(summary.clone()),
        _ => Reply::not_found(),
    });
    let config = config_for(home.path(), &server, &["flaky", "gone"]);
    let (code, out, _) = run_fetch(home.path(), &config, &["flaky", "gone"]);
    assert_eq!(code, 3);
    assert_eq!(out[0]["ok"], true);
    assert_eq!(server.hits("/flaky/api/v2/summary.json"), 3);
    assert_eq!(out[1]["error"]["http_status"], 404);
    assert_eq!(server.hits("/gone/api/v2/summary.json"), 1);
}

#[test]
fn requests_carry_a_user_agent_with_the_version() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "ua",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["ua"]);
    run_fetch(home.path(), &config, &["ua"]);
    let agent = &server.seen()[0].headers["user-agent"];
    assert_eq!(agent, &format!("statusq/{}", env!("CARGO_PKG_VERSION")));
}

#[test]
fn output_follows_the_given_order_not_the_finishing_order() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/airbrake-summary.json");
    let mut routes = Vec::new();
    routes.extend(statuspage_routes(
        "slow",
        Reply::json(summary.clone()).delay(Duration::from_millis(400)),
        None,
        None,
    ));
    routes.extend(statuspage_routes("fast", Reply::json(summary), None, None));
    let server = Server::routes(routes);
    let config = config_for(home.path(), &server, &["slow", "fast"]);
    let (code, out, _) = run_fetch(home.path(), &config, &["slow", "fast", "slow"]);
    assert_eq!(code, 0);
    let order: Vec<&str> = out
        .iter()
        .map(|s| s["provider"].as_str().unwrap())
        .collect();
    assert_eq!(order, ["slow", "fast", "slow"]);
}

#[test]
fn concurrency_bounds_the_requests_in_flight() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/airbrake-summary.json");
    let server = Server::start(move |req, _| {
        if req.path.ends_with("/summary.json") {
            Reply::json(summary.clone()).delay(Duration::from_millis(100))
        } else {
            Reply::not_found().delay(Duration::from_millis(100))
        }
    });
    let ids = ["p1", "p2", "p3", "p4", "p5", "p6"];
    let config = config_for(home.path(), &server, &ids);
    let mut args = vec!["--concurrency", "2"];
    args.extend(ids);
    let (code, out, _) = run_fetch(home.path(), &config, &args);
    assert_eq!(code, 0);
    assert_eq!(out.len(), 6);
    assert_eq!(server.seen().len(), 18);
    assert!(
        server.peak_connections() <= 2,
        "{}",
        server.peak_connections()
    );

    let (_, _, _) = run_fetch(home.path(), &config, &ids);
    assert!(
        server.peak_connections() > 2,
        "without the bound requests run in parallel"
    );
}

#[test]
fn config_components_restrict_a_provider() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "intercom",
        Reply::json(fixture("statuspage/intercom-summary-groups.json")),
        None,
        None,
    ));
    let config = home.path().join("c.toml");
    std::fs::write(
        &config,
        format!(
            "[providers.intercom]\nurl = \"{}\"\ncomponents = [\"Intercom Messenger/*\", \"email\"]\n",
            server.url("/intercom")
        ),
    )
    .unwrap();
    let (code, out, _) = run_fetch(home.path(), &config, &["intercom"]);
    assert_eq!(code, 0);
    let components = out[0]["components"].as_array().unwrap();
    assert!(!components.is_empty());
    assert!(components
        .iter()
        .all(|c| c["group"] == "Intercom Messenger" || c["name"] == "Email"));
    assert!(components.len() < 20);
}

#[test]
fn saved_payloads_replay_from_files_and_stdin() {
    let home = tempfile::tempdir().unwrap();
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let output = statusq(home.path())
        .arg("fetch")
        .arg(dir.join("statuspage/claude-summary-active-incident.json"))
        .arg("openai=-")
        .write_stdin(fixture("incidentio/openai-api-v2-summary.json"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let out = records(&output.stdout);
    assert_eq!(out[0]["provider"], "claude-summary-active-incident");
    assert_eq!(out[0]["name"], "Claude");
    assert_eq!(out[0]["url"], "https://status.claude.com");
    assert_eq!(out[1]["provider"], "openai");
    assert_eq!(out[1]["format"], "incidentio");
    assert_eq!(
        out[1]["incidents"][0]["url"].as_str().unwrap(),
        format!(
            "https://status.openai.com/incidents/{}",
            out[1]["incidents"][0]["id"].as_str().unwrap()
        )
    );

    let output = statusq(home.path())
        .args(["fetch", "-"])
        .write_stdin("{\"page\": {\"id\": \"x\"")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let out = records(&output.stdout);
    assert_eq!(out[0]["ok"], false);
    assert_eq!(out[0]["error"]["kind"], "parse");
    assert!(out[0]["error"]["message"]
        .as_str()
        .unwrap()
        .starts_with("stdin: "));
}

#[test]
fn unknown_providers_and_bad_configs_are_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    statusq(home.path())
        .args(["fetch", "githib"])
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains(
            "statusq: unknown provider \"githib\"",
        ))
        .stderr(predicates::str::contains("github"));
    let config = home.path().join("bad.toml");
    std::fs::write(&config, "[providers.x]\nurl = 3\n").unwrap();
    statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "github"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("bad.toml"));
    statusq(home.path())
        .args(["fetch", "--config", "/nonexistent/statusq.toml", "github"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("/nonexistent/statusq.toml"));
    statusq(home.path()).arg("fetch").assert().code(2);
    statusq(home.path())
        .args(["fetch", "heroku"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("cannot read yet"));
    // Absurd durations are refused by name, never a panic.
    for (flag, value) in [
        ("--timeout", "1e30"),
        ("--timeout", "-1"),
        ("--max-retry-after", "1e15"),
        ("--watch", "inf"),
    ] {
        let output = statusq(home.path())
            .args(["fetch", "github", flag, value])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains(value) && !stderr.contains("panicked"),
            "{stderr}"
        );
    }
}

#[test]
fn the_default_config_is_read_from_the_xdg_config_dir() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "mine",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let dir = home.path().join("config/statusq");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("config.toml"),
        format!("[providers.mine]\nurl = \"{}\"\n", server.url("/mine")),
    )
    .unwrap();
    let output = statusq(home.path())
        .args(["fetch", "mine"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(records(&output.stdout)[0]["ok"], true);
}

#[test]
fn a_page_whose_format_cannot_be_found_says_how_long_it_was_tried() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(|_, _| Reply::not_found().delay(Duration::from_millis(100)));
    let output = statusq(home.path())
        .args(["fetch", "--retries", "0"])
        .arg(server.url("/nothing-here"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let snapshot = records(&output.stdout).remove(0);
    assert_eq!(snapshot["ok"], false);
    // Every probe waited at least 100 ms for its 404: the time spent is not zero.
    let elapsed = snapshot["elapsed_ms"].as_u64().unwrap();
    assert!(elapsed >= 100, "elapsed_ms {elapsed}");
}

#[test]
fn one_id_for_two_sources_is_refused_and_repeated_component_ids_are_made_unique() {
    let home = tempfile::tempdir().unwrap();
    // Two saved payloads that share a file name would share one provider id and one state.
    let summary = fixture("statuspage/airbrake-summary.json");
    for dir in ["a", "b"] {
        std::fs::create_dir_all(home.path().join(dir)).unwrap();
        std::fs::write(home.path().join(dir).join("summary.json"), &summary).unwrap();
    }
    let a = home.path().join("a/summary.json");
    let b = home.path().join("b/summary.json");
    let output = statusq(home.path())
        .arg("fetch")
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("\"summary\" names two sources")
            && stderr.contains("a/summary.json")
            && stderr.contains("b/summary.json")
            && stderr.contains("ID=SOURCE"),
        "{stderr}"
    );
    // So does one alias given to two URLs; the same source twice is fine.
    let output = statusq(home.path())
        .args(["fetch", "x=https://one.example", "x=https://two.example"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let output = statusq(home.path())
        .arg("fetch")
        .arg(format!("s={}", a.display()))
        .arg(format!("s={}", a.display()))
        .arg(format!("t={}", b.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(records(&output.stdout).len(), 3);

    // A page that repeats a component id.
    let mut doc: Value = serde_json::from_slice(&summary).unwrap();
    let mut twin = doc["components"][0].clone();
    twin["name"] = "Twin".into();
    twin["status"] = "major_outage".into();
    doc["components"].as_array_mut().unwrap().push(twin);
    let twice = home.path().join("twice.json");
    std::fs::write(&twice, doc.to_string()).unwrap();
    let snapshot = |minute: u32| {
        let output = statusq(home.path())
            .env("STATUSQ_NOW", format!("2026-11-22T03:{minute:02}:00Z"))
            .arg("fetch")
            .arg(format!("p={}", twice.display()))
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let first = records(snapshot(1).as_bytes()).remove(0);
    let ids: Vec<&str> = first["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    let unique: std::collections::HashSet<&&str> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
    let original = doc["components"][0]["id"].as_str().unwrap();
    assert!(ids.contains(&format!("{original}~2").as_str()), "{ids:?}");
    // Polled again, nothing flips.
    let state = home.path().join("state.json");
    let input = snapshot(1) + &snapshot(2) + &snapshot(3);
    let output = statusq(home.path())
        .env("STATUSQ_NOW", "2026-11-22T04:00:00Z")
        .args(["diff", "--state"])
        .arg(&state)
        .write_stdin(input.clone())
        .output()
        .unwrap();
    let changes = records(&output.stdout)
        .iter()
        .filter(|e| e["event"] == "component.changed")
        .count();
    assert_eq!(changes, 1, "the twin's outage, once");
    let metrics = statusq(home.path())
        .args(["render", "-f", "prometheus"])
        .write_stdin(snapshot(4))
        .output()
        .unwrap();
    assert_promtool_accepts(&String::from_utf8(metrics.stdout).unwrap());
}

#[test]
fn a_provider_is_done_within_its_budget_and_does_not_hold_up_the_next() {
    let home = tempfile::tempdir().unwrap();
    // Every document of `slow` answers 503 after 250 ms, asking for a retry after a second.
    let busy = Reply::status(503, "busy")
        .header("Retry-After", "1")
        .delay(Duration::from_millis(250));
    let mut routes = statuspage_routes("slow", busy.clone(), Some(busy.clone()), Some(busy));
    routes.extend(statuspage_routes(
        "fine",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let server = Server::routes(routes);
    let config = config_for(home.path(), &server, &["slow", "fine"]);
    // One request at a time: left alone, `slow`'s three documents would each take
    // 0.25 + 1 + 0.25 + 1 + 0.25 s, one after the other, 8.25 s before `fine` is even asked.
    // Its budget is (2 + 1) × 0.3 s + 2 × 1 s = 2.9 s, documents, retries and waits included.
    let started = std::time::Instant::now();
    let (code, snapshots, stderr) = run_fetch(
        home.path(),
        &config,
        &[
            "slow",
            "fine",
            "-j",
            "1",
            "--timeout",
            "300ms",
            "--retries",
            "2",
            "--max-retry-after",
            "1s",
        ],
    );
    let elapsed = started.elapsed();
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(snapshots[0]["provider"], "slow");
    assert_eq!(snapshots[0]["ok"], false);
    assert_eq!(snapshots[1]["provider"], "fine");
    assert_eq!(snapshots[1]["ok"], true, "{}", snapshots[1]);
    assert!(
        elapsed < Duration::from_millis(2900 + 2000),
        "the budget (2.9 s) bounds the slow provider: {elapsed:?}"
    );
}

#[test]
fn a_foreign_document_with_an_incidents_array_is_a_format_error_not_statuspage() {
    let home = tempfile::tempdir().unwrap();
    // Not a real payload: the shape of a page of another platform (services and incidents with
    // `title` and `updates`), which used to be read as Statuspage with its updates dropped.
    let foreign = serde_json::json!({
        "page": {"name": "Acme"},
        "services": [{"name": "API", "status": "up"}],
        "incidents": [{"title": "API errors", "updates": [{"text": "Looking into it"}]}]
    })
    .to_string();
    let server = Server::routes(statuspage_routes(
        "acme",
        Reply::json(foreign.clone()),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["acme"]);
    // Declared as a Statuspage page, typed as a URL, and read from a saved file.
    let saved = home.path().join("acme.json");
    std::fs::write(&saved, &foreign).unwrap();
    let declared = run_fetch(home.path(), &config, &["acme", "--retries", "0"]);
    let typed = run_fetch(
        home.path(),
        &config,
        &[&server.url("/acme/api/v2/summary.json"), "--retries", "0"],
    );
    let file = run_fetch(
        home.path(),
        &config,
        &[&format!("acme={}", saved.display())],
    );
    for (how, (code, snapshots, stderr)) in
        [("declared", declared), ("typed", typed), ("file", file)]
    {
        assert_eq!(code, 3, "{how}: {stderr}");
        let error = &snapshots[0]["error"];
        assert_eq!(snapshots[0]["ok"], false, "{how}");
        assert_eq!(error["kind"], "format", "{how}: {error}");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains("incidents") || message.contains("not a status page format"),
            "{how}: says what it saw: {message}"
        );
    }
}

#[test]
fn shards_split_a_provider_list_without_overlap() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/claude-summary-active-incident.json");
    let server = Server::start(move |req, _| {
        if req.path.ends_with("/summary.json") {
            Reply::json(summary.clone())
        } else {
            Reply::not_found()
        }
    });
    let ids: Vec<String> = (0..30).map(|n| format!("page{n}")).collect();
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let config = config_for(home.path(), &server, &id_refs);
    let mut seen: Vec<String> = Vec::new();
    for shard in ["1/3", "2/3", "3/3"] {
        let output = statusq(home.path())
            .arg("--config")
            .arg(&config)
            .args(["fetch", "--shard", shard])
            .args(&ids)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        let mine: Vec<String> = records(&output.stdout)
            .iter()
            .map(|s| s["provider"].as_str().unwrap().to_string())
            .collect();
        assert!(!mine.is_empty() && mine.len() < 30, "{shard}: {mine:?}");
        // In the order given.
        let mut sorted = mine.clone();
        sorted.sort_by_key(|id| ids.iter().position(|i| i == id));
        assert_eq!(mine, sorted);
        seen.extend(mine);
    }
    seen.sort();
    let mut all = ids.clone();
    all.sort();
    assert_eq!(seen, all, "every page in exactly one shard");
    let output = statusq(home.path())
        .args(["fetch", "--shard", "4/3", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("I/N"));
}

#[test]
fn a_stalled_provider_holds_a_bounded_number_of_snapshots_behind_it() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/claude-summary-active-incident.json");
    let started = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let log = std::sync::Arc::clone(&started);
    let server = Server::start(move |req, _| {
        if !req.path.ends_with("/summary.json") {
            return Reply::not_found();
        }
        log.lock()
            .unwrap()
            .push((req.path.clone(), std::time::Instant::now()));
        let reply = Reply::json(summary.clone());
        if req.path.starts_with("/slow/") {
            reply.delay(Duration::from_secs(2))
        } else {
            reply
        }
    });
    let mut ids = vec!["slow".to_string()];
    ids.extend((0..200).map(|n| format!("fast{n}")));
    let id_refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    let config = config_for(home.path(), &server, &id_refs);
    let begun = std::time::Instant::now();
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "--concurrency", "4"])
        .args(&ids)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(records(&output.stdout).len(), 201, "every page, in order");
    // While the slow page stalled, only a window of pages behind it was fetched (2 per
    // request in flight, at least 16), not all 200.
    let early = started
        .lock()
        .unwrap()
        .iter()
        .filter(|(path, at)| {
            path.starts_with("/fast") && at.duration_since(begun) < Duration::from_millis(1500)
        })
        .count();
    assert!(early <= 16, "{early} pages fetched while the first stalled");
    assert!(early >= 8, "the window is used: {early}");
}

/// A Statuspage page that answers `If-None-Match` with 304: its three documents, changeable,
/// and the requests made for each. Like real pages, it sends gzip to a client that asks.
fn conditional_page(
    docs: std::sync::Arc<std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>>,
) -> Server {
    use std::io::Write;
    Server::start(move |req, _| {
        let name = req.path.rsplit('/').next().unwrap_or_default().to_string();
        let Some(body) = docs.lock().unwrap().get(&name).cloned() else {
            return Reply::not_found();
        };
        let etag = format!("\"{}\"", statusq_hash(&body));
        if req.headers.get("if-none-match") == Some(&etag) {
            return Reply::status(304, Vec::new()).header("ETag", &etag);
        }
        if req
            .headers
            .get("accept-encoding")
            .is_some_and(|v| v.contains("gzip"))
        {
            let mut encoder =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            encoder.write_all(&body).unwrap();
            return Reply::json(encoder.finish().unwrap())
                .header("ETag", &etag)
                .header("Content-Encoding", "gzip");
        }
        Reply::json(body).header("ETag", &etag)
    })
}

fn statusq_hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x100_0000_01b3)
    })
}

#[test]
fn an_unchanged_page_costs_one_request_and_no_resolution_is_missed() {
    let home = tempfile::tempdir().unwrap();
    let summary: Value =
        serde_json::from_slice(&fixture("statuspage/claude-summary-active-incident.json")).unwrap();
    let incident = summary["incidents"][0].clone();
    let docs = std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::new()));
    let set = |summary: &Value, incidents: Value| {
        let mut docs = docs.lock().unwrap();
        docs.insert("summary.json".to_string(), summary.to_string().into_bytes());
        docs.insert(
            "incidents.json".to_string(),
            json!({"page": summary["page"], "incidents": incidents})
                .to_string()
                .into_bytes(),
        );
        docs.insert(
            "scheduled-maintenances.json".to_string(),
            json!({"page": summary["page"], "scheduled_maintenances": []})
                .to_string()
                .into_bytes(),
        );
    };
    set(&summary, json!([incident]));
    let server = conditional_page(std::sync::Arc::clone(&docs));
    let config = config_for(home.path(), &server, &["claude"]);
    let cache = home.path().join("cache");
    let state = home.path().join("state.json");
    let clock = std::cell::Cell::new(0);
    let poll = || {
        let asked = server.seen().len();
        // Each poll a minute later: diff ignores a snapshot no newer than the last.
        clock.set(clock.get() + 1);
        let now = format!("2026-11-22T04:{:02}:00Z", clock.get());
        let fetched = statusq(home.path())
            .env("STATUSQ_NOW", &now)
            .arg("--config")
            .arg(&config)
            .args(["fetch", "claude", "--refetch-every", "5", "--cache"])
            .arg(&cache)
            .output()
            .unwrap();
        assert!(fetched.status.success());
        let events = statusq(home.path())
            .env("STATUSQ_NOW", &now)
            .args(["diff", "--state"])
            .arg(&state)
            .write_stdin(fetched.stdout.clone())
            .output()
            .unwrap();
        assert!(
            events.status.success(),
            "{}",
            String::from_utf8_lossy(&events.stderr)
        );
        let requests: Vec<String> = server.seen()[asked..]
            .iter()
            .map(|s| s.path.rsplit('/').next().unwrap().to_string())
            .collect();
        (
            records(&fetched.stdout)[0].clone(),
            records(&events.stdout),
            requests,
        )
    };
    let (_, _, first) = poll();
    assert_eq!(first.len(), 3, "a cold cache asks for all three: {first:?}");
    // The cache keeps the bodies as they came, compressed, and reads them back inflated.
    let kept: Vec<Vec<u8>> = std::fs::read_dir(&cache)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "body"))
        .map(|path| std::fs::read(path).unwrap())
        .collect();
    assert_eq!(kept.len(), 3);
    assert!(kept.iter().all(|body| body.starts_with(&[0x1f, 0x8b])));
    let (snapshot, events, second) = poll();
    assert_eq!(second, ["summary.json"], "unchanged: one request");
    assert!(events.is_empty());
    assert_eq!(
        snapshot["incidents"].as_array().unwrap().len(),
        1,
        "the lists come from the cache"
    );

    // The incident is resolved: the summary changes, so the lists are read in the same poll.
    let mut resolved = incident.clone();
    resolved["status"] = "resolved".into();
    resolved["resolved_at"] = "2026-10-07T23:00:00.000Z".into();
    let mut update = resolved["incident_updates"][0].clone();
    update["id"] = "resolution".into();
    update["status"] = "resolved".into();
    update["body"] = "This incident has been resolved.".into();
    update["created_at"] = "2026-10-07T23:00:00.000Z".into();
    update["display_at"] = "2026-10-07T23:00:00.000Z".into();
    resolved["incident_updates"]
        .as_array_mut()
        .unwrap()
        .insert(0, update);
    let mut calm = summary.clone();
    calm["incidents"] = json!([]);
    calm["status"] = json!({"indicator": "none", "description": "All Systems Operational"});
    set(&calm, json!([resolved]));
    let (snapshot, events, third) = poll();
    assert_eq!(third.len(), 3, "changed: the lists too, at once: {third:?}");
    assert_eq!(snapshot["incidents"][0]["status"], "resolved");
    assert!(
        events.iter().any(|e| e["event"] == "incident.resolved"),
        "{events:?}"
    );
    // Unchanged from here on: the lists are still asked for, unconditionally, within
    // --refetch-every polls (a late edit to an old incident is seen then).
    let later: Vec<String> = (0..6).flat_map(|_| poll().2).collect();
    assert!(
        later.iter().filter(|d| *d == "incidents.json").count() >= 1,
        "{later:?}"
    );
    assert!(later.iter().filter(|d| *d == "summary.json").count() == 6);
}

#[test]
fn a_typed_url_is_probed_once_and_its_probe_is_its_first_document() {
    let home = tempfile::tempdir().unwrap();
    let summary = fixture("statuspage/claude-summary-active-incident.json");
    let page = serde_json::from_slice::<Value>(&summary).unwrap()["page"].clone();
    let incidents = json!({"page": page, "incidents": []})
        .to_string()
        .into_bytes();
    let maintenances = json!({"page": page, "scheduled_maintenances": []})
        .to_string()
        .into_bytes();
    let moved = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let gone = std::sync::Arc::clone(&moved);
    let server = Server::start(move |req, _| {
        if gone.load(std::sync::atomic::Ordering::SeqCst) {
            return Reply::not_found();
        }
        match req.path.as_str() {
            "/page/api/v2/summary.json" => Reply::json(summary.clone()),
            "/page/api/v2/incidents.json" => Reply::json(incidents.clone()),
            "/page/api/v2/scheduled-maintenances.json" => Reply::json(maintenances.clone()),
            _ => Reply::not_found(),
        }
    });
    let url = server.url("/page");
    let run = || {
        let asked = server.seen().len();
        let output = statusq(home.path()).args(["fetch", &url]).output().unwrap();
        let paths: Vec<String> = server.seen()[asked..]
            .iter()
            .map(|s| s.path.clone())
            .collect();
        (records(&output.stdout)[0].clone(), paths)
    };
    let (snapshot, first) = run();
    assert_eq!(snapshot["ok"], true, "{snapshot}");
    assert_eq!(snapshot["format"], "statuspage");
    assert_eq!(
        first
            .iter()
            .filter(|p| p.ends_with("/summary.json"))
            .count(),
        1,
        "the probe's answer is the summary: {first:?}"
    );
    assert_eq!(first.len(), 3, "{first:?}");
    let (snapshot, second) = run();
    assert_eq!(snapshot["ok"], true);
    assert_eq!(second.len(), 3, "remembered: no probe at all: {second:?}");
    assert!(second[..].iter().all(|p| p.starts_with("/page/api/v2/")));

    // The vendor moved away: the remembered format fails, is forgotten, and the next run
    // probes again.
    moved.store(true, std::sync::atomic::Ordering::SeqCst);
    let (snapshot, _) = run();
    assert_eq!(snapshot["ok"], false);
    let (_, probing) = run();
    assert!(
        probing.iter().any(|p| p.ends_with("/history.atom")),
        "probed again: {probing:?}"
    );
}
