//! The platforms read from real captured pages (tests/fixtures/SOURCES.md): AWS Health, Datadog,
//! Checkly, Better Stack and Instatus. Every count here was made by hand from the raw file.

use crate::common::*;
use serde_json::Value;

fn snapshot_of(home: &std::path::Path, body: Vec<u8>) -> Value {
    let output = statusq(home)
        .args(["fetch", "x=-"])
        .write_stdin(body)
        .output()
        .unwrap();
    records(&output.stdout).remove(0)
}

fn list<'a>(snapshot: &'a Value, key: &str) -> &'a Vec<Value> {
    snapshot[key]
        .as_array()
        .unwrap_or_else(|| panic!("{key} in {snapshot}"))
}

fn by_id<'a>(snapshot: &'a Value, key: &str, id: &str) -> &'a Value {
    list(snapshot, key)
        .iter()
        .find(|item| item["id"] == id)
        .unwrap_or_else(|| panic!("{key} {id}"))
}

/// The document as AWS serves it: UTF-16 big-endian with a byte-order mark.
fn utf16_be(text: &[u8]) -> Vec<u8> {
    let text = std::str::from_utf8(text).unwrap();
    [0xfe, 0xff]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
        .collect()
}

#[test]
fn aws_currentevents_in_utf16_gives_its_three_events() {
    let home = tempfile::tempdir().unwrap();
    let raw = fixture("aws/currentevents-2026-09.json");
    let snapshot = snapshot_of(home.path(), utf16_be(&raw));
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(snapshot["format"], "aws");
    assert!(
        snapshot["components"].is_null(),
        "AWS lists only services with an event"
    );
    // Three events: Oregon resolved ("status": "0" and an end_time), UAE and Bahrain open at 3.
    assert_eq!(list(&snapshot, "incidents").len(), 3);
    assert_eq!(snapshot["status"]["indicator"], "major");
    assert_eq!(snapshot["status"]["description"], "2 open events");

    let oregon = by_id(
        &snapshot,
        "incidents",
        "arn:aws:health:us-west-2::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE_926DB_F0036494EA4",
    );
    assert_eq!(oregon["status"], "resolved");
    assert_eq!(
        oregon["name"], "Increased API Error Rates",
        "[RESOLVED] is the status's job"
    );
    assert_eq!(
        oregon["created_at"], "2026-09-03T21:49:58Z",
        "date 1788472198"
    );
    assert_eq!(
        oregon["resolved_at"], "2026-09-04T00:07:54Z",
        "end_time 1788480474"
    );
    assert_eq!(
        oregon["impact"], "none",
        "its services peaked at 1, informational"
    );
    assert_eq!(oregon["updates"].as_array().unwrap().len(), 1);

    let uae = by_id(
        &snapshot,
        "incidents",
        "arn:aws:health:me-central-1::event/MULTIPLE_SERVICES/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE/AWS_MULTIPLE_SERVICES_OPERATIONAL_ISSUE_5E6B8_EF2498889B5",
    );
    assert_eq!(uae["status"], "investigating");
    assert!(uae["resolved_at"].is_null());
    assert_eq!(uae["impact"], "major");
    assert_eq!(uae["created_at"], "2026-03-01T12:51:25Z");
    let update = &uae["updates"][0];
    assert_eq!(
        update["body"],
        "We are investigating issues with AWS services in the ME-CENTRAL-1 Region."
    );
    let mut services: Vec<(String, String)> = update["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    services.sort();
    assert_eq!(
        services,
        [
            (
                "AWS Security Token Service (me-central-1)".into(),
                "major_outage".into()
            ),
            ("AWS Sign-In (me-central-1)".into(), "major_outage".into()),
            (
                "Amazon Bedrock (me-central-1)".into(),
                "major_outage".into()
            ),
        ]
    );
    // Bahrain's update has a summary of its own besides the title: both are kept.
    let bahrain = list(&snapshot, "incidents")
        .iter()
        .find(|i| i["id"].as_str().unwrap().contains("me-south-1"))
        .unwrap();
    assert!(bahrain["updates"][0]["body"]
        .as_str()
        .unwrap()
        .starts_with("Increased connectivity issues and API Error Rates\n\nWe are investigating"));

    // The same document in UTF-8 (as a proxy might re-encode it) reads the same.
    let plain = snapshot_of(home.path(), raw);
    assert_eq!(plain["incidents"], snapshot["incidents"]);
}

#[test]
fn broken_utf16_is_an_error_that_says_utf16() {
    let home = tempfile::tempdir().unwrap();
    let mut body = utf16_be(&fixture("aws/currentevents-2026-09.json"));
    body.truncate(body.len() - 1);
    let output = statusq(home.path())
        .args(["fetch", "aws=-"])
        .write_stdin(body)
        .output()
        .unwrap();
    let snapshot = records(&output.stdout).remove(0);
    assert_eq!(snapshot["ok"], false);
    let message = snapshot["error"]["message"].as_str().unwrap();
    assert!(message.contains("UTF-16"), "{message}");
    assert_eq!(
        output.status.code(),
        Some(3),
        "a failed page is a partial run"
    );
}

#[test]
fn aws_from_a_loopback_page_declared_in_the_config() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(vec![(
        "/public/currentevents".into(),
        Reply::json(utf16_be(&fixture("aws/currentevents-2026-09.json"))),
    )]);
    let config = home.path().join("c.toml");
    std::fs::write(
        &config,
        format!(
            "[providers.aws]\nurl = \"{}\"\nformat = \"aws\"\napi = \"{}\"\n",
            server.url("/health/status"),
            server.url("/public/currentevents")
        ),
    )
    .unwrap();
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "aws"])
        .output()
        .unwrap();
    let snapshot = records(&output.stdout).remove(0);
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(list(&snapshot, "incidents").len(), 3);
}

#[test]
fn datadog_config_json_gives_groups_and_resolved_incidents_with_their_timeline() {
    let home = tempfile::tempdir().unwrap();
    let snapshot = snapshot_of(
        home.path(),
        fixture("datadog/openrouter-config-2026-09.json"),
    );
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(snapshot["format"], "datadog");
    // Six components in the "API - Gateway" group and one on its own, all operational.
    let components = list(&snapshot, "components");
    assert_eq!(components.len(), 7);
    assert_eq!(
        components
            .iter()
            .filter(|c| c["group"] == "API - Gateway")
            .count(),
        6
    );
    assert!(components.iter().all(|c| c["status"] == "operational"));
    assert_eq!(snapshot["status"]["indicator"], "none");
    // Four incidents, all resolved, two timeline entries each; no maintenance (null upstream).
    let incidents = list(&snapshot, "incidents");
    assert_eq!(incidents.len(), 4);
    assert!(incidents.iter().all(|i| i["status"] == "resolved"));
    assert_eq!(list(&snapshot, "maintenances").len(), 0);
    let video = by_id(
        &snapshot,
        "incidents",
        "2a3d415a-1eed-417f-b269-6e308a7f7990",
    );
    assert_eq!(video["name"], "Degraded video generation API");
    assert_eq!(video["created_at"], "2026-09-04T18:27:00Z");
    assert_eq!(video["resolved_at"], "2026-09-04T21:12:00Z");
    assert_eq!(
        video["impact"], "minor",
        "the worst it gave a component: degraded"
    );
    assert_eq!(
        video["components"],
        serde_json::json!(["bb2402ad-3e98-4c75-9eb5-ca68ca683c5a"])
    );
    let updates = video["updates"].as_array().unwrap();
    assert_eq!(updates.len(), 2);
    assert_eq!(updates[0]["status"], "investigating", "oldest first");
    assert_eq!(
        updates[0]["components"][0]["status"],
        "degraded_performance"
    );
    assert_eq!(updates[1]["status"], "resolved");
    assert_eq!(updates[1]["at"], "2026-09-04T21:12:00Z");
}

#[test]
fn datadog_incident_open_degrades_the_page_and_a_withdrawn_one_is_gone() {
    let home = tempfile::tempdir().unwrap();
    let mut doc: Value =
        serde_json::from_slice(&fixture("datadog/openrouter-config-2026-09.json")).unwrap();
    let incidents = doc["incidents"].as_array_mut().unwrap();
    incidents[0]["currentStatus"] = "identified".into();
    incidents[0]["resolved"] = false.into();
    incidents[0]["resolvedDate"] = "".into();
    incidents[0]["timeline"].as_array_mut().unwrap().remove(0);
    incidents[1]["deletedAt"] = "2026-09-12T00:00:00Z".into();
    doc["components"][0]["components"][1]["status"] = "partial_outage".into();
    let snapshot = snapshot_of(home.path(), doc.to_string().into_bytes());
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(list(&snapshot, "incidents").len(), 3);
    let open = by_id(
        &snapshot,
        "incidents",
        "2a3d415a-1eed-417f-b269-6e308a7f7990",
    );
    assert_eq!(open["status"], "identified");
    assert!(open["resolved_at"].is_null());
    assert_eq!(snapshot["status"]["indicator"], "major", "a partial outage");
}

#[test]
fn checkly_uptime_gives_services_and_each_incident_once() {
    let home = tempfile::tempdir().unwrap();
    let snapshot = snapshot_of(home.path(), fixture("checkly/mistral-uptime-2026-09.json"));
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(snapshot["format"], "checkly");
    // 12 services in "API", 5 in "Services"; nothing open, so all operational.
    let components = list(&snapshot, "components");
    assert_eq!(components.len(), 17);
    assert_eq!(
        components.iter().filter(|c| c["group"] == "API").count(),
        12
    );
    assert!(components.iter().all(|c| c["status"] == "operational"));
    // Incidents: Chat Completions 6, Conversations 3, Audio 2, Integrations 1, Skills 1, Vibe 1.
    let incidents = list(&snapshot, "incidents");
    assert_eq!(incidents.len(), 14);
    assert!(incidents.iter().all(|i| i["status"] == "resolved"));
    let vibe = by_id(
        &snapshot,
        "incidents",
        "a5bcd88b-80bc-435f-aa4c-5bcd25b5e257",
    );
    assert_eq!(vibe["impact"], "major");
    assert_eq!(vibe["created_at"], "2026-09-03T12:55:31.371Z");
    assert_eq!(
        vibe["components"],
        serde_json::json!(["edb2d9fb-f852-4b73-8fd4-e0465b90f4a1"])
    );
    assert_eq!(snapshot["status"]["indicator"], "none");

    // The same incident reopened on the page: the service listing it is degraded.
    let mut doc: Value =
        serde_json::from_slice(&fixture("checkly/mistral-uptime-2026-09.json")).unwrap();
    doc["uptime"][1]["services"][2]["days"][0]["events"][0]["lastUpdateStatus"] =
        "MONITORING".into();
    let open = snapshot_of(home.path(), doc.to_string().into_bytes());
    let vibe = list(&open, "components")
        .iter()
        .find(|c| c["name"] == "Vibe")
        .unwrap();
    assert_eq!(vibe["status"], "partial_outage", "a MAJOR incident");
    assert_eq!(open["status"]["indicator"], "major");
}

#[test]
fn better_stack_real_index_has_its_resources_and_a_completed_maintenance() {
    let home = tempfile::tempdir().unwrap();
    let snapshot = snapshot_of(
        home.path(),
        fixture("betterstack/together-index-2026-09.json"),
    );
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(snapshot["format"], "betterstack");
    // 22 resources in 6 sections; "downtime" in a resource's history is not its status now.
    let components = list(&snapshot, "components");
    assert_eq!(components.len(), 22);
    assert!(components.iter().all(|c| c["status"] == "operational"));
    assert_eq!(
        components
            .iter()
            .filter(|c| c["group"] == "Inference - Chat")
            .count(),
        16
    );
    assert_eq!(snapshot["status"]["indicator"], "none");
    assert_eq!(list(&snapshot, "incidents").len(), 0);
    // One report, a maintenance, resolved, its two updates linked newest first upstream.
    let maintenances = list(&snapshot, "maintenances");
    assert_eq!(maintenances.len(), 1);
    let window = &maintenances[0];
    assert_eq!(window["status"], "completed");
    assert_eq!(window["scheduled_for"], "2026-07-03T04:00:59Z");
    assert_eq!(window["scheduled_until"], "2026-07-03T06:59:00Z");
    let updates = window["updates"].as_array().unwrap();
    assert_eq!(updates.len(), 2);
    assert!(updates[0]["body"]
        .as_str()
        .unwrap()
        .starts_with("We will be performing scheduled network maintenance"));
    assert_eq!(updates[1]["body"], "Maintenance ended");
}

#[test]
fn instatus_real_healthy_page_without_incident_arrays() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(vec![
        (
            "/p/summary.json".into(),
            Reply::json(fixture("instatus/perplexity-summary-2026-09.json")),
        ),
        (
            "/p/v2/components.json".into(),
            Reply::json(fixture("instatus/perplexity-components-2026-09.json")),
        ),
    ]);
    // Typed as a URL: detection must recognise the healthy page too.
    let output = statusq(home.path())
        .args(["fetch", &server.url("/p")])
        .output()
        .unwrap();
    let snapshot = records(&output.stdout).remove(0);
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(snapshot["format"], "instatus");
    assert_eq!(snapshot["status"]["indicator"], "none");
    assert_ne!(snapshot["status"]["description"], "Unknown");
    let names: Vec<&str> = list(&snapshot, "components")
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Website", "API", "Computer"]);
    assert_eq!(list(&snapshot, "incidents").len(), 0);
    assert_eq!(list(&snapshot, "maintenances").len(), 0);
}

#[test]
fn rootly_status_json_as_documented() {
    let home = tempfile::tempdir().unwrap();
    let snapshot = snapshot_of(
        home.path(),
        fixture("from-docs/rootly-status-from-docs.json"),
    );
    assert_eq!(snapshot["ok"], true, "{}", snapshot["error"]);
    assert_eq!(snapshot["format"], "rootly");
    assert_eq!(snapshot["status"]["indicator"], "none");
    assert_eq!(snapshot["status"]["description"], "All Systems Operational");
    assert_eq!(list(&snapshot, "incidents").len(), 0);
}
