//! Benchmark: `statusq report` over a year of a large vendor's history and over 500 providers.
//!
//!     cargo bench --bench report
//!
//! 1. A year of Google Cloud: 157 incidents (as many as the real `incidents.json` held from
//!    2021-07 to 2022-07), made from the two real incidents the project holds, shifted so one
//!    begins every 2.3 days. A daily `fetch` of it is simulated — each day's document parsed
//!    by the real adapter, which keeps the open incidents and the 50 most recent — so the log
//!    is 365 snapshots, as a daily cron job would leave. `report --since 365d` reads the log.
//! 2. 500 Statuspage providers (real payloads: the claude.com summary, two GitHub incidents
//!    with 26 updates, claude.com's maintenances), one snapshot each; and the same polled daily
//!    for a week (3,500 snapshots). `report --from 2023-01-01` (the GitHub incidents are of
//!    2023) reads them.
//!
//! 3. `check --since 30d` over the same 500 providers' week of snapshots: the window judged
//!    by report's timeline, a line per breach (the GitHub incidents of 2023-09 breach it).
//!
//! Each run is the release binary under GNU time(1): wall time, CPU and statusq's own peak RSS.

#[path = "common/mod.rs"]
mod common;

use common::{fixture, statuspage_bodies};
use statusq::model::{Record, Snapshot, SnapshotMeta, Timestamp};
use statusq::sources::{Format, Page, Parts};
use std::io::Write;
use std::path::Path;
use std::process::Command;
use std::time::Instant;

fn at(text: &str) -> time::OffsetDateTime {
    Timestamp::parse(text).unwrap().datetime()
}

fn shift(value: &mut serde_json::Value, by: time::Duration) {
    if let Some(text) = value.as_str() {
        if let Some(t) = Timestamp::parse(text) {
            *value = Timestamp::from(t.datetime() + by).to_string().into();
        }
    }
}

/// The year of GCP incidents, oldest first, each with its begin time.
fn gcp_year(start: time::OffsetDateTime) -> Vec<(time::OffsetDateTime, serde_json::Value)> {
    let raw: Vec<serde_json::Value> =
        serde_json::from_slice(&fixture("gcp/incidents-2022-07-first-2.json")).unwrap();
    let step = time::Duration::seconds(365 * 86_400 / 157);
    (0..157)
        .map(|n| {
            let mut incident = raw[n % 2].clone();
            let begin = start + step * n as i32;
            let by = begin - at(incident["begin"].as_str().unwrap());
            incident["id"] = format!("year-{n:03}").into();
            for key in ["begin", "end", "created", "modified"] {
                shift(&mut incident[key], by);
            }
            for update in incident["updates"].as_array_mut().unwrap() {
                for key in ["created", "modified", "when"] {
                    shift(&mut update[key], by);
                }
            }
            if let Some(update) = incident.get_mut("most_recent_update") {
                for key in ["created", "modified", "when"] {
                    shift(&mut update[key], by);
                }
            }
            (begin, incident)
        })
        .collect()
}

/// A snapshot of `parts` as `fetch` would write it.
fn snapshot(provider: &str, format: &str, fetched_at: Timestamp, parts: Parts) -> Snapshot {
    parts.into_snapshot(SnapshotMeta {
        provider: provider.to_string(),
        name: provider.to_string(),
        url: "https://status.example.com".to_string(),
        format: format.to_string(),
        fetched_at,
        elapsed_ms: 100,
    })
}

fn line(snapshot: Snapshot) -> Vec<u8> {
    let mut line = serde_json::to_vec(&Record::Snapshot(Box::new(snapshot))).unwrap();
    line.push(b'\n');
    line
}

/// Runs `statusq report ARGS FILE` under time(1); prints wall, CPU, RSS and what it found.
fn run(label: &str, file: &Path, args: &[&str], snapshots: usize) {
    let rss = file.with_extension("rss");
    let bytes = std::fs::metadata(file).unwrap().len();
    let started = Instant::now();
    let output = timed(&rss)
        .arg("report")
        .args(args)
        .args(["-f", "json"])
        .arg(file)
        .output()
        .expect("GNU time(1) (apt-get install time)");
    let wall = started.elapsed().as_secs_f64();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let fields = usage(&rss);
    let reports: Vec<serde_json::Value> = output
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let incidents: u64 = reports
        .iter()
        .map(|r| r["incidents"]["count"].as_u64().unwrap())
        .sum();
    println!("{label}");
    println!(
        "  input             {snapshots} snapshots, {:.1} MB",
        bytes as f64 / 1e6
    );
    println!(
        "  reports           {} ({incidents} incidents in the window)",
        reports.len()
    );
    println!("  wall time         {wall:.2} s");
    println!(
        "  CPU time          {:.2} s user + {:.2} s system",
        fields[0], fields[1]
    );
    println!("  peak RSS          {:.1} MB", fields[2] / 1024.0);
    println!("  throughput        {:.0} MB/s", bytes as f64 / 1e6 / wall);
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let page = |now: Timestamp| Page {
        url: "https://status.cloud.google.com",
        now,
    };

    // 1. A year of Google Cloud, fetched daily.
    let start = at("2025-11-30T00:00:00Z");
    let year = gcp_year(start);
    let log = dir.path().join("gcp-year.ndjson");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&log).unwrap());
    for day in 1..=365 {
        let now = start + time::Duration::days(day);
        let listed: Vec<&serde_json::Value> = year
            .iter()
            .filter(|(_, incident)| incident["end"].as_str().is_some_and(|end| at(end) <= now))
            .map(|(_, incident)| incident)
            .rev()
            .collect();
        let document = serde_json::to_vec(&listed).unwrap();
        let fetched = Timestamp::from(now);
        let parts = Format::from_word("gcp")
            .unwrap()
            .parse(&[&document], page(fetched))
            .unwrap();
        file.write_all(&line(snapshot("gcp", "gcp", fetched, parts)))
            .unwrap();
    }
    file.flush().unwrap();
    drop(file);
    run(
        "statusq report --since 365d: a year of Google Cloud, 365 daily snapshots",
        &log,
        &["--since", "365d", "--to", "2026-11-30T00:00:00Z"],
        365,
    );

    // 2. 500 Statuspage providers: one poll, then a week of daily polls.
    let bodies = statuspage_bodies();
    let slices: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
    let now = Timestamp::parse("2026-11-30T00:00:00Z").unwrap();
    let parts = Format::from_word("statuspage")
        .unwrap()
        .parse(
            &slices,
            Page {
                url: "https://status.example.com",
                now,
            },
        )
        .unwrap();
    let template = snapshot("p000", "statuspage", now, parts);
    for days in [1, 7] {
        let path = dir.path().join(format!("providers-{days}.ndjson"));
        let mut file = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
        for day in 0..days {
            let fetched = Timestamp::from(now.datetime() - time::Duration::days(day));
            for n in 0..500 {
                let id = format!("p{n:03}");
                let mut copy = template.clone();
                copy.provider.clone_from(&id);
                copy.name = id;
                copy.fetched_at = fetched;
                file.write_all(&line(copy)).unwrap();
            }
        }
        file.flush().unwrap();
        drop(file);
        run(
            &format!(
                "statusq report --from 2023-01-01: 500 Statuspage providers, {days} poll(s) each"
            ),
            &path,
            &["--from", "2023-01-01", "--to", "2026-11-30T00:00:00Z"],
            500 * days as usize,
        );
        if days == 7 {
            run_check(&path, 500 * days as usize);
        }
    }
}

/// statusq under GNU time(1), which writes its user and system CPU seconds and peak RSS (KiB)
/// to `rss`.
fn timed(rss: &Path) -> Command {
    let mut command = Command::new("/usr/bin/time");
    command
        .args(["-f", "%U %S %M", "-o"])
        .arg(rss)
        .arg(env!("CARGO_BIN_EXE_statusq"));
    command
}

/// What `timed` wrote to `rss`: user CPU s, system CPU s, peak RSS KiB.
fn usage(rss: &Path) -> Vec<f64> {
    std::fs::read_to_string(rss)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .split_whitespace()
        .map(|f| f.parse().unwrap())
        .collect()
}

/// `statusq check --since 30d` over `file`: wall, CPU, peak RSS and how many breaches.
fn run_check(file: &Path, snapshots: usize) {
    let rss = file.with_extension("check-rss");
    let started = Instant::now();
    let output = timed(&rss)
        .args(["check", "--since", "30d", "--to", "2023-09-30T00:00:00Z"])
        .arg(file)
        .output()
        .expect("GNU time(1) (apt-get install time)");
    let wall = started.elapsed().as_secs_f64();
    // The GitHub incidents of 2023-09-05 fall in the window: a breach is exit 1.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let fields = usage(&rss);
    let breaches = output
        .stdout
        .split(|b| *b == b'\n')
        .filter(|l| l.windows(4).any(|w| w == b"FAIL"))
        .count();
    println!("statusq check --since 30d: 500 Statuspage providers, a week of daily polls");
    println!("  input             {snapshots} snapshots");
    println!("  breaches          {breaches} lines, exit 1");
    println!("  wall time         {wall:.2} s");
    println!(
        "  CPU time          {:.2} s user + {:.2} s system",
        fields[0], fields[1]
    );
    println!("  peak RSS          {:.1} MB", fields[2] / 1024.0);
}
