//! What `statusq demo` plays: two real status pages, replayed a step per poll from payloads
//! the project holds (tests/fixtures, embedded in the binary) — GitHub's outage of 29 June
//! 2023 (`github-incident-gqx5l06jjxhp.json`: 8 updates from investigating to resolved, the
//! components each update names at the status it gave them) and Claude's maintenance of 29
//! August 2025 (`claude-scheduled-maintenances.json`: scheduled, in progress, verifying,
//! completed). Each step is served as a Statuspage API (`summary.json`, `incidents.json`,
//! `scheduled-maintenances.json`), so the real fetch, diff and text output read it.
//!
//! The times are moved so that each page's last update is `now` and the rest keep their real
//! distances before it: an incident three years old would be recorded silently as history
//! (DESIGN §4), not played as news.
//!
//! Pure: the documents of a step at `now`, nothing else; the shell (`cmd/demo.rs`) serves
//! them.

use crate::model::Timestamp;
use serde_json::{json, Value};

const GITHUB_INCIDENT: &[u8] =
    include_bytes!("../tests/fixtures/statuspage/github-incident-gqx5l06jjxhp.json");
const CLAUDE_SUMMARY: &[u8] =
    include_bytes!("../tests/fixtures/statuspage/claude-summary-active-incident.json");
const CLAUDE_MAINTENANCES: &[u8] =
    include_bytes!("../tests/fixtures/statuspage/claude-scheduled-maintenances.json");

/// The pages the demo serves, each under its own path (`/github`, `/claude`).
pub const PAGES: [(&str, &str); 2] = [("github", "GitHub"), ("claude", "Claude")];

/// How many steps the longest page has, its first (a quiet page) included: polls the demo
/// takes to play everything once.
pub fn steps() -> usize {
    updates(&github_incident()).len() + 1
}

/// The body of `path` (`/github/api/v2/summary.json`, …) at `step` (0: before anything
/// happened; past a page's last step, its last) with its times moved to end at `now`, or
/// `None` for a path not served.
pub fn document(path: &str, step: usize, now: Timestamp) -> Option<Vec<u8>> {
    let (page, document) = path.trim_start_matches('/').split_once("/api/v2/")?;
    let (documents, last) = match page {
        "github" => (github(step), last_update(&github_incident())),
        "claude" => (claude(step), last_update(&claude_maintenance())),
        _ => return None,
    };
    let shift = last.map_or(time::Duration::ZERO, |last| {
        now.datetime() - last.datetime()
    });
    let [summary, incidents, maintenances] = documents.map(|mut doc| {
        moved(&mut doc, shift);
        doc
    });
    let body = match document {
        "summary.json" => summary,
        "incidents.json" => incidents,
        "scheduled-maintenances.json" => maintenances,
        _ => return None,
    };
    serde_json::to_vec(&body).ok()
}

/// When `item`'s newest update was made.
fn last_update(item: &Value) -> Option<Timestamp> {
    updates(item)
        .last()
        .and_then(|u| u["created_at"].as_str())
        .and_then(Timestamp::parse)
}

/// Every time in `value` (the fields Statuspage dates things with) moved by `shift`.
fn moved(value: &mut Value, shift: time::Duration) {
    const TIMES: [&str; 8] = [
        "created_at",
        "updated_at",
        "display_at",
        "resolved_at",
        "started_at",
        "monitoring_at",
        "scheduled_for",
        "scheduled_until",
    ];
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                let time = field.as_str().and_then(Timestamp::parse);
                match time {
                    Some(time) if TIMES.contains(&key.as_str()) => {
                        *field = json!(Timestamp::from(time.datetime() + shift).to_string());
                    }
                    _ => moved(field, shift),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|item| moved(item, shift)),
        _ => {}
    }
}

fn claude_maintenance() -> Value {
    parse(CLAUDE_MAINTENANCES)["scheduled_maintenances"][0].clone()
}

fn parse(bytes: &[u8]) -> Value {
    serde_json::from_slice(bytes).unwrap_or(Value::Null)
}

fn github_incident() -> Value {
    parse(GITHUB_INCIDENT)["incident"].clone()
}

/// An incident's or maintenance's updates, oldest first (upstream lists them newest first).
fn updates(item: &Value) -> Vec<Value> {
    let mut updates = item["incident_updates"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    updates.reverse();
    updates
}

/// `item` as it stood after its first `shown` updates: their status, times and texts.
fn as_of(item: &Value, shown: usize) -> Value {
    let all = updates(item);
    let shown = &all[..shown.min(all.len())];
    let mut item = item.clone();
    let last = shown.last().cloned().unwrap_or(Value::Null);
    let mut newest_first = shown.to_vec();
    newest_first.reverse();
    item["incident_updates"] = Value::Array(newest_first);
    item["status"] = last["status"].clone();
    item["updated_at"] = last["created_at"].clone();
    let finished = matches!(last["status"].as_str(), Some("resolved" | "completed"));
    if !finished {
        item["resolved_at"] = Value::Null;
    }
    item
}

fn github(step: usize) -> [Value; 3] {
    let incident = github_incident();
    let total = updates(&incident).len();
    let shown = step.min(total);
    let page = json!({
        "id": incident["page_id"],
        "name": "GitHub",
        "url": "https://www.githubstatus.com",
        "time_zone": "Etc/UTC",
        "updated_at": incident["created_at"],
    });
    let current = (shown > 0).then(|| as_of(&incident, shown));
    // Each component at the status the latest update gave it.
    let given: Vec<(String, Value)> = current
        .as_ref()
        .and_then(|i| {
            i["incident_updates"][0]["affected_components"]
                .as_array()
                .cloned()
        })
        .unwrap_or_default()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap_or("").to_string(),
                c["new_status"].clone(),
            )
        })
        .collect();
    let components: Vec<Value> = incident["components"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .map(|mut component| {
            let id = component["id"].as_str().unwrap_or("").to_string();
            // Changed when the latest update changed it (before the incident, at its start).
            component["updated_at"] = current.as_ref().map_or_else(
                || incident["created_at"].clone(),
                |i| i["updated_at"].clone(),
            );
            component["status"] = given
                .iter()
                .find(|(code, _)| *code == id)
                .map_or_else(|| json!("operational"), |(_, status)| status.clone());
            component
        })
        .collect();
    let open = current
        .as_ref()
        .filter(|i| i["status"] != "resolved")
        .cloned();
    let status = match &open {
        Some(i) => json!({"indicator": i["impact"], "description": "Major System Outage"}),
        None => json!({"indicator": "none", "description": "All Systems Operational"}),
    };
    let listed: Vec<Value> = current.into_iter().collect();
    [
        json!({"page": page, "status": status, "components": components,
               "incidents": open.into_iter().collect::<Vec<_>>(), "scheduled_maintenances": []}),
        json!({"page": page, "incidents": listed}),
        json!({"page": page, "scheduled_maintenances": []}),
    ]
}

fn claude(step: usize) -> [Value; 3] {
    let mut summary = parse(CLAUDE_SUMMARY);
    let maintenance = claude_maintenance();
    let total = updates(&maintenance).len();
    // Its page as it was apart from the maintenance: no incident, every component up.
    summary["incidents"] = json!([]);
    summary["status"] = json!({"indicator": "none", "description": "All Systems Operational"});
    if let Some(components) = summary["components"].as_array_mut() {
        for component in components {
            component["status"] = json!("operational");
        }
    }
    let current = (step > 0).then(|| as_of(&maintenance, step.min(total)));
    let active = current
        .as_ref()
        .filter(|m| m["status"] != "completed")
        .cloned();
    if let Some(m) = &active {
        if m["status"] == "in_progress" || m["status"] == "verifying" {
            summary["status"] =
                json!({"indicator": "maintenance", "description": "Service Under Maintenance"});
        }
    }
    summary["scheduled_maintenances"] = Value::Array(active.into_iter().collect());
    let page = summary["page"].clone();
    [
        summary,
        json!({"page": page, "incidents": []}),
        json!({"page": page, "scheduled_maintenances": current.into_iter().collect::<Vec<_>>()}),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::parse("2026-12-03T12:00:00Z").unwrap()
    }

    fn read(path: &str, step: usize) -> Value {
        serde_json::from_slice(&document(path, step, now()).unwrap()).unwrap()
    }

    #[test]
    fn the_github_incident_is_played_an_update_a_step_then_stays_resolved() {
        assert_eq!(steps(), 9, "8 updates and the quiet page before them");
        let quiet = read("/github/api/v2/summary.json", 0);
        assert_eq!(quiet["incidents"], json!([]));
        assert_eq!(quiet["status"]["indicator"], "none");
        let first = read("/github/api/v2/summary.json", 1);
        assert_eq!(first["incidents"][0]["status"], "investigating");
        assert_eq!(
            first["incidents"][0]["incident_updates"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
        assert_eq!(first["incidents"][0]["resolved_at"], Value::Null);
        // The first update put all ten components in major outage (counted in the fixture).
        let down = first["components"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["status"] == "major_outage")
            .count();
        assert_eq!(down, 10);
        let last = read("/github/api/v2/incidents.json", 8);
        assert_eq!(last["incidents"][0]["status"], "resolved");
        assert_eq!(
            last["incidents"][0]["incident_updates"]
                .as_array()
                .unwrap()
                .len(),
            8
        );
        assert_eq!(
            read("/github/api/v2/summary.json", 8)["incidents"],
            json!([])
        );
        assert_eq!(
            read("/github/api/v2/summary.json", 20),
            read("/github/api/v2/summary.json", 8)
        );
        assert!(document("/github/api/v2/other.json", 1, now()).is_none());
        assert!(document("/nobody/api/v2/summary.json", 1, now()).is_none());
        // Real distances, ending now: resolved at 18:36:19, 44 minutes after the first update.
        let resolved = &last["incidents"][0];
        assert_eq!(
            resolved["incident_updates"][0]["created_at"],
            "2026-12-03T12:00:00Z"
        );
        assert_eq!(
            resolved["incident_updates"][7]["created_at"],
            "2026-12-03T11:15:52.187Z"
        );
    }

    #[test]
    fn the_claude_maintenance_goes_from_scheduled_to_completed() {
        let statuses: Vec<Value> = (1..=4)
            .map(|step| {
                read("/claude/api/v2/scheduled-maintenances.json", step)["scheduled_maintenances"]
                    [0]["status"]
                    .clone()
            })
            .collect();
        assert_eq!(
            statuses,
            [
                json!("scheduled"),
                json!("in_progress"),
                json!("verifying"),
                json!("completed")
            ]
        );
        assert_eq!(
            read("/claude/api/v2/summary.json", 2)["status"]["indicator"],
            "maintenance"
        );
        assert_eq!(
            read("/claude/api/v2/summary.json", 4)["scheduled_maintenances"],
            json!([])
        );
    }
}
