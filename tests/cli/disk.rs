//! Crashes at every step of the state commit, and disk faults: nothing lost, the previous state
//! always readable, clear errors.

use crate::common::*;
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

/// A snapshot of the GitHub incident after its first `k` updates, as `fetch` writes it at
/// minute `k` (each later view is a later snapshot).
fn snapshot_after(home: &Path, k: usize) -> String {
    let mut doc: Value =
        serde_json::from_slice(&fixture("statuspage/github-incident-smdz34v7j8q0.json")).unwrap();
    let updates = doc["incident"]["incident_updates"]
        .as_array()
        .unwrap()
        .clone();
    let shown: Vec<Value> = updates[updates.len() - k..].to_vec();
    doc["incident"]["status"] = shown[0]["status"].clone();
    doc["incident"]["resolved_at"] = Value::Null;
    doc["incident"]["incident_updates"] = Value::Array(shown);
    let output = statusq(home)
        .env("STATUSQ_NOW", format!("2026-11-22T03:{k:02}:00Z"))
        .args(["fetch", "github=-"])
        .write_stdin(doc.to_string())
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

fn event_ids(stdout: &[u8]) -> Vec<String> {
    records(stdout)
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

/// A diff of `input` against `state`, killed at `fault` (`STEP@N`) when given.
fn diff_with(home: &Path, state: &Path, input: &str, fault: Option<&str>) -> std::process::Output {
    let mut command = statusq(home);
    if let Some(fault) = fault {
        command.env("STATUSQ_FAULT_STATE_WRITE", fault);
    }
    command
        .arg("diff")
        .arg("--state")
        .arg(state)
        .write_stdin(input.to_string())
        .output()
        .unwrap()
}

#[test]
fn a_crash_at_any_step_of_either_commit_loses_nothing_and_repeats_only_same_ids() {
    // What an uninterrupted run delivers: the reference.
    let clean = tempfile::tempdir().unwrap();
    let clean_state = clean.path().join("state.json");
    diff_with(
        clean.path(),
        &clean_state,
        &snapshot_after(clean.path(), 2),
        None,
    );
    let second = snapshot_after(clean.path(), 4);
    let reference = event_ids(&diff_with(clean.path(), &clean_state, &second, None).stdout);
    assert_eq!(reference.len(), 2);

    // Commit 1 records the events in doubt before they are written; commit 2 settles them.
    for commit in [1, 2] {
        for step in ["temp", "rename", "after"] {
            let case = format!("{step}@{commit}");
            let home = tempfile::tempdir().unwrap();
            let state = home.path().join("state.json");
            assert!(
                diff_with(home.path(), &state, &snapshot_after(home.path(), 2), None)
                    .status
                    .success()
            );
            let before = std::fs::read(&state).unwrap();

            let crashed = diff_with(home.path(), &state, &second, Some(&case));
            assert!(
                !crashed.status.success(),
                "{case}: the fault kills the process"
            );
            let first_try = event_ids(&crashed.stdout);
            if commit == 1 {
                assert!(
                    first_try.is_empty(),
                    "{case}: nothing is written before commit 1"
                );
            } else {
                assert_eq!(first_try, reference, "{case}: written after commit 1");
            }
            let now = std::fs::read(&state).unwrap();
            let value: Value = serde_json::from_slice(&now)
                .unwrap_or_else(|e| panic!("{case}: unreadable state: {e}"));
            if commit == 1 && step != "after" {
                assert_eq!(now, before, "{case}: the previous state is untouched");
            } else if commit == 2 && step == "after" {
                assert!(value.get("in_doubt").is_none(), "{case}: settled");
            } else {
                assert_eq!(
                    value["in_doubt"].as_array().map(Vec::len),
                    Some(2),
                    "{case}"
                );
            }

            let again = diff_with(home.path(), &state, &second, None);
            assert!(
                again.status.success(),
                "{case}: {}",
                String::from_utf8_lossy(&again.stderr)
            );
            let second_try = event_ids(&again.stdout);
            if commit == 2 && step == "after" {
                assert!(
                    second_try.is_empty(),
                    "{case}: settled, nothing is repeated"
                );
            } else {
                assert_eq!(second_try, reference, "{case}: delivered (again), same ids");
            }
            let third = diff_with(home.path(), &state, &second, None);
            assert!(third.stdout.is_empty(), "{case}: and then never again");

            let leftovers = std::fs::read_dir(home.path())
                .unwrap()
                .filter(|e| {
                    e.as_ref()
                        .unwrap()
                        .file_name()
                        .to_string_lossy()
                        .contains(".tmp")
                })
                .count();
            assert_eq!(leftovers, 0, "{case}: temp files are cleaned up");
        }
    }
}

#[test]
fn a_state_that_is_a_directory_or_unwritable_is_a_clear_error() {
    let home = tempfile::tempdir().unwrap();
    let line = snapshot_after(home.path(), 1);
    let dir = home.path().join("state.json");
    std::fs::create_dir(&dir).unwrap();
    let output = statusq(home.path())
        .arg("diff")
        .arg("--state")
        .arg(&dir)
        .write_stdin(line.clone())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(
        output.stdout.is_empty(),
        "nothing is said before the state can be read"
    );
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.starts_with("statusq: ") && message.contains("state.json"),
        "{message}"
    );
    assert!(dir.is_dir());

    // /proc takes no new files: the lock cannot even be made.
    let output = statusq(home.path())
        .args(["diff", "--state", "/proc/statusq/state.json"])
        .write_stdin(line)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("/proc/statusq"));
}

#[test]
fn a_full_disk_on_stdout_is_an_error_and_its_events_come_out_next_time() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let line = snapshot_after(home.path(), 3);
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let mut child = Command::new(bin())
        .arg("diff")
        .arg("--state")
        .arg(&state)
        .stdin(Stdio::piped())
        .stdout(full)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::io::Write::write_all(&mut child.stdin.take().unwrap(), line.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let message = String::from_utf8_lossy(&output.stderr);
    assert!(
        message.contains("stdout") && message.contains("No space left"),
        "{message}"
    );
    let written: Value = serde_json::from_slice(&std::fs::read(&state).unwrap()).unwrap();
    assert_eq!(
        written["in_doubt"].as_array().map(Vec::len),
        Some(1),
        "the undelivered event is kept in doubt"
    );
    let delivered = statusq(home.path())
        .arg("diff")
        .arg("--state")
        .arg(&state)
        .write_stdin(line)
        .output()
        .unwrap();
    assert_eq!(
        event_ids(&delivered.stdout).len(),
        1,
        "they come out on the next run"
    );

    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    let fetch = Command::new(bin())
        .arg("fetch")
        .arg(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures/statuspage/airbrake-summary.json"),
        )
        .stdout(full)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_eq!(fetch.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&fetch.stderr)
        .starts_with("statusq: stdout: No space left on device"));
}

/// Airbrake's real summary as `fetch` writes it at `now`, its first component in a major
/// outage (and the page banner major) when `outage`.
fn airbrake_at(home: &Path, outage: bool, now: &str) -> String {
    let mut doc: Value =
        serde_json::from_slice(&fixture("statuspage/airbrake-summary.json")).unwrap();
    if outage {
        doc["components"][0]["status"] = "major_outage".into();
        doc["status"]["indicator"] = "major".into();
    }
    let output = statusq(home)
        .env("STATUSQ_NOW", now)
        .args(["fetch", "airbrake=-"])
        .write_stdin(doc.to_string())
        .output()
        .unwrap();
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn a_transition_repeated_after_a_crash_keeps_its_id() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let page = |outage: bool, now: &str| airbrake_at(home.path(), outage, now);
    // Killed once the events are written, before the state settles.
    let diff = |input: String, fault: bool| {
        diff_with(home.path(), &state, &input, fault.then_some("rename@2"))
    };
    assert!(diff(page(false, "2026-11-22T03:00:00Z"), false)
        .status
        .success());
    // The outage is delivered, then the process dies before the state records it.
    let crashed = diff(page(true, "2026-11-22T03:05:00Z"), true);
    assert!(!crashed.status.success());
    let delivered = event_ids(&crashed.stdout);
    assert_eq!(delivered.len(), 2, "status.changed and component.changed");
    // The next poll, minutes later, sees the same outage: the same news under the same ids,
    // so a consumer that de-duplicates by id sees it once.
    let again = diff(page(true, "2026-11-22T03:10:00Z"), false);
    assert!(again.status.success());
    assert_eq!(event_ids(&again.stdout), delivered);
}

#[test]
fn a_change_delivered_before_a_crash_then_reversed_is_reported_both_ways() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let page = |outage: bool, now: &str| airbrake_at(home.path(), outage, now);
    let component_changes = |stdout: &[u8]| -> Vec<(String, String)> {
        records(stdout)
            .iter()
            .filter(|e| e["event"] == "component.changed")
            .map(|e| {
                (
                    e["from"].as_str().unwrap().to_string(),
                    e["to"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    assert!(diff_with(
        home.path(),
        &state,
        &page(false, "2026-11-22T03:00:00Z"),
        None
    )
    .status
    .success());
    // The outage is written, then the process is killed before the state settles.
    let crashed = diff_with(
        home.path(),
        &state,
        &page(true, "2026-11-22T03:05:00Z"),
        Some("rename@2"),
    );
    assert!(!crashed.status.success());
    let down = component_changes(&crashed.stdout);
    assert_eq!(down, [("operational".into(), "major_outage".into())]);
    // The component comes back before the next run: the consumer, who saw it go down, is told
    // it came back (after the outage is repeated under its own id).
    let next = diff_with(
        home.path(),
        &state,
        &page(false, "2026-11-22T03:10:00Z"),
        None,
    );
    assert!(next.status.success());
    assert_eq!(
        component_changes(&next.stdout),
        [
            ("operational".into(), "major_outage".into()),
            ("major_outage".into(), "operational".into())
        ]
    );
    let repeated: Vec<String> = event_ids(&next.stdout);
    assert_eq!(
        repeated[..event_ids(&crashed.stdout).len()],
        event_ids(&crashed.stdout)[..]
    );
}
