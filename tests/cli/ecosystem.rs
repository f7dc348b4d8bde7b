//! Fitting the ecosystem: the statuspage exporters' metric names, `/metrics` over gzip and its
//! own health metrics, bounded series, and the shipped operations files — the Grafana
//! dashboard names only metrics `serve` really exports, the alert rules pass promtool's check
//! and their unit tests, the systemd units verify, the example config is read.

use crate::common::*;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `statusq render ARGS` over `input`: its stdout.
fn render(home: &Path, args: &[&str], input: &str) -> String {
    let output = statusq(home)
        .arg("render")
        .args(args)
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    String::from_utf8(output.stdout).unwrap()
}

/// The sample lines of `family` in an exposition.
fn samples<'a>(text: &'a str, family: &str) -> Vec<&'a str> {
    text.lines()
        .filter(|l| l.starts_with(&format!("{family}{{")) || l.starts_with(&format!("{family} ")))
        .collect()
}

#[test]
fn the_statuspage_exporters_names_are_published_as_their_users_expect() {
    let home = tempfile::tempdir().unwrap();
    let page = claude_page();
    let snapshot = snapshot_of(home.path(), "claude", page.to_string().as_bytes(), NOW);
    let out = render(
        home.path(),
        &["-f", "prometheus", "--compat", "statuspage-exporter"],
        &snapshot,
    );
    assert_promtool_accepts(&out);
    // statusq's own metrics are all still there.
    assert!(out.contains("statusq_up{provider=\"claude\",name=\"Claude\"} 1\n"));
    // The page states minor: an incident, -1.
    assert_eq!(
        samples(&out, "statuspage_service_status"),
        ["statuspage_service_status{service_name=\"claude\"} -1"]
    );
    // One series per component, counted against the raw page: -1 for the degraded one.
    let components = page["components"].as_array().unwrap();
    let series = samples(&out, "statuspage_component_status");
    assert_eq!(series.len(), components.len());
    for component in components {
        let name = component["name"].as_str().unwrap();
        let value = match component["status"].as_str().unwrap() {
            "operational" => "1",
            "under_maintenance" => "0",
            _ => "-1",
        };
        let line = format!(
            "statuspage_component_status{{service_name=\"claude\",component_name=\"{name}\"}} {value}"
        );
        assert!(series.contains(&line.as_str()), "{line}\n{series:?}");
    }
    let incident = &page["incidents"][0];
    let info = samples(&out, "statuspage_incident_info");
    assert_eq!(info.len(), 1, "{info:?}");
    for label in [
        format!("incident_id=\"{}\"", incident["id"].as_str().unwrap()),
        format!("incident_name=\"{}\"", incident["name"].as_str().unwrap()),
        format!("impact=\"{}\"", incident["impact"].as_str().unwrap()),
        format!("shortlink=\"{}\"", incident["shortlink"].as_str().unwrap()),
        "started_at=\"".to_string(),
        "affected_components=\"Claude Console (platform.claude.com)\"".to_string(),
    ] {
        assert!(info[0].contains(&label), "{label}: {}", info[0]);
    }
    assert_eq!(samples(&out, "statuspage_response_time_seconds").len(), 1);
    // Without the flag, none of theirs.
    let plain = render(home.path(), &["-f", "prometheus"], &snapshot);
    assert!(!plain.contains("statuspage_"));
}

#[test]
fn a_page_of_thousands_of_components_is_bounded_to_those_in_trouble() {
    let home = tempfile::tempdir().unwrap();
    let mut page = claude_page();
    let real = page["components"][0].clone();
    let mut components = Vec::new();
    for n in 0..3000 {
        let mut c = real.clone();
        c["id"] = format!("c{n}").into();
        c["name"] = format!("Edge {n}").into();
        c["status"] = if n % 1000 == 7 {
            "major_outage"
        } else {
            "operational"
        }
        .into();
        components.push(c);
    }
    page["components"] = components.into();
    let snapshot = snapshot_of(home.path(), "claude", page.to_string().as_bytes(), NOW);
    let out = render(home.path(), &["-f", "prometheus"], &snapshot);
    // The default bound: 500; past it only the three in outage have series.
    assert_eq!(samples(&out, "statusq_component_severity").len(), 3);
    assert_eq!(
        samples(&out, "statusq_components_omitted"),
        ["statusq_components_omitted{provider=\"claude\"} 2997"]
    );
    let out = render(
        home.path(),
        &["-f", "prometheus", "--max-components-metrics", "5000"],
        &snapshot,
    );
    assert_eq!(samples(&out, "statusq_component_severity").len(), 3000);
    assert!(samples(&out, "statusq_components_omitted").is_empty());
    assert_promtool_accepts(&out);
}

/// Every statusq metric name a PromQL expression names (`statusq_…`, `statuspage_…`; not
/// Prometheus' own `up`).
fn metric_names(expr: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut word = String::new();
    for c in expr.chars().chain([' ']) {
        if c.is_ascii_alphanumeric() || c == '_' {
            word.push(c);
        } else {
            if word.starts_with("statusq_") || word.starts_with("statuspage_") {
                names.push(std::mem::take(&mut word));
            }
            word.clear();
        }
    }
    names
}

#[test]
fn serve_metrics_come_gzipped_with_build_info_and_poll_failures_and_hold_every_dashboard_metric() {
    let home = tempfile::tempdir().unwrap();
    let mut page = claude_page();
    page["scheduled_maintenances"] = serde_json::json!([claude_maintenance(
        "scheduled",
        "2026-11-23T13:00:00Z",
        "2026-11-23T14:00:00Z"
    )]);
    let server = Server::routes(statuspage_routes(
        "claude",
        Reply::json(page.to_string()),
        None,
        None,
    ));
    let mut config =
        std::fs::read_to_string(config_for(home.path(), &server, &["claude"])).unwrap();
    config.push_str("\n[providers.gone]\nurl = \"http://127.0.0.1:9/\"\nformat = \"statuspage\"\n");
    let config_path = home.path().join("serve.toml");
    std::fs::write(&config_path, config).unwrap();
    let (_serve, address) = crate::watch::serve_on(
        "127.0.0.1:0",
        &config_path,
        &["claude", "gone"],
        &[
            "--metrics-compat",
            "statuspage-exporter",
            "--allow-short-intervals",
            "--interval",
            "10s",
        ],
    );
    assert!(
        crate::watch::wait_for(
            || crate::watch::http_get(&address, "/healthz").0 == 200,
            Duration::from_secs(30)
        ),
        "serve never became ready"
    );
    let (_, plain) = crate::watch::http_get(&address, "/metrics");
    let (head, packed) =
        crate::watch::http_exchange(&address, "GET", "/metrics", "Accept-Encoding: gzip\r\n");
    assert!(
        head.to_ascii_lowercase().contains("content-encoding: gzip"),
        "{head}"
    );
    let mut unpacked = String::new();
    flate2::read::GzDecoder::new(&packed[..])
        .read_to_string(&mut unpacked)
        .unwrap();
    assert!(
        packed.len() * 3 < unpacked.len(),
        "{} → {}",
        unpacked.len(),
        packed.len()
    );
    // The same exposition but for the scrape counter, which counts this very scrape.
    let steady = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|l| !l.starts_with("statusq_exporter_scrapes_total"))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(steady(&plain), steady(&unpacked));
    assert_promtool_accepts(&plain);
    let version = env!("CARGO_PKG_VERSION");
    assert!(plain.contains(&format!(
        "statusq_build_info{{version=\"{version}\",schema=\"1\"}} 1"
    )));
    assert!(
        plain.contains("statusq_poll_failures_total{provider=\"gone\"} 1\n"),
        "{plain}"
    );
    assert!(plain.contains("statusq_poll_failures_total{provider=\"claude\"} 0\n"));
    // The exporter's total is the pages' counters summed, not a count of its own.
    assert!(
        plain.contains("statusq_exporter_poll_failures_total 1\n"),
        "{plain}"
    );
    assert!(
        plain.contains("statusq_exporter_polls_total 2\n"),
        "{plain}"
    );
    assert!(plain.contains("statuspage_service_status{service_name=\"gone\"} -1\n"));

    // Every metric the shipped dashboard queries is one serve exports.
    let dashboard: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("contrib/grafana/statusq.json")).unwrap(),
    )
    .unwrap();
    let mut queried = Vec::new();
    for panel in dashboard["panels"].as_array().unwrap() {
        for target in panel["targets"].as_array().unwrap() {
            queried.extend(metric_names(target["expr"].as_str().unwrap()));
        }
    }
    assert!(queried.len() >= 10, "{queried:?}");
    let exported = |name: &str| !samples(&plain, name).is_empty();
    for name in &queried {
        assert!(
            plain
                .lines()
                .any(|l| l.starts_with(&format!("{name}{{")) || l.starts_with(&format!("{name} "))),
            "the dashboard queries {name}, which /metrics does not have"
        );
    }
    // And the alert rules', likewise.
    let rules =
        std::fs::read_to_string(root().join("contrib/prometheus/statusq-rules.yml")).unwrap();
    for line in rules
        .lines()
        .filter(|l| l.trim_start().starts_with("expr:"))
    {
        for name in metric_names(line) {
            assert!(
                exported(&name),
                "the rules use {name}, which /metrics does not have"
            );
        }
    }
}

#[test]
fn the_shipped_alert_rules_pass_promtool_and_their_unit_tests() {
    if !required_tool("promtool") {
        return;
    }
    let dir = root().join("contrib/prometheus");
    for args in [
        &["check", "rules", "statusq-rules.yml"][..],
        &["test", "rules", "statusq-rules.test.yml"][..],
    ] {
        let output = std::process::Command::new("promtool")
            .args(args)
            .current_dir(&dir)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "promtool {args:?}: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn the_shipped_systemd_units_verify() {
    if !required_tool("systemd-analyze") {
        return;
    }
    // Verified as installed: ExecStart's binary is this build's.
    let dir = tempfile::tempdir().unwrap();
    let units = [
        "statusq-serve.service",
        "statusq-notify.service",
        "statusq-notify.timer",
    ];
    for unit in units {
        let text = std::fs::read_to_string(root().join("contrib/systemd").join(unit)).unwrap();
        let text = text.replace("/usr/local/bin/statusq", &bin().display().to_string());
        std::fs::write(dir.path().join(unit), text).unwrap();
    }
    let output = std::process::Command::new("systemd-analyze")
        .arg("verify")
        .args(units.map(|u| dir.path().join(u)))
        .env("SYSTEMD_LOG_LEVEL", "warning")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&output.stderr).into_owned();
    // What a container without a running systemd says of itself is not the units' fault.
    let about_units: Vec<&str> = said
        .lines()
        .filter(|l| units.iter().any(|u| l.contains(u)))
        .collect();
    assert!(output.status.success() || about_units.is_empty(), "{said}");
    assert!(about_units.is_empty(), "{said}");
}

#[test]
fn the_example_config_is_read_with_its_pages_and_targets() {
    let home = tempfile::tempdir().unwrap();
    let output = statusq(home.path())
        .arg("--config")
        .arg(root().join("contrib/config.toml"))
        .args(["providers", "--json"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let providers = records(&output.stdout);
    let acme = providers.iter().find(|p| p["id"] == "acme").expect("acme");
    assert_eq!(acme["origin"], "config");
    let github = providers.iter().find(|p| p["id"] == "github").unwrap();
    assert_eq!(
        github["components"],
        serde_json::json!(["Actions", "Git Operations", "API Requests"])
    );
    // Its notify targets resolve (their secrets are the environment's, read when sent to).
    let output = statusq(home.path())
        .arg("--config")
        .arg(root().join("contrib/config.toml"))
        .args(["notify", "--dry-run", "ops", "incidents", "pager"])
        .env(
            "SLACK_WEBHOOK_URL",
            "https://hooks.slack.com/services/T/B/x",
        )
        .env("SLACK_BOT_TOKEN", "xoxb-1")
        .env("PAGERDUTY_ROUTING_KEY", "k")
        .write_stdin("")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
}
