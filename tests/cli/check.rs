//! `statusq check`: exit codes for each level, glob, maintenance and unknown case.

use crate::common::*;
use serde_json::{json, Value};

/// A snapshot line of a page with these components (name, group, status) and indicator.
fn page(provider: &str, indicator: &str, components: &[(&str, Option<&str>, &str)]) -> Value {
    let components: Vec<Value> = components
        .iter()
        .enumerate()
        .map(|(i, (name, group, status))| {
            json!({"id": format!("c{i}"), "name": name, "group": group, "status": status, "updated_at": null})
        })
        .collect();
    json!({"type":"snapshot","v":1,"provider":provider,"name":provider,"url":"https://status.example.com",
        "format":"statuspage","fetched_at":"2026-11-22T03:30:00Z","elapsed_ms":1,"ok":true,"error":null,
        "status":{"indicator":indicator,"description":"words"},"components":components,
        "incidents":[],"maintenances":[]})
}

fn github(actions: &str) -> Value {
    page(
        "github",
        "minor",
        &[
            ("Actions", None, actions),
            ("Git Operations", None, "operational"),
            ("Copilot", None, "major_outage"),
            ("Web Messenger", Some("Messenger"), "operational"),
        ],
    )
}

fn check(input: &[Value], args: &[&str]) -> (i32, String, String) {
    let home = tempfile::tempdir().unwrap();
    let text: String = input.iter().map(|v| format!("{v}\n")).collect();
    let output = statusq(home.path())
        .arg("check")
        .args(args)
        .write_stdin(text)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn each_level_fails_at_or_past_it() {
    let watch = ["--component", "Actions", "--component", "Git Operations"];
    for (status, level, expected) in [
        ("operational", "degraded_performance", 0),
        ("degraded_performance", "degraded_performance", 1),
        ("degraded_performance", "partial_outage", 0),
        ("partial_outage", "partial_outage", 1),
        ("partial_outage", "major_outage", 0),
        ("major_outage", "major_outage", 1),
        ("major_outage", "degraded_performance", 1),
    ] {
        let mut args = watch.to_vec();
        args.extend(["--fail-on", level]);
        let (code, out, _) = check(&[github(status)], &args);
        assert_eq!(
            code, expected,
            "Actions {status} with --fail-on {level}: {out}"
        );
        let verdict = if expected == 1 { "FAIL" } else { "ok" };
        assert!(out.starts_with(&format!("github  {verdict}")), "{out}");
        assert!(out.contains(&format!("Actions {status}")), "{out}");
    }
    // The default level is partial_outage; Copilot's outage is not watched.
    assert_eq!(check(&[github("degraded_performance")], &watch).0, 0);
    assert_eq!(check(&[github("partial_outage")], &watch).0, 1);
}

#[test]
fn globs_match_names_and_groups_case_insensitively() {
    let (code, out, _) = check(&[github("operational")], &["--component", "copi*"]);
    assert_eq!(code, 1, "{out}");
    let (code, out, _) = check(&[github("operational")], &["-c", "messenger/*"]);
    assert_eq!(code, 0);
    assert!(out.contains("Messenger/Web Messenger operational"), "{out}");
    // Two pages, one of them fine: no `ok` line is printed above the failure.
    let (code, out, stderr) = check(
        &[github("operational"), page("other", "none", &[])],
        &["-c", "Actions", "-c", "Actons"],
    );
    assert_eq!(
        code, 2,
        "a glob that matches nothing must not pass silently"
    );
    assert_eq!(out, "", "no verdict before a misconfigured gate fails");
    assert!(
        stderr.contains("\"Actons\" matches no component"),
        "{stderr}"
    );
}

#[test]
fn without_components_the_page_indicator_is_judged() {
    for (indicator, level, expected) in [
        ("none", "degraded_performance", 0),
        ("minor", "degraded_performance", 1),
        ("minor", "partial_outage", 0),
        ("major", "partial_outage", 1),
        ("critical", "major_outage", 1),
        ("major", "major_outage", 0),
    ] {
        let (code, out, _) = check(&[page("p", indicator, &[])], &["--fail-on", level]);
        assert_eq!(code, expected, "{indicator} at {level}: {out}");
    }
}

#[test]
fn maintenance_counts_only_when_asked() {
    let snapshot = page("p", "maintenance", &[("DB", None, "under_maintenance")]);
    assert_eq!(check(std::slice::from_ref(&snapshot), &["-c", "DB"]).0, 0);
    assert_eq!(
        check(
            std::slice::from_ref(&snapshot),
            &["-c", "DB", "--include-maintenance"]
        )
        .0,
        1
    );
    assert_eq!(check(std::slice::from_ref(&snapshot), &[]).0, 0);
    assert_eq!(check(&[snapshot], &["--include-maintenance"]).0, 1);
}

#[test]
fn unreachable_pages_are_3_unless_a_policy_is_chosen() {
    let failed = json!({"type":"snapshot","v":1,"provider":"down","name":"Down","url":"https://x.example",
        "format":"statuspage","fetched_at":"2026-11-22T03:30:00Z","elapsed_ms":1,"ok":false,
        "error":{"kind":"timeout","message":"GET https://x.example/api/v2/summary.json: too slow","http_status":null},
        "status":null,"components":null,"incidents":null,"maintenances":null});
    let input = [github("operational"), failed];
    let (code, out, _) = check(&input, &["-c", "Actions"]);
    assert_eq!(code, 3);
    let down = out.lines().find(|l| l.starts_with("down ")).unwrap();
    assert!(
        down.contains(" UNKNOWN timeout: GET https://x.example"),
        "{out}"
    );
    assert_eq!(check(&input, &["-c", "Actions", "--unknown", "pass"]).0, 0);
    assert_eq!(check(&input, &["-c", "Actions", "--unknown", "fail"]).0, 1);
    // A breach wins over an unknown.
    assert_eq!(
        check(
            &[github("major_outage"), input[1].clone()],
            &["-c", "Actions"]
        )
        .0,
        1
    );
}

#[test]
fn unresolved_incidents_fail_at_their_impact_when_asked() {
    let mut snapshot = page("p", "minor", &[("API", None, "operational")]);
    snapshot["incidents"] = json!([{"id":"i1","name":"Slow API","status":"investigating","impact":"major",
        "url":null,"created_at":null,"updated_at":null,"resolved_at":null,"components":["c0"],"updates":[]}]);
    assert_eq!(check(std::slice::from_ref(&snapshot), &["-c", "API"]).0, 0);
    let (code, out, _) = check(
        &[snapshot.clone()],
        &["-c", "API", "--fail-on-incident", "major"],
    );
    assert_eq!(code, 1);
    assert!(
        out.contains("incident \"Slow API\" (major, investigating)"),
        "{out}"
    );
    assert_eq!(
        check(
            std::slice::from_ref(&snapshot),
            &["--fail-on-incident", "critical"]
        )
        .0,
        0
    );
    snapshot["incidents"][0]["status"] = "resolved".into();
    assert_eq!(
        check(&[snapshot], &["--fail-on-incident", "minor"]).0,
        0,
        "resolved is over"
    );
}

#[test]
fn no_snapshots_is_a_usage_error_and_the_last_snapshot_of_a_provider_counts() {
    let (code, _, stderr) = check(&[], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no snapshots"));
    let (code, out, _) = check(
        &[github("major_outage"), github("operational")],
        &["-c", "Actions"],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.lines().count(), 1);
}

#[test]
fn it_gates_on_real_fetched_pages() {
    let home = tempfile::tempdir().unwrap();
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let fetched = statusq(home.path())
        .arg("fetch")
        .arg(fixtures.join("statuspage/claude-summary-active-incident.json"))
        .output()
        .unwrap();
    let run = |args: &[&str]| {
        statusq(home.path())
            .arg("check")
            .args(args)
            .write_stdin(fetched.stdout.clone())
            .output()
            .unwrap()
            .status
            .code()
    };
    assert_eq!(run(&["-c", "Claude Console*"]), Some(0));
    assert_eq!(
        run(&["-c", "Claude Console*", "--fail-on", "degraded_performance"]),
        Some(1)
    );
    assert_eq!(
        run(&["-c", "claude.ai", "--fail-on-incident", "major"]),
        Some(0),
        "the incident is on another component"
    );
    assert_eq!(run(&["--fail-on-incident", "major"]), Some(1));
}

#[test]
fn a_page_read_through_its_feed_is_judged_by_its_open_incidents() {
    // As `fetch` writes a feed page: no page status, no components, incidents.
    let feed = |incidents: Value| {
        json!({"type":"snapshot","v":1,"provider":"gh","name":"GitHub","url":"https://www.githubstatus.com",
            "format":"statuspage-feed","fetched_at":"2026-11-22T03:30:00Z","elapsed_ms":1,"ok":true,
            "error":null,"status":null,"components":null,"incidents":incidents,"maintenances":[]})
    };
    let incident = |status: &str, impact: Value| {
        json!({"id":"abc","name":"Incident with Actions","status":status,"impact":impact,
            "url":null,"created_at":"2026-11-22T03:00:00Z","updated_at":null,"resolved_at":null,
            "components":null,"updates":[]})
    };
    // Nothing open: fine, and it says so.
    let (code, out, _) = check(&[feed(json!([incident("resolved", Value::Null)]))], &[]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("no open incident in its feed"), "{out}");
    // An open incident of unstated impact counts as degraded performance.
    let open = feed(json!([incident("investigating", Value::Null)]));
    let (code, out, _) = check(
        std::slice::from_ref(&open),
        &["--fail-on", "degraded_performance"],
    );
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("open incident: Incident with Actions"),
        "{out}"
    );
    let (code, _, _) = check(
        std::slice::from_ref(&open),
        &["--fail-on", "partial_outage"],
    );
    assert_eq!(code, 0, "degraded performance is under partial outage");
    // Where the feed states an impact, it counts: major is a partial outage.
    let major = feed(json!([incident("identified", json!("major"))]));
    let (code, _, _) = check(&[major], &["--fail-on", "partial_outage"]);
    assert_eq!(code, 1);
}

/// `check` over a window of GitHub's real incident of 2023-09-05 (Actions in partial outage
/// from 16:30:39 until the update of 17:00:27 that gives it back as operational), judged at
/// `now`.
fn check_window(home: &std::path::Path, now: &str, args: &[&str]) -> (Option<i32>, String) {
    let snapshot = statusq(home)
        .arg("fetch")
        .arg(format!(
            "github={}",
            fixture_file("statuspage/github-incident-smdz34v7j8q0.json").display()
        ))
        .output()
        .unwrap()
        .stdout;
    let output = statusq(home)
        .env("STATUSQ_NOW", now)
        .arg("check")
        .args(args)
        .write_stdin(snapshot)
        .output()
        .unwrap();
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stdout).into_owned()
            + &String::from_utf8_lossy(&output.stderr),
    )
}

#[test]
fn check_since_judges_a_window_of_the_pages_own_history() {
    let home = tempfile::tempdir().unwrap();
    let window = |from: &str, to: &str| {
        check_window(
            home.path(),
            NOW,
            &["--component", "Actions", "--from", from, "--to", to],
        )
    };
    // Before it: fine.
    let (code, text) = window("2023-09-05T16:00:00Z", "2023-09-05T16:30:00Z");
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("ok      nothing at or past partial outage in the window"),
        "{text}"
    );
    // Inside it: the part of the outage the window holds, and the incident.
    let (code, text) = window("2023-09-05T16:40:00Z", "2023-09-05T16:50:00Z");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("FAIL    Actions partial outage 2023-09-05 16:40 → 16:50 UTC (Incident with Actions, Pages"),
        "{text}"
    );
    // Across it: the whole outage.
    let (code, text) = window("2023-09-05T16:00:00Z", "2023-09-05T20:00:00Z");
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("Actions partial outage 2023-09-05 16:30 → 17:00 UTC"),
        "{text}"
    );
    // After it: fine.
    let (code, _) = window("2023-09-05T17:01:00Z", "2023-09-06T00:00:00Z");
    assert_eq!(code, Some(0));
    // --since counts back from now (a failed job's 45 minutes).
    let (code, text) = check_window(
        home.path(),
        "2023-09-05T17:15:00Z",
        &["--since", "45m", "--component", "Actions"],
    );
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("16:30 → 17:00 UTC"), "{text}");
    // Only a major outage fails under --fail-on major_outage: this one was partial.
    let (code, _) = check_window(
        home.path(),
        NOW,
        &[
            "--from",
            "2023-09-05T16:00:00Z",
            "--to",
            "2023-09-05T20:00:00Z",
            "--component",
            "Actions",
            "--fail-on",
            "major_outage",
        ],
    );
    assert_eq!(code, Some(0));
    // --to alone means nothing.
    let (code, text) = check_window(home.path(), NOW, &["--to", "2023-09-05T20:00:00Z"]);
    assert_eq!(code, Some(2), "{text}");
}

#[test]
fn check_maintenance_within_freezes_a_deploy_before_a_maintenance_starts() {
    let home = tempfile::tempdir().unwrap();
    // Claude's real page and its real maintenance on claude.ai, scheduled to start an hour
    // after now (STATUSQ_NOW: 2026-11-22 03:30) and to run an hour.
    let page = claude_page_quiet();
    let maintenance =
        claude_maintenance("scheduled", "2026-11-22T04:30:00Z", "2026-11-22T05:30:00Z");
    let check = |page: &serde_json::Value, args: &[&str]| {
        let snapshot = snapshot_of(
            home.path(),
            "claude",
            &serde_json::to_vec(page).unwrap(),
            NOW,
        );
        let output = statusq(home.path())
            .arg("check")
            .args(args)
            .write_stdin(snapshot)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let mut scheduled = page.clone();
    scheduled["scheduled_maintenances"] = serde_json::json!([maintenance.clone()]);
    // Starts in 1 h: inside a 2 h freeze, outside a 30 min one.
    let (code, text) = check(&scheduled, &["--maintenance-within", "2h"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("FAIL    maintenance Upgrades to Connector Auth Storage starts in 1h, 2026-11-22 04:30 → 05:30 UTC"),
        "{text}"
    );
    let (code, text) = check(&scheduled, &["--maintenance-within", "30m"]);
    assert_eq!(code, Some(0), "{text}");
    // Only when it touches a watched component: claude.ai yes, Claude Code no.
    let (code, _) = check(
        &scheduled,
        &["--maintenance-within", "2h", "-c", "claude.ai"],
    );
    assert_eq!(code, Some(1));
    let (code, _) = check(
        &scheduled,
        &["--maintenance-within", "2h", "-c", "Claude Code"],
    );
    assert_eq!(code, Some(0));
    // In progress: whatever the lead; completed: never.
    let mut running = scheduled.clone();
    running["scheduled_maintenances"][0]["status"] = "in_progress".into();
    let (code, text) = check(&running, &["--maintenance-within", "1m"]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("in progress"), "{text}");
    let mut done = scheduled;
    done["scheduled_maintenances"][0]["status"] = "completed".into();
    assert_eq!(check(&done, &["--maintenance-within", "1d"]).0, Some(0));
}

/// Claude's real page with its open incident (a component degraded), and the same page after.
fn claude_before_and_after(home: &std::path::Path) -> (String, String) {
    (
        snapshot_of(
            home,
            "claude",
            &serde_json::to_vec(&claude_page()).unwrap(),
            NOW,
        ),
        snapshot_of(
            home,
            "claude",
            &serde_json::to_vec(&claude_page_quiet()).unwrap(),
            NOW,
        ),
    )
}

#[test]
fn check_wait_exits_as_soon_as_the_stream_turns_healthy_and_fails_when_time_runs_out() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let home = tempfile::tempdir().unwrap();
    let (broken, healthy) = claude_before_and_after(home.path());
    let start = |wait: &str| {
        crate::watch::Guard(
            Command::new(bin())
                .env("HOME", home.path())
                .args(["check", "--fail-on", "degraded_performance", "--wait", wait])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        )
    };
    // Broken, then healthy: exit 0 with the input still open (no EOF).
    let mut child = start("5m");
    let mut stdin = child.0.stdin.take().unwrap();
    stdin.write_all(broken.as_bytes()).unwrap();
    stdin.flush().unwrap();
    stdin.write_all(healthy.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let status = crate::watch::exits_within(&mut child.0, std::time::Duration::from_secs(30));
    assert_eq!(status.code(), Some(0));
    drop(stdin);
    // Broken and staying so: exit 1 once the 1 s are up, saying what is broken.
    let mut child = start("1s");
    let mut stdin = child.0.stdin.take().unwrap();
    stdin.write_all(broken.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let status = crate::watch::exits_within(&mut child.0, std::time::Duration::from_secs(30));
    assert_eq!(status.code(), Some(1));
    let mut text = String::new();
    std::io::Read::read_to_string(&mut child.0.stdout.take().unwrap(), &mut text).unwrap();
    assert!(text.starts_with("claude  FAIL"), "{text}");
    drop(stdin);
    // The input ends first: exit 3.
    let output = statusq(home.path())
        .args(["check", "--fail-on", "degraded_performance", "--wait", "5m"])
        .write_stdin(broken)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("the input ended"));
}

#[test]
fn check_wait_judges_as_check_does_maintenance_freezes_and_unknown_pages_too() {
    let home = tempfile::tempdir().unwrap();
    let check = |snapshot: String, args: &[&str]| {
        let output = statusq(home.path())
            .args(["check", "--wait", "5m"])
            .args(args)
            .write_stdin(snapshot)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    // A maintenance in progress on a quiet page: a freeze under --wait as without it, so the
    // input ends before the page is healthy (3), saying why.
    let mut page = claude_page_quiet();
    page["scheduled_maintenances"] = serde_json::json!([claude_maintenance(
        "in_progress",
        "2026-11-22T03:00:00Z",
        "2026-11-22T04:00:00Z"
    )]);
    let running = snapshot_of(
        home.path(),
        "claude",
        &serde_json::to_vec(&page).unwrap(),
        NOW,
    );
    let (code, text) = check(running.clone(), &["--maintenance-within", "1h"]);
    assert_eq!(code, Some(3), "{text}");
    assert!(
        text.contains("claude  FAIL    maintenance Upgrades to Connector Auth Storage in progress"),
        "{text}"
    );
    assert_eq!(check(running, &[]).0, Some(0));
    // A page that answered HTML: unknown, so never healthy, unless --unknown pass says so.
    let unread = snapshot_of(home.path(), "claude", b"<html>maintenance</html>", NOW);
    assert!(unread.contains("\"ok\":false"), "{unread}");
    assert_eq!(check(unread.clone(), &[]).0, Some(3));
    let (code, text) = check(unread.clone(), &["--unknown", "pass"]);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("claude  ok      unknown, passed: "), "{text}");
    assert_eq!(check(unread, &["--unknown", "fail"]).0, Some(3));
}
