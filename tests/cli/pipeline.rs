//! One pipeline for `diff`, `watch` and `serve` (issue 23): serve keeps the ledger's rules —
//! forgetting, and events in doubt committed before they are kept — and a notify target that
//! never answers stalls neither `watch`'s polling nor its stop.

use crate::common::*;
use crate::watch::{exits_within, http_get, terminate, wait_for, Guard};
use serde_json::Value;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A page server answering `/ID/api/v2/summary.json` with Claude's real summary (an incident
/// open) for each id.
fn pages() -> Server {
    Server::start(|req, _| {
        if req.path.ends_with("/api/v2/summary.json") {
            Reply::json(fixture("statuspage/claude-summary-active-incident.json"))
        } else {
            Reply::not_found()
        }
    })
}

/// `statusq serve PROVIDERS… --state-dir DIR` on a free port with the clock at `now` and
/// `env` added: the child (its stderr piped) and its address.
fn serve(
    config: &Path,
    dir: &Path,
    now: &str,
    providers: &[&str],
    extra: &[&str],
    env: &[(&str, &str)],
) -> (Guard, String) {
    let mut child = Guard(
        Command::new(bin())
            .env("STATUSQ_NOW", now)
            .envs(env.iter().copied())
            .arg("--config")
            .arg(config)
            .arg("serve")
            .args(providers)
            .args(["--listen", "127.0.0.1:0", "--no-cache", "--state-dir"])
            .arg(dir)
            .args(extra)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let mut first = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first)
        .unwrap();
    let address = first.trim().rsplit("http://").next().unwrap().to_string();
    (child, address)
}

fn state_of(dir: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(dir.join("state.json")).unwrap()).unwrap()
}

fn providers_in(state: &Value) -> Vec<String> {
    state["providers"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect()
}

/// Stops a serve with SIGTERM and waits for it.
fn stop(mut serve: Guard) {
    terminate(&serve);
    assert!(exits_within(&mut serve, Duration::from_secs(5)).success());
}

#[test]
fn serve_forgets_a_provider_absent_past_forget_after_across_a_restart() {
    let home = tempfile::tempdir().unwrap();
    let page = pages();
    let config = config_for(home.path(), &page, &["alpha", "beta"]);
    let dir = home.path().join("serve");
    let (first, address) = serve(&config, &dir, NOW, &["alpha", "beta"], &[], &[]);
    assert!(wait_for(
        || http_get(&address, "/healthz").0 == 200,
        Duration::from_secs(10)
    ));
    stop(first);
    assert_eq!(providers_in(&state_of(&dir)), ["alpha", "beta"]);

    // A month and a day later, serving only alpha: beta has not been seen for longer than
    // --forget-after, and is forgotten, as `diff` and `watch` forget.
    let later = "2026-12-23T03:30:00Z";
    let (second, address) = serve(
        &config,
        &dir,
        later,
        &["alpha"],
        &["--forget-after", "30d"],
        &[],
    );
    assert!(wait_for(
        || http_get(&address, "/healthz").0 == 200,
        Duration::from_secs(10)
    ));
    stop(second);
    assert_eq!(providers_in(&state_of(&dir)), ["alpha"]);
}

#[test]
fn serve_killed_around_its_state_commit_loses_and_repeats_no_event() {
    let page = pages();
    // Killed once the events are committed in doubt (before they are kept), half-way through
    // the commit after they were kept, and just before that commit's rename.
    for fault in ["after@1", "temp@2", "rename@2"] {
        let home = tempfile::tempdir().unwrap();
        let config = config_for(home.path(), &page, &["alpha"]);
        let dir = home.path().join("serve");
        let (mut crashed, _) = serve(
            &config,
            &dir,
            NOW,
            &["alpha"],
            &[],
            &[("STATUSQ_FAULT_STATE_WRITE", fault)],
        );
        let status = exits_within(&mut crashed, Duration::from_secs(10));
        assert!(!status.success(), "{fault}: the injected fault kills serve");
        let in_doubt: Vec<String> = state_of(&dir)["in_doubt"]
            .as_array()
            .map(|events| {
                events
                    .iter()
                    .map(|e| e["id"].as_str().unwrap().to_string())
                    .collect()
            })
            .unwrap_or_default();
        assert!(
            !in_doubt.is_empty(),
            "{fault}: the state on disk is the write-ahead one"
        );

        let (again, address) = serve(&config, &dir, NOW, &["alpha"], &[], &[]);
        assert!(wait_for(
            || http_get(&address, "/healthz").0 == 200,
            Duration::from_secs(10)
        ));
        let events = records(http_get(&address, "/events").1.as_bytes());
        let ids: Vec<String> = events
            .iter()
            .map(|e| e["id"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ids, in_doubt, "{fault}: each event once, none lost");
        stop(again);
        assert!(
            state_of(&dir).get("in_doubt").is_none(),
            "{fault}: committed clean"
        );
        let kept = std::fs::read_to_string(dir.join("events.ndjson")).unwrap();
        assert_eq!(kept.lines().count(), in_doubt.len(), "{fault}: {kept}");
    }
}

#[test]
fn watch_polls_on_time_and_stops_at_once_while_a_notify_target_never_answers() {
    let home = tempfile::tempdir().unwrap();
    let page = pages();
    let answering = Arc::new(AtomicBool::new(false));
    let accepted: Arc<Mutex<Vec<Value>>> = Arc::new(Mutex::new(Vec::new()));
    let hook = {
        let (answering, accepted) = (Arc::clone(&answering), Arc::clone(&accepted));
        Server::start(move |req, _| {
            if !answering.load(Ordering::SeqCst) {
                // Takes the request and never answers.
                return Reply::status(200, "ok").delay(Duration::from_secs(3600));
            }
            accepted
                .lock()
                .unwrap()
                .push(serde_json::from_slice(&req.body).unwrap());
            Reply::status(200, "ok")
        })
    };
    let ids = ["p1", "p2", "p3"];
    let config = config_for(home.path(), &page, &ids);
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("[notify.hook]\nurl = \"{}\"\n", hook.url("/hook")));
    std::fs::write(&config, text).unwrap();
    let mut watch = Guard(
        Command::new(bin())
            .env("XDG_STATE_HOME", home.path().join("state"))
            .env("XDG_CACHE_HOME", home.path().join("cache"))
            .arg("--config")
            .arg(&config)
            .arg("watch")
            .args(ids)
            .args([
                "--interval",
                "1s",
                "--allow-short-intervals",
                "--no-cache",
                "-f",
                "json",
                "--quiet",
            ])
            .args(["--notify", "hook"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    // Every page keeps its schedule while the courier waits on the receiver.
    let polls = |id: &str| page.hits(&format!("/{id}/api/v2/summary.json"));
    assert!(
        wait_for(
            || ids.iter().all(|id| polls(id) >= 4),
            Duration::from_secs(20)
        ),
        "polls: {:?}, requests to the hook: {}",
        ids.map(polls),
        hook.hits("/hook")
    );
    assert!(hook.hits("/hook") >= 1, "the courier is waiting on it");
    // And a stop is a stop.
    terminate(&watch);
    let asked = Instant::now();
    assert!(exits_within(&mut watch, Duration::from_secs(1)).success());
    assert!(asked.elapsed() < Duration::from_secs(1));
    let mut printed = String::new();
    watch
        .stdout
        .take()
        .unwrap()
        .read_to_string(&mut printed)
        .unwrap();
    let printed: Vec<String> = records(printed.as_bytes())
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert!(!printed.is_empty());

    // The receiver answers again: what watch spooled is delivered, each once, in order.
    answering.store(true, Ordering::SeqCst);
    let run = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["notify", "hook"])
        .write_stdin("")
        .output()
        .unwrap();
    assert_eq!(
        run.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let delivered: Vec<String> = accepted
        .lock()
        .unwrap()
        .iter()
        .flat_map(|body| body["events"].as_array().unwrap().clone())
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(delivered, printed);
}
