//! Soak run: `statusq watch` for a while against a loopback server that plays a real incident
//! timeline over and over, with faults mixed in, and a report of what came out.
//!
//!     cargo bench --bench soak -- 600        # ten minutes (the default is 60 s)
//!
//! The server plays GitHub's real 18-update incident (smdz34v7j8q0), revealing one more update
//! every second; each replay is a new incident (ids suffixed with the cycle). One request in
//! seven answers 500, one in eleven a truncated body, one in thirteen stalls past the timeout,
//! one in seventeen an HTML page. A second provider never changes. At the end the timeline is
//! frozen, watch gets a few more polls, and is stopped with SIGTERM.
//!
//! Reported: incident events emitted vs updates published (missed and duplicates must be 0),
//! and watch's RSS and open file descriptors early in the run and at the end (no growth).

#[path = "../tests/common/mod.rs"]
mod common;

use common::{fixture, Reply, Server};
use serde_json::Value;
use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One replay's incident showing its first `shown` updates, ids suffixed with the cycle.
/// Updates are dated as the run publishes them (one a second from the start), so a replay is
/// news, not old history scrolling back into view.
fn incident(base: &Value, cycle: usize, shown: usize) -> (Value, Vec<String>) {
    let mut incident = base["incident"].clone();
    let updates = incident["incident_updates"].as_array().unwrap().clone();
    let mut visible: Vec<Value> = updates[updates.len() - shown..].to_vec();
    let mut ids = Vec::new();
    let start = *START.get().expect("start time");
    for (newest_first, update) in visible.iter_mut().enumerate() {
        let position = cycle * 18 + (shown - 1 - newest_first);
        let at = (start + time::Duration::seconds(position as i64))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        update["display_at"] = Value::String(at.clone());
        update["created_at"] = Value::String(at);
        let id = format!("{}-c{cycle}", update["id"].as_str().unwrap());
        update["id"] = Value::String(id.clone());
        ids.push(id);
    }
    incident["id"] = Value::String(format!("smdz34v7j8q0-c{cycle}"));
    incident["status"] = visible[0]["status"].clone();
    incident["incident_updates"] = Value::Array(visible);
    (incident, ids)
}

/// Step `step` of the timeline: cycle `step / 18` showing `step % 18 + 1` updates, and the
/// previous cycle's incident, finished, as a real page keeps showing a resolved incident.
fn version(base: &Value, step: usize) -> (Vec<u8>, Vec<String>) {
    let cycle = step / 18;
    let (current, ids) = incident(base, cycle, step % 18 + 1);
    let mut incidents = vec![current];
    if cycle > 0 {
        incidents.push(incident(base, cycle - 1, 18).0);
    }
    let doc = serde_json::json!({"page": base["page"], "incidents": incidents});
    (doc.to_string().into_bytes(), ids)
}

static START: std::sync::OnceLock<time::OffsetDateTime> = std::sync::OnceLock::new();

fn proc_rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn proc_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, |d| d.count())
}

fn main() {
    let seconds: u64 = std::env::args()
        .skip(1)
        .find(|a| a != "--bench")
        .and_then(|a| a.parse().ok())
        .unwrap_or(60);
    START.set(time::OffsetDateTime::now_utc()).unwrap();
    let base: Value =
        serde_json::from_slice(&fixture("statuspage/github-incident-smdz34v7j8q0.json")).unwrap();
    let step = Arc::new(AtomicUsize::new(0));
    let published: Arc<Mutex<HashSet<String>>> = Arc::new(Mutex::new(HashSet::new()));
    let frozen = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicUsize::new(0));
    let (first, ids) = version(&base, 0);
    published.lock().unwrap().extend(ids);
    let current = Arc::new(Mutex::new(first));
    let calm = fixture("statuspage/airbrake-summary.json");
    let server = {
        let current = Arc::clone(&current);
        let requests = Arc::clone(&requests);
        let frozen = Arc::clone(&frozen);
        Server::start(move |req, _| {
            let n = requests.fetch_add(1, Ordering::SeqCst);
            if !frozen.load(Ordering::SeqCst) {
                match n {
                    n if n % 7 == 3 => return Reply::status(500, "boom"),
                    n if n % 11 == 5 => return Reply::json(b"{\"incident\":{\"id\":".to_vec()),
                    n if n % 13 == 7 => {
                        return Reply::json(calm.clone()).delay(Duration::from_secs(3))
                    }
                    n if n % 17 == 2 => {
                        return Reply::status(
                            200,
                            "<!DOCTYPE html><html><body>Sign in</body></html>",
                        )
                    }
                    _ => {}
                }
            }
            match req.path.as_str() {
                "/gh/api/v2/incidents/x.json" => Reply::json(current.lock().unwrap().clone()),
                "/calm/api/v2/summary.json" => Reply::json(calm.clone()),
                _ => Reply::not_found(),
            }
        })
    };
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("soak.toml");
    std::fs::write(
        &config,
        format!(
            "[providers.gh]\nurl = \"{}\"\napi = \"/api/v2/incidents/x.json\"\n\n[providers.calm]\nurl = \"{}\"\n",
            server.url("/gh"),
            server.url("/calm")
        ),
    )
    .unwrap();
    let mut watch = Command::new(env!("CARGO_BIN_EXE_statusq"))
        .arg("--config")
        .arg(&config)
        .args([
            "watch",
            "gh",
            "calm",
            "-f",
            "json",
            "--interval",
            "200ms",
            "--allow-short-intervals",
            "--timeout",
            "1s",
            "--retries",
            "0",
        ])
        .arg("--state")
        .arg(home.path().join("state.json"))
        .arg("--cache")
        .arg(home.path().join("cache"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("start statusq (cargo bench builds it)");
    let pid = watch.id();
    let stdout = watch.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut counts: HashMap<String, usize> = HashMap::new();
        let mut other = 0usize;
        for line in BufReader::new(stdout).lines() {
            let event: Value = serde_json::from_str(&line.unwrap()).unwrap();
            match event["update"]["id"].as_str() {
                Some(id)
                    if event["event"]
                        .as_str()
                        .unwrap_or("")
                        .starts_with("incident.") =>
                {
                    *counts.entry(id.to_string()).or_default() += 1;
                }
                _ => other += 1,
            }
        }
        (counts, other)
    });

    let started = Instant::now();
    let mut early = None;
    while started.elapsed() < Duration::from_secs(seconds) {
        std::thread::sleep(Duration::from_secs(1));
        let next = step.fetch_add(1, Ordering::SeqCst) + 1;
        let (body, ids) = version(&base, next);
        published.lock().unwrap().extend(ids);
        *current.lock().unwrap() = body;
        if early.is_none() && started.elapsed() >= Duration::from_secs(10.min(seconds / 2).max(3)) {
            early = Some((proc_rss_kb(pid), proc_fds(pid)));
        }
    }
    frozen.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_secs(3));
    let end = (proc_rss_kb(pid), proc_fds(pid));
    // SAFETY: signalling our own child.
    unsafe {
        libc::kill(pid as libc::pid_t, libc::SIGTERM);
    }
    let status = watch.wait().unwrap();
    let (counts, other) = reader.join().unwrap();
    let published = published.lock().unwrap();
    let duplicates: usize = counts.values().map(|c| c - 1).sum();
    let missed = published
        .iter()
        .filter(|id| !counts.contains_key(*id))
        .count();
    let unexpected = counts.keys().filter(|id| !published.contains(*id)).count();
    let (early_rss, early_fds) = early.unwrap_or((0, 0));
    println!(
        "statusq watch soak: {seconds} s, {} requests (about 1 in 3 with faults injected)",
        requests.load(Ordering::SeqCst)
    );
    println!("  updates published   {}", published.len());
    println!("  incident events     {} (missed {missed}, duplicates {duplicates}, unexpected {unexpected})", counts.values().sum::<usize>());
    println!("  other events        {other} (provider failed/recovered)");
    println!(
        "  RSS                 {} KB early, {} KB at the end",
        early_rss, end.0
    );
    println!(
        "  open descriptors    {early_fds} early, {} at the end",
        end.1
    );
    println!("  exit status         {status}");
    if missed > 0 {
        let mut list: Vec<&String> = published
            .iter()
            .filter(|id| !counts.contains_key(*id))
            .collect();
        list.sort();
        println!("  missed: {list:?}");
    }
    assert_eq!((missed, duplicates, unexpected), (0, 0, 0));
    assert!(status.success());
}
