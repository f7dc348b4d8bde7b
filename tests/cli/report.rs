//! `statusq report`: availability and incident history from real pages' own history, with the
//! figures worked out by hand in the comments.

use crate::common::*;
use serde_json::{json, Value};

/// Airbrake's real summary and the first three incidents of its real `incidents.json`
/// (`tests/fixtures/SOURCES.md`), fetched from a loopback server: one snapshot.
fn airbrake_snapshot() -> Value {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "airbrake",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        Some(Reply::json(fixture(
            "statuspage/airbrake-incidents-first-3.json",
        ))),
        None,
    ));
    let config = config_for(home.path(), &server, &["airbrake"]);
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "airbrake"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let snapshot = records(&output.stdout).remove(0);
    assert_eq!(snapshot["incidents"].as_array().unwrap().len(), 3);
    snapshot
}

fn report(input: &[Value], args: &[&str]) -> (i32, Vec<u8>, String) {
    let home = tempfile::tempdir().unwrap();
    let mut stdin = Vec::new();
    for record in input {
        stdin.extend(serde_json::to_vec(record).unwrap());
        stdin.push(b'\n');
    }
    let output = statusq(home.path())
        .arg("report")
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        output.stdout,
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn json_report(input: &[Value], args: &[&str]) -> Vec<Value> {
    let mut all = vec!["-f", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = report(input, &all);
    assert_eq!(code, 0, "{stderr}");
    records(&stdout)
}

fn component<'a>(report: &'a Value, name: &str) -> &'a Value {
    report["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no component {name}"))
}

fn close(actual: &Value, expected: f64) {
    let actual = actual.as_f64().unwrap_or(f64::NAN);
    assert!(
        (actual - expected).abs() < 1e-6,
        "{actual} is not {expected}"
    );
}

#[test]
fn airbrake_minutes_and_availability_are_the_hand_worked_figures() {
    let snapshot = airbrake_snapshot();
    // Window 2022-09-01 → 2023-04-01: the oldest incident listed (2022-08-24) is older, so
    // coverage is full; 212 days = 305,280 minutes.
    let out = json_report(
        std::slice::from_ref(&snapshot),
        &["--from", "2022-09-01", "--to", "2023-04-01"],
    );
    let r = &out[0];
    assert_eq!(r["type"], "report");
    assert_eq!(r["coverage"], "full");
    assert_eq!(r["covered_from"], "2022-08-24T16:51:29.677Z");

    // Notifications:
    // - 645jyxdr7qmx (2023-03-15, -07:00): degraded from the incident's start 07:53:20.848 (its
    //   first update says so) to the resolving update at 15:25:43.803 = 7h32m22.955s = 452.38 min.
    // - wmy8nwxn6fgr (2022-12-28, -08:00): partial outage 12:41:33.157 → 17:13:23.172
    //   = 4h31m50.015s = 271.83 min.
    // - npcd6t7j0c2r (2022-08-24) is before the window.
    // Availability = 1 − 0.3 × 271.8336 / 305,280 = 0.999733.
    let notifications = component(r, "Notifications");
    close(&notifications["minutes"]["degraded_performance"], 452.4);
    close(&notifications["minutes"]["partial_outage"], 271.8);
    close(&notifications["minutes"]["major_outage"], 0.0);
    close(&notifications["availability"], 0.999733);
    assert_eq!(notifications["incidents"], 2);
    // Its days: the partial outage crosses UTC midnight (20:41Z → 01:13Z).
    assert_eq!(
        notifications["days"],
        json!([
            {"date": "2022-12-28", "worst": "partial_outage"},
            {"date": "2022-12-29", "worst": "partial_outage"},
            {"date": "2023-03-15", "worst": "degraded_performance"}
        ])
    );

    // Web App: only 645jyxdr7qmx, degraded 452.38 min: weight 0 by default, 100%.
    let web = component(r, "Web App");
    close(&web["minutes"]["degraded_performance"], 452.4);
    close(&web["availability"], 1.0);
    // A component no incident touched is listed, at 100%.
    close(&component(r, "Website")["availability"], 1.0);

    // Incidents created in the window: 645jyxdr7qmx (minor) and wmy8nwxn6fgr (major);
    // durations 452.38 and 271.83 min: total 724.2, median 362.1; their first updates came
    // 0.099 s and 0.158 s after creation.
    assert_eq!(r["incidents"]["count"], 2);
    assert_eq!(r["incidents"]["by_impact"], json!({"major": 1, "minor": 1}));
    close(&r["incidents"]["total_minutes"], 724.2);
    close(&r["incidents"]["median_minutes"], 362.1);
    close(&r["incidents"]["median_first_update_minutes"], 0.0);
    assert_eq!(r["incidents"]["reopened"], 0);

    // Weights are a flag: degraded at 0.1 costs Web App 45.238 of 305,280 minutes.
    let weighted = json_report(
        std::slice::from_ref(&snapshot),
        &[
            "--from",
            "2022-09-01",
            "--to",
            "2023-04-01",
            "--weights",
            "degraded=0.1",
        ],
    );
    close(
        &component(&weighted[0], "Web App")["availability"],
        0.999852,
    );
    close(&weighted[0]["weights"]["degraded_performance"], 0.1);
}

#[test]
fn a_window_older_than_the_history_is_partial_coverage_not_a_flattering_figure() {
    let snapshot = airbrake_snapshot();
    // From 2022-08-01: the page lists nothing before 2022-08-24T16:51:29.677Z, so figures run
    // from there: 315,788.5 minutes to 2023-04-01. Notifications adds npcd6t7j0c2r's
    // degraded 09:51:29.677 → 12:22:34.593 (-07:00) = 151.08 min (its third update set it
    // operational before the incident was resolved). 1 − 0.3 × 271.8336 / 315,788.5 = 0.999742.
    let out = json_report(
        std::slice::from_ref(&snapshot),
        &["--from", "2022-08-01", "--to", "2023-04-01"],
    );
    let r = &out[0];
    assert_eq!(r["coverage"], "partial");
    let notifications = component(r, "Notifications");
    close(&notifications["minutes"]["degraded_performance"], 603.5);
    close(&notifications["availability"], 0.999742);
    let (_, text, _) = report(
        std::slice::from_ref(&snapshot),
        &["--from", "2022-08-01", "--to", "2023-04-01"],
    );
    let text = String::from_utf8(text).unwrap();
    assert!(
        text.contains("history covers only since 2022-08-24"),
        "{text}"
    );

    // Before the oldest incident altogether: nothing to measure, no availability.
    let out = json_report(
        std::slice::from_ref(&snapshot),
        &["--from", "2021-01-01", "--to", "2022-01-01"],
    );
    assert_eq!(out[0]["coverage"], "none");
    assert!(component(&out[0], "Web App")["availability"].is_null());
}

#[test]
fn overlapping_incidents_count_the_worst_once_and_an_open_one_counts_to_the_end() {
    let mut snapshot = airbrake_snapshot();
    // A second, still open incident on Notifications from 2023-03-15T20:00Z: major outage
    // while 645jyxdr7qmx still has it degraded (until 22:25:43.803Z).
    let open = json!({
        "id": "overlap", "name": "Notifications down", "status": "investigating",
        "impact": "critical", "url": null, "created_at": "2023-03-15T20:00:00Z",
        "updated_at": "2023-03-15T20:00:00Z", "resolved_at": null,
        "components": ["r3tsbzdb7qst"],
        "updates": [{"id": "u1", "status": "investigating", "body": "Down.",
            "at": "2023-03-15T20:00:00Z",
            "components": [{"id": "r3tsbzdb7qst", "name": "Notifications",
                "status": "major_outage"}]}]
    });
    snapshot["incidents"]
        .as_array_mut()
        .unwrap()
        .insert(0, open);
    // Window ends 2023-03-16T00:00Z: the open incident counts 4 h = 240 min of major outage.
    // 645jyxdr7qmx's degraded time is what the outage does not cover: 14:53:20.848Z → 20:00Z
    // = 306.65 min (not 452.38: the overlap counts once, at the worse status).
    let out = json_report(
        std::slice::from_ref(&snapshot),
        &["--from", "2023-03-01", "--to", "2023-03-16"],
    );
    let r = &out[0];
    let notifications = component(r, "Notifications");
    close(&notifications["minutes"]["major_outage"], 240.0);
    close(&notifications["minutes"]["degraded_performance"], 306.7);
    // 15 days = 21,600 min: 1 − 240 / 21,600.
    close(&notifications["availability"], 0.988889);
    assert_eq!(r["incidents"]["open"], 1);
    assert_eq!(r["incidents"]["count"], 2);
    assert_eq!(
        r["incidents"]["by_impact"],
        json!({"critical": 1, "minor": 1})
    );
}

#[test]
fn google_cloud_products_minutes_from_the_real_history() {
    let home = tempfile::tempdir().unwrap();
    let output = statusq(home.path())
        .arg("fetch")
        .arg(format!(
            "gcp={}",
            fixture_file("gcp/incidents-2022-07-first-2.json").display()
        ))
        .output()
        .unwrap();
    let snapshot = records(&output.stdout).remove(0);
    // TaA75H7XA1DQyM2ReK2f (BigQuery): begin 13:37:44Z, SERVICE_INFORMATION (degraded) from
    // its start, AVAILABLE at 19:25:45Z: 5h48m01s = 348.02 min.
    // mDY7jN545et9XUV541MZ (Composer, Cloud SQL): 2022-06-30T18:12:00Z → 2022-07-01T02:15:28Z
    // = 8h03m28s = 483.47 min, across midnight.
    let out = json_report(
        std::slice::from_ref(&snapshot),
        &["--from", "2022-06-30T18:00:00Z", "--to", "2022-07-02"],
    );
    let r = &out[0];
    assert_eq!(r["coverage"], "partial", "history starts 18:12Z");
    let bigquery = component(r, "Google BigQuery");
    close(&bigquery["minutes"]["degraded_performance"], 348.0);
    let sql = component(r, "Google Cloud SQL");
    close(&sql["minutes"]["degraded_performance"], 483.5);
    assert_eq!(
        sql["days"],
        json!([
            {"date": "2022-06-30", "worst": "degraded_performance"},
            {"date": "2022-07-01", "worst": "degraded_performance"}
        ])
    );
    close(&r["incidents"]["total_minutes"], 831.5);
    // Over two years the HTML page has a bar per two days (at most 366 a row), each the worst
    // of its days.
    let (code, html, _) = report(
        std::slice::from_ref(&snapshot),
        &["-f", "html", "--from", "2020-06-30", "--to", "2022-07-02"],
    );
    assert_eq!(code, 0);
    let html = String::from_utf8(html).unwrap();
    assert_eq!(html.matches("<i class=").count(), 366 * 3);
    assert!(html.contains("title=\"2022-06-30 to 2022-07-01: degraded performance\""));
    // First updates 27m09s and 33m05s after the incidents began: median 30.1 min.
    close(&r["incidents"]["median_first_update_minutes"], 30.1);
}

#[test]
fn a_log_of_snapshots_keeps_incidents_the_page_no_longer_lists() {
    let newer = airbrake_snapshot();
    let mut older = newer.clone();
    older["fetched_at"] = "2022-09-01T00:00:00Z".into();
    // The newer snapshot no longer lists the oldest incident; the older one still did.
    let mut newer = newer;
    newer["incidents"].as_array_mut().unwrap().pop();
    let out = json_report(
        &[older, newer],
        &["--from", "2022-08-01", "--to", "2023-04-01"],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0]["snapshots"], 2);
    assert_eq!(out[0]["covered_from"], "2022-08-24T16:51:29.677Z");
    assert_eq!(out[0]["incidents"]["count"], 3);
}

#[test]
fn text_markdown_csv_and_html_say_the_same() {
    let snapshot = airbrake_snapshot();
    let window = ["--from", "2022-09-01", "--to", "2023-04-01"];
    let run = |format: &str| {
        let mut args = vec!["-f", format];
        args.extend_from_slice(&window);
        let (code, out, stderr) = report(std::slice::from_ref(&snapshot), &args);
        assert_eq!(code, 0, "{stderr}");
        String::from_utf8(out).unwrap()
    };
    let text = run("text");
    assert!(
        text.contains("airbrake page (airbrake) — 2022-09-01 to 2023-04-01"),
        "{text}"
    );
    assert!(
        text.contains("first update within a minute (median)"),
        "{text}"
    );
    assert!(text.contains("2 incidents (1 major, 1 minor)"), "{text}");
    let row = text
        .lines()
        .find(|l| l.trim_start().starts_with("Notifications"))
        .unwrap();
    assert!(
        row.contains("99.97%") && row.contains("4h 32m") && row.contains("7h 32m"),
        "{row}"
    );

    let markdown = run("markdown");
    assert!(
        markdown.contains("| Notifications | 99.97% | — | 4h 32m | 7h 32m | — | 2 |"),
        "{markdown}"
    );

    let csv = run("csv");
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 8, "one row per component");
    let notifications = rows.iter().find(|r| r[3] == "Notifications").unwrap();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    assert_eq!(notifications[col("availability")], "0.999733");
    assert_eq!(notifications[col("partial_outage_minutes")], "271.8");

    let html = run("html");
    // 212 days, a bar each, for each of the 8 components.
    assert_eq!(html.matches("<i class=").count(), 212 * 8);
    assert!(html.contains("title=\"2022-12-28: partial outage\""));
}

#[test]
fn untrusted_names_cannot_break_out_of_any_format() {
    let mut snapshot = airbrake_snapshot();
    snapshot["name"] = "<script>alert(1)</script>\u{1b}[2J".into();
    snapshot["components"][0]["name"] = "=cmd|' /C calc'!A0,\"x\"\n| pipe".into();
    let window = ["--from", "2022-09-01", "--to", "2023-04-01"];
    let run = |format: &str| {
        let mut args = vec!["-f", format];
        args.extend_from_slice(&window);
        String::from_utf8(report(std::slice::from_ref(&snapshot), &args).1).unwrap()
    };
    let text = run("text");
    assert!(!text.contains('\u{1b}'));
    let html = run("html");
    assert!(!html.contains("<script>"));
    let csv = run("csv");
    assert!(
        csv.lines().count() == 9,
        "a newline in a name cannot add a row: {csv}"
    );
    assert!(
        csv.contains("\"'=cmd|' /C calc'!A0,\"\"x\"\" | pipe\""),
        "{csv}"
    );
    let markdown = run("markdown");
    assert!(markdown.contains("\\| pipe"), "{markdown}");
}

#[test]
fn no_snapshots_bad_windows_and_bad_lines_are_clear() {
    let (code, _, stderr) = report(&[], &[]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no snapshots"), "{stderr}");
    let snapshot = airbrake_snapshot();
    let (code, _, stderr) = report(
        std::slice::from_ref(&snapshot),
        &["--from", "2023-01-01", "--to", "2022-01-01"],
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("window is empty"), "{stderr}");
    let (code, _, stderr) = report(std::slice::from_ref(&snapshot), &["--weights", "major=3"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("between 0 and 1"), "{stderr}");
    let (code, _, stderr) = report(std::slice::from_ref(&snapshot), &["--from", "yesterday"]);
    assert_eq!(code, 2, "{stderr}");

    // A broken line is reported and skipped: exit 3, the rest reported.
    let home = tempfile::tempdir().unwrap();
    let mut stdin = b"{not json\n".to_vec();
    stdin.extend(serde_json::to_vec(&snapshot).unwrap());
    stdin.push(b'\n');
    let output = statusq(home.path())
        .args(["report", "-f", "json"])
        .write_stdin(stdin)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert_eq!(records(&output.stdout).len(), 1);
}

#[test]
fn the_json_record_has_the_fields_the_readme_documents() {
    let readme = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/records.md"),
    )
    .unwrap();
    let section = readme
        .split("## report (from `report`)")
        .nth(1)
        .expect("docs/records.md documents the report record");
    let block = section
        .split("```json\n")
        .nth(1)
        .and_then(|b| b.split("\n```").next())
        .unwrap();
    let documented: Value = serde_json::from_str(block).expect("README's report example parses");
    let out = json_report(
        &[airbrake_snapshot()],
        &["--from", "2022-09-01", "--to", "2023-04-01"],
    );
    fn keys(v: &Value) -> Vec<String> {
        let mut keys: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    }
    let actual = &out[0];
    assert_eq!(keys(actual), keys(&documented));
    for nested in ["incidents", "maintenance", "weights"] {
        assert_eq!(keys(&actual[nested]), keys(&documented[nested]), "{nested}");
    }
    assert_eq!(
        keys(&actual["components"][0]),
        keys(&documented["components"][0])
    );
    assert_eq!(
        keys(&actual["components"][0]["minutes"]),
        keys(&documented["components"][0]["minutes"])
    );
}

#[test]
fn prometheus_output_passes_promtool_and_carries_the_same_availability() {
    let snapshot = airbrake_snapshot();
    let (code, out, stderr) = report(
        std::slice::from_ref(&snapshot),
        &[
            "-f",
            "prometheus",
            "--from",
            "2022-09-01",
            "--to",
            "2023-04-01",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let text = String::from_utf8(out).unwrap();
    assert_promtool_accepts(&text);
    assert!(text.contains(
        "statusq_component_availability_ratio{provider=\"airbrake\",component=\"Notifications\",group=\"\",window=\"212d\"} 0.999733"
    ), "{text}");
    // 271.8 min of partial outage = 16,308 s.
    assert!(text.contains(
        "statusq_component_status_seconds{provider=\"airbrake\",component=\"Notifications\",group=\"\",status=\"partial_outage\",window=\"212d\"} 16308"
    ), "{text}");
    assert!(text.contains(
        "statusq_report_incidents{provider=\"airbrake\",impact=\"major\",window=\"212d\"} 1"
    ));
    assert!(text.contains("statusq_report_coverage_ratio{provider=\"airbrake\",window=\"212d\"} 1"));
}

const REPORT_HARNESS: &str = r#"<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="/report.html" style="width:WIDTHpx;height:3000px;border:0"></iframe>
<pre id="result">pending</pre>
<script>
document.getElementById('f').addEventListener('load', () => {
  const d = document.getElementById('f').contentDocument;
  const rows = [...d.querySelectorAll('.row')].map(r => {
    const bars = [...r.querySelectorAll('.bars i')];
    const colour = t => { const b = bars.find(i => i.title.startsWith(t)); return b ? getComputedStyle(b).backgroundColor : null; };
    return {
      name: r.querySelector('.name').textContent,
      pct: r.querySelector('.pct').textContent,
      bars: bars.length,
      narrowest: Math.min(...bars.map(i => i.getBoundingClientRect().width)),
      right: Math.max(...bars.map(i => i.getBoundingClientRect().right)),
      dec28: colour('2022-12-28'), mar15: colour('2023-03-15'), sep01: colour('2022-09-01'),
    };
  });
  document.getElementById('result').textContent = JSON.stringify({
    scroll_width: d.documentElement.scrollWidth, rows,
  });
});
</script></body></html>"#;

#[test]
fn a_headless_browser_draws_a_bar_per_day_coloured_by_the_worst_status() {
    if !required_tool("chromium") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let snapshot = airbrake_snapshot();
    let (code, page, stderr) = report(
        std::slice::from_ref(&snapshot),
        &["-f", "html", "--from", "2022-09-01", "--to", "2023-04-01"],
    );
    assert_eq!(code, 0, "{stderr}");
    let server = Server::start(move |req, _| {
        let html = |body: Vec<u8>| {
            Reply::status(200, body).header("Content-Type", "text/html; charset=utf-8")
        };
        match req.path.as_str() {
            "/report.html" => html(page.clone()),
            "/harness-1280.html" => html(REPORT_HARNESS.replace("WIDTH", "1280").into_bytes()),
            "/harness-390.html" => html(REPORT_HARNESS.replace("WIDTH", "390").into_bytes()),
            _ => Reply::not_found(),
        }
    });
    let profile = home.path().join("chromium");
    let measure = |width: u32| -> Value {
        chromium_measure(&profile, &server.url(&format!("/harness-{width}.html")))
    };
    for width in [1280u32, 390] {
        let layout = measure(width);
        let rows = layout["rows"].as_array().unwrap();
        assert_eq!(rows.len(), 8, "a row per component: {layout}");
        let notifications = rows.iter().find(|r| r["name"] == "Notifications").unwrap();
        assert_eq!(notifications["pct"], "99.97%");
        assert_eq!(notifications["bars"], 212, "a bar per day of the window");
        // Partial outage is orange, degraded yellow, an operational day green.
        assert_eq!(
            notifications["dec28"], "rgb(221, 107, 32)",
            "{notifications}"
        );
        assert_eq!(
            notifications["mar15"], "rgb(214, 158, 46)",
            "{notifications}"
        );
        assert_eq!(
            notifications["sep01"], "rgb(18, 128, 92)",
            "{notifications}"
        );
        assert!(
            notifications["narrowest"].as_f64().unwrap() > 0.5,
            "{notifications}"
        );
        assert!(
            layout["scroll_width"].as_u64().unwrap() <= u64::from(width),
            "nothing wider than {width}px: {layout}"
        );
        assert!(notifications["right"].as_f64().unwrap() <= f64::from(width));
    }
}

#[test]
fn maintenance_minutes_come_apart_from_the_real_claude_maintenances() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "claude",
        Reply::json(fixture("statuspage/claude-summary-active-incident.json")),
        None,
        Some(Reply::json(fixture(
            "statuspage/claude-scheduled-maintenances.json",
        ))),
    ));
    let config = config_for(home.path(), &server, &["claude"]);
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["fetch", "claude"])
        .output()
        .unwrap();
    let snapshot = records(&output.stdout).remove(0);
    // 16z0qdmy3qv2: in progress 2024-12-15T01:00:21.436Z, completed 01:26:47.953Z = 26.44 min,
    // claude.ai and the console. x017628t2rl5: in progress 2025-08-29T01:25:21.416Z, completed
    // 02:40:21.277Z = 75.00 min, claude.ai. Together 101.4 min; neither overlaps the other.
    let out = json_report(
        std::slice::from_ref(&snapshot),
        &["--from", "2024-12-01", "--to", "2025-09-01"],
    );
    let r = &out[0];
    assert_eq!(r["maintenance"]["count"], 2);
    close(&r["maintenance"]["minutes"], 101.4);
    // The page's only incident is of 2026: the window is before its history, so no
    // availability — but the maintenance minutes are known.
    assert_eq!(r["coverage"], "none");
    let claude_ai = r["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "rwppv331jlwc")
        .unwrap();
    close(&claude_ai["minutes"]["under_maintenance"], 101.4);
    assert!(claude_ai["availability"].is_null());
    assert_eq!(claude_ai["days"][0]["worst"], "under_maintenance");
}

#[test]
fn an_events_log_adds_the_changes_no_incident_announced() {
    let snapshot = airbrake_snapshot();
    let change = |at: &str, from: &str, to: &str| {
        json!({
            "type": "event", "v": 1, "event": "component.changed",
            "id": format!("airbrake/component/27tvp2nwtml4/{from}-{to}/{at}"),
            "provider": "airbrake", "name": "Airbrake", "url": "https://status.airbrake.io",
            "at": at, "observed_at": at, "incident": null, "maintenance": null, "update": null,
            "component": {"id": "27tvp2nwtml4", "name": "Website", "group": null,
                "qualified_name": "Website", "status": to},
            "from": from, "to": to
        })
    };
    // Website: major outage 2023-01-10 00:00 → 02:00Z, seen by statusq, in no incident:
    // 120 min; 1 − 120 / 305,280 = 0.999607.
    let out = json_report(
        &[
            snapshot,
            change("2023-01-10T00:00:00Z", "operational", "major_outage"),
            change("2023-01-10T02:00:00Z", "major_outage", "operational"),
        ],
        &["--from", "2022-09-01", "--to", "2023-04-01"],
    );
    let website = component(&out[0], "Website");
    close(&website["minutes"]["major_outage"], 120.0);
    close(&website["availability"], 0.999607);
    assert_eq!(website["incidents"], 0);
}
