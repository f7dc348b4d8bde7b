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

#[test]
fn a_crash_at_any_step_of_the_commit_loses_and_repeats_nothing_it_should_not() {
    for step in ["temp", "rename", "after"] {
        let home = tempfile::tempdir().unwrap();
        let state = home.path().join("state.json");
        let diff = |input: &str, fault: Option<&str>| {
            let mut command = statusq(home.path());
            if let Some(step) = fault {
                command.env("STATUSQ_FAULT_STATE_WRITE", step);
            }
            command
                .arg("diff")
                .arg("--state")
                .arg(&state)
                .write_stdin(input.to_string())
                .output()
                .unwrap()
        };
        assert!(diff(&snapshot_after(home.path(), 2), None).status.success());
        let before = std::fs::read(&state).unwrap();

        let second = snapshot_after(home.path(), 4);
        let crashed = diff(&second, Some(step));
        assert!(
            !crashed.status.success(),
            "{step}: the fault kills the process"
        );
        let delivered = event_ids(&crashed.stdout);
        assert_eq!(
            delivered.len(),
            2,
            "{step}: events go out before the commit"
        );
        let now = std::fs::read(&state).unwrap();
        serde_json::from_slice::<Value>(&now)
            .unwrap_or_else(|e| panic!("{step}: unreadable state: {e}"));

        let again = diff(&second, None);
        assert!(
            again.status.success(),
            "{step}: {}",
            String::from_utf8_lossy(&again.stderr)
        );
        if step == "after" {
            assert_ne!(now, before, "after the rename the new state is in place");
            assert!(again.stdout.is_empty(), "committed: nothing is repeated");
        } else {
            assert_eq!(now, before, "{step}: the previous state is untouched");
            assert_eq!(
                event_ids(&again.stdout),
                delivered,
                "{step}: delivered again, same ids"
            );
        }
        let leftovers = std::fs::read_dir(home.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains(".tmp.")
            })
            .count();
        assert_eq!(leftovers, 0, "{step}: temp files are cleaned up");
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
fn a_full_disk_on_stdout_is_an_error_and_commits_nothing() {
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
    assert!(!state.exists(), "undelivered events are not recorded");
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

#[test]
fn a_transition_repeated_after_a_crash_keeps_its_id() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let page = |outage: bool, now: &str| {
        let mut doc: Value =
            serde_json::from_slice(&fixture("statuspage/airbrake-summary.json")).unwrap();
        if outage {
            doc["components"][0]["status"] = "major_outage".into();
            doc["status"]["indicator"] = "major".into();
        }
        let output = statusq(home.path())
            .env("STATUSQ_NOW", now)
            .args(["fetch", "airbrake=-"])
            .write_stdin(doc.to_string())
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let diff = |input: String, fault: bool| {
        let mut command = statusq(home.path());
        if fault {
            command.env("STATUSQ_FAULT_STATE_WRITE", "rename");
        }
        command
            .args(["diff", "--state"])
            .arg(&state)
            .write_stdin(input)
            .output()
            .unwrap()
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
