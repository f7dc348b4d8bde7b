//! Benchmark: `statusq diff` over 500 providers' full snapshots against a populated state.
//!
//!     cargo bench --bench diff                 # 500 providers
//!     cargo bench --bench diff -- 2000
//!
//! Each provider's snapshot is made by `statusq fetch` from real payloads merged into one
//! document: the status.claude.com summary (6 components, an open incident), two real GitHub
//! incidents (26 updates) and status.claude.com's two real maintenances — about the size of
//! what the fetch benchmark produces. Three runs against one state file are measured:
//! the baseline (empty state), an unchanged poll (populated state, no events), and a poll where
//! every provider's open incident has one new update (one event each).
//! Target (issue 3): under 0.5 s and under 100 MB for the populated runs.

#[path = "../tests/common/mod.rs"]
mod common;

use common::fixture;
use serde_json::{json, Value};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let providers: usize = std::env::args()
        .skip(1)
        .find(|a| a != "--bench")
        .and_then(|a| a.parse().ok())
        .unwrap_or(500);
    let dir = tempfile::tempdir().unwrap();
    let payload = merged_payload(false);
    let updated = merged_payload(true);
    // Inputs live in files, never in this process: Linux carries a parent's peak RSS across
    // fork and exec into the child's ru_maxrss, so a fat parent would inflate the figure.
    // The second poll is taken later: a snapshot not newer than the last one applied changes
    // nothing (DESIGN §4), so one dated the same would show no event at all.
    let before = snapshots(&dir, &payload, providers, "a", "2026-11-22T03:30:00Z");
    let after = snapshots(&dir, &updated, providers, "b", "2026-11-22T03:35:00Z");
    drop((payload, updated));
    let state = dir.path().join("state.json");
    println!(
        "statusq diff: {providers} providers, {:.1} MB of snapshots per poll",
        std::fs::metadata(&before).unwrap().len() as f64 / 1e6
    );
    for (label, input) in [
        ("baseline (empty state)", &before),
        ("unchanged poll", &before),
        ("one new update each", &after),
    ] {
        let (wall, user, system, rss, events) = measure(&state, input);
        println!(
            "  {label:<24} {wall:>6.3} s wall  {user:.3} s user + {system:.3} s sys  {rss:>5.1} MB peak RSS  {events} events",
        );
    }
    let size = std::fs::metadata(&state).unwrap().len();
    println!("  state file               {:.1} KB", size as f64 / 1e3);
}

/// The real payloads merged into one Statuspage document; `more` adds one update to the open
/// incident.
fn merged_payload(more: bool) -> Vec<u8> {
    let mut doc: Value =
        serde_json::from_slice(&fixture("statuspage/claude-summary-active-incident.json")).unwrap();
    for name in [
        "github-incident-smdz34v7j8q0.json",
        "github-incident-gqx5l06jjxhp.json",
    ] {
        let incident: Value =
            serde_json::from_slice(&fixture(&format!("statuspage/{name}"))).unwrap();
        doc["incidents"]
            .as_array_mut()
            .unwrap()
            .push(incident["incident"].clone());
    }
    let maintenances: Value =
        serde_json::from_slice(&fixture("statuspage/claude-scheduled-maintenances.json")).unwrap();
    doc["scheduled_maintenances"] = maintenances["scheduled_maintenances"].clone();
    if more {
        let updates = doc["incidents"][0]["incident_updates"]
            .as_array_mut()
            .unwrap();
        let mut newest = updates[0].clone();
        newest["id"] = json!("benchnewupdt");
        newest["display_at"] = json!("2026-10-08T00:00:00.000Z");
        newest["created_at"] = json!("2026-10-08T00:00:00.000Z");
        newest["body"] = json!("A new update.");
        updates.insert(0, newest);
    }
    doc.to_string().into_bytes()
}

fn snapshots(
    dir: &tempfile::TempDir,
    payload: &[u8],
    providers: usize,
    tag: &str,
    now: &str,
) -> std::path::PathBuf {
    let file = dir.path().join(format!("payload-{tag}.json"));
    std::fs::write(&file, payload).unwrap();
    let args: Vec<String> = (0..providers)
        .map(|i| format!("p{i:04}={}", file.display()))
        .collect();
    let out = dir.path().join(format!("snapshots-{tag}.ndjson"));
    let status = Command::new(env!("CARGO_BIN_EXE_statusq"))
        .arg("fetch")
        .args(&args)
        .env("STATUSQ_NOW", now)
        .stdout(std::fs::File::create(&out).unwrap())
        .status()
        .unwrap();
    assert!(status.success());
    out
}

fn measure(state: &std::path::Path, input: &std::path::Path) -> (f64, f64, f64, f64, usize) {
    let started = Instant::now();
    // Reaped by wait4 below, which also gives the CPU time and peak RSS `wait` cannot.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(env!("CARGO_BIN_EXE_statusq"))
        .arg("diff")
        .arg("--state")
        .arg(state)
        .stdin(std::fs::File::open(input).unwrap())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut out).unwrap();
        out.lines().count()
    });
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }, pid);
    let wall = started.elapsed().as_secs_f64();
    let events = reader.join().unwrap();
    assert_eq!(libc::WEXITSTATUS(status), 0);
    let secs =
        |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000).as_secs_f64();
    (
        wall,
        secs(usage.ru_utime),
        secs(usage.ru_stime),
        usage.ru_maxrss as f64 / 1024.0,
        events,
    )
}
