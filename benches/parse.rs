//! Benchmark: parse throughput of every source adapter on its real (or documented) input.
//!
//!     cargo bench --bench parse
//!
//! Each adapter parses its input repeatedly for about half a second; the report is MB of input
//! parsed per second of one core. Target (issue 5): at least 50 MB/s for every adapter.

use statusq::model::Timestamp;
use statusq::sources::{Format, Page};
use std::path::Path;
use std::time::{Duration, Instant};

fn fixture(relative: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(relative),
    )
    .unwrap()
}

/// The Statuspage documents of one page, merged as `fetch` requests them.
fn statuspage_bodies() -> Vec<Vec<u8>> {
    let summary = fixture("statuspage/claude-summary-active-incident.json");
    let a: serde_json::Value =
        serde_json::from_slice(&fixture("statuspage/github-incident-smdz34v7j8q0.json")).unwrap();
    let b: serde_json::Value =
        serde_json::from_slice(&fixture("statuspage/github-incident-gqx5l06jjxhp.json")).unwrap();
    let incidents =
        serde_json::json!({"page": a["page"], "incidents": [a["incident"], b["incident"]]})
            .to_string()
            .into_bytes();
    let maintenances = fixture("statuspage/claude-scheduled-maintenances.json");
    vec![summary, incidents, maintenances]
}

fn main() {
    let cases: Vec<(&str, Format, Vec<Vec<u8>>)> = vec![
        (
            "statuspage (summary + incidents + maintenances)",
            Format::Statuspage,
            statuspage_bodies(),
        ),
        (
            "incidentio (summary)",
            Format::Incidentio,
            vec![fixture("incidentio/openai-api-v2-summary.json")],
        ),
        (
            "statuspage-feed (GitHub history.atom)",
            Format::StatuspageFeed,
            vec![fixture("atom/github-2026-08-22.atom")],
        ),
        (
            "statuspage-feed (DigitalOcean history.rss)",
            Format::StatuspageFeed,
            vec![fixture("rss/digitalocean-2020-01.rss")],
        ),
        (
            "custom-feed (GitHub history.atom as a plain feed)",
            Format::CustomFeed,
            vec![fixture("atom/github-2026-08-22.atom")],
        ),
        (
            "gcp (incidents.json, 1.3 MB)",
            Format::Gcp,
            vec![fixture("gcp/incidents-2022-07.json")],
        ),
        (
            "slack (documented schema)",
            Format::Slack,
            vec![fixture("from-docs/slack-current-from-docs.json")],
        ),
        (
            "instatus (documented schema)",
            Format::Instatus,
            vec![
                fixture("from-docs/instatus-summary-from-docs.json"),
                fixture("from-docs/instatus-components-from-docs.json"),
            ],
        ),
        (
            "betterstack (documented schema)",
            Format::Betterstack,
            vec![fixture("from-docs/betterstack-index-from-docs.json")],
        ),
        (
            "statusio (documented schema)",
            Format::Statusio,
            vec![fixture("from-docs/statusio-status-from-docs.json")],
        ),
    ];
    println!(
        "{:<52} {:>10} {:>8} {:>10}",
        "adapter (input)", "input", "runs", "MB/s"
    );
    let mut slowest = f64::MAX;
    let page = Page {
        url: "https://status.example.com",
        now: Timestamp::parse("2026-11-22T00:00:00Z").expect("a time"),
    };
    for (label, format, bodies) in &cases {
        let slices: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
        let bytes: usize = bodies.iter().map(Vec::len).sum();
        format.parse(&slices, page).expect(label);
        let started = Instant::now();
        let mut runs = 0u32;
        while started.elapsed() < Duration::from_millis(500) {
            let parts = format.parse(&slices, page).unwrap();
            std::hint::black_box(parts);
            runs += 1;
        }
        let rate = bytes as f64 * f64::from(runs) / started.elapsed().as_secs_f64() / 1e6;
        slowest = slowest.min(rate);
        println!("{label:<52} {:>8} KB {runs:>8} {rate:>10.0}", bytes / 1000);
    }
    println!("slowest adapter: {slowest:.0} MB/s (target: at least 50)");
}
