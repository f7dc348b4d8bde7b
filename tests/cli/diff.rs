//! `statusq diff`: exactly-once events and a state file that survives crashes and contention.

use crate::common::*;
use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A snapshot line of a provider that could not be fetched: `fetch` against a 500.
fn failed_snapshot_of(home: &Path, id: &str, server: &Server, now: &str) -> String {
    let output = statusq(home)
        .env("STATUSQ_NOW", now)
        .args(["fetch", "--retries", "0"])
        .arg(format!("{id}={}", server.url("/down/api/v2/summary.json")))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    String::from_utf8(output.stdout).unwrap()
}

struct Run {
    code: i32,
    events: Vec<Value>,
    stderr: String,
}

/// `statusq diff` on a machine whose clock is past every snapshot of these tests (a snapshot
/// dated ahead of the clock is read as taken now).
fn diff(home: &Path, state: &Path, input: &str, extra: &[&str]) -> Run {
    let output = statusq(home)
        .env("STATUSQ_NOW", "2027-01-01T00:00:00Z")
        .arg("diff")
        .arg("--state")
        .arg(state)
        .args(extra)
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        events: records(&output.stdout),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

fn kinds(events: &[Value]) -> Vec<&str> {
    events
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect()
}

/// The GitHub incident as upstream showed it after its first `k` updates.
fn github_incident_after(k: usize) -> Value {
    let mut doc = json_fixture("statuspage/github-incident-smdz34v7j8q0.json");
    let updates = doc["incident"]["incident_updates"]
        .as_array()
        .unwrap()
        .clone();
    let shown: Vec<Value> = updates[updates.len() - k..].to_vec();
    let status = shown[0]["status"].clone();
    doc["incident"]["status"] = status.clone();
    if status != "resolved" {
        doc["incident"]["resolved_at"] = Value::Null;
    }
    doc["incident"]["updated_at"] = shown[0]["created_at"].clone();
    doc["incident"]["incident_updates"] = Value::Array(shown);
    doc
}

#[test]
fn a_real_timeline_gives_one_event_per_update_across_eighteen_processes() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let doc = json_fixture("statuspage/github-incident-smdz34v7j8q0.json");
    let mut upstream_ids: Vec<String> = doc["incident"]["incident_updates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["id"].as_str().unwrap().to_string())
        .collect();
    upstream_ids.reverse();
    assert_eq!(upstream_ids.len(), 18);

    let mut all = Vec::new();
    for k in 1..=18 {
        let line = snapshot_of(
            home.path(),
            "github",
            github_incident_after(k).to_string().as_bytes(),
            &format!("2026-11-22T03:{:02}:00Z", k),
        );
        let run = diff(home.path(), &state, &line, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        assert_eq!(run.events.len(), 1, "run {k}: {:?}", kinds(&run.events));
        let event = &run.events[0];
        assert_eq!(
            event["update"]["id"],
            upstream_ids[k - 1].as_str(),
            "run {k}"
        );
        assert_eq!(
            event["id"],
            format!(
                "github/incident/smdz34v7j8q0/update/{}",
                upstream_ids[k - 1]
            )
        );
        all.push(event.clone());
    }
    let kinds = kinds(&all);
    assert_eq!(kinds[0], "incident.created");
    assert!(
        kinds[1..17].iter().all(|k| *k == "incident.updated"),
        "{kinds:?}"
    );
    assert_eq!(kinds[17], "incident.resolved");
    assert_eq!(all[17]["incident"]["status"], "resolved");
    assert_eq!(all[0]["incident"]["name"], doc["incident"]["name"]);

    let line = snapshot_of(
        home.path(),
        "github",
        github_incident_after(18).to_string().as_bytes(),
        "2026-11-22T04:00:00Z",
    );
    let nineteenth = diff(home.path(), &state, &line, &["--exit-code"]);
    assert_eq!(nineteenth.code, 0, "no events: --exit-code says 0");
    assert!(nineteenth.events.is_empty());
}

#[test]
fn failed_fetches_change_only_health_and_a_vanished_incident_is_not_resolved() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let server = Server::start(|_, _| Reply::status(500, "down"));
    let summary = fixture("statuspage/claude-summary-active-incident.json");
    let mut gone: Value = serde_json::from_slice(&summary).unwrap();
    gone["incidents"] = json!([]);

    let first = diff(
        home.path(),
        &state,
        &snapshot_of(home.path(), "claude", &summary, "2026-11-22T03:00:00Z"),
        &[],
    );
    assert!(kinds(&first.events).contains(&"incident.created"));
    let before = std::fs::read_to_string(&state).unwrap();

    let mut input = String::new();
    input += &failed_snapshot_of(home.path(), "claude", &server, "2026-11-22T03:05:00Z");
    input += &failed_snapshot_of(home.path(), "claude", &server, "2026-11-22T03:10:00Z");
    let failing = diff(home.path(), &state, &input, &[]);
    assert_eq!(kinds(&failing.events), ["provider.failed"]);
    assert_eq!(failing.events[0]["error"]["kind"], "http");
    let after: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    let before: Value = serde_json::from_str(&before).unwrap();
    assert_eq!(
        after["providers"]["claude"]["incidents"], before["providers"]["claude"]["incidents"],
        "a failed fetch touches no incident"
    );
    assert_eq!(
        after["providers"]["claude"]["components"],
        before["providers"]["claude"]["components"]
    );

    let back = diff(
        home.path(),
        &state,
        &snapshot_of(
            home.path(),
            "claude",
            gone.to_string().as_bytes(),
            "2026-11-22T03:15:00Z",
        ),
        &[],
    );
    assert_eq!(
        kinds(&back.events),
        ["provider.recovered"],
        "and no incident.resolved"
    );
}

#[test]
fn a_component_flap_gives_two_changes_each_once() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let base = json_fixture("statuspage/airbrake-summary.json");
    let with_status = |status: &str, minute: u32| {
        let mut doc = base.clone();
        doc["components"][0]["status"] = status.into();
        doc["components"][0]["updated_at"] = format!("2026-11-22T03:{minute:02}:00Z").into();
        snapshot_of(
            home.path(),
            "airbrake",
            doc.to_string().as_bytes(),
            &format!("2026-11-22T03:{minute:02}:30Z"),
        )
    };
    let mut changes = Vec::new();
    for (status, minute) in [
        ("operational", 0),
        ("degraded_performance", 1),
        ("degraded_performance", 2),
        ("operational", 3),
        ("operational", 4),
    ] {
        let run = diff(home.path(), &state, &with_status(status, minute), &[]);
        changes.extend(
            run.events
                .into_iter()
                .filter(|e| e["event"] == "component.changed"),
        );
    }
    let pairs: Vec<(String, String)> = changes
        .iter()
        .map(|e| (e["from"].to_string(), e["to"].to_string()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("\"operational\"".into(), "\"degraded_performance\"".into()),
            ("\"degraded_performance\"".into(), "\"operational\"".into()),
        ]
    );
    assert_eq!(changes[0]["component"]["name"], "Web App");
    assert_ne!(changes[0]["id"], changes[1]["id"]);
}

#[test]
fn a_real_maintenance_lifecycle_is_scheduled_started_completed() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let doc = json_fixture("statuspage/claude-scheduled-maintenances.json");
    let maintenance = doc["scheduled_maintenances"][0].clone();
    let older = doc["scheduled_maintenances"][1].clone();
    let updates = maintenance["incident_updates"].as_array().unwrap().clone();
    let mut all = Vec::new();
    for k in 1..=updates.len() {
        let shown: Vec<Value> = updates[updates.len() - k..].to_vec();
        let mut step = maintenance.clone();
        step["status"] = shown[0]["status"].clone();
        step["incident_updates"] = Value::Array(shown);
        let payload = json!({"page": doc["page"], "scheduled_maintenances": [step, older]});
        let run = diff(
            home.path(),
            &state,
            &snapshot_of(
                home.path(),
                "claude",
                payload.to_string().as_bytes(),
                &format!("2026-11-22T03:0{k}:00Z"),
            ),
            &[],
        );
        assert_eq!(run.code, 0, "{}", run.stderr);
        all.extend(run.events);
    }
    assert_eq!(
        kinds(&all),
        [
            "maintenance.scheduled",
            "maintenance.started",
            "maintenance.updated",
            "maintenance.completed"
        ],
        "the older, completed maintenance is baseline history, not news"
    );
    assert_eq!(all[1]["maintenance"]["status"], "in_progress");
    assert_eq!(
        all[3]["maintenance"]["scheduled_until"],
        "2025-08-29T02:40:00Z"
    );
    assert!(all.iter().all(|e| e["maintenance"]["id"] == "x017628t2rl5"));
}

#[test]
fn a_second_concurrent_run_exits_75_and_the_state_is_intact() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let line = snapshot_of(
        home.path(),
        "claude",
        &fixture("statuspage/claude-summary-active-incident.json"),
        "2026-11-22T03:00:00Z",
    );
    let mut first = Command::new(bin())
        .arg("diff")
        .arg("--state")
        .arg(&state)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = first.stdin.take().unwrap();
    stdin.write_all(line.as_bytes()).unwrap();
    stdin.flush().unwrap();
    // Wait until the first run has taken the lock and committed its first snapshot.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !state.exists() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    assert!(state.exists());

    let started = Instant::now();
    let second = statusq(home.path())
        .arg("diff")
        .arg("--state")
        .arg(&state)
        .write_stdin(line.clone())
        .output()
        .unwrap();
    assert_eq!(second.status.code(), Some(75));
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "it must not wait for the lock"
    );
    assert!(second.stdout.is_empty());
    let message = String::from_utf8_lossy(&second.stderr);
    assert!(
        message.starts_with("statusq: ") && message.contains("state.json"),
        "{message}"
    );

    drop(stdin);
    let output = first.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!records(&output.stdout).is_empty());
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert_eq!(saved["statusq_state"], 1);
    assert!(saved["providers"]["claude"]["incidents"]["978mjkgw6mh7"].is_object());
}

#[test]
fn a_crash_while_writing_the_state_leaves_the_previous_state_readable() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let first = snapshot_of(
        home.path(),
        "github",
        github_incident_after(3).to_string().as_bytes(),
        "2026-11-22T03:00:00Z",
    );
    assert_eq!(diff(home.path(), &state, &first, &[]).code, 0);
    let before = std::fs::read(&state).unwrap();

    let second = snapshot_of(
        home.path(),
        "github",
        github_incident_after(5).to_string().as_bytes(),
        "2026-11-22T03:10:00Z",
    );
    // Half-way through writing the second commit: the events are out, the state on disk is
    // still the one committed (with them in doubt) before they were written.
    let crashed = statusq(home.path())
        .env("STATUSQ_FAULT_STATE_WRITE", "temp@2")
        .arg("diff")
        .arg("--state")
        .arg(&state)
        .write_stdin(second.clone())
        .output()
        .unwrap();
    assert!(
        !crashed.status.success(),
        "the injected fault kills the process"
    );
    assert_eq!(
        kinds(&records(&crashed.stdout)).len(),
        2,
        "events went out first"
    );
    let written: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_ne!(std::fs::read(&state).unwrap(), before);
    assert_eq!(
        written["in_doubt"].as_array().map(Vec::len),
        Some(2),
        "the state in place is the write-ahead one, whole, with the two events in doubt"
    );

    // The next run reads it and delivers the same two updates again (same ids).
    let again = diff(home.path(), &state, &second, &[]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    let ids = |events: &[Value]| -> Vec<String> {
        events
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids(&again.events), ids(&records(&crashed.stdout)));
    let leftovers: Vec<String> = std::fs::read_dir(home.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(".tmp."))
        .collect();
    assert!(
        leftovers.is_empty(),
        "the crashed run's temp file is cleaned up: {leftovers:?}"
    );
}

#[test]
fn corrupt_and_unknown_version_states_are_exit_2_and_never_overwritten() {
    let home = tempfile::tempdir().unwrap();
    let line = snapshot_of(
        home.path(),
        "claude",
        &fixture("statuspage/claude-summary-active-incident.json"),
        "2026-11-22T03:00:00Z",
    );
    for (name, text) in [
        ("torn.json", "{\"statusq_state\":1,\"providers\":{\"cl"),
        ("future.json", "{\"statusq_state\":2,\"providers\":{}}"),
        ("foreign.json", "{\"name\":\"something else\"}"),
    ] {
        let state = home.path().join(name);
        std::fs::write(&state, text).unwrap();
        let run = diff(home.path(), &state, &line, &[]);
        assert_eq!(run.code, 2, "{name}");
        assert!(run.events.is_empty());
        assert!(
            run.stderr.starts_with("statusq: ") && run.stderr.contains(name),
            "{}",
            run.stderr
        );
        assert_eq!(run.stderr.lines().count(), 1);
        assert_eq!(
            std::fs::read_to_string(&state).unwrap(),
            text,
            "{name} was overwritten"
        );
    }
}

#[test]
fn bad_lines_are_named_and_skipped_and_events_pass_through() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let good = snapshot_of(
        home.path(),
        "claude",
        &fixture("statuspage/claude-summary-active-incident.json"),
        "2026-11-22T03:00:00Z",
    );
    let event = r#"{"type":"event","v":1,"event":"incident.created","id":"x/incident/1/update/2","future_field":[1,2]}"#;
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"type\":\"snapshot\",\"v\":1,\"provider\":\n"); // 1 malformed
    input.extend_from_slice(b"{\"type\":\"gossip\",\"v\":1}\n"); // 2 unknown type
    input.extend_from_slice(b"{\"type\":\"snapshot\",\"v\":2}\n"); // 3 future version
    input.extend_from_slice(
        format!(
            "{{\"type\":\"event\",\"v\":1,\"pad\":\"{}\"}}\n",
            "x".repeat(5000)
        )
        .as_bytes(),
    ); // 4 too long
    input.extend_from_slice(b"\xff\xfe\n"); // 5 not UTF-8
    input.extend_from_slice(b"\n"); // 6 blank: ignored
    input.extend_from_slice(event.as_bytes()); // 7 an event: passes through
    input.push(b'\n');
    input.extend_from_slice(good.as_bytes()); // 8 good
    let output = statusq(home.path())
        .args(["diff", "--max-line", "4k", "--state"])
        .arg(&state)
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 5, "{stderr}");
    for (line, (number, words)) in lines.iter().zip([
        (1, "not JSON"),
        (2, "unknown record type"),
        (3, "version 2"),
        (4, "longer than 4096 bytes"),
        (5, "not UTF-8"),
    ]) {
        assert!(
            line.starts_with(&format!("statusq: stdin:{number}: ")) && line.contains(words),
            "{line}"
        );
    }
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(
        stdout.lines().next(),
        Some(event),
        "passed through byte for byte"
    );
    assert!(
        records(stdout.as_bytes()).len() > 1,
        "the good snapshot was processed"
    );
    assert!(state.exists());
}

#[test]
fn a_closed_stdout_keeps_the_events_in_doubt_for_the_next_run() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let line = snapshot_of(
        home.path(),
        "claude",
        &fixture("statuspage/claude-summary-active-incident.json"),
        "2026-11-22T03:00:00Z",
    );
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = Command::new(bin())
        .arg("diff")
        .arg("--state")
        .arg(&state)
        .stdin(Stdio::piped())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(line.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty());
    let written: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    let in_doubt: Vec<&str> = written["in_doubt"]
        .as_array()
        .expect("events that may not have been delivered are kept in doubt")
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert!(!in_doubt.is_empty());
    // Delivered properly the next time (the same snapshot again adds nothing), then settled.
    let again = diff(home.path(), &state, &line, &[]);
    let ids: Vec<&str> = again
        .events
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, in_doubt);
    assert!(diff(home.path(), &state, &line, &[]).events.is_empty());
}

#[test]
fn streaming_input_emits_at_once_and_commits_after_each_snapshot() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let base = json_fixture("statuspage/airbrake-summary.json");
    let with_status = |status: &str, minute: u32| {
        let mut doc = base.clone();
        doc["components"][0]["status"] = status.into();
        snapshot_of(
            home.path(),
            "airbrake",
            doc.to_string().as_bytes(),
            &format!("2026-11-22T03:{minute:02}:00Z"),
        )
    };
    let mut child = Command::new(bin())
        .arg("diff")
        .arg("--state")
        .arg(&state)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let state_says = |status: &str| -> bool {
        std::fs::read_to_string(&state)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .is_some_and(|v| {
                v["providers"]["airbrake"]["components"]["l9s6qy47zpz7"]["status"] == status
            })
    };
    let wait_for = |what: &dyn Fn() -> bool| {
        let deadline = Instant::now() + Duration::from_secs(10);
        while !what() && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
        what()
    };

    stdin
        .write_all(with_status("major_outage", 0).as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    let first: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(
        first["event"], "component.changed",
        "emitted while stdin is still open"
    );
    assert_eq!(first["to"], "major_outage");
    assert!(
        wait_for(&|| state_says("major_outage")),
        "committed after the first snapshot"
    );

    stdin
        .write_all(with_status("operational", 1).as_bytes())
        .unwrap();
    stdin.flush().unwrap();
    line.clear();
    stdout.read_line(&mut line).unwrap();
    let second: Value = serde_json::from_str(&line).unwrap();
    assert_eq!(second["event"], "component.changed");
    assert_eq!(second["to"], "operational");
    assert!(
        wait_for(&|| state_says("operational")),
        "committed after the second snapshot"
    );
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn exit_code_state_env_and_the_default_state_path() {
    let home = tempfile::tempdir().unwrap();
    let line = snapshot_of(
        home.path(),
        "claude",
        &fixture("statuspage/claude-summary-active-incident.json"),
        "2026-11-22T03:00:00Z",
    );
    // No --state: the XDG state dir.
    let output = statusq(home.path())
        .args(["diff", "--exit-code"])
        .write_stdin(line.clone())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "events were written");
    let default: PathBuf = home.path().join("state/statusq/state.json");
    assert!(default.exists());
    // STATUSQ_STATE overrides it.
    let other = home.path().join("elsewhere.json");
    let output = statusq(home.path())
        .env("STATUSQ_STATE", &other)
        .args(["diff", "--exit-code"])
        .write_stdin(line)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(other.exists());
}

#[test]
fn fail_after_one_reports_the_first_failure_and_replay_gives_history() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(|_, _| Reply::status(503, ""));
    let failed = failed_snapshot_of(home.path(), "x", &server, "2026-11-22T03:00:00Z");
    let run = diff(
        home.path(),
        &home.path().join("a.json"),
        &failed,
        &["--fail-after", "1"],
    );
    assert_eq!(kinds(&run.events), ["provider.failed"]);

    let line = snapshot_of(
        home.path(),
        "github",
        github_incident_after(18).to_string().as_bytes(),
        "2026-11-22T03:00:00Z",
    );
    let baseline = diff(home.path(), &home.path().join("b.json"), &line, &[]);
    assert!(
        baseline.events.is_empty(),
        "a resolved incident is history, not news"
    );
    let replay = diff(
        home.path(),
        &home.path().join("c.json"),
        &line,
        &["--replay"],
    );
    assert_eq!(replay.events.len(), 18);
}

#[test]
fn what_upstream_stopped_showing_is_forgotten_after_forget_after() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let with = snapshot_of(
        home.path(),
        "claude",
        &fixture("statuspage/claude-summary-active-incident.json"),
        "2026-11-01T00:00:00Z",
    );
    let mut doc = json_fixture("statuspage/claude-summary-active-incident.json");
    doc["incidents"] = json!([]);
    let without = |now: &str| snapshot_of(home.path(), "claude", doc.to_string().as_bytes(), now);
    diff(home.path(), &state, &with, &[]);
    let has_incident = || {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
        v["providers"]["claude"]["incidents"]
            .as_object()
            .unwrap()
            .contains_key("978mjkgw6mh7")
    };
    diff(
        home.path(),
        &state,
        &without("2026-11-20T00:00:00Z"),
        &["--forget-after", "30d"],
    );
    assert!(has_incident());
    diff(
        home.path(),
        &state,
        &without("2026-12-05T00:00:00Z"),
        &["--forget-after", "30d"],
    );
    assert!(!has_incident());
}

#[test]
fn a_snapshot_from_the_future_forgets_nobody() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    // This machine's clock reads 03:30 (the default of these tests).
    let run = |input: &str| {
        let output = statusq(home.path())
            .arg("diff")
            .arg("--state")
            .arg(&state)
            .write_stdin(input.to_string())
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0));
        (
            records(&output.stdout),
            String::from_utf8_lossy(&output.stderr).into_owned(),
        )
    };
    let github = |k: usize, now: &str| {
        snapshot_of(
            home.path(),
            "github",
            github_incident_after(k).to_string().as_bytes(),
            now,
        )
    };
    let (baseline, _) = run(&github(3, "2026-11-22T03:00:00Z"));
    assert_eq!(kinds(&baseline), ["incident.created"]);

    // A clock step, another host, a stray STATUSQ_NOW: a snapshot a year ahead.
    let stray = snapshot_of(
        home.path(),
        "stray",
        &fixture("statuspage/airbrake-summary.json"),
        "2027-11-22T03:00:00Z",
    );
    let (_, warning) = run(&stray);
    assert!(
        warning.starts_with("statusq: the snapshot of stray is dated 2027-11-22T03:00:00Z")
            && warning.contains("read as taken now"),
        "{warning}"
    );
    let saved: Value = serde_json::from_str(&std::fs::read_to_string(&state).unwrap()).unwrap();
    assert!(
        saved["providers"]["github"].is_object(),
        "github is remembered"
    );
    assert_eq!(
        saved["providers"]["stray"]["last_seen"],
        "2026-11-22T03:30:00Z"
    );

    // GitHub's next updates are updates, not a first sight that swallows them.
    let (next, _) = run(&github(5, "2026-11-22T03:10:00Z"));
    assert_eq!(kinds(&next), ["incident.updated", "incident.updated"]);
}

#[test]
fn sighup_delivers_and_commits_what_was_read_and_ends_diff() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let line = snapshot_of(
        home.path(),
        "claude",
        &fixture("statuspage/claude-summary-active-incident.json"),
        "2026-11-22T03:00:00Z",
    );
    // `fetch --watch | diff`: the input stays open.
    let mut child = Command::new(bin())
        .arg("diff")
        .arg("--state")
        .arg(&state)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(line.as_bytes()).unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    lines.read_line(&mut first).unwrap();
    assert!(first.contains("\"type\":\"event\""), "{first}");
    // SAFETY: signalling our own child process.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGHUP);
    }
    let deadline = Instant::now() + Duration::from_secs(2);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "diff did not stop on SIGHUP");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(status.code(), Some(0));
    drop(stdin);
    let written: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert!(written["providers"]["claude"].is_object());
    assert!(written.get("in_doubt").is_none(), "settled");
}

/// The real GitHub incident (8 updates) as upstream would show it after its first `k` updates,
/// had it been reopened: the statuses of its updates, oldest first, are rewritten to the
/// timeline of a real reopened OpenAI incident (identified → monitoring → resolved →
/// identified → monitoring → resolved), ids, times and texts kept.
fn reopened_incident_after(k: usize) -> Value {
    const TIMELINE: [&str; 8] = [
        "investigating",
        "identified",
        "monitoring",
        "resolved",
        "identified",
        "monitoring",
        "monitoring",
        "resolved",
    ];
    let mut doc = json_fixture("statuspage/github-incident-gqx5l06jjxhp.json");
    let mut updates = doc["incident"]["incident_updates"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(updates.len(), TIMELINE.len(), "the fixture has 8 updates");
    // Upstream lists updates newest first.
    for (update, status) in updates.iter_mut().rev().zip(TIMELINE) {
        update["status"] = status.into();
    }
    let shown: Vec<Value> = updates[updates.len() - k..].to_vec();
    let status = shown[0]["status"].clone();
    doc["incident"]["status"] = status.clone();
    doc["incident"]["resolved_at"] = if status == "resolved" {
        shown[0]["created_at"].clone()
    } else {
        Value::Null
    };
    doc["incident"]["updated_at"] = shown[0]["created_at"].clone();
    doc["incident"]["incident_updates"] = Value::Array(shown);
    doc
}

#[test]
fn a_reopened_incident_is_resolved_reopened_and_resolved_again_each_once() {
    let expected = [
        "incident.created",
        "incident.updated",
        "incident.updated",
        "incident.resolved",
        "incident.reopened",
        "incident.updated",
        "incident.updated",
        "incident.resolved",
    ];
    let home = tempfile::tempdir().unwrap();
    let lines: Vec<String> = (1..=8)
        .map(|k| {
            snapshot_of(
                home.path(),
                "github",
                reopened_incident_after(k).to_string().as_bytes(),
                &format!("2026-11-22T03:{k:02}:00Z"),
            )
        })
        .collect();

    // One process per snapshot, as cron runs it.
    let state = home.path().join("one-by-one.json");
    let mut one_by_one = Vec::new();
    for line in &lines {
        let run = diff(home.path(), &state, line, &[]);
        assert_eq!(run.code, 0, "{}", run.stderr);
        one_by_one.extend(run.events);
    }
    assert_eq!(kinds(&one_by_one), expected);

    // All of them through one process, then all again: nothing more.
    let state = home.path().join("together.json");
    let together = diff(home.path(), &state, &lines.concat(), &[]).events;
    assert_eq!(together, one_by_one, "the same events, ids and all");
    assert!(diff(home.path(), &state, &lines.concat(), &[])
        .events
        .is_empty());

    // The whole history at once (--replay on first sight) reads the same.
    let state = home.path().join("replay.json");
    let replayed = diff(home.path(), &state, &lines[7], &["--replay"]).events;
    assert_eq!(kinds(&replayed), expected);
}

#[test]
fn reminders_come_once_per_lead_across_restarts_and_never_after_the_start() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    // Claude's real page with its real maintenance, scheduled for 2026-11-22 12:00 (an hour
    // long); and a second one, completed, that must never be reminded of.
    let mut page = claude_page();
    page["incidents"] = serde_json::json!([]);
    let upcoming = claude_maintenance("scheduled", "2026-11-22T12:00:00Z", "2026-11-22T13:00:00Z");
    let mut done = claude_maintenance("completed", "2025-08-29T01:25:00Z", "2025-08-29T02:40:00Z");
    done["id"] = "done".into();
    let poll = |at: &str, status: &str| -> Vec<serde_json::Value> {
        let mut page = page.clone();
        let mut upcoming = upcoming.clone();
        upcoming["status"] = status.into();
        page["scheduled_maintenances"] = serde_json::json!([upcoming, done.clone()]);
        let snapshot = snapshot_of(
            home.path(),
            "claude",
            &serde_json::to_vec(&page).unwrap(),
            at,
        );
        // Each poll a process of its own, the state on disk between: a restart every time.
        let output = statusq(home.path())
            .env("STATUSQ_NOW", at)
            .args(["diff", "--remind", "24h,1h", "--state"])
            .arg(&state)
            .write_stdin(snapshot)
            .output()
            .unwrap();
        assert!(output.status.success(), "{output:?}");
        records(&output.stdout)
            .into_iter()
            .filter(|e| e["event"] == "maintenance.reminder")
            .collect()
    };
    assert!(
        poll("2026-11-21T11:00:00Z", "scheduled").is_empty(),
        "first sight: 25 h before"
    );
    let day = poll("2026-11-21T13:00:00Z", "scheduled");
    assert_eq!(day.len(), 1, "{day:?}");
    assert!(day[0]["id"].as_str().unwrap().ends_with("/reminder/86400s"));
    assert_eq!(day[0]["maintenance"]["id"], upcoming["id"]);
    assert!(
        poll("2026-11-21T14:00:00Z", "scheduled").is_empty(),
        "never twice"
    );
    let hour = poll("2026-11-22T11:10:00Z", "scheduled");
    assert_eq!(hour.len(), 1, "{hour:?}");
    assert!(hour[0]["id"].as_str().unwrap().ends_with("/reminder/3600s"));
    // In words: "maintenance in 50m: …".
    let text = statusq(home.path())
        .args(["render", "--width", "100"])
        .write_stdin(format!("{}\n", hour[0]))
        .output()
        .unwrap()
        .stdout;
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("Claude: maintenance in 50m: 2026-11-22 12:00 → 13:00 UTC"),
        "{text}"
    );
    assert!(
        poll("2026-11-22T11:30:00Z", "scheduled").is_empty(),
        "never twice"
    );
    assert!(
        poll("2026-11-22T12:10:00Z", "in_progress").is_empty(),
        "never once started"
    );
}

#[test]
fn watch_takes_its_reminder_leads_from_the_config_file() {
    let home = tempfile::tempdir().unwrap();
    let mut page = claude_page();
    page["scheduled_maintenances"] = serde_json::json!([claude_maintenance(
        "scheduled",
        "2026-11-22T12:00:00Z",
        "2026-11-22T13:00:00Z"
    )]);
    let file = home.path().join("claude.json");
    std::fs::write(&file, serde_json::to_vec(&page).unwrap()).unwrap();
    let config = home.path().join("remind.toml");
    std::fs::write(&config, "remind = [\"2h\"]\n").unwrap();
    let state = home.path().join("state.json");
    let watch = |at: &str| {
        let output = statusq(home.path())
            .env("STATUSQ_NOW", at)
            .arg("--config")
            .arg(&config)
            .args(["watch", "--once", "-f", "json", "--state"])
            .arg(&state)
            .arg(format!("claude={}", file.display()))
            .output()
            .unwrap();
        records(&output.stdout)
            .into_iter()
            .filter(|e| e["event"] == "maintenance.reminder")
            .count()
    };
    assert_eq!(watch("2026-11-22T08:00:00Z"), 0, "first sight");
    assert_eq!(watch("2026-11-22T09:00:00Z"), 0, "3 h before: no lead yet");
    assert_eq!(watch("2026-11-22T10:30:00Z"), 1, "within the config's 2 h");
    assert_eq!(watch("2026-11-22T11:00:00Z"), 0, "once");
    // A lead that is not a duration is a config error naming the file.
    std::fs::write(&config, "remind = [\"soon\"]\n").unwrap();
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["watch", "--once", "--state"])
        .arg(&state)
        .arg(format!("claude={}", file.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("remind: \"soon\" is not a duration"));
}
