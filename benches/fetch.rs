//! Benchmark: `statusq fetch` over 500 Statuspage providers served from loopback, each response
//! delayed 100 ms, reporting wall time, CPU time and peak memory of the statusq process.
//!
//!     cargo bench --bench fetch                       # 500 providers, 100 ms, defaults
//!     cargo bench --bench fetch -- 1000 50 --concurrency 128
//!
//! Arguments: [PROVIDERS] [LATENCY_MS] and then anything to pass to `statusq fetch`.
//! Every provider serves real payloads: the status.claude.com summary with an open incident,
//! an incidents.json made of two real GitHub incidents (26 updates), and the real
//! scheduled-maintenances.json of status.claude.com: about 95 KB per provider.
//! Targets (issue 2): under 3 s wall and under 40 MB peak RSS for 500 providers at 100 ms.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{fixture, Reply, Server};
use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let providers: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(500);
    let latency = Duration::from_millis(args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100));
    let extra: Vec<&String> = args.iter().skip(2).collect();

    let summary = fixture("statuspage/claude-summary-active-incident.json");
    let maintenances = fixture("statuspage/claude-scheduled-maintenances.json");
    let incidents = {
        let a: serde_json::Value =
            serde_json::from_slice(&fixture("statuspage/github-incident-smdz34v7j8q0.json"))
                .unwrap();
        let b: serde_json::Value =
            serde_json::from_slice(&fixture("statuspage/github-incident-gqx5l06jjxhp.json"))
                .unwrap();
        serde_json::json!({"page": a["page"], "incidents": [a["incident"], b["incident"]]})
            .to_string()
            .into_bytes()
    };
    let per_provider = summary.len() + incidents.len() + maintenances.len();
    let server = Server::start(move |req, _| {
        let body = if req.path.ends_with("/summary.json") {
            summary.clone()
        } else if req.path.ends_with("/incidents.json") {
            incidents.clone()
        } else if req.path.ends_with("/scheduled-maintenances.json") {
            maintenances.clone()
        } else {
            return Reply::not_found().delay(latency);
        };
        Reply::json(body).delay(latency)
    });

    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..providers).map(|i| format!("p{i:04}")).collect();
    let mut config = String::new();
    for id in &ids {
        config.push_str(&format!(
            "[providers.{id}]\nurl = \"{}\"\n",
            server.url(&format!("/{id}"))
        ));
    }
    let config_path = dir.path().join("bench.toml");
    std::fs::write(&config_path, config).unwrap();

    // ru_maxrss of a child includes its parent's RSS at fork time (Linux keeps the high-water
    // mark across exec); report ours so the figure can be read against it.
    let parent_rss = std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .unwrap_or(0.0);
    let started = Instant::now();
    // Reaped by wait4 below, which also gives the CPU time and peak RSS `wait` cannot.
    #[allow(clippy::zombie_processes)]
    let mut child = Command::new(env!("CARGO_BIN_EXE_statusq"))
        .arg("--config")
        .arg(&config_path)
        .arg("fetch")
        .args(&extra)
        .args(&ids)
        .env("XDG_CONFIG_HOME", dir.path())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start statusq (build it first: cargo build --release)");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        stdout.read_to_end(&mut out).unwrap();
        out
    });
    let (status, usage) = wait_with_usage(child.id() as libc::pid_t);
    let wall = started.elapsed();
    let out = reader.join().unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let ok = lines.iter().filter(|l| l["ok"] == true).count();

    let cpu = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    println!(
        "statusq fetch: {providers} providers, {} ms latency per response",
        latency.as_millis()
    );
    println!("  requests served   {}", server.seen().len());
    println!(
        "  bytes served      {:.1} MB ({} KB per provider)",
        (per_provider * providers) as f64 / 1e6,
        per_provider / 1000
    );
    println!(
        "  snapshots         {} written, {ok} ok, exit status {status}",
        lines.len()
    );
    println!("  wall time         {:.2} s", wall.as_secs_f64());
    println!(
        "  CPU time          {:.2} s user + {:.2} s system",
        cpu(usage.ru_utime).as_secs_f64(),
        cpu(usage.ru_stime).as_secs_f64()
    );
    println!(
        "  peak RSS          {:.1} MB (this benchmark process was {:.1} MB when it started statusq)",
        usage.ru_maxrss as f64 / 1024.0,
        parent_rss / 1024.0
    );
    println!("  peak connections  {}", server.peak_connections());
    assert_eq!(lines.len(), providers, "every provider got a snapshot");
}

/// Waits for `pid` and returns its exit status and resource usage (CPU, peak RSS).
fn wait_with_usage(pid: libc::pid_t) -> (i32, libc::rusage) {
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4 failed");
    (libc::WEXITSTATUS(status), usage)
}
