//! Command-line habits: files as arguments, a terminal with nothing piped in, case-insensitive
//! ids, grep-like exit statuses.

use crate::common::*;
use std::path::Path;

/// A snapshot line of the Claude fixture under `id`, fetched from the file by the binary.
fn snapshot_line(home: &Path, id: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/statuspage/claude-summary-active-incident.json");
    let output = statusq(home)
        .args(["fetch", &format!("{id}={}", path.display())])
        .output()
        .unwrap();
    assert!(output.status.success());
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn render_diff_and_check_read_the_files_named_in_order_and_dash_for_stdin() {
    let home = tempfile::tempdir().unwrap();
    let a = home.path().join("a.ndjson");
    let b = home.path().join("b.ndjson");
    std::fs::write(&a, snapshot_line(home.path(), "first")).unwrap();
    // The second file has a bad line first: it is reported under its own name and number.
    std::fs::write(
        &b,
        format!("garbage\n{}", snapshot_line(home.path(), "second")),
    )
    .unwrap();

    let output = statusq(home.path())
        .arg("check")
        .arg(&a)
        .arg(&b)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(3), "a skipped line: {stderr}");
    let providers: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(providers, ["first", "second"], "{stdout}");
    assert!(
        stderr.contains(&format!("statusq: {}:1: not JSON", b.display())),
        "{stderr}"
    );

    // `-` is stdin, in its place among the files.
    let output = statusq(home.path())
        .args(["render", "--format", "json", "-"])
        .arg(&a)
        .write_stdin(snapshot_line(home.path(), "piped"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let order: Vec<String> = records(&output.stdout)
        .iter()
        .map(|r| r["provider"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(order, ["piped", "first"]);

    let state = home.path().join("state.json");
    let output = statusq(home.path())
        .args(["diff", "--replay", "--state"])
        .arg(&state)
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let events = records(&output.stdout);
    assert!(
        events
            .iter()
            .any(|e| e["event"] == "incident.created" && e["provider"] == "first"),
        "{events:?}"
    );
    // The same file again: nothing new.
    let again = statusq(home.path())
        .args(["diff", "--state"])
        .arg(&state)
        .arg(&a)
        .output()
        .unwrap();
    assert_eq!(again.status.code(), Some(0));
    assert!(again.stdout.is_empty());
}

#[test]
fn a_missing_input_file_fails_before_anything_is_read_or_written() {
    let home = tempfile::tempdir().unwrap();
    let state = home.path().join("state.json");
    let present = home.path().join("present.ndjson");
    std::fs::write(&present, snapshot_line(home.path(), "present")).unwrap();
    for command in ["render", "check", "diff"] {
        let output = statusq(home.path())
            .env("STATUSQ_STATE", &state)
            .arg(command)
            .arg(&present)
            .arg("nowhere.ndjson")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{command}: {stderr}");
        assert!(
            stderr.starts_with("statusq: nowhere.ndjson: No such file"),
            "{command}: {stderr}"
        );
        assert!(
            output.stdout.is_empty(),
            "{command}: nothing of the file before it"
        );
        assert!(!state.exists(), "no state is written for a missing input");
    }
}

#[test]
fn on_a_terminal_with_nothing_piped_in_they_say_what_they_expect() {
    if !required_tool("script") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("empty.toml");
    std::fs::write(&config, "").unwrap();
    for command in ["render", "diff", "check"] {
        let screen = crate::watch::on_a_terminal(home.path(), &config, command, |screen| {
            screen.contains("name files")
        });
        assert!(
            screen.contains(&format!("statusq {command}: reading "))
                && screen.contains("pipe `statusq fetch …` into it or name files"),
            "{command}: {screen}"
        );
    }
}

#[test]
fn provider_ids_are_case_insensitive() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(|req, _| {
        if req.path == "/claude/api/v2/summary.json" {
            Reply::json(fixture("statuspage/claude-summary-active-incident.json"))
        } else {
            Reply::not_found()
        }
    });
    let config = config_for(home.path(), &server, &["claude"]);
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "Claude"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let snapshot = &records(&output.stdout)[0];
    assert_eq!(snapshot["provider"], "claude");
    assert_eq!(snapshot["ok"], true);
    // The built-in catalog too: `GitHub` is `github` (listed, not fetched).
    let output = statusq(home.path())
        .args(["providers", "GitHub"])
        .output()
        .unwrap();
    assert!(records(&output.stdout).iter().any(|p| p["id"] == "github"));
}

#[test]
fn providers_with_no_match_exits_1_and_suggests_the_nearest_ids() {
    let home = tempfile::tempdir().unwrap();
    let output = statusq(home.path())
        .args(["providers", "gthub"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no provider matches gthub; did you mean github"),
        "{stderr}"
    );
    let output = statusq(home.path())
        .args(["providers", "github"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
}
