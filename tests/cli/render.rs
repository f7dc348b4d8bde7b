//! `statusq render`: every format from real-fixture snapshots and a real diff event stream.

use crate::common::*;
use serde_json::{json, Value};
use std::path::Path;

fn run(home: &Path, args: &[&str], input: &str) -> (i32, String, String) {
    let output = statusq(home)
        .args(args)
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Snapshots of three real pages and one that failed, as `fetch` writes them.
fn snapshots(home: &Path) -> String {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let output = statusq(home)
        .arg("fetch")
        .arg(format!(
            "claude={}",
            fixtures
                .join("statuspage/claude-summary-active-incident.json")
                .display()
        ))
        .arg(format!(
            "openai={}",
            fixtures
                .join("incidentio/openai-api-v2-summary.json")
                .display()
        ))
        .arg(format!(
            "intercom={}",
            fixtures
                .join("statuspage/intercom-summary-groups.json")
                .display()
        ))
        .output()
        .unwrap();
    let failed = json!({"type":"snapshot","v":1,"provider":"down","name":"Down Inc",
        "url":"https://status.down.example","format":"statuspage","fetched_at":NOW,"elapsed_ms":10000,
        "ok":false,"error":{"kind":"timeout","message":"GET https://status.down.example/api/v2/summary.json: no complete answer within 10s (--timeout)","http_status":null},
        "status":null,"components":null,"incidents":null,"maintenances":null});
    String::from_utf8(output.stdout).unwrap() + &failed.to_string() + "\n"
}

/// A real event stream: the whole history of a GitHub incident and of Claude's maintenances,
/// replayed through `diff`.
fn events(home: &Path) -> String {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let fetched = statusq(home)
        .arg("fetch")
        .arg(format!(
            "github={}",
            fixtures
                .join("statuspage/github-incident-gqx5l06jjxhp.json")
                .display()
        ))
        .arg(format!(
            "claude={}",
            fixtures
                .join("statuspage/claude-scheduled-maintenances.json")
                .display()
        ))
        .output()
        .unwrap();
    let output = statusq(home)
        .args(["diff", "--replay", "--state"])
        .arg(home.join("replay-state.json"))
        .write_stdin(fetched.stdout)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn text_board_of_real_snapshots_matches_its_snapshot() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, stderr) = run(
        home.path(),
        &["render", "--width", "80"],
        &snapshots(home.path()),
    );
    assert_eq!(code, 0, "{stderr}");
    insta::assert_snapshot!("board.txt", out);
}

#[test]
fn text_and_markdown_of_a_real_event_stream_match_their_snapshots() {
    let home = tempfile::tempdir().unwrap();
    let events = events(home.path());
    assert_eq!(
        events.lines().count(),
        8 + 8,
        "8 GitHub updates and 8 maintenance steps"
    );
    let (code, text, _) = run(home.path(), &["render", "--width", "80"], &events);
    assert_eq!(code, 0);
    insta::assert_snapshot!("events.txt", text);
    let (code, markdown, _) = run(home.path(), &["render", "-f", "markdown"], &events);
    assert_eq!(code, 0);
    insta::assert_snapshot!("events.md", markdown);
}

#[test]
fn no_input_renders_nothing_at_all() {
    let home = tempfile::tempdir().unwrap();
    for format in ["text", "markdown", "json"] {
        let (code, out, _) = run(home.path(), &["render", "-f", format], "");
        assert_eq!((code, out.as_str()), (0, ""), "{format}");
    }
    let (code, out, _) = run(
        home.path(),
        &["render", "-f", "email", "--to", "a@example.com"],
        "",
    );
    assert_eq!((code, out.as_str()), (0, ""), "no events, no mail");
}

#[test]
fn json_passes_records_through_and_every_line_parses() {
    let home = tempfile::tempdir().unwrap();
    let input = snapshots(home.path()) + &events(home.path());
    let (code, out, _) = run(home.path(), &["render", "-f", "json"], &input);
    assert_eq!(code, 0);
    let records = records(out.as_bytes());
    assert_eq!(records.len(), input.lines().count());
    let original: Vec<Value> = input
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(records, original, "normalised records are what came in");
    if which("jq") {
        let jq = std::process::Command::new("jq")
            .args(["-c", "."])
            .stdin(
                std::fs::File::open({
                    let path = home.path().join("out.ndjson");
                    std::fs::write(&path, &out).unwrap();
                    path
                })
                .unwrap(),
            )
            .output()
            .unwrap();
        assert!(jq.status.success(), "jq rejected the output");
        assert_eq!(
            String::from_utf8_lossy(&jq.stdout).lines().count(),
            records.len()
        );
    }
    let (_, pretty, _) = run(home.path(), &["render", "-f", "json", "--pretty"], &input);
    assert!(pretty.lines().count() > input.lines().count() * 5);
}

#[test]
fn prometheus_output_passes_promtool_and_states_every_status() {
    let home = tempfile::tempdir().unwrap();
    let (code, out, _) = run(
        home.path(),
        &["render", "-f", "prometheus"],
        &snapshots(home.path()),
    );
    assert_eq!(code, 0);
    assert!(out.contains("statusq_up{provider=\"claude\",name=\"Claude\"} 1\n"));
    assert!(out.contains("statusq_up{provider=\"down\",name=\"Down Inc\"} 0\n"));
    assert!(out.contains("statusq_page_status{provider=\"claude\",status=\"minor\"} 1\n"));
    assert!(
        out.contains("group=\"Intercom Messenger\""),
        "groups are labels"
    );
    assert!(out.contains("statusq_active_incidents{provider=\"claude\"} 1\n"));
    let severity_line = out
        .lines()
        .find(|l| {
            l.starts_with(
                "statusq_component_severity{provider=\"claude\",component_id=\"0qbwn08sd68x\"",
            )
        })
        .unwrap();
    assert!(
        severity_line.ends_with(" 2"),
        "degraded_performance is 2: {severity_line}"
    );
    // Every component has exactly one status set to 1.
    let ones = out
        .lines()
        .filter(|l| l.starts_with("statusq_component_status{") && l.ends_with(" 1"))
        .count();
    let components = out
        .lines()
        .filter(|l| l.starts_with("statusq_component_severity{"))
        .count();
    assert_eq!(ones, components);
    assert!(!out.contains("_total"));
    assert_promtool_accepts(&out);
}

#[test]
fn output_files_are_written_atomically_with_mode_0644() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let path = home.path().join("statusq.prom");
    std::fs::write(&path, "old").unwrap();
    let (code, out, _) = run(
        home.path(),
        &[
            "render",
            "-f",
            "prometheus",
            "--output",
            path.to_str().unwrap(),
        ],
        &snapshots(home.path()),
    );
    assert_eq!((code, out.as_str()), (0, ""));
    let written = std::fs::read_to_string(&path).unwrap();
    assert!(written.starts_with("# HELP statusq_up"));
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644);
    let leftovers = std::fs::read_dir(home.path())
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .contains(".tmp.")
        })
        .count();
    assert_eq!(leftovers, 0);
    let (code, _, stderr) = run(
        home.path(),
        &[
            "render",
            "-f",
            "html",
            "--output",
            "/nonexistent/dir/x.html",
        ],
        &snapshots(home.path()),
    );
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("statusq: /nonexistent/dir/x.html"),
        "{stderr}"
    );
}

#[test]
fn html_is_one_self_contained_page_with_board_and_timeline() {
    let home = tempfile::tempdir().unwrap();
    let input = snapshots(home.path()) + &events(home.path());
    let (code, page, _) = run(
        home.path(),
        &["render", "-f", "html", "--title", "Vendors"],
        &input,
    );
    assert_eq!(code, 0);
    assert!(page.starts_with("<!DOCTYPE html>"));
    assert!(page.contains("<title>Vendors</title>"));
    assert!(page.contains("name=\"viewport\""));
    assert!(page.contains("Content-Security-Policy"));
    for needle in [
        "Claude",
        "OpenAI",
        "Intercom",
        "Down Inc",
        "unreachable",
        "Events",
    ] {
        assert!(page.contains(needle), "{needle}");
    }
    assert_eq!(
        page.matches("<li class=\"sev-").count(),
        16,
        "one timeline entry per event"
    );
    for forbidden in [
        "<script",
        "src=\"http",
        "href=\"javascript",
        "@import",
        "url(",
    ] {
        assert!(!page.contains(forbidden), "{forbidden}");
    }
}

/// Measures the board as a browser lays it out at `width` px: the page is framed by a harness
/// from the same loopback origin whose script reads the frame's layout (the board itself runs
/// no script: its CSP forbids it).
pub(crate) fn layout(profile: &Path, server: &Server, width: u32) -> Value {
    chromium_measure(profile, &server.url(&format!("/harness-{width}.html")))
}

pub(crate) const HARNESS: &str = r#"<!DOCTYPE html><html><body style="margin:0">
<iframe id="f" src="/board.html" style="width:WIDTHpx;height:4000px;border:0"></iframe>
<pre id="result">pending</pre>
<script>
document.getElementById('f').addEventListener('load', () => {
  const d = document.getElementById('f').contentDocument;
  const cards = [...d.querySelectorAll('.card')].map(c => ({
    name: c.querySelector('h3 a, h3').textContent.trim(),
    top: c.offsetTop, left: c.offsetLeft, height: c.offsetHeight,
    border: getComputedStyle(c).borderLeftColor,
  }));
  document.getElementById('result').textContent = JSON.stringify({
    scroll_width: d.documentElement.scrollWidth,
    cards,
    timeline: d.querySelectorAll('.timeline > li').length,
  });
});
</script></body></html>"#;

#[test]
fn a_headless_browser_lays_out_the_board_truthfully_at_desktop_and_phone_widths() {
    let home = tempfile::tempdir().unwrap();
    if !required_tool("chromium") {
        return;
    }
    // OpenAI with 22 degraded components (a tall card), a page that states nothing (unknown),
    // a healthy one, and what `diff` first says of OpenAI.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let fetched = statusq(home.path())
        .arg("fetch")
        .arg(format!(
            "openai={}",
            fixtures
                .join("incidentio/openai-api-v2-summary.json")
                .display()
        ))
        .arg(format!(
            "airbrake={}",
            fixtures.join("statuspage/airbrake-summary.json").display()
        ))
        .output()
        .unwrap();
    let fetched = String::from_utf8(fetched.stdout).unwrap();
    let bare = json!({
        "type": "snapshot", "v": 1, "provider": "bare", "name": "Bare page",
        "url": "https://status.bare.example", "format": "statuspage", "fetched_at": NOW,
        "elapsed_ms": 1, "ok": true, "error": null, "status": null, "components": null,
        "incidents": null, "maintenances": null
    });
    let first_sight = statusq(home.path())
        .args(["diff", "--state"])
        .arg(home.path().join("state.json"))
        .write_stdin(fetched.clone())
        .output()
        .unwrap();
    let events = String::from_utf8(first_sight.stdout).unwrap();
    let parsed = records(events.as_bytes());
    let components = parsed
        .iter()
        .filter(|e| e["event"] == "component.changed")
        .count();
    assert_eq!(components, 22, "the fixture's degraded components");
    let page = home.path().join("board.html");
    let (code, _, stderr) = run(
        home.path(),
        &["render", "-f", "html", "-o", page.to_str().unwrap()],
        &format!("{fetched}{bare}\n{events}"),
    );
    assert_eq!(code, 0, "{stderr}");
    let board = std::fs::read(&page).unwrap();
    let server = Server::start(move |req, _| {
        let html = |body: Vec<u8>| {
            Reply::status(200, body).header("Content-Type", "text/html; charset=utf-8")
        };
        match req.path.as_str() {
            "/board.html" => html(board.clone()),
            "/harness-1280.html" => html(HARNESS.replace("WIDTH", "1280").into_bytes()),
            "/harness-390.html" => html(HARNESS.replace("WIDTH", "390").into_bytes()),
            _ => Reply::not_found(),
        }
    });
    let profile = home.path().join("chromium");

    let card = |layout: &Value, name: &str| -> Value {
        layout["cards"]
            .as_array()
            .unwrap()
            .iter()
            // The name, then its badge.
            .find(|c| c["name"].as_str().unwrap().starts_with(&format!("{name} ")))
            .unwrap_or_else(|| panic!("no card {name}: {layout}"))
            .clone()
    };
    let desktop = layout(&profile, &server, 1280);
    let (openai, bare, airbrake) = (
        card(&desktop, "OpenAI"),
        card(&desktop, "Bare page"),
        card(&desktop, "Airbrake"),
    );
    // Three cards in one row; the short ones are not stretched to the tall one's height.
    assert_eq!(openai["top"], bare["top"], "{desktop}");
    assert_eq!(openai["top"], airbrake["top"], "{desktop}");
    assert!(
        bare["height"].as_u64().unwrap() * 2 < openai["height"].as_u64().unwrap(),
        "the unknown card keeps its own height: {desktop}"
    );
    // An unknown page is never drawn in the healthy colour.
    assert_eq!(airbrake["border"], "rgb(18, 128, 92)", "healthy is green");
    assert_ne!(bare["border"], airbrake["border"], "{desktop}");
    // The timeline groups the 22 component changes into one entry, like the text digest, and
    // folds the page status change into the poll's last incident step.
    let page_status = parsed
        .iter()
        .filter(|e| e["event"] == "status.changed")
        .count();
    assert_eq!(page_status, 1, "the fixture's page status");
    let others = parsed.len() - components - page_status;
    assert_eq!(desktop["timeline"], others + 1, "{desktop}");

    let phone = layout(&profile, &server, 390);
    assert!(
        phone["scroll_width"].as_u64().unwrap() <= 390,
        "nothing wider than the phone: {phone}"
    );
    let lefts: std::collections::HashSet<u64> = phone["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["left"].as_u64().unwrap())
        .collect();
    assert_eq!(lefts.len(), 1, "one column on a phone: {phone}");

    // Screenshots at both widths, kept under target/ for a person to look at.
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("board-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for width in [1280u32, 390] {
        let shot = shots.join(format!("board-{width}.png"));
        let output = chromium(&profile)
            .arg(format!("--window-size={width},2000"))
            .arg(format!("--screenshot={}", shot.display()))
            .arg(server.url("/board.html"))
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let png = std::fs::read(&shot).unwrap();
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let size = (
            u32::from_be_bytes(png[16..20].try_into().unwrap()),
            u32::from_be_bytes(png[20..24].try_into().unwrap()),
        );
        assert_eq!(size, (width, 2000));
        assert!(png.len() > 20_000, "the page drew something");
    }
}

#[test]
fn atom_parses_back_with_stable_unique_entry_ids() {
    let home = tempfile::tempdir().unwrap();
    let events = events(home.path());
    let (code, first, _) = run(home.path(), &["render", "-f", "atom"], &events);
    assert_eq!(code, 0);
    let feed = feed_rs::parser::parse(first.as_bytes()).expect("a valid feed");
    assert_eq!(feed.entries.len(), 16);
    let ids: std::collections::HashSet<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), 16, "entry ids are unique");
    assert!(feed
        .entries
        .iter()
        .all(|e| e.id.starts_with("urn:statusq:event:")));
    assert!(feed
        .entries
        .iter()
        .all(|e| e.updated.is_some() && e.title.is_some()));
    let titles: Vec<String> = feed
        .entries
        .iter()
        .map(|e| e.title.clone().unwrap().content)
        .collect();
    assert!(
        titles
            .iter()
            .any(|t| t.starts_with("GitHub: incident resolved")),
        "{titles:?}"
    );
    // The same events rendered again (say, by the next cron run) keep their ids.
    let (_, second, _) = run(home.path(), &["render", "-f", "atom"], &events);
    let again = feed_rs::parser::parse(second.as_bytes()).unwrap();
    let again_ids: std::collections::HashSet<&str> =
        again.entries.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids, again_ids);
}

#[test]
fn atom_keeps_the_newest_entries_and_says_where_it_lives() {
    let home = tempfile::tempdir().unwrap();
    let events = events(home.path());
    let (_, all, _) = run(home.path(), &["render", "-f", "atom"], &events);
    let all = feed_rs::parser::parse(all.as_bytes()).unwrap();
    let (code, out, _) = run(
        home.path(),
        &[
            "render",
            "-f",
            "atom",
            "--max-entries",
            "5",
            "--self-url",
            "https://status.example.com/vendors.xml",
        ],
        &events,
    );
    assert_eq!(code, 0);
    let feed = feed_rs::parser::parse(out.as_bytes()).expect("a valid feed");
    assert_eq!(feed.entries.len(), 5);
    // The five newest of the whole feed (which is newest first), in the same order.
    let ids = |f: &feed_rs::model::Feed| -> Vec<String> {
        f.entries.iter().map(|e| e.id.clone()).collect()
    };
    assert_eq!(ids(&feed), ids(&all)[..5]);
    let newest = all.entries.iter().filter_map(|e| e.updated).max().unwrap();
    assert!(feed.entries.iter().all(|e| e.updated.unwrap() <= newest));
    // RFC 4287: a feed's id, title and updated; rel="self" where it is published.
    assert!(feed.title.is_some() && feed.updated.is_some() && !feed.id.is_empty());
    assert!(
        feed.links.iter().any(|l| l.rel.as_deref() == Some("self")
            && l.href == "https://status.example.com/vendors.xml"),
        "{:?}",
        feed.links
    );
    // 100 by default; a URL that is not http(s) is no link.
    let (_, out, _) = run(
        home.path(),
        &["render", "-f", "atom", "--self-url", "javascript:alert(1)"],
        &events,
    );
    assert!(!out.contains("rel=\"self\""), "{out}");
}

#[test]
fn email_is_one_message_for_sendmail() {
    let home = tempfile::tempdir().unwrap();
    let events = events(home.path());
    let (code, mail, _) = run(
        home.path(),
        &[
            "render",
            "-f",
            "email",
            "--to",
            "ops@example.com",
            "--to",
            "sre@example.com",
            "--from",
            "statusq <bot@example.com>",
        ],
        &events,
    );
    assert_eq!(code, 0);
    let (headers, body) = mail.split_once("\n\n").unwrap();
    // Folded per RFC 5322: no line over 78 characters, CRLF turned to LF for sendmail -t.
    assert!(mail.lines().all(|l| l.len() <= 78), "{mail}");
    assert!(!mail.contains('\r'));
    assert!(body.contains("GitHub: incident resolved"));
    let parsed = mail_parser::MessageParser::default()
        .parse(mail.as_bytes())
        .unwrap();
    let to: Vec<&str> = parsed
        .to()
        .unwrap()
        .iter()
        .filter_map(|a| a.address())
        .collect();
    assert_eq!(to, ["ops@example.com", "sre@example.com"]);
    let from = parsed.from().unwrap().first().unwrap();
    assert_eq!(
        (from.name(), from.address()),
        (Some("statusq"), Some("bot@example.com"))
    );
    // The subject names the news, RFC 2047-encoded for its em dash and decoded back intact.
    assert_eq!(
        parsed.subject(),
        Some("GitHub: Incident On 2023-06-29 — resolved; Claude: 2 maintenances"),
        "{headers}"
    );
    assert!(headers.contains("Subject: =?utf-8?"), "{headers}");
    assert!(headers.contains("Date: Sun, 22 Nov 2026 03:30:00 +0000\n"));
    assert!(headers.contains("Message-ID: <statusq."));
    assert!(parsed
        .body_text(0)
        .unwrap()
        .contains("Claude: maintenance scheduled"));
    let (_, multipart, _) = run(
        home.path(),
        &["render", "-f", "email", "--to", "ops@example.com", "--html"],
        &events,
    );
    let parsed = mail_parser::MessageParser::default()
        .parse(multipart.as_bytes())
        .unwrap();
    let kind = mail_parser::MimeHeaders::content_type(&parsed).unwrap();
    assert_eq!(
        (kind.ctype(), kind.subtype()),
        ("multipart", Some("alternative"))
    );
    assert!(parsed.body_html(0).unwrap().contains("<html"));
    assert!(parsed
        .body_text(0)
        .unwrap()
        .contains("GitHub: incident resolved"));
    let (code, _, stderr) = run(home.path(), &["render", "-f", "email"], &events);
    assert_eq!(code, 2);
    assert!(stderr.contains("--to"));
}

#[test]
fn colour_is_chosen_by_flag_and_never_reaches_a_pipe_by_default() {
    let home = tempfile::tempdir().unwrap();
    let events = events(home.path());
    let (_, plain, _) = run(home.path(), &["render"], &events);
    assert!(!plain.contains('\u{1b}'), "no colour in a pipe");
    let (_, coloured, _) = run(home.path(), &["render", "--color", "always"], &events);
    assert!(coloured.contains("\u{1b}[32m"), "resolved is green");
    let output = statusq(home.path())
        .env("NO_COLOR", "1")
        .args(["render", "--color", "auto"])
        .write_stdin(events)
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&output.stdout).contains('\u{1b}'));
}

#[test]
fn local_times_follow_tz() {
    let home = tempfile::tempdir().unwrap();
    let events = events(home.path());
    let output = statusq(home.path())
        .env("TZ", "America/Los_Angeles")
        .args(["render", "--local"])
        .write_stdin(events.clone())
        .output()
        .unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    let (_, utc, _) = run(home.path(), &["render"], &events);
    assert!(utc.contains(" UTC  "));
    assert!(
        text.contains(" -08:00  ") || text.contains(" -07:00  "),
        "{text}"
    );
}

/// An incident whose every field is hostile.
fn hostile_input() -> String {
    let title =
        "Evil\r\nBcc: victim@example.com\u{1b}]0;pwned\u{7}\u{202e}<script>alert(1)</script>";
    let body = "\u{1b}[2J\u{1b}[31mred\u{9b}1m\u{200b}<img src=x onerror=alert(1)> *[x](javascript:alert(1))*\r\n# heading\n</content><x>";
    let snapshot = json!({"type":"snapshot","v":1,"provider":"evil","name":"Evil\u{1b}[5m Corp\r\nX-Injected: 1",
        "url":"javascript:alert(1)","format":"statuspage","fetched_at":NOW,"elapsed_ms":1,"ok":true,"error":null,
        "status":{"indicator":"major","description":"<b>bold</b>\u{1b}[0m"},
        "components":[{"id":"c1","name":"API\"} 1\nfake_metric 1","group":"G\\","status":"major_outage","updated_at":null}],
        "incidents":[{"id":"i1","name":title,"status":"identified","impact":"critical","url":"javascript:alert(1)",
            "created_at":NOW,"updated_at":NOW,"resolved_at":null,"components":["c1"],
            "updates":[{"id":"u1","status":"identified","body":body,"at":NOW,"components":null}]}],
        "maintenances":[]});
    let event = json!({"type":"event","v":1,"event":"incident.created","id":"evil/incident/i1/update/u1",
        "provider":"evil","name":"Evil\u{1b}[5m Corp\r\nX-Injected: 1","url":"javascript:alert(1)","at":NOW,"observed_at":NOW,
        "incident":{"id":"i1","name":title,"status":"identified","impact":"critical","url":"javascript:alert(1)"},
        "maintenance":null,"update":{"id":"u1","status":"identified","body":body,"at":NOW,"components":[{"id":"c1","name":"API\u{202e}","status":"major_outage"}]},
        "component":null,"from":null,"to":null,"error":null});
    format!("{snapshot}\n{event}\n")
}

#[test]
fn hostile_upstream_text_comes_out_inert_in_every_format() {
    let home = tempfile::tempdir().unwrap();
    let input = hostile_input();
    let dangerous = ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}', '\u{200b}', '\r'];
    for format in ["text", "markdown", "html", "atom"] {
        let (code, out, stderr) = run(home.path(), &["render", "-f", format], &input);
        assert_eq!(code, 0, "{format}: {stderr}");
        for c in dangerous {
            assert!(!out.contains(c), "{format} lets {c:?} through");
        }
        if format != "text" {
            let link = if format == "markdown" {
                "](javascript"
            } else {
                "href=\"javascript"
            };
            assert!(!out.contains(link), "{format} makes a javascript: link");
            assert!(!out.contains("<script>"), "{format} lets <script> through");
            assert!(!out.contains("<img"), "{format} lets <img> through");
        }
    }
    let (_, text, _) = run(home.path(), &["render", "--color", "always"], &input);
    let escapes: Vec<&str> = text
        .split('\u{1b}')
        .skip(1)
        .map(|s| &s[..s.find('m').unwrap_or(0) + 1])
        .collect();
    assert!(
        escapes
            .iter()
            .all(|e| ["[0m", "[2m", "[31m", "[1;31m", "[32m", "[33m", "[34m"].contains(e)),
        "only statusq's own colours: {escapes:?}"
    );
    let (_, atom, _) = run(home.path(), &["render", "-f", "atom"], &input);
    let feed = feed_rs::parser::parse(atom.as_bytes()).expect("still a valid feed");
    assert_eq!(feed.entries.len(), 1);
    assert!(
        feed.entries[0].links.is_empty(),
        "the javascript: link was dropped"
    );

    // A recipient with a line break is no address: refused before anything is written.
    let (code, refused, stderr) = run(
        home.path(),
        &[
            "render",
            "-f",
            "email",
            "--to",
            "ops@example.com\r\nBcc: x@y",
        ],
        &input,
    );
    assert_eq!((code, refused.as_str()), (2, ""), "{stderr}");
    assert!(stderr.contains("--to: ") && stderr.contains("not an email address"));
    let (_, mail, _) = run(
        home.path(),
        &["render", "-f", "email", "--to", "ops@example.com"],
        &input,
    );
    let (headers, body) = mail.split_once("\n\n").unwrap();
    assert!(
        !headers
            .lines()
            .any(|l| l.starts_with("Bcc:") || l.starts_with("X-Injected")),
        "{headers}"
    );
    assert!(headers.lines().all(|l| !l.contains('\r')));
    assert!(
        !body.contains('\u{1b}') && !body.contains("=1B"),
        "no ESC, raw or encoded"
    );

    let (code, metrics, _) = run(home.path(), &["render", "-f", "prometheus"], &input);
    assert_eq!(code, 0);
    assert!(
        !metrics.lines().any(|l| l.starts_with("fake_metric")),
        "label values cannot end the line"
    );
    assert_promtool_accepts(&metrics);
}

#[test]
fn bad_lines_are_skipped_with_exit_3() {
    let home = tempfile::tempdir().unwrap();
    let input = format!("not json\n{}", events(home.path()));
    let (code, out, stderr) = run(home.path(), &["render"], &input);
    assert_eq!(code, 3);
    assert!(stderr.starts_with("statusq: stdin:1: not JSON"));
    assert!(out.contains("GitHub"));
}

/// Every escape a status page could try: CSI colour and screen clearing, an OSC 8 hyperlink, an
/// OSC 52 clipboard write, C1 CSI, NUL, bidi overrides and isolates, zero-width characters, CR/LF.
const HOSTILE: &str = "A\u{1b}[31m\u{1b}[2J\u{1b}]8;;https://evil.example\u{7}link\u{1b}]8;;\u{7}\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{9b}6n\u{0}B\u{202e}C\u{2066}D\u{200b}E\u{feff}F\r\nBcc: victim@example.com\r\n<script>x</script>";

/// Replaces every free-text string in a record with [`HOSTILE`].
fn poison(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, field) in map.iter_mut() {
                let free_text = matches!(
                    key.as_str(),
                    "name"
                        | "body"
                        | "description"
                        | "message"
                        | "group"
                        | "title"
                        | "qualified_name"
                );
                if free_text && field.is_string() {
                    *field = Value::String(format!("{key}:{HOSTILE}"));
                } else {
                    poison(field);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(poison),
        _ => {}
    }
}

#[test]
fn every_free_text_field_is_inert_in_every_renderer_and_in_check() {
    let home = tempfile::tempdir().unwrap();
    let mut input = String::new();
    for line in snapshots(home.path())
        .lines()
        .chain(events(home.path()).lines())
    {
        let mut record: Value = serde_json::from_str(line).unwrap();
        poison(&mut record);
        input.push_str(&record.to_string());
        input.push('\n');
    }
    assert!(
        input.matches("name:A").count() > 50,
        "the fixtures were poisoned"
    );
    let forbidden = [
        '\u{1b}', '\u{7}', '\u{0}', '\u{9b}', '\u{202e}', '\u{2066}', '\u{200b}', '\u{feff}', '\r',
    ];
    for format in ["text", "markdown", "html", "atom", "prometheus"] {
        let (code, out, stderr) = run(
            home.path(),
            &["render", "-f", format, "--color", "never"],
            &input,
        );
        assert_eq!(code, 0, "{format}: {stderr}");
        for c in forbidden {
            assert!(!out.contains(c), "{format} lets {c:?} through");
        }
        if format != "text" && format != "prometheus" {
            assert!(!out.contains("<script>"), "{format}");
        }
    }
    let (_, mail, _) = run(
        home.path(),
        &["render", "-f", "email", "--to", "ops@example.com", "--html"],
        &input,
    );
    let (headers, _) = mail.split_once("\n\n").unwrap();
    assert!(!headers.lines().any(|l| l.starts_with("Bcc:")), "{headers}");
    assert!(
        !mail.contains('\u{1b}') && !mail.contains("=1B"),
        "no ESC in the mail, raw or encoded"
    );
    let (_, json, _) = run(home.path(), &["render", "-f", "json"], &input);
    assert!(
        !json.contains('\u{1b}'),
        "JSON escapes control characters itself"
    );
    let output = statusq(home.path())
        .args(["check", "--unknown", "pass"])
        .write_stdin(input.clone())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    for c in forbidden {
        assert!(!text.contains(c), "check lets {c:?} through");
    }
}

#[test]
fn empty_input_keeps_the_metrics_file_and_the_board_and_fails() {
    let home = tempfile::tempdir().unwrap();
    for (format, file) in [("prometheus", "statusq.prom"), ("html", "board.html")] {
        let path = home.path().join(file);
        let (code, _, _) = run(
            home.path(),
            &["render", "-f", format, "-o", path.to_str().unwrap()],
            &snapshots(home.path()),
        );
        assert_eq!(code, 0, "{format}");
        let good = std::fs::read(&path).unwrap();
        assert!(!good.is_empty());

        // Upstream in the pipeline broke: nothing comes in.
        let (code, stdout, stderr) = run(
            home.path(),
            &["render", "-f", format, "-o", path.to_str().unwrap()],
            "",
        );
        assert_eq!(code, 2, "{format}: {stderr}");
        assert!(stdout.is_empty());
        assert!(
            stderr.starts_with("statusq: no snapshots in the input") && stderr.contains(file),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read(&path).unwrap(),
            good,
            "{format}: the file is kept"
        );
    }
}

#[test]
fn twenty_thousand_providers_render_and_check_without_a_scan_per_provider() {
    let home = tempfile::tempdir().unwrap();
    let providers = 20_000;
    let mut input = String::with_capacity(providers * 300);
    for i in 0..providers {
        input.push_str(&format!(
            "{{\"type\":\"snapshot\",\"v\":1,\"provider\":\"p{i}\",\"name\":\"P{i}\",\"url\":\"\",\
             \"format\":\"statuspage\",\"fetched_at\":\"{NOW}\",\"elapsed_ms\":1,\"ok\":true,\
             \"error\":null,\"status\":{{\"indicator\":\"none\",\"description\":\"ok\"}},\
             \"components\":[],\"incidents\":[],\"maintenances\":[]}}\n"
        ));
    }
    // A scan per provider made 100,000 take a minute; a look-up makes it linear. The guard
    // only catches a hang.
    for args in [&["render", "-f", "prometheus"][..], &["check"][..]] {
        let output = statusq(home.path())
            .args(args)
            .write_stdin(input.clone())
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8(output.stdout).unwrap();
        let lines = match args[0] {
            "check" => text.lines().count(),
            _ => text
                .lines()
                .filter(|l| l.starts_with("statusq_up{"))
                .count(),
        };
        assert_eq!(lines, providers, "{args:?}");
    }
}

#[test]
fn a_version_that_is_not_a_whole_number_is_named_as_such() {
    let home = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run(
        home.path(),
        &["render"],
        "{\"type\":\"snapshot\",\"v\":1.0}\n{\"type\":\"snapshot\",\"v\":\"1\"}\n{\"type\":\"snapshot\"}\n",
    );
    assert_eq!(code, 3);
    assert!(stdout.is_empty());
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].contains("stdin:1: schema version 1.0 is not a whole number"),
        "{stderr}"
    );
    assert!(
        lines[1].contains("stdin:2: \"v\" is \"1\", not a number"),
        "{stderr}"
    );
    assert!(lines[2].contains("stdin:3: no \"v\" field"), "{stderr}");
}

#[test]
fn a_page_cannot_smuggle_a_mime_part_through_an_update() {
    use std::hash::{Hash, Hasher};
    let home = tempfile::tempdir().unwrap();
    let id = "evil/incident/x/update/1";
    // The boundary statusq used to use: a hash of the event ids anyone could compute.
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    id.to_string().hash(&mut hasher);
    let guessed = format!("statusq-{:016x}", hasher.finish());
    let body = format!(
        "All fine.\n--{guessed}\nContent-Type: text/html\n\n\
         <a href=\"https://evil.example/login\">Sign in again</a>\n--{guessed}--\n\
         --=_statusq_0\n--=3D_statusq_0"
    );
    let event = json!({
        "type": "event", "v": 1, "event": "incident.updated", "id": id,
        "provider": "evil", "name": "Evil", "url": "https://status.evil.example",
        "at": NOW, "observed_at": NOW,
        "incident": {"id": "x", "name": "Phish", "status": "identified", "impact": "minor",
                     "url": null},
        "update": {"id": "1", "status": "identified", "body": body, "at": NOW,
                   "components": null},
        "component": null, "maintenance": null, "from": null, "to": null, "error": null
    });
    let input = format!("{event}\n");
    let render = || {
        let (code, mail, stderr) = run(
            home.path(),
            &["render", "-f", "email", "--to", "a@example.com", "--html"],
            &input,
        );
        assert_eq!(code, 0, "{stderr}");
        mail
    };
    let mail = render();
    let unfolded = mail.replace("\n ", " ");
    let boundary = unfolded
        .lines()
        .find_map(|l| l.strip_prefix("Content-Type: multipart/alternative; boundary=\""))
        .and_then(|b| b.strip_suffix('"'))
        .expect(&mail)
        .to_string();
    assert_ne!(boundary, guessed);
    // The message is exactly: preamble, a text part, an HTML part, the end.
    let delimiters: Vec<&str> = mail
        .lines()
        .filter(|l| l.starts_with(&format!("--{boundary}")))
        .collect();
    assert_eq!(
        delimiters,
        [
            format!("--{boundary}"),
            format!("--{boundary}"),
            format!("--{boundary}--")
        ],
        "{mail}"
    );
    let parts: Vec<&str> = mail.split(&format!("\n--{boundary}")).collect();
    assert!(parts[1]
        .trim_start()
        .starts_with("Content-Type: text/plain"));
    assert!(parts[2].trim_start().starts_with("Content-Type: text/html"));
    assert!(
        !parts[2].contains("<a href=3D\"https://evil.example/login\">"),
        "the smuggled link is not live HTML in our part"
    );
    // Random: the next message has another boundary and another Message-ID.
    let again = render();
    assert!(!again.contains(&boundary));
    let message_id = |m: &str| {
        m.lines()
            .find(|l| l.starts_with("Message-ID:"))
            .unwrap()
            .to_string()
    };
    assert_ne!(message_id(&mail), message_id(&again));
}

/// The OpenAI page with two open incidents and 22 degraded components, as `diff` first sees it.
fn openai_first_sight(home: &Path) -> String {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let fetched = statusq(home)
        .arg("fetch")
        .arg(format!(
            "openai={}",
            fixtures
                .join("incidentio/openai-api-v2-summary.json")
                .display()
        ))
        .env("STATUSQ_NOW", NOW)
        .output()
        .unwrap();
    let diffed = statusq(home)
        .args(["diff", "--state"])
        .arg(home.join("openai-state.json"))
        .write_stdin(fetched.stdout)
        .env("STATUSQ_NOW", NOW)
        .output()
        .unwrap();
    String::from_utf8(diffed.stdout).unwrap()
}

#[test]
fn text_is_a_digest_component_changes_of_one_poll_are_one_block() {
    let home = tempfile::tempdir().unwrap();
    let events = openai_first_sight(home.path());
    assert_eq!(
        events.matches("\"component.changed\"").count(),
        22,
        "22 degraded components upstream"
    );
    let (code, text, _) = run(home.path(), &["render", "--width", "80"], &events);
    assert_eq!(code, 0);
    // One block for the 22 components, naming ten and counting the rest, with the incidents.
    assert_eq!(
        text.matches("22 components now degraded performance")
            .count(),
        1,
        "{text}"
    );
    assert!(text.contains("Realtime, Compliance API, Search"), "{text}");
    assert!(text.contains("and 12 more"), "{text}");
    assert!(text.contains("During: Support chat unavailable"), "{text}");
    // Words for people, not identifiers; Markdown read, not shown.
    assert!(!text.contains("degraded_performance"), "{text}");
    assert!(
        !text.contains("](mailto:"),
        "no Markdown link syntax left: {text}"
    );
    assert!(text.contains("or email support@openai.com."), "{text}");
    // Blocks in time order: the incidents (17:55, 18:24) before the components (18:29).
    let at = |needle: &str| {
        text.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {text}"))
    };
    assert!(at("Support chat unavailable\n") < at("Elevated errors across"));
    assert!(at("Elevated errors across") < at("22 components now"));
    // Far fewer lines than one block per component (66 lines of those before).
    assert!(
        text.lines().count() < 30,
        "{} lines:\n{text}",
        text.lines().count()
    );
    // Wrapped to the width asked for.
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
}

#[test]
fn providers_keep_their_input_order_and_a_pause_writes_what_was_held() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    let home = tempfile::tempdir().unwrap();
    let events = openai_first_sight(home.path());
    // A second provider's poll after OpenAI's, then OpenAI's again: three digests in order.
    let other = events
        .replace("\"openai\"", "\"acme\"")
        .replace("\"OpenAI\"", "\"Acme\"");
    let (_, text, _) = run(home.path(), &["render"], &format!("{events}{other}"));
    assert!(
        text.find("OpenAI: ").unwrap() < text.find("Acme: ").unwrap(),
        "{text}"
    );
    assert_eq!(
        text.matches("components now degraded performance").count(),
        2
    );

    // Streaming: what came is written when the input pauses, without waiting for its end.
    let mut child = Command::new(bin())
        .arg("render")
        .env("HOME", home.path())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(events.as_bytes()).unwrap();
    stdin.flush().unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    assert!(
        first.contains("OpenAI: "),
        "written during the pause: {first:?}"
    );
    drop(stdin);
    assert!(child.wait().unwrap().success());
}

#[test]
fn history_prints_every_item_with_all_its_updates_newest_first_and_touches_no_state() {
    let home = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let fetched = statusq(home.path())
        .arg("fetch")
        .arg(fixtures.join("statuspage/claude-scheduled-maintenances.json"))
        .output()
        .unwrap();
    let input = String::from_utf8(fetched.stdout).unwrap();
    let (code, text, _) = run(home.path(), &["render", "--history"], &input);
    assert_eq!(code, 0);
    assert!(
        text.starts_with("Claude — 0 incidents, 2 maintenances listed"),
        "{text}"
    );
    // Both maintenances, the newer first, each with its 4 updates newest first.
    let newer = text.find("Upgrades to Connector Auth Storage").unwrap();
    let older = text.find("Scheduled maintenance for Claude.ai").unwrap();
    assert!(newer < older, "{text}");
    let first = &text[newer..older];
    let order: Vec<usize> = ["completed\n", "verifying\n", "in progress\n", "scheduled\n"]
        .iter()
        .map(|w| first.find(w).unwrap_or_else(|| panic!("{w}: {first}")))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{first}");
    assert_eq!(text.matches("UTC  scheduled").count(), 3, "{text}");
    assert!(text.lines().all(|l| l.chars().count() <= 80), "{text}");
    // No state anywhere: render never writes one.
    assert!(std::fs::read_dir(home.path()).unwrap().next().is_none());
    // Only text: another format is a usage error.
    let (code, _, err) = run(home.path(), &["render", "--history", "-f", "html"], &input);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_feed_page_on_the_board_shows_its_recent_incidents_not_unknown() {
    let home = tempfile::tempdir().unwrap();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let fetched = statusq(home.path())
        .arg("fetch")
        .arg(fixtures.join("rss/ruzismart-small-2-items.rss"))
        .output()
        .unwrap();
    let (_, text, _) = run(
        home.path(),
        &["render"],
        &String::from_utf8(fetched.stdout).unwrap(),
    );
    let first = text.lines().next().unwrap();
    assert!(
        first.contains("feed") && first.contains("no open incident in its feed"),
        "{text}"
    );
    assert!(!first.contains("unknown"), "{text}");
    assert!(
        text.lines().all(|l| !l.ends_with(' ')),
        "no trailing blanks: {text:?}"
    );
    // The two incidents the feed lists, newest first.
    assert!(text.contains("  - recent: Description (resolved"), "{text}");
    assert!(
        text.find("recent: Description").unwrap()
            < text.find("recent: This is an example").unwrap(),
        "{text}"
    );
}
