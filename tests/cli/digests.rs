//! What people read, as insta snapshots a reviewer reads in the diff: the text digest, Markdown
//! and the mail of real timelines — OpenAI's incident.io page with two incidents and 22 degraded
//! components, GitHub's 18-update incident replayed one poll at a time, and a DigitalOcean
//! maintenance. Times from the clock (the fetch time, the mail's Date, its random nonce) are
//! redacted; upstream's own times stay, since their order is what is being reviewed.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

fn fixture_path(relative: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
        .display()
        .to_string()
}

/// `statusq ARGS` with `input` on stdin: its stdout, which must be a success.
fn pipe(home: &Path, args: &[&str], input: &str) -> String {
    let output = statusq(home)
        .args(args)
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The three renderings a person reads, each checked against its snapshot.
fn assert_readings(name: &str, home: &Path, events: &str) {
    let text = pipe(home, &["render", "--width", "80"], events);
    let markdown = pipe(home, &["render", "-f", "markdown"], events);
    let mail = pipe(
        home,
        &[
            "render",
            "-f",
            "email",
            "--to",
            "oncall@example.com",
            "--from",
            "statusq <statusq@example.com>",
        ],
        events,
    );
    insta::with_settings!({
        filters => vec![
            (r"2026-11-22 03:3\d UTC", "[fetched]"),
            (r"Date: .*", "Date: [date]"),
            (r"statusq\.[0-9a-f]{32}@", "statusq.[nonce]@"),
        ],
        omit_expression => true,
    }, {
        insta::assert_snapshot!(format!("{name}.txt"), text);
        insta::assert_snapshot!(format!("{name}.md"), markdown);
        insta::assert_snapshot!(format!("{name}.eml"), mail);
    });
}

#[test]
fn openai_page_with_two_incidents_and_22_degraded_components() {
    let home = tempfile::tempdir().unwrap();
    let fetched = pipe(
        home.path(),
        &[
            "fetch",
            &format!(
                "openai={}",
                fixture_path("incidentio/openai-api-v2-summary.json")
            ),
        ],
        "",
    );
    let state = home.path().join("state.json");
    let events = pipe(
        home.path(),
        &["diff", "--state", state.to_str().unwrap()],
        &fetched,
    );
    let parsed = records(events.as_bytes());
    let degraded = parsed
        .iter()
        .filter(|e| e["event"] == "component.changed" && e["to"] == "degraded_performance")
        .count();
    assert_eq!(degraded, 22, "the page's 22 degraded components");
    let text = pipe(home.path(), &["render", "--width", "80"], &events);
    assert_eq!(
        text.matches("22 components now degraded performance")
            .count(),
        1,
        "{text}"
    );
    assert_readings("openai-first-sight", home.path(), &events);
}

#[test]
fn github_incident_with_18_updates_replayed_one_poll_at_a_time() {
    let home = tempfile::tempdir().unwrap();
    let whole: Value =
        serde_json::from_slice(&fixture("statuspage/github-incident-smdz34v7j8q0.json")).unwrap();
    let updates = whole["incident"]["incident_updates"].as_array().unwrap();
    assert_eq!(updates.len(), 18);
    // Poll k sees the oldest k updates (Statuspage lists them newest first), with the incident
    // in the status of the newest, resolved only at the end; fetched 30 s after it.
    let mut snapshots = String::new();
    for k in 1..=updates.len() {
        let seen: Vec<Value> = updates[updates.len() - k..].to_vec();
        let newest = &seen[0];
        let mut document = whole.clone();
        let incident = &mut document["incident"];
        incident["incident_updates"] = Value::Array(seen.clone());
        incident["status"] = newest["status"].clone();
        incident["updated_at"] = newest["created_at"].clone();
        if k < updates.len() {
            incident["resolved_at"] = Value::Null;
        }
        let path = home.path().join(format!("poll-{k:02}.json"));
        std::fs::write(&path, document.to_string()).unwrap();
        let at = time::OffsetDateTime::parse(
            newest["created_at"].as_str().unwrap(),
            &time::format_description::well_known::Rfc3339,
        )
        .unwrap()
            + time::Duration::seconds(30);
        let output = statusq(home.path())
            .env(
                "STATUSQ_NOW",
                at.format(&time::format_description::well_known::Rfc3339)
                    .unwrap(),
            )
            .args(["fetch", &format!("github={}", path.display())])
            .output()
            .unwrap();
        assert!(output.status.success());
        snapshots.push_str(&String::from_utf8(output.stdout).unwrap());
    }
    let state = home.path().join("state.json");
    let events = pipe(
        home.path(),
        &["diff", "--state", state.to_str().unwrap()],
        &snapshots,
    );
    let parsed = records(events.as_bytes());
    let kinds: Vec<&str> = parsed
        .iter()
        .map(|e| e["event"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.len(), 18, "one event per update: {kinds:?}");
    assert_eq!(kinds[0], "incident.created");
    assert_eq!(kinds[17], "incident.resolved");
    assert!(kinds[1..17].iter().all(|k| *k == "incident.updated"));
    assert_readings("github-18-updates", home.path(), &events);
}

#[test]
fn digitalocean_maintenance_from_its_history_feed() {
    let home = tempfile::tempdir().unwrap();
    let fetched = pipe(
        home.path(),
        &[
            "fetch",
            &format!(
                "digitalocean={}",
                fixture_path("rss/digitalocean-2020-01.rss")
            ),
        ],
        "",
    );
    let state = home.path().join("state.json");
    let all = pipe(
        home.path(),
        &["diff", "--replay", "--state", state.to_str().unwrap()],
        &fetched,
    );
    // The feed's first item: "AMS3 Region Network Maintenance", in progress.
    let events: String = all
        .lines()
        .filter(|line| {
            serde_json::from_str::<Value>(line).unwrap()["maintenance"]["id"] == "x0xytvsvky35"
        })
        .map(|line| format!("{line}\n"))
        .collect();
    let parsed = records(events.as_bytes());
    assert!(
        parsed.len() >= 2,
        "a scheduled and an in-progress step: {events}"
    );
    assert!(parsed
        .iter()
        .all(|e| e["event"].as_str().unwrap().starts_with("maintenance.")));
    assert_readings("digitalocean-maintenance", home.path(), &events);
}
