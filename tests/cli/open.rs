//! One meaning of "open": `diff`, the poller's fast interval, `render` (prometheus, html, text),
//! `check` and `report` agree on whether an incident is open — above all for a feed entry whose status
//! upstream never states, which once counted as an active incident in the metrics, the board and
//! `check` while `diff` and the poller treated it as history.

use crate::common::*;
use serde_json::Value;
use std::path::Path;

/// The vendor feed (built from documented RSS, see tests/fixtures/SOURCES.md): one entry says
/// `[RESOLVED]`, the other, "Degraded performance of object storage in eu-west-2", says no
/// status at all.
const FEED: &str = "from-docs/generic-feed-from-docs.rss";
const TITLE: &str = "Degraded performance of object storage in eu-west-2";

/// The feed's snapshot, with a calm banner and both incidents given a major impact, so `check
/// --fail-on-incident` judges the incidents alone (a feed states neither). With `stated`, the silent entry's title states
/// that it is being investigated.
fn snapshot(home: &Path, stated: bool) -> Value {
    let mut feed = String::from_utf8(fixture(FEED)).unwrap();
    if stated {
        feed = feed.replace(
            &format!("<title>{TITLE}"),
            &format!("<title>[Investigating] {TITLE}"),
        );
    }
    let path = home.join("feed.rss");
    std::fs::write(&path, feed).unwrap();
    let output = statusq(home)
        .arg("fetch")
        .arg(format!("vendor={}", path.display()))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let mut snapshot = records(&output.stdout).remove(0);
    let silent = snapshot["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .position(|i| i["name"].as_str().unwrap().contains(TITLE))
        .unwrap();
    assert_eq!(
        snapshot["incidents"][silent]["raw_status"].as_str() == Some("unknown"),
        !stated
    );
    snapshot["status"] = serde_json::json!({"indicator": "none", "description": "Operational"});
    for incident in snapshot["incidents"].as_array_mut().unwrap() {
        incident["impact"] = "major".into();
    }
    snapshot
}

/// Whether each part of statusq takes the silent entry for open (`diff` starting from the
/// empty state at `state`).
fn verdicts(home: &Path, state: &Path, snapshot: &Value) -> Vec<(&'static str, bool)> {
    let line = snapshot.to_string() + "\n";
    let run = |args: &[&str]| {
        statusq(home)
            .args(args)
            .write_stdin(line.clone())
            .output()
            .unwrap()
    };
    let diff = run(&["diff", "--state", state.to_str().unwrap()]);
    assert_eq!(diff.status.code(), Some(0));
    let created = records(&diff.stdout)
        .iter()
        .any(|e| e["event"] == "incident.created");

    let metrics = String::from_utf8(run(&["render", "-f", "prometheus"]).stdout).unwrap();
    let active = metrics
        .lines()
        .find(|l| l.starts_with("statusq_active_incidents{"))
        .and_then(|l| l.rsplit(' ').next())
        .and_then(|n| n.parse::<f64>().ok())
        .expect(&metrics);

    let html = String::from_utf8(run(&["render", "-f", "html"]).stdout).unwrap();
    let text = String::from_utf8(run(&["render", "--color", "never"]).stdout).unwrap();
    let check = run(&["check", "--fail-on-incident", "minor"]);
    assert!(matches!(check.status.code(), Some(0 | 1)), "{check:?}");

    let report = run(&["report", "-f", "json", "--from", "2000-01-01"]);
    assert_eq!(report.status.code(), Some(0), "{report:?}");
    let report = records(&report.stdout).remove(0);
    // The feed's other entry says [RESOLVED]: only the silent one can be open.
    let reported_open = report["incidents"]["open"].as_u64().expect("a count") > 0;

    let parsed: statusq::model::Snapshot = serde_json::from_value(snapshot.clone()).unwrap();
    vec![
        ("diff (baseline incident.created)", created),
        ("poller fast interval", statusq::is_busy(&parsed)),
        ("render -f prometheus", active > 0.0),
        ("render -f html", html.contains(TITLE)),
        // Wrapped to the line: read as words.
        (
            "render (text)",
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .contains(TITLE),
        ),
        ("check --fail-on-incident", check.status.code() == Some(1)),
        ("report -f json (incidents.open)", reported_open),
    ]
}

#[test]
fn every_part_agrees_an_entry_of_unstated_status_is_not_open() {
    let home = tempfile::tempdir().unwrap();
    for (stated, expected) in [(false, false), (true, true)] {
        let state = home.path().join(format!("state-{stated}.json"));
        let verdicts = verdicts(home.path(), &state, &snapshot(home.path(), stated));
        for (part, open) in &verdicts {
            assert_eq!(
                *open, expected,
                "status stated: {stated}: {part} says open = {open}; all: {verdicts:?}"
            );
        }
    }
}
