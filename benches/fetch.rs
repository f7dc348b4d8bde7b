//! Benchmark: `statusq fetch` over 500 Statuspage providers served from loopback, each response
//! delayed 100 ms, reporting wall time, CPU time and peak memory of the statusq process.
//!
//!     cargo bench --bench fetch                       # 500 providers, 100 ms, defaults
//!     cargo bench --bench fetch -- 1000 50 --concurrency 128
//!
//! Arguments: [PROVIDERS] [LATENCY_MS] and then anything to pass to `statusq fetch`.
//!
//!     cargo bench --bench fetch -- --catalog [LATENCY_MS]
//!
//! `fetch --all` of every built-in page this build reads, each page's catalog row moved onto
//! the loopback server (its URL and API document path kept) and answered with a real payload
//! of its platform.
//! Every provider serves real payloads: the status.claude.com summary with an open incident,
//! an incidents.json made of two real GitHub incidents (26 updates), and the real
//! scheduled-maintenances.json of status.claude.com: about 95 KB per provider.
//! Targets (issue 2): under 3 s wall and under 40 MB peak RSS for 500 providers at 100 ms.

#[path = "../tests/common/mod.rs"]
mod common;

use common::{fixture, Reply, Server};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    if args.first().is_some_and(|a| a == "--catalog") {
        let latency = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100);
        catalog_run(Duration::from_millis(latency));
        return;
    }
    let providers: usize = args.first().and_then(|a| a.parse().ok()).unwrap_or(500);
    let latency = Duration::from_millis(args.get(1).and_then(|a| a.parse().ok()).unwrap_or(100));
    let extra: Vec<&String> = args.iter().skip(2).collect();

    let [summary, incidents, maintenances] = statuspage_documents();
    let per_provider = summary.len() + incidents.len() + maintenances.len();
    let (summary_copy, incidents_copy, maintenances_copy) =
        (summary.clone(), incidents.clone(), maintenances.clone());
    let atom = fixture("atom/github-2025-05-26-upcoming-maintenance.atom");
    let gcp = gcp_history();
    let server = Server::start(move |req, _| {
        let body = if req.path.ends_with("/history.atom") {
            atom.clone()
        } else if req.path.ends_with("/gcp.json") {
            gcp.clone()
        } else if req.path.ends_with("/summary.json") {
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
    let mut mixed = String::new();
    for (i, id) in ids.iter().enumerate() {
        let url = server.url(&format!("/{id}"));
        config.push_str(&format!("[providers.{id}]\nurl = \"{url}\"\n"));
        // The mixed run: one page in five read through its history feed, one in fifty is a
        // Google Cloud-sized incidents.json, the rest Statuspage JSON.
        mixed.push_str(&match i % 50 {
            0 => format!(
                "[providers.{id}]\nurl = \"{url}\"\nformat = \"gcp\"\napi = \"/gcp.json\"\n"
            ),
            n if n % 5 == 1 => {
                format!("[providers.{id}]\nurl = \"{url}\"\nformat = \"statuspage-feed\"\n")
            }
            _ => format!("[providers.{id}]\nurl = \"{url}\"\n"),
        });
    }
    let config_path = dir.path().join("bench.toml");
    std::fs::write(&config_path, config).unwrap();
    let mixed_path = dir.path().join("mixed.toml");
    std::fs::write(&mixed_path, mixed).unwrap();

    cache_run(providers, summary_copy, incidents_copy, maintenances_copy);
    // The same pages typed as URLs: detected on the first run (the probe's answer is the
    // summary), remembered for the second.
    let urls: Vec<String> = ids.iter().map(|id| server.url(&format!("/{id}"))).collect();
    let typed_cache = dir.path().join("typed-cache");
    // No config: a URL the config declares would resolve to its entry, not be detected.
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    for (label, config_path, words, cache_home) in [
        (
            "Statuspage JSON",
            &config_path,
            &ids,
            dir.path().join("no-cache"),
        ),
        (
            "mixed: feeds and GCP",
            &mixed_path,
            &ids,
            dir.path().join("no-cache"),
        ),
        ("typed URLs, first run", &empty, &urls, typed_cache.clone()),
        ("typed URLs, second run", &empty, &urls, typed_cache.clone()),
    ] {
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
        let rss_file = dir.path().join("rss");
        let _ = std::fs::remove_file(&rss_file);
        let started = Instant::now();
        let seen_before = server.seen().len();
        // Reaped by wait4 below, which also gives the CPU time and peak RSS `wait` cannot.
        #[allow(clippy::zombie_processes)]
        let mut child = measured(&rss_file)
            .arg("--config")
            .arg(config_path)
            .arg("fetch")
            .args(&extra)
            .args(words)
            .env("XDG_CONFIG_HOME", dir.path())
            .env("XDG_CACHE_HOME", &cache_home)
            .stdout(Stdio::piped())
            .spawn()
            .expect("start statusq (build it first: cargo build --release)");
        let reader = count_snapshots(child.stdout.take().unwrap());
        let (status, usage) = wait_with_usage(child.id() as libc::pid_t);
        let wall = started.elapsed();
        let (lines, ok, first_error) = reader.join().unwrap();

        println!(
            "statusq fetch, {label}: {providers} providers, {} ms latency per response",
            latency.as_millis()
        );
        println!("  requests served   {}", server.seen().len() - seen_before);
        if label == "Statuspage JSON" {
            println!(
                "  bytes served      {:.1} MB ({} KB per provider)",
                (per_provider * providers) as f64 / 1e6,
                per_provider / 1000
            );
        }
        println!(
            "  snapshots         {} written, {ok} ok, exit status {status}",
            lines
        );
        println!("  wall time         {:.2} s", wall.as_secs_f64());
        println!(
            "  CPU time          {:.2} s user + {:.2} s system",
            cpu(usage.ru_utime).as_secs_f64(),
            cpu(usage.ru_stime).as_secs_f64()
        );
        match own_rss(&rss_file) {
            Some(mb) => println!("  peak RSS          {mb:.1} MB (statusq alone, by time(1))"),
            None => println!(
                "  peak RSS          {:.1} MB (this benchmark process was {:.1} MB when it started statusq)",
                usage.ru_maxrss as f64 / 1024.0,
                parent_rss / 1024.0
            ),
        }
        println!("  peak connections  {}", server.peak_connections());
        assert!(first_error.is_none(), "{first_error:?}");
        assert_eq!(lines, providers, "every provider got a snapshot");
    }
}

/// Conditional HTTP: the same 500 providers polled twice through `--cache`, from a server that
/// answers `If-None-Match` with 304. Reports the bytes on the wire of each poll.
/// A Google Cloud history of about 1.3 MB, as the live `incidents.json` is: the two real
/// incidents the project holds, repeated under new ids.
fn gcp_history() -> Vec<u8> {
    let raw: Vec<serde_json::Value> =
        serde_json::from_slice(&fixture("gcp/incidents-2022-07-first-2.json")).unwrap();
    let history: Vec<serde_json::Value> = (0..114)
        .map(|n| {
            let mut incident = raw[n % 2].clone();
            incident["id"] = format!("copy-{n:03}").into();
            incident
        })
        .collect();
    serde_json::to_vec(&history).unwrap()
}

fn cache_run(providers: usize, summary: Vec<u8>, incidents: Vec<u8>, maintenances: Vec<u8>) {
    let server = Server::start(move |req, _| {
        let body = if req.path.ends_with("/summary.json") {
            &summary
        } else if req.path.ends_with("/incidents.json") {
            &incidents
        } else if req.path.ends_with("/scheduled-maintenances.json") {
            &maintenances
        } else {
            return Reply::not_found();
        };
        let etag = format!("\"{}-{}\"", req.path.len(), body.len());
        if req.headers.get("if-none-match") == Some(&etag) {
            return Reply::status(304, Vec::new()).header("ETag", &etag);
        }
        Reply::json(body.clone()).header("ETag", &etag)
    });
    let dir = tempfile::tempdir().unwrap();
    let ids: Vec<String> = (0..providers).map(|i| format!("p{i:04}")).collect();
    let config: String = ids
        .iter()
        .map(|id| {
            format!(
                "[providers.{id}]\nurl = \"{}\"\n",
                server.url(&format!("/{id}"))
            )
        })
        .collect();
    let config_path = dir.path().join("cache.toml");
    std::fs::write(&config_path, config).unwrap();
    let mut sent = Vec::new();
    let mut requests = Vec::new();
    for _ in 0..2 {
        let before = server.bytes_sent();
        let asked = server.seen().len();
        let status = Command::new(env!("CARGO_BIN_EXE_statusq"))
            .arg("--config")
            .arg(&config_path)
            .arg("fetch")
            .arg("--cache")
            .arg(dir.path().join("cache"))
            .args(&ids)
            .env("XDG_CONFIG_HOME", dir.path())
            .stdout(Stdio::null())
            .status()
            .unwrap();
        assert!(status.success());
        sent.push(server.bytes_sent() - before);
        requests.push(server.seen().len() - asked);
    }
    println!("statusq fetch --cache: {providers} providers polled twice, the page unchanged");
    println!(
        "  first poll        {:.1} MB on the wire, {} requests",
        sent[0] as f64 / 1e6,
        requests[0]
    );
    println!(
        "  unchanged poll    {:.1} KB on the wire: {:.2}% of the full poll (target: under 10%), {} requests",
        sent[1] as f64 / 1e3,
        sent[1] as f64 * 100.0 / sent[0] as f64,
        requests[1]
    );
}

/// Waits for `pid` and returns its exit status and resource usage (CPU, peak RSS).
/// The statusq binary, run through GNU time(1) when it is installed: Linux charges a child
/// started by this (large) process with this process's memory, but time(1) forks statusq from
/// its own small image and reports statusq's peak RSS alone, into `rss_file`.
fn measured(rss_file: &std::path::Path) -> Command {
    if std::path::Path::new("/usr/bin/time").exists() {
        let mut command = Command::new("/usr/bin/time");
        command
            .args(["-f", "%M", "-o"])
            .arg(rss_file)
            .arg(env!("CARGO_BIN_EXE_statusq"));
        command
    } else {
        Command::new(env!("CARGO_BIN_EXE_statusq"))
    }
}

/// The peak RSS time(1) wrote, in MB.
fn own_rss(rss_file: &std::path::Path) -> Option<f64> {
    let text = std::fs::read_to_string(rss_file).ok()?;
    let kb: f64 = text.lines().last()?.trim().parse().ok()?;
    Some(kb / 1024.0)
}

/// Counts a child's snapshot lines as they come (lines, ok, the first failure): holding the
/// output would grow this process, and Linux would charge that to the next child's peak RSS.
fn count_snapshots(
    stdout: std::process::ChildStdout,
) -> std::thread::JoinHandle<(usize, usize, Option<String>)> {
    std::thread::spawn(move || {
        let (mut lines, mut ok, mut first_error) = (0usize, 0usize, None);
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)) {
            let record: serde_json::Value = serde_json::from_str(&line.unwrap()).unwrap();
            lines += 1;
            if record["ok"] == true {
                ok += 1;
            } else if first_error.is_none() {
                first_error = Some(format!("{}: {}", record["provider"], record["error"]));
            }
        }
        (lines, ok, first_error)
    })
}

/// A `timeval` of `rusage` as a duration.
fn cpu(t: libc::timeval) -> Duration {
    Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000)
}

fn wait_with_usage(pid: libc::pid_t) -> (i32, libc::rusage) {
    let mut status = 0;
    // SAFETY: zeroed rusage is a valid value; wait4 fills it for our own child.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    let rc = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    assert_eq!(rc, pid, "wait4 failed");
    (libc::WEXITSTATUS(status), usage)
}

/// A Statuspage page's three documents: the status.claude.com summary with an open incident,
/// an incidents.json of two real GitHub incidents (26 updates), claude.com's maintenances.
fn statuspage_documents() -> [Vec<u8>; 3] {
    let a: serde_json::Value =
        serde_json::from_slice(&fixture("statuspage/github-incident-smdz34v7j8q0.json")).unwrap();
    let b: serde_json::Value =
        serde_json::from_slice(&fixture("statuspage/github-incident-gqx5l06jjxhp.json")).unwrap();
    [
        fixture("statuspage/claude-summary-active-incident.json"),
        serde_json::json!({"page": a["page"], "incidents": [a["incident"], b["incident"]]})
            .to_string()
            .into_bytes(),
        fixture("statuspage/claude-scheduled-maintenances.json"),
    ]
}

/// `statusq fetch --all` over the whole built-in catalog, served from loopback: each supported
/// page's row is overridden in a config to the same path on the test server, and answered with
/// a real payload of its platform (the one `tests/cli/catalog.rs` fetches for it).
fn catalog_run(latency: Duration) {
    let dir = tempfile::tempdir().unwrap();
    let listed = Command::new(env!("CARGO_BIN_EXE_statusq"))
        .args(["providers", "--json", "--supported"])
        .env("XDG_CONFIG_HOME", dir.path())
        .output()
        .unwrap();
    let providers: Vec<serde_json::Value> = String::from_utf8(listed.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let statuspage = statuspage_documents();
    let by_format = move |format: &str, path: &str| -> Option<Vec<u8>> {
        Some(match format {
            "statuspage" if path.ends_with("/incidents.json") => statuspage[1].clone(),
            "statuspage" if path.ends_with("/scheduled-maintenances.json") => statuspage[2].clone(),
            "statuspage" => statuspage[0].clone(),
            "incidentio" if path.ends_with("/summary.json") => {
                fixture("incidentio/openai-api-v2-summary.json")
            }
            // The lists some incident.io pages lack (404): read from the summary alone.
            "incidentio" => return None,
            "instatus" if path.ends_with("/v2/components.json") => {
                fixture("instatus/perplexity-components-2026-09.json")
            }
            "instatus" => fixture("instatus/perplexity-summary-2026-09.json"),
            "betterstack" => fixture("betterstack/together-index-2026-09.json"),
            "statusio" => fixture("from-docs/statusio-status-from-docs.json"),
            "slack" => fixture("from-docs/slack-current-from-docs.json"),
            "gcp" => fixture("gcp/incidents-2022-07-first-2.json"),
            "datadog" => fixture("datadog/openrouter-config-2026-09.json"),
            "aws" => fixture("aws/currentevents-2026-09.json"),
            "checkly" => fixture("checkly/mistral-uptime-2026-09.json"),
            _ => fixture("rss/digitalocean-2020-01.rss"),
        })
    };
    let mut config = String::new();
    let mut formats: std::collections::HashMap<String, String> = Default::default();
    let server = {
        let formats_by_id =
            std::sync::Arc::new(std::sync::Mutex::new(std::collections::HashMap::<
                String,
                String,
            >::new()));
        let shared = std::sync::Arc::clone(&formats_by_id);
        let server = Server::start(move |req, _| {
            let id = req
                .path
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or("");
            let format = shared.lock().unwrap().get(id).cloned();
            match format {
                Some(format) => match by_format(&format, &req.path) {
                    Some(body) => Reply::json(body).delay(latency),
                    None => Reply::not_found().delay(latency),
                },
                None => Reply::not_found().delay(latency),
            }
        });
        for p in &providers {
            let (id, format, api) = (
                p["id"].as_str().unwrap(),
                p["format"].as_str().unwrap(),
                p["api"].as_str().unwrap(),
            );
            let path = api
                .split_once("://")
                .and_then(|(_, rest)| rest.split_once('/'))
                .map_or(String::new(), |(_, path)| format!("/{path}"));
            formats.insert(id.to_string(), format.to_string());
            config.push_str(&format!(
                "[providers.{id}]\nurl = \"{}\"\napi = \"{}\"\n",
                server.url(&format!("/{id}")),
                server.url(&format!("/{id}{path}"))
            ));
        }
        *formats_by_id.lock().unwrap() = formats.clone();
        server
    };
    let config_path = dir.path().join("catalog.toml");
    std::fs::write(&config_path, config).unwrap();
    let rss_file = dir.path().join("rss");
    let started = Instant::now();
    #[allow(clippy::zombie_processes)]
    let mut child = measured(&rss_file)
        .arg("--config")
        .arg(&config_path)
        .args(["fetch", "--all", "--no-cache"])
        .env("XDG_CONFIG_HOME", dir.path())
        .env("XDG_CACHE_HOME", dir.path().join("cache"))
        .stdout(Stdio::piped())
        .spawn()
        .expect("start statusq");
    let reader = count_snapshots(child.stdout.take().unwrap());
    let (status, usage) = wait_with_usage(child.id() as libc::pid_t);
    let wall = started.elapsed();
    let (lines, ok, first_error) = reader.join().unwrap();
    println!(
        "statusq fetch --all: the built-in catalog, {} pages on loopback, {} ms latency per response",
        providers.len(),
        latency.as_millis()
    );
    println!("  requests served   {}", server.seen().len());
    println!("  snapshots         {lines} written, {ok} ok, exit status {status}");
    println!("  wall time         {:.2} s", wall.as_secs_f64());
    println!(
        "  CPU time          {:.2} s user + {:.2} s system",
        cpu(usage.ru_utime).as_secs_f64(),
        cpu(usage.ru_stime).as_secs_f64()
    );
    if let Some(mb) = own_rss(&rss_file) {
        println!("  peak RSS          {mb:.1} MB (statusq alone, by time(1))");
    }
    assert_eq!(lines, providers.len(), "every page got a snapshot");
    assert!(first_error.is_none(), "{first_error:?}");
}
