//! Benchmark: `statusq notify` delivering 1,000 events to a loopback Slack-shaped receiver that
//! answers each request after 50 ms, batched per provider.
//!
//!     cargo bench --bench notify                 # 1,000 events over 10 providers
//!     cargo bench --bench notify -- 5000 50      # events, providers
//!
//! The events are `diff`'s records of incident updates (one provider's updates are one Slack
//! message, cut to 50 blocks). Measured: wall time, CPU and peak RSS of the `notify` process,
//! requests the receiver saw; then a second run of the same events (all delivered already:
//! no request) and the receiver's 5xx for one run (all kept in the outbox, exit 3).
//!
//! Then threads: the same number of events as updates of a hundred incidents, to a Slack bot
//! (`chat.postMessage` on the same loopback receiver): a first run posts each incident's root,
//! a second run of as many new updates replies in the hundred kept threads.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Reply, Server};
use serde_json::json;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn main() {
    let numbers: Vec<usize> = std::env::args()
        .skip(1)
        .filter_map(|a| a.parse().ok())
        .collect();
    let events = numbers.first().copied().unwrap_or(1000);
    let providers = numbers.get(1).copied().unwrap_or(10).max(1);
    let dir = tempfile::tempdir().unwrap();
    let failing = Arc::new(AtomicBool::new(false));
    let fail = Arc::clone(&failing);
    let server = Server::start(move |req, _| {
        let mut reply = if fail.load(Ordering::SeqCst) {
            Reply::status(503, "down")
        } else if req.path.starts_with("/api/") {
            Reply::json(r#"{"ok":true,"channel":"C0","ts":"1700000000.000100"}"#)
        } else {
            Reply::status(200, "ok")
        };
        reply.delay = Duration::from_millis(50);
        reply
    });
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "[notify.slack]\nurl = \"{}\"\nkind = \"slack\"\n\n\
             [notify.bot]\nkind = \"slack\"\ntoken_env = \"BENCH_TOKEN\"\nchannel = \"C0\"\napi_url = \"{}\"\n",
            server.url("/services/T000/B000/XXXX"),
            server.url("/api")
        ),
    )
    .unwrap();
    let input = dir.path().join("events.ndjson");
    let mut text = String::new();
    for n in 0..events {
        let provider = format!("p{}", n % providers);
        text.push_str(&update(&provider, &format!("i{n}"), &format!("u{n}")));
    }
    std::fs::write(&input, text).unwrap();
    println!("statusq notify: {events} events of {providers} providers to a Slack-shaped receiver, 50 ms a request");
    let state = dir.path().join("state");
    for (label, state) in [
        ("first delivery", state.clone()),
        ("same events again", state.clone()),
    ] {
        let before = server.seen().len();
        let (wall, user, system, rss, code) = measure(&config, &input, &state, "slack");
        println!(
            "  {label:<20} {wall:>6.3} s wall  {user:.3} s user + {system:.3} s sys  {rss:>5.1} MB peak RSS  {} requests  exit {code}",
            server.seen().len() - before
        );
    }
    failing.store(true, Ordering::SeqCst);
    let before = server.seen().len();
    let (wall, _, _, _, code) = measure(&config, &input, &dir.path().join("fresh"), "slack");
    println!(
        "  {:<20} {wall:>6.3} s wall  {} requests  exit {code} (kept in the outbox)",
        "receiver down",
        server.seen().len() - before
    );
    failing.store(false, Ordering::SeqCst);

    // Threads: a hundred incidents, each update of one incident after the other.
    let incidents = 100.min(events).max(1);
    println!(
        "statusq notify: {events} updates of {incidents} incidents to a Slack bot, 50 ms a request"
    );
    let state = dir.path().join("threads");
    for (round, label) in [(0, "roots"), (1, "replies, next run")] {
        let input = dir.path().join(format!("threads-{round}.ndjson"));
        let mut text = String::new();
        for n in 0..events {
            let (incident, step) = (n / (events / incidents).max(1), n);
            let provider = format!("p{}", incident % providers);
            text.push_str(&update(
                &provider,
                &format!("t{incident}"),
                &format!("r{round}-{step}"),
            ));
        }
        std::fs::write(&input, text).unwrap();
        let before = server.seen().len();
        let (wall, user, system, rss, code) = measure(&config, &input, &state, "bot");
        let replies = server
            .seen()
            .iter()
            .skip(before)
            .filter(|s| String::from_utf8_lossy(&s.body).contains("thread_ts"))
            .count();
        println!(
            "  {label:<20} {wall:>6.3} s wall  {user:.3} s user + {system:.3} s sys  {rss:>5.1} MB peak RSS  {} requests ({replies} replies)  exit {code}",
            server.seen().len() - before
        );
    }
}

/// An `incident.updated` record of `provider`'s incident `incident`, update `update`, as `diff`
/// writes it: a line.
fn update(provider: &str, incident: &str, update: &str) -> String {
    let line = json!({
        "type": "event", "v": 1, "event": "incident.updated",
        "id": format!("{provider}/incident/{incident}/update/{update}"),
        "provider": provider, "name": format!("Provider {provider}"),
        "url": "https://status.example.com",
        "at": "2026-11-22T03:30:00Z", "observed_at": "2026-11-22T03:30:00Z",
        "incident": {"id": incident, "name": format!("Incident {incident}"),
                     "status": "identified", "impact": "minor",
                     "url": "https://status.example.com/i"},
        "maintenance": null,
        "update": {"id": update, "status": "identified",
                   "body": "We are investigating elevated error rates for some requests.",
                   "at": "2026-11-22T03:30:00Z", "components": null},
        "component": null, "from": null, "to": null, "error": null
    });
    format!("{line}\n")
}

fn measure(
    config: &std::path::Path,
    input: &std::path::Path,
    state: &std::path::Path,
    target: &str,
) -> (f64, f64, f64, f64, i32) {
    let started = Instant::now();
    // Reaped by wait4 below, which also gives the CPU time and peak RSS `wait` cannot.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_statusq"))
        .arg("--config")
        .arg(config)
        .args(["notify", target, "--retries", "0", "--max-time", "10m"])
        .env("XDG_STATE_HOME", state)
        .env("BENCH_TOKEN", "xoxb-bench")
        .stdin(std::fs::File::open(input).unwrap())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let pid = child.id() as libc::pid_t;
    assert_eq!(unsafe { libc::wait4(pid, &mut status, 0, &mut usage) }, pid);
    let wall = started.elapsed().as_secs_f64();
    let secs =
        |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000).as_secs_f64();
    (
        wall,
        secs(usage.ru_utime),
        secs(usage.ru_stime),
        usage.ru_maxrss as f64 / 1024.0,
        libc::WEXITSTATUS(status),
    )
}
