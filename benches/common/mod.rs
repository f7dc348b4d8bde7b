//! What the benchmarks share: the project's real payloads.

use std::path::Path;

/// A real payload from `tests/fixtures/`.
pub fn fixture(relative: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(relative),
    )
    .unwrap()
}

/// The Statuspage documents of one page, as `fetch` requests them: the claude.com summary
/// with an open incident, two real GitHub incidents (26 updates), claude.com's maintenances.
pub fn statuspage_bodies() -> Vec<Vec<u8>> {
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
