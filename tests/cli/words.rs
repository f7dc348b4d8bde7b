//! What a person sees (issue 25): a page that cannot be fetched is said in words with when it
//! is tried again, on a terminal; wrapped text never breaks a URL or a name.

use crate::common::*;
use crate::watch::on_a_terminal;

#[test]
fn fetch_to_a_terminal_names_each_failed_page_on_stderr_and_a_pipe_does_not() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "good",
        Reply::json(fixture("statuspage/airbrake-summary.json")),
        None,
        None,
    ));
    let mut text = config_for(home.path(), &server, &["good"]);
    let config = std::fs::read_to_string(&text).unwrap()
        + "[providers.gone]\nname = \"Gone\"\nurl = \"http://127.0.0.1:9/x\"\n";
    text = home.path().join("words.toml");
    std::fs::write(&text, config).unwrap();
    let screen = on_a_terminal(
        home.path(),
        &text,
        "fetch good gone --retries 0 --timeout 2s",
        |screen| screen.contains("\"provider\":\"gone\""),
    );
    let said: Vec<&str> = screen
        .lines()
        .filter(|line| line.starts_with("statusq: "))
        .collect();
    assert_eq!(said.len(), 1, "{screen}");
    assert!(
        said[0].starts_with("statusq: gone: cannot be fetched: ") && !said[0].contains("retrying"),
        "{screen}"
    );
    // Into a pipe: the records only.
    let output = statusq(home.path())
        .arg("--config")
        .arg(&text)
        .args(["fetch", "good", "gone", "--retries", "0", "--timeout", "2s"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(3));
    assert!(
        output.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(records(&output.stdout).len(), 2);
}

/// The text of `args` on `stdin`, through the real binary.
fn run(home: &std::path::Path, args: &[&str], stdin: Vec<u8>) -> String {
    let output = statusq(home)
        .args(args)
        .write_stdin(stdin)
        .output()
        .unwrap();
    assert!(output.status.success(), "{args:?}: {output:?}");
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn wrapping_never_cuts_a_url_or_a_component_name_at_60_80_or_100_columns() {
    let home = tempfile::tempdir().unwrap();
    // Claude's real page with its open incident, its latest update given long links (one
    // longer than any line here) and a long hyphenated path, as Cloudflare's updates have.
    let urls = [
        "https://www.cloudflarestatus.com/incidents/notification-available/#cloudflare-status",
        "https://developers.cloudflare.com/fundamentals/reference/policies-compliances/cloudflare-customer-dpa/",
        "https://status.claude.com/",
    ];
    let mut page = claude_page();
    let update = &mut page["incidents"][0]["incident_updates"][0];
    update["body"] = format!(
        "Details of the mitigation are at {} and the data processing terms at {}; \
         see {} for the rest of this incident's updates as they come.",
        urls[0], urls[1], urls[2]
    )
    .into();
    let names: Vec<String> = page["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_string())
        .filter(|name| name.contains(' '))
        .collect();
    // Every component degraded, so the board names them all.
    for component in page["components"].as_array_mut().unwrap() {
        component["status"] = "degraded_performance".into();
    }
    let snapshot = snapshot_of(
        home.path(),
        "claude",
        &serde_json::to_vec(&page).unwrap(),
        NOW,
    )
    .into_bytes();
    let events = statusq(home.path())
        .args(["diff", "--state"])
        .arg(home.path().join("state.json"))
        .args(["--replay"])
        .write_stdin(snapshot.clone())
        .output()
        .unwrap()
        .stdout;
    assert!(!events.is_empty());
    for width in ["60", "80", "100"] {
        let text = run(home.path(), &["render", "--width", width], events.clone());
        let board = run(home.path(), &["render", "--width", width], snapshot.clone());
        for url in urls {
            assert!(
                text.lines().any(|line| line.contains(url)),
                "{url} cut at {width}:\n{text}"
            );
        }
        // A URL longer than the line is alone on its line, with the indent.
        assert!(
            text.lines()
                .any(|line| line.starts_with(&format!("  {}", urls[1]))),
            "{text}"
        );
        // Names stay whole on the board and in the events' lists.
        for name in &names {
            for (what, text) in [("board", &board), ("events", &text)] {
                assert!(
                    text.lines().any(|line| line.contains(name.as_str())),
                    "{name:?} cut in the {what} at {width}:\n{text}"
                );
            }
        }
        // Wrapped text that is not one long word fits the line (a headline is not wrapped).
        for line in text
            .lines()
            .chain(board.lines())
            .filter(|l| l.starts_with("  "))
        {
            let whole = urls.iter().any(|u| line.contains(u))
                || names.iter().any(|n| line.contains(n.as_str()));
            assert!(
                whole || line.chars().count() <= width.parse::<usize>().unwrap(),
                "{line:?} wider than {width}"
            );
        }
    }
}

#[test]
fn the_demo_plays_a_real_incident_and_a_maintenance_through_watch_offline() {
    let home = tempfile::tempdir().unwrap();
    let started = std::time::Instant::now();
    // The demo's own clock (a fixed STATUSQ_NOW would make every poll the same instant).
    let output = statusq(home.path())
        .env_remove("STATUSQ_NOW")
        .args(["demo", "--speed", "20"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert!(started.elapsed() < std::time::Duration::from_secs(60));
    let text = String::from_utf8(output.stdout).unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.starts_with("statusq demo: "), "{stderr}");
    // Each page's blocks in order (the two pages' polls may interleave either way).
    let page = |name: &str| -> String {
        text.split("\n\n")
            .filter(|block| block.contains(&format!("UTC  {name}: ")))
            .collect::<Vec<_>>()
            .join("\n\n")
    };
    let (github, claude) = (page("GitHub"), page("Claude"));
    // The incident's whole life, each update once: created, 6 updates, resolved.
    assert_eq!(
        github.matches("GitHub: new incident").count(),
        1,
        "{github}"
    );
    assert_eq!(
        github.matches("GitHub: incident resolved").count(),
        1,
        "{github}"
    );
    assert_eq!(
        github.matches("GitHub: incident investigating").count(),
        6,
        "{github}"
    );
    for step in ["scheduled for", "started", "verifying", "completed"] {
        assert_eq!(
            claude
                .matches(&format!("Claude: maintenance {step}"))
                .count(),
            1,
            "{claude}"
        );
    }
    insta::with_settings!({
        filters => vec![
            (r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}( UTC)?", "[time]"),
            (r"\d{2}:\d{2} UTC", "[time]"),
            (r"127\.0\.0\.1:\d+", "127.0.0.1:[port]"),
        ],
        omit_expression => true,
    }, {
        insta::assert_snapshot!("demo-github.txt", github);
        insta::assert_snapshot!("demo-claude.txt", claude);
    });
}

#[test]
fn watch_names_the_demo_when_no_page_resolves() {
    let home = tempfile::tempdir().unwrap();
    let config = home.path().join("nowhere.toml");
    std::fs::write(
        &config,
        "[providers.nowhere]\nname = \"Nowhere\"\nurl = \"https://status.nowhere.invalid\"\n",
    )
    .unwrap();
    let screen = on_a_terminal(
        home.path(),
        &config,
        "watch nowhere --retries 0",
        |screen| screen.contains("statusq demo"),
    );
    assert!(
        screen.contains("statusq: nowhere: cannot be fetched: ")
            && screen.contains("no network? `statusq demo` shows what this looks like"),
        "{screen}"
    );
}

#[test]
fn an_incident_step_is_one_block_with_its_components_and_page_status_folded_in() {
    let home = tempfile::tempdir().unwrap();
    let real = claude_page();
    // The poll before: the incident had its first three updates, its component was in
    // partial outage as they said, and the page said nothing was wrong.
    let mut before = real.clone();
    before["incidents"][0]["incident_updates"]
        .as_array_mut()
        .unwrap()
        .remove(0);
    before["status"] =
        serde_json::json!({"indicator": "none", "description": "All Systems Operational"});
    let console = real["incidents"][0]["incident_updates"][0]["affected_components"][0]["code"]
        .as_str()
        .unwrap()
        .to_string();
    for component in before["components"].as_array_mut().unwrap() {
        if component["id"] == console.as_str() {
            component["status"] = "partial_outage".into();
        }
    }
    let snapshot = |page: &serde_json::Value, at: &str| {
        snapshot_of(
            home.path(),
            "claude",
            &serde_json::to_vec(page).unwrap(),
            at,
        )
    };
    let input = [
        snapshot(&before, "2026-10-07T21:00:00Z"),
        snapshot(&real, "2026-10-07T22:00:00Z"),
    ]
    .concat();
    let events = statusq(home.path())
        .args(["diff", "--state"])
        .arg(home.path().join("state.json"))
        .write_stdin(input)
        .output()
        .unwrap()
        .stdout;
    // The second poll's events (the first poll's are the page as first seen).
    let events: Vec<u8> = records(&events)
        .iter()
        .filter(|e| e["observed_at"] == "2026-10-07T22:00:00Z")
        .flat_map(|e| format!("{e}\n").into_bytes())
        .collect();
    let kinds: Vec<String> = records(&events)
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds.len(),
        3,
        "the update, the component, the page status: {kinds:?}"
    );
    // A block is a headline: `… UTC  Claude: …` in text, `**Claude**: …` in Markdown.
    for (format, headline) in [("text", "UTC  Claude: "), ("markdown", "**Claude**: ")] {
        let text = run(
            home.path(),
            &["render", "-f", format, "--width", "80"],
            events.clone(),
        );
        assert_eq!(text.matches(headline).count(), 1, "{format}: {text}");
        assert!(text.contains("degraded performance"), "{text}");
        assert!(text.contains("Page status: none → minor"), "{text}");
    }
}

#[test]
fn the_report_bars_end_today_in_a_window_that_ends_now() {
    let home = tempfile::tempdir().unwrap();
    // An outage open since October, fetched now (STATUSQ_NOW: 2026-11-22 03:30).
    let snapshot =
        crate::edges::snapshot_of(home.path(), crate::edges::carried_over_summary("Acme"));
    let output = statusq(home.path())
        .args(["report", "-f", "html", "--since", "7d"])
        .write_stdin(snapshot)
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let html = String::from_utf8(output.stdout).unwrap();
    let row = html
        .lines()
        .find(|line| line.contains("Notifications"))
        .expect("a row for the component in outage");
    let bars: Vec<&str> = row.split("<i ").skip(1).collect();
    // 2026-11-15 03:30 to now: 8 days, the last of them today, in outage like the others.
    assert_eq!(bars.len(), 8, "{row}");
    assert!(
        bars[7].contains("title=\"2026-11-22: major outage\""),
        "{row}"
    );
    assert!(!row.contains("no history"), "{row}");
}

/// `statusq ARGS…` on a pseudo-terminal (util-linux `script`), then `stty -a` there: each
/// `(key, until)` typed once the screen shows the text before it; the screen at the end.
fn with_keys(
    home: &std::path::Path,
    config: &std::path::Path,
    args: &str,
    keys: &[(&[u8], &str)],
) -> String {
    use std::io::Write;
    let (log, mut child) =
        crate::watch::under_script(home, config, &format!("{args}; echo exit=$?; stty -a"));
    let screen = || {
        std::fs::read_to_string(&log)
            .unwrap_or_default()
            .replace('\r', "")
    };
    let mut stdin = child.0.stdin.take().unwrap();
    for (key, wait) in keys {
        assert!(
            crate::watch::wait_for(
                || screen().contains(wait),
                std::time::Duration::from_secs(30)
            ),
            "waiting for {wait:?}: {}",
            screen()
        );
        stdin.write_all(key).unwrap();
        stdin.flush().unwrap();
    }
    assert!(
        crate::watch::wait_for(
            // Not script's own `COMMAND_EXIT_CODE=` footer.
            || screen().contains("\nexit="),
            std::time::Duration::from_secs(30)
        ),
        "{}",
        screen()
    );
    let _ = crate::watch::exits_within(&mut child.0, std::time::Duration::from_secs(10));
    screen()
}

#[test]
fn watch_keys_show_the_history_and_the_board_and_q_quits_with_the_terminal_restored() {
    if !required_tool("script") {
        return;
    }
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "claude",
        Reply::json(fixture("statuspage/claude-summary-active-incident.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["claude"]);
    let args = "watch claude --interval 1h";
    let screen = with_keys(
        home.path(),
        &config,
        args,
        &[
            (b"?", "incident: Elevated errors"),
            (b"s", "? these keys\n"),
            (b"h", "\nclaude page"),
            (b"q", "We've identified the cause"),
        ],
    );
    // The start line names the keys; `?` says them again.
    assert!(
        screen.matches("h history of the watched pages").count() >= 2,
        "{screen}"
    );
    // `s`: the board again (the start board, then the one asked for).
    assert!(
        screen.matches("incident: Elevated errors").count() >= 2,
        "{screen}"
    );
    // `h`: every update of the page's incident, which the board does not show.
    assert!(
        screen.contains("We've identified the cause of errors loading usage data"),
        "{screen}"
    );
    assert!(screen.contains("\nexit=0"), "{screen}");
    // The terminal as it was: line editing and echo back on.
    let stty = &screen[screen.find("\nexit=0").unwrap()..];
    assert!(
        stty.contains(" icanon") && stty.contains(" echo "),
        "{stty}"
    );

    // Ctrl-C: the same, through SIGINT.
    let screen = with_keys(
        home.path(),
        &config,
        args,
        &[(b"\x03", "incident: Elevated errors")],
    );
    let stty = &screen[screen.find("\nexit=").expect(&screen)..];
    assert!(stty.starts_with("\nexit=0"), "{screen}");
    assert!(
        stty.contains(" icanon") && stty.contains(" echo "),
        "{stty}"
    );
}

#[test]
fn watch_without_a_terminal_reads_no_keys() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::routes(statuspage_routes(
        "claude",
        Reply::json(fixture("statuspage/claude-summary-active-incident.json")),
        None,
        None,
    ));
    let config = config_for(home.path(), &server, &["claude"]);
    // A `q` on a piped stdin is not a key: two polls go by, then the (test-only) poll count
    // ends the watch; what stdin held is still there, unread, for whoever reads it next.
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args([
            "watch",
            "claude",
            "--interval",
            "200ms",
            "--allow-short-intervals",
            "--polls",
            "2",
        ])
        .arg("--state")
        .arg(home.path().join("state.json"))
        .write_stdin("q")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    assert_eq!(server.hits("/claude/api/v2/summary.json"), 2);
}

/// The HTML board of `snapshots` (saved pages, `id=path`), through `fetch` and `render`.
fn html_board(home: &std::path::Path, pages: &[(&str, serde_json::Value)]) -> String {
    let mut fetch = statusq(home);
    fetch.arg("fetch");
    for (id, page) in pages {
        let file = home.join(format!("{id}.json"));
        std::fs::write(&file, serde_json::to_vec(page).unwrap()).unwrap();
        fetch.arg(format!("{id}={}", file.display()));
    }
    let snapshots = fetch.output().unwrap().stdout;
    run(home, &["render", "-f", "html"], snapshots)
}

/// The names a card shows without a click: its text outside `<details>`.
fn in_view(card: &str) -> String {
    let mut out = String::new();
    let mut rest = card;
    while let Some(start) = rest.find("<details>") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .split_once("</details>")
            .map_or("", |(_, after)| after);
    }
    out.push_str(rest);
    out
}

#[test]
fn a_big_page_is_a_card_that_fits_groups_folded_names_capped_maintenances_counted() {
    let home = tempfile::tempdir().unwrap();
    // Intercom's real grouped page, its Europe group grown to 26 members (as Cloudflare's
    // regions are) and every component in partial outage; 16 maintenances made from Claude's
    // real one, 4 running and 12 scheduled.
    let mut page: serde_json::Value =
        serde_json::from_slice(&fixture("statuspage/intercom-summary-groups.json")).unwrap();
    let components = page["components"].as_array_mut().unwrap();
    let europe = components
        .iter()
        .find(|c| c["name"] == "Intercom Europe")
        .unwrap()["id"]
        .clone();
    let member = components
        .iter()
        .find(|c| c["group_id"] == europe)
        .unwrap()
        .clone();
    let have = components
        .iter()
        .filter(|c| c["group_id"] == europe)
        .count();
    for n in have..26 {
        let mut copy = member.clone();
        copy["id"] = format!("europe{n:04}").into();
        copy["name"] = format!("Europe region {n}").into();
        components.push(copy);
    }
    for component in components.iter_mut() {
        component["status"] = "partial_outage".into();
    }
    let maintenance = json_fixture("statuspage/claude-scheduled-maintenances.json")
        ["scheduled_maintenances"][0]
        .clone();
    page["scheduled_maintenances"] = (0..16)
        .map(|n| {
            let mut m = maintenance.clone();
            m["id"] = format!("maint{n:04}").into();
            m["name"] = format!("Maintenance window {n}").into();
            m["status"] = if n < 4 { "in_progress" } else { "scheduled" }.into();
            m
        })
        .collect::<Vec<_>>()
        .into();
    let openai: serde_json::Value =
        serde_json::from_slice(&fixture("incidentio/openai-api-v2-summary.json")).unwrap();
    let html = html_board(home.path(), &[("intercom", page), ("openai", openai)]);
    let card = |name: &str| -> String {
        html.split("<article ")
            .find(|c| c.contains(&format!(">{name}")))
            .unwrap_or_else(|| panic!("no {name} card"))
            .to_string()
    };
    let intercom = card("Intercom");
    // The big group is one line with its count; its 26 names are one click away.
    assert!(
        intercom.contains("<summary>Intercom Europe: 26 in partial outage</summary>"),
        "{intercom}"
    );
    assert!(
        !in_view(&intercom).contains("Europe region 7"),
        "{intercom}"
    );
    // The running maintenances in view, the 12 scheduled folded to their count.
    assert_eq!(
        in_view(&intercom).matches("Maintenance: ").count(),
        4,
        "{intercom}"
    );
    assert!(
        intercom.contains("<summary>12 more scheduled</summary>"),
        "{intercom}"
    );
    // OpenAI's 22 degraded components: 20 names in view, 2 more a click away.
    let openai = card("OpenAI");
    assert!(openai.contains("<summary>2 more</summary>"), "{openai}");
    let names_in_view = in_view(&openai)
        .split("<div class=\"muted\">")
        .nth(1)
        .unwrap()
        .split("</div>")
        .next()
        .unwrap()
        .split(", ")
        .count();
    assert_eq!(names_in_view, 20, "{openai}");

    // As a browser lays it out: the big page's card no taller than a screen.
    if !required_tool("chromium") {
        return;
    }
    let board = html.into_bytes();
    let server = Server::start(move |req, _| {
        let html = |body: Vec<u8>| {
            Reply::status(200, body).header("Content-Type", "text/html; charset=utf-8")
        };
        match req.path.as_str() {
            "/board.html" => html(board.clone()),
            "/harness-1280.html" => {
                html(crate::render::HARNESS.replace("WIDTH", "1280").into_bytes())
            }
            _ => Reply::not_found(),
        }
    });
    let layout = crate::render::layout(&home.path().join("chromium"), &server, 1280);
    let heights: Vec<(String, i64)> = layout["cards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["height"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(heights.len(), 2, "{layout}");
    for (name, height) in &heights {
        assert!(*height < 700, "{name}: {height}px tall: {layout}");
    }
}
