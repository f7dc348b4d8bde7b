//! Benchmark: parse throughput of every source adapter on its real (or documented) input.
//!
//!     cargo bench --bench parse
//!
//! Each adapter parses its input repeatedly for about half a second; the report is MB of input
//! parsed per second of one core. Target (issue 5): at least 50 MB/s for every adapter.

#[path = "common/mod.rs"]
mod common;

use common::{fixture, statuspage_bodies};
use statusq::model::Timestamp;
use statusq::sources::{Format, Page};
use std::time::{Duration, Instant};

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

fn main() {
    let cases: Vec<(&str, Format, Vec<Vec<u8>>)> = vec![
        (
            "statuspage (summary + incidents + maintenances)",
            Format::from_word("statuspage").unwrap(),
            statuspage_bodies(),
        ),
        (
            "incidentio (summary)",
            Format::from_word("incidentio").unwrap(),
            vec![fixture("incidentio/openai-api-v2-summary.json")],
        ),
        (
            "statuspage-feed (GitHub history.atom)",
            Format::from_word("statuspage-feed").unwrap(),
            vec![fixture("atom/github-2025-05-26-upcoming-maintenance.atom")],
        ),
        (
            "statuspage-feed (DigitalOcean history.rss)",
            Format::from_word("statuspage-feed").unwrap(),
            vec![fixture("rss/digitalocean-2020-01.rss")],
        ),
        (
            "custom-feed (GitHub history.atom as a plain feed)",
            Format::from_word("custom-feed").unwrap(),
            vec![fixture("atom/github-2025-05-26-upcoming-maintenance.atom")],
        ),
        (
            "gcp (incidents.json, 1.3 MB from the real incidents)",
            Format::from_word("gcp").unwrap(),
            vec![gcp_history()],
        ),
        (
            "slack (documented schema)",
            Format::from_word("slack").unwrap(),
            vec![fixture("from-docs/slack-current-from-docs.json")],
        ),
        (
            "instatus (documented schema)",
            Format::from_word("instatus").unwrap(),
            vec![
                fixture("from-docs/instatus-summary-from-docs.json"),
                fixture("from-docs/instatus-components-from-docs.json"),
            ],
        ),
        (
            "betterstack (documented schema)",
            Format::from_word("betterstack").unwrap(),
            vec![fixture("from-docs/betterstack-index-from-docs.json")],
        ),
        (
            "statusio (documented schema)",
            Format::from_word("statusio").unwrap(),
            vec![fixture("from-docs/statusio-status-from-docs.json")],
        ),
        (
            "aws (currentevents in UTF-16, real)",
            Format::from_word("aws").unwrap(),
            vec![{
                let text = String::from_utf8(fixture("aws/currentevents-2026-09.json")).unwrap();
                [0xfe, 0xff]
                    .into_iter()
                    .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
                    .collect()
            }],
        ),
        (
            "checkly (uptime, real)",
            Format::from_word("checkly").unwrap(),
            vec![fixture("checkly/mistral-uptime-2026-09.json")],
        ),
        (
            "datadog (config.json, real)",
            Format::from_word("datadog").unwrap(),
            vec![fixture("datadog/openrouter-config-2026-09.json")],
        ),
        (
            "betterstack (index.json, real)",
            Format::from_word("betterstack").unwrap(),
            vec![fixture("betterstack/together-index-2026-09.json")],
        ),
        (
            "rootly (documented schema)",
            Format::from_word("rootly").unwrap(),
            vec![fixture("from-docs/rootly-status-from-docs.json")],
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
