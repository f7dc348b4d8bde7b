//! The built-in catalog as data (issue 26): every row well-formed, unique, of a platform this
//! build knows, with its evidence; the ids users already have kept; and every platform's row
//! shape fetched once through a loopback page.

use crate::common::*;
use std::collections::{HashMap, HashSet};

const CATALOG: &str = include_str!("../../src/catalog.tsv");
/// The 195 ids the catalog had before it grew (2026-12-02): part of users' configs and state.
const IDS_BEFORE: &str = include_str!("../catalog-ids-2026-12-02.txt");

struct Row<'a> {
    id: &'a str,
    name: &'a str,
    url: &'a str,
    platform: &'a str,
    endpoint: &'a str,
    evidence: &'a str,
}

fn rows() -> Vec<Row<'static>> {
    let mut lines = CATALOG.lines();
    assert_eq!(
        lines.next(),
        Some("id\tname\turl\tplatform\tendpoint\tevidence\ttags")
    );
    lines
        .filter(|l| !l.is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(f.len(), 7, "{line}");
            Row {
                id: f[0],
                name: f[1],
                url: f[2],
                platform: f[3],
                endpoint: f[4],
                evidence: f[5],
            }
        })
        .collect()
}

fn host(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let host = rest.split('/').next().unwrap().to_lowercase();
    host.strip_prefix("www.")
        .map(str::to_string)
        .unwrap_or(host)
}

#[test]
fn the_catalog_rows_are_unique_known_and_each_has_its_evidence() {
    let rows = rows();
    assert!(rows.len() >= 750, "{} rows", rows.len());
    let (mut ids, mut hosts) = (HashSet::new(), HashSet::new());
    for row in &rows {
        assert!(ids.insert(row.id), "id {} twice", row.id);
        assert!(
            hosts.insert(host(row.url)),
            "{} twice ({})",
            row.url,
            row.id
        );
        assert!(
            row.id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_'),
            "{}",
            row.id
        );
        assert!(!row.name.trim().is_empty(), "{}", row.id);
        assert!(
            row.url.starts_with("https://") || row.url.starts_with("http://"),
            "{}",
            row.id
        );
        assert!(!row.endpoint.is_empty(), "{}", row.id);
        // Where the facts come from: a repository at a commit, or a capture.
        assert!(
            row.evidence.contains('@') || row.evidence.contains("index-file#"),
            "{}: {:?}",
            row.id,
            row.evidence
        );
    }
    // Every platform is one statusq knows, and all but the three it names and does not read
    // (ids kept from before) are read by this build.
    let home = tempfile::tempdir().unwrap();
    let listed = records(
        &statusq(home.path())
            .args(["providers", "--json"])
            .output()
            .unwrap()
            .stdout,
    );
    assert_eq!(listed.len(), rows.len(), "every row is a provider");
    let unread: Vec<&str> = listed
        .iter()
        .filter(|p| p["supported"] != true)
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(unread, ["azure-devops", "heroku", "salesforce"]);
    let formats: HashMap<&str, &str> = listed
        .iter()
        .map(|p| (p["id"].as_str().unwrap(), p["format"].as_str().unwrap()))
        .collect();
    for row in &rows {
        assert_eq!(formats[row.id], row.platform, "{}", row.id);
    }
}

#[test]
fn every_id_the_catalog_had_is_still_there() {
    let ids: HashSet<&str> = rows().iter().map(|r| r.id).collect();
    let before: Vec<&str> = IDS_BEFORE.lines().filter(|l| !l.is_empty()).collect();
    assert_eq!(before.len(), 195);
    for id in before {
        assert!(ids.contains(id), "{id} is gone");
    }
}

/// A body for a page of `platform`, from the fixtures, and the documents beside it.
fn page_of(platform: &str) -> Option<Vec<(&'static str, Vec<u8>)>> {
    Some(match platform {
        "statuspage" => vec![("", fixture("statuspage/airbrake-summary.json"))],
        "incidentio" => vec![("", fixture("incidentio/openai-api-v2-summary.json"))],
        "betterstack" => vec![("", fixture("betterstack/together-index-2026-09.json"))],
        "instatus" => vec![
            ("", fixture("instatus/perplexity-summary-2026-09.json")),
            (
                "v2/components.json",
                fixture("instatus/perplexity-components-2026-09.json"),
            ),
        ],
        "statusio" => vec![("", fixture("from-docs/statusio-status-from-docs.json"))],
        "slack" => vec![("", fixture("from-docs/slack-current-from-docs.json"))],
        "gcp" => vec![("", fixture("gcp/incidents-2022-07-first-2.json"))],
        "datadog" => vec![("", fixture("datadog/openrouter-config-2026-09.json"))],
        "custom-feed" | "azure" => vec![("", fixture("rss/digitalocean-2020-01.rss"))],
        "aws" => vec![("", fixture("aws/currentevents-2026-09.json"))],
        "checkly" => vec![("", fixture("checkly/mistral-uptime-2026-09.json"))],
        _ => return None,
    })
}

#[test]
fn one_row_of_every_platform_fetches_through_a_loopback_page_as_the_catalog_shapes_it() {
    let home = tempfile::tempdir().unwrap();
    let mut first: Vec<&Row> = Vec::new();
    let rows = rows();
    for row in &rows {
        if !first.iter().any(|r| r.platform == row.platform) {
            first.push(row);
        }
    }
    let mut routes = Vec::new();
    let mut config = String::new();
    let mut fetched: Vec<&str> = Vec::new();
    let server_routes = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let shared = std::sync::Arc::clone(&server_routes);
    let server = Server::start(move |req, _| {
        let routes = shared.lock().unwrap();
        routes
            .iter()
            .find(|(path, _): &&(String, Vec<u8>)| *path == req.path)
            .map_or_else(Reply::not_found, |(_, body)| Reply::json(body.clone()))
    });
    for row in &first {
        let Some(documents) = page_of(row.platform) else {
            continue;
        };
        // The catalog's endpoint, relative or absolute, moved onto the test server.
        let path = match row.endpoint.split_once("://") {
            Some((_, rest)) => format!("/{}", rest.split_once('/').map_or("", |(_, p)| p)),
            None => row.endpoint.to_string(),
        };
        let api = format!("/{}{path}", row.id);
        let base = api
            .rsplit_once('/')
            .map_or(String::new(), |(b, _)| b.to_string());
        for (beside, body) in documents {
            let route = if beside.is_empty() {
                api.clone()
            } else {
                format!("{base}/{beside}")
            };
            routes.push((route, body));
        }
        config.push_str(&format!(
            "[providers.{}]\nurl = \"{}\"\napi = \"{}\"\n\n",
            row.id,
            server.url(&format!("/{}", row.id)),
            server.url(&api)
        ));
        fetched.push(row.id);
    }
    *server_routes.lock().unwrap() = routes;
    let path = home.path().join("catalog.toml");
    std::fs::write(&path, config).unwrap();
    let output = statusq(home.path())
        .arg("--config")
        .arg(&path)
        .arg("fetch")
        .args(&fetched)
        .output()
        .unwrap();
    let snapshots = records(&output.stdout);
    assert_eq!(snapshots.len(), fetched.len());
    for (id, snapshot) in fetched.iter().zip(&snapshots) {
        assert_eq!(snapshot["ok"], true, "{id}: {}", snapshot["error"]);
    }
    // Every platform the catalog has that this build reads was exercised.
    let platforms: HashSet<&str> = first.iter().map(|r| r.platform).collect();
    let unread: HashSet<&str> = ["azuredevops", "heroku", "salesforce"].into();
    assert_eq!(
        fetched.len(),
        platforms.difference(&unread).count(),
        "{fetched:?}"
    );
}

#[test]
fn tags_select_providers_for_fetch_and_watch_and_are_listed_with_their_counts() {
    let home = tempfile::tempdir().unwrap();
    // The catalog's own tags, counted from the file, as `providers --tags` says them.
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    let known = [
        "ai", "ci", "cloud", "comms", "data", "devtools", "payments", "auth",
    ];
    for line in CATALOG.lines().skip(1) {
        let tags = line.split('\t').nth(6).unwrap_or("");
        for tag in tags.split(',').filter(|t| !t.is_empty()) {
            assert!(known.contains(&tag), "{tag}");
            *counts.entry(tag.to_string()).or_default() += 1;
        }
    }
    assert!(counts["ai"] >= 10, "{counts:?}");
    let listed = statusq(home.path())
        .args(["providers", "--tags"])
        .output()
        .unwrap();
    let expected: String = counts.iter().map(|(t, n)| format!("{t}\t{n}\n")).collect();
    assert_eq!(String::from_utf8(listed.stdout).unwrap(), expected);

    // Two pages of the config tagged `mine`, one not: --tag takes exactly the two.
    let server = Server::routes(
        ["a", "b", "c"]
            .iter()
            .flat_map(|id| {
                statuspage_routes(
                    id,
                    Reply::json(fixture("statuspage/airbrake-summary.json")),
                    None,
                    None,
                )
            })
            .collect(),
    );
    let mut config = String::new();
    for (id, tags) in [
        ("a", "[\"mine\"]"),
        ("b", "[\"mine\", \"other\"]"),
        ("c", "[]"),
    ] {
        config.push_str(&format!(
            "[providers.{id}]\nurl = \"{}\"\ntags = {tags}\n\n",
            server.url(&format!("/{id}"))
        ));
    }
    let path = home.path().join("tags.toml");
    std::fs::write(&path, config).unwrap();
    let ids = |args: &[&str]| -> Vec<String> {
        let output = statusq(home.path())
            .arg("--config")
            .arg(&path)
            .args(args)
            .output()
            .unwrap();
        assert!(output.status.success(), "{args:?}: {output:?}");
        records(&output.stdout)
            .iter()
            .filter_map(|r| r["provider"].as_str().map(str::to_string))
            .collect()
    };
    assert_eq!(ids(&["fetch", "--tag", "mine"]), ["a", "b"]);
    assert_eq!(ids(&["fetch", "c", "--tag", "MINE"]), ["c", "a", "b"]);
    // watch --once over the tag: both polled (their first sight, in JSON).
    let state = home.path().join("state.json");
    let watched = statusq(home.path())
        .arg("--config")
        .arg(&path)
        .args(["watch", "--tag", "mine", "--once", "-f", "json", "--state"])
        .arg(&state)
        .output()
        .unwrap();
    assert!(watched.status.success(), "{watched:?}");
    assert_eq!(server.hits("/a/api/v2/summary.json"), 3);
    assert_eq!(server.hits("/c/api/v2/summary.json"), 1);
    // A tag nobody has is a usage error that names the tags there are.
    let output = statusq(home.path())
        .arg("--config")
        .arg(&path)
        .args(["fetch", "--tag", "nosuch"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("no provider has the tag \"nosuch\"") && stderr.contains("mine"),
        "{stderr}"
    );
}
