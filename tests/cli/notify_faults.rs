//! `statusq notify` under faults and hostile receivers (issue 22): each test reproduces one way
//! an alert was lost, blocked or stalled, end to end with the real binary against loopback
//! receivers.

use crate::common::*;
use crate::notify::{
    config_file, ids_of, incident, lines, notify, ok, receiver, spawn_notify, walk,
};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

type Seen = Arc<Mutex<Vec<(String, Value)>>>;

/// A receiver on any path: records `(path, body)` of each POST it accepts, answering what
/// `reply(path, body, n-th request on that path)` says.
fn paths_receiver(
    reply: impl Fn(&str, &Value, usize) -> Reply + Send + Sync + 'static,
) -> (Server, Seen) {
    let seen: Seen = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&seen);
    let server = Server::start(move |req, earlier| {
        let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
        let reply = reply(&req.path, &body, earlier);
        if (200..300).contains(&reply.status) {
            kept.lock().unwrap().push((req.path.clone(), body));
        }
        reply
    });
    (server, seen)
}

/// The event ids webhook bodies at `path` carried, in order.
fn ids_at(seen: &Seen, path: &str) -> Vec<String> {
    let bodies: Vec<Value> = seen
        .lock()
        .unwrap()
        .iter()
        .filter(|(p, _)| p == path)
        .map(|(_, b)| b.clone())
        .collect();
    ids_of(&bodies)
}

fn id(event: &Value) -> String {
    event["id"].as_str().unwrap().to_string()
}

/// A config file whose one target, `hook`, is the webhook `server` serves at `/hook`.
fn hook_config(home: &Path, server: &Server) -> PathBuf {
    config_file(
        home,
        &[("hook", format!("url = \"{}\"", server.url("/hook")))],
    )
}

fn outboxes(home: &Path) -> PathBuf {
    home.join("state/statusq/notify")
}

#[test]
fn two_webhook_urls_on_one_host_are_two_targets_each_with_its_own_outbox() {
    let home = tempfile::tempdir().unwrap();
    let a_down = Arc::new(AtomicBool::new(false));
    let down = Arc::clone(&a_down);
    let (server, seen) = paths_receiver(move |path, _, _| {
        if path == "/services/T0/B0/aaa" && down.load(Ordering::SeqCst) {
            Reply::status(503, "down")
        } else {
            ok()
        }
    });
    let a = server.url("/services/T0/B0/aaa");
    let b = server.url("/services/T0/B1/bbb");
    let config = config_file(home.path(), &[]);
    let first: Vec<Value> = (0..3)
        .map(|n| incident("github", n, "incident.created", "minor", "x"))
        .collect();
    let (code, _, stderr) = notify(home.path(), &config, &[&a, &b], &lines(&first));
    assert_eq!(code, 0, "{stderr}");
    let sent: Vec<String> = first.iter().map(id).collect();
    assert_eq!(ids_at(&seen, "/services/T0/B0/aaa"), sent, "the first URL");
    assert_eq!(ids_at(&seen, "/services/T0/B1/bbb"), sent, "and the second");

    // The first channel is down: what waits for it is its own.
    a_down.store(true, Ordering::SeqCst);
    let more: Vec<Value> = (10..12)
        .map(|n| incident("github", n, "incident.created", "minor", "x"))
        .collect();
    let (code, _, stderr) = notify(home.path(), &config, &[&a, &b], &lines(&more));
    assert_eq!(code, 3, "{stderr}");
    let all: Vec<String> = first.iter().chain(&more).map(id).collect();
    assert_eq!(ids_at(&seen, "/services/T0/B1/bbb"), all);
    // The second alone, with nothing new: the first's waiting events never go to it.
    let (code, _, stderr) = notify(home.path(), &config, &[&b], "");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        ids_at(&seen, "/services/T0/B1/bbb"),
        all,
        "nothing of the other's"
    );
    a_down.store(false, Ordering::SeqCst);
    let (code, _, stderr) = notify(home.path(), &config, &[&a], "");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        ids_at(&seen, "/services/T0/B0/aaa"),
        all,
        "the first's, in order"
    );

    // Two outboxes, named by kind and host, the secret path only hashed.
    let names: Vec<String> = std::fs::read_dir(outboxes(home.path()))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 2, "{names:?}");
    for name in &names {
        assert!(name.starts_with("webhook-127-0-0-1."), "{name}");
        for secret in ["aaa", "bbb", "T0", "B0", "B1"] {
            assert!(!name.contains(secret), "{name}");
        }
    }
}

#[test]
fn a_later_target_gets_every_event_after_notify_is_killed_delivering_to_the_first() {
    let home = tempfile::tempdir().unwrap();
    let (slow, slow_bodies) = receiver(|_| ok().delay(Duration::from_millis(400)));
    let (fast, fast_bodies) = receiver(|_| ok());
    let config = config_file(
        home.path(),
        &[
            ("slow", format!("url = \"{}\"", slow.url("/hook"))),
            ("fast", format!("url = \"{}\"", fast.url("/hook"))),
        ],
    );
    // 5 requests of 100 events to the slow one before the fast one's turn.
    let events: Vec<Value> = (0..500)
        .map(|n| incident("github", n, "incident.created", "minor", "x"))
        .collect();
    let mut child = spawn_notify(home.path(), &config, &["slow", "fast"], &lines(&events));
    let deadline = Instant::now() + Duration::from_secs(20);
    while slow.hits("/hook") < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    let _ = child.wait();
    assert_eq!(
        fast.hits("/hook"),
        0,
        "killed before the second target's turn"
    );

    // The rerun has no input: the second target's events were spooled before the first was sent.
    let (code, _, stderr) = notify(home.path(), &config, &["slow", "fast"], "");
    assert_eq!(code, 0, "{stderr}");
    let fast_ids = ids_of(&fast_bodies.lock().unwrap());
    let expected: Vec<String> = events.iter().map(id).collect();
    assert_eq!(fast_ids, expected, "every event, once, in order");
    let slow_ids = ids_of(&slow_bodies.lock().unwrap());
    let unique: std::collections::HashSet<&String> = slow_ids.iter().collect();
    assert_eq!(unique.len(), 500, "nothing lost for the first either");
}

#[test]
fn a_target_whose_outbox_another_run_holds_keeps_its_events_queued() {
    let home = tempfile::tempdir().unwrap();
    let (a, a_bodies) = receiver(|_| ok());
    let (b, b_bodies) = receiver(|_| ok());
    let config = config_file(
        home.path(),
        &[
            ("a", format!("url = \"{}\"", a.url("/hook"))),
            ("b", format!("url = \"{}\"", b.url("/hook"))),
        ],
    );
    // Another run holds b's outbox.
    let dir = outboxes(home.path()).join("b");
    std::fs::create_dir_all(&dir).unwrap();
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(dir.join("lock"))
        .unwrap();
    lock.try_lock().unwrap();
    let events: Vec<Value> = (0..3)
        .map(|n| incident("github", n, "incident.created", "minor", "x"))
        .collect();
    let expected: Vec<String> = events.iter().map(id).collect();
    let (code, _, stderr) = notify(
        home.path(),
        &config,
        &["a", "b", "--wait", "1s"],
        &lines(&events),
    );
    assert_eq!(code, 75, "{stderr}");
    assert!(
        stderr.contains("notify b:") && stderr.contains("3 event(s) queued"),
        "{stderr}"
    );
    assert_eq!(
        ids_of(&a_bodies.lock().unwrap()),
        expected,
        "a is not held up"
    );
    assert_eq!(b.hits("/hook"), 0);
    drop(lock);
    let (code, _, stderr) = notify(home.path(), &config, &["b"], "");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        ids_of(&b_bodies.lock().unwrap()),
        expected,
        "b gets them once free"
    );
}

#[test]
fn retry_after_huge_dated_or_negative_never_panics_and_is_kept_within_max_time() {
    let events = [incident("github", 1, "incident.created", "minor", "x")];

    // Huge: not this run. Exit 3, kept, said, and quick.
    let home = tempfile::tempdir().unwrap();
    let (server, _) =
        receiver(|_| Reply::status(429, "slow down").header("Retry-After", "9999999999999999999"));
    let config = hook_config(home.path(), &server);
    let started = Instant::now();
    let (code, _, stderr) = notify(
        home.path(),
        &config,
        &["hook", "--retries", "3", "--max-time", "20s"],
        &lines(&events),
    );
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("asks to wait 9999999999999999999 s")
            && stderr.contains("--max-time")
            && !stderr.contains("panicked"),
        "{stderr}"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(server.hits("/hook"), 1, "no retry it asked not to make");
    let outbox = std::fs::read_to_string(outboxes(home.path()).join("hook/outbox.ndjson")).unwrap();
    assert!(outbox.contains(&id(&events[0])), "kept: {outbox}");

    // An HTTP date two seconds after the response's own Date: waited, then delivered.
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|n| match n {
        0 => Reply::status(429, "slow down")
            .header("Date", "Sun, 06 Nov 1994 08:49:37 GMT")
            .header("Retry-After", "Sun, 06 Nov 1994 08:49:39 GMT"),
        _ => ok(),
    });
    let config = hook_config(home.path(), &server);
    let started = Instant::now();
    let (code, _, stderr) = notify(
        home.path(),
        &config,
        &["hook", "--retries", "2"],
        &lines(&events),
    );
    assert_eq!(code, 0, "{stderr}");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_secs(2) && waited < Duration::from_secs(8),
        "{waited:?}"
    );
    assert_eq!(bodies.lock().unwrap().len(), 1);

    // Negative is nonsense: statusq's own backoff applies and the retry goes.
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|n| match n {
        0 => Reply::status(503, "busy").header("Retry-After", "-5"),
        _ => ok(),
    });
    let config = hook_config(home.path(), &server);
    let (code, _, stderr) = notify(
        home.path(),
        &config,
        &["hook", "--retries", "2"],
        &lines(&events),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(server.hits("/hook"), 2);
    assert_eq!(bodies.lock().unwrap().len(), 1);
}

#[test]
fn watch_notify_with_a_huge_retry_after_does_not_crash_or_repeat_itself() {
    let home = tempfile::tempdir().unwrap();
    let page = Server::start(|req, _| {
        if req.path == "/claude/api/v2/summary.json" {
            Reply::json(fixture("statuspage/claude-summary-active-incident.json"))
        } else {
            Reply::not_found()
        }
    });
    let (hook, _) =
        receiver(|_| Reply::status(429, "slow down").header("Retry-After", "9999999999999999999"));
    let config = config_for(home.path(), &page, &["claude"]);
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("[notify.hook]\nurl = \"{}\"\n", hook.url("/hook")));
    std::fs::write(&config, text).unwrap();
    let watch = || {
        statusq(home.path())
            .arg("--config")
            .arg(&config)
            .args(["watch", "--once", "claude", "--notify", "hook"])
            .args(["--no-cache", "-f", "json"])
            .output()
            .unwrap()
    };
    let first = watch();
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(3), "{stderr}");
    assert!(!records(&first.stdout).is_empty());
    assert!(stderr.contains("asks to wait"), "{stderr}");
    // Committed: the next start prints nothing again.
    let second = watch();
    assert_eq!(second.status.code(), Some(3));
    assert!(second.stdout.is_empty(), "the events were not repeated");
}

#[test]
fn an_outbox_torn_inside_a_character_is_read_and_the_rest_delivered() {
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| ok());
    let config = hook_config(home.path(), &server);
    let good: Vec<Value> = (1..3)
        .map(|n| incident("github", n, "incident.created", "minor", "Café"))
        .collect();
    // A kill -9 during an append: the last line ends inside the two bytes of "é".
    let torn_event = serde_json::to_vec(&incident(
        "github",
        3,
        "incident.created",
        "minor",
        "Café au lait",
    ))
    .unwrap();
    let cut = torn_event
        .windows(2)
        .position(|w| w == "é".as_bytes())
        .unwrap()
        + 1;
    let torn = &torn_event[..cut];
    assert!(std::str::from_utf8(torn).is_err());
    let dir = outboxes(home.path()).join("hook");
    std::fs::create_dir_all(&dir).unwrap();
    let mut outbox = lines(&good).into_bytes();
    outbox.extend_from_slice(torn);
    std::fs::write(dir.join("outbox.ndjson"), &outbox).unwrap();
    // And the delivered log torn the same way.
    std::fs::write(
        dir.join("delivered.ndjson"),
        [&b"{\"id\":\"old\",\"at\":\"2026-11-22T03:00:00Z\"}\n{\"id\":\"caf\xc3"[..]].concat(),
    )
    .unwrap();

    let new = [incident("github", 9, "incident.created", "minor", "after")];
    let (code, _, stderr) = notify(home.path(), &config, &["hook"], &lines(&new));
    assert_eq!(code, 3, "a line was set aside: {stderr}");
    assert!(
        stderr.contains("not UTF-8") && !stderr.contains("stream did not contain valid UTF-8"),
        "{stderr}"
    );
    let expected: Vec<String> = good.iter().chain(&new).map(id).collect();
    assert_eq!(ids_of(&bodies.lock().unwrap()), expected);
    let kept = std::fs::read(dir.join("outbox.unreadable")).unwrap();
    assert_eq!(kept, [torn, b"\n"].concat(), "the torn line, as it was");
    // Clean from then on.
    let (code, _, stderr) = notify(home.path(), &config, &["hook"], "");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(server.hits("/hook"), 1);
}

#[test]
fn a_message_refused_for_its_content_is_set_aside_and_the_target_goes_on() {
    let home = tempfile::tempdir().unwrap();
    let poison_accepted = Arc::new(AtomicBool::new(false));
    let accepts = Arc::clone(&poison_accepted);
    let (server, seen) = paths_receiver(move |_, body, _| {
        if body.to_string().contains("POISON") && !accepts.load(Ordering::SeqCst) {
            Reply::status(400, "invalid_payload")
        } else {
            ok()
        }
    });
    let config = hook_config(home.path(), &server);
    let events: Vec<Value> = (0..5)
        .map(|n| {
            let body = if n == 2 { "POISON" } else { "fine" };
            incident("github", n, "incident.created", "minor", body)
        })
        .collect();
    let (code, _, stderr) = notify(home.path(), &config, &["hook"], &lines(&events));
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(
        stderr.matches("dead letter").count(),
        1,
        "said once: {stderr}"
    );
    assert!(stderr.contains("HTTP 400: invalid_payload"), "{stderr}");
    let others: Vec<String> = [0, 1, 3, 4].iter().map(|&n| id(&events[n])).collect();
    assert_eq!(ids_at(&seen, "/hook"), others, "the rest went, in order");

    // Later events are not held behind it, and it is not said again.
    let later = [incident("github", 7, "incident.created", "major", "new")];
    let (code, _, stderr) = notify(home.path(), &config, &["hook"], &lines(&later));
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("dead letter"), "{stderr}");
    assert_eq!(ids_at(&seen, "/hook").last(), Some(&id(&later[0])));

    // Listed as a record of its own.
    let (code, stdout, stderr) = notify(home.path(), &config, &["hook", "--dead-letters"], "");
    assert_eq!(code, 0, "{stderr}");
    let letters = records(stdout.as_bytes());
    assert_eq!(letters.len(), 1, "{stdout}");
    assert_eq!(letters[0]["type"], "dead_letter");
    assert_eq!(letters[0]["target"], "hook");
    assert_eq!(letters[0]["status"], 400);
    assert_eq!(letters[0]["events"][0]["id"], events[2]["id"]);
    assert_eq!(letters[0]["events"][0]["type"], "event");

    // Fixed upstream: sent again on request, then gone from the list.
    poison_accepted.store(true, Ordering::SeqCst);
    let (code, _, stderr) = notify(home.path(), &config, &["hook", "--retry-dead"], "");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ids_at(&seen, "/hook").last(), Some(&id(&events[2])));
    let (_, stdout, _) = notify(home.path(), &config, &["hook", "--dead-letters"], "");
    assert_eq!(stdout, "");
    assert_eq!(ids_at(&seen, "/hook").len(), 6, "each event once");
}

#[test]
fn teams_and_pagerduty_messages_keep_their_limits_as_sent() {
    let home = tempfile::tempdir().unwrap();
    let server = Server::start(|_, _| Reply::status(202, "{\"status\":\"success\"}"));
    let config = config_file(
        home.path(),
        &[
            (
                "teams",
                format!("url = \"{}\"\nkind = \"teams\"", server.url("/teams")),
            ),
            (
                "pager",
                format!(
                    "url = \"{}\"\nkind = \"pagerduty\"\nsecret_env = \"NOTIFY_SECRET\"",
                    server.url("/pager")
                ),
            ),
        ],
    );
    // Markdown escaping triples punctuation on the wire: 20,000 characters would be 60 KB.
    // 20,000 characters, and 18,000 (which the old 20,000-character cut let through as 54 KB).
    let mut events = vec![
        incident(
            "github",
            1,
            "incident.created",
            "critical",
            &".!|{}".repeat(4000),
        ),
        incident(
            "gitlab",
            2,
            "incident.created",
            "critical",
            &".!|{}".repeat(3600),
        ),
    ];
    // A feed incident keyed by its link: a 400-character id.
    for (n, tail) in ["a", "b"].iter().enumerate() {
        let long_id = format!(
            "https://status.example.com/incidents/{}{tail}",
            "x".repeat(400)
        );
        for kind in ["incident.created", "incident.resolved"] {
            let mut event = incident("feedco", 10 + n, kind, "major", "Down.");
            event["incident"]["id"] = json!(long_id);
            event["id"] = json!(format!("feedco/incident/{long_id}/{kind}"));
            events.push(event);
        }
    }
    let (code, _, stderr) = notify(home.path(), &config, &["teams", "pager"], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    let seen = server.seen();
    let teams: Vec<&Seen_> = seen.iter().filter(|s| s.path == "/teams").collect();
    assert_eq!(teams.len(), 3, "a card per provider");
    for request in &teams {
        assert!(
            request.body.len() <= 28_000,
            "Teams refuses over 28 KB: {} bytes",
            request.body.len()
        );
    }
    for request in &teams[..2] {
        let card: Value = serde_json::from_slice(&request.body).unwrap();
        let text = card["attachments"][0]["content"]["body"][1]["text"]
            .as_str()
            .unwrap();
        assert!(
            text.ends_with('…') && text.contains("\\.\\!\\|\\{\\}"),
            "cut, escaped, not dropped: {}…",
            &text[..200.min(text.len())],
        );
    }

    let keys: Vec<(String, String)> = seen
        .iter()
        .filter(|s| s.path == "/pager")
        .map(|s| {
            let body: Value = serde_json::from_slice(&s.body).unwrap();
            (
                body["event_action"].as_str().unwrap().to_string(),
                body["dedup_key"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let actions: Vec<&str> = keys.iter().map(|(a, _)| a.as_str()).collect();
    assert_eq!(
        actions,
        ["trigger", "trigger", "trigger", "resolve", "trigger", "resolve"]
    );
    for (_, key) in &keys {
        assert!(key.chars().count() <= 255, "{} characters", key.len());
    }
    assert_eq!(keys[2].1, keys[3].1, "trigger and resolve name one alert");
    assert_eq!(keys[4].1, keys[5].1);
    assert_ne!(keys[2].1, keys[4].1, "two incidents, two alerts");
}

/// Server's own record of a request.
type Seen_ = crate::common::Seen;

/// Whether `pattern` is in `text` without a backslash before it (unescaped Markdown).
fn unescaped(text: &str, pattern: &str) -> bool {
    text.match_indices(pattern)
        .any(|(at, _)| !text[..at].ends_with('\\'))
}

/// Every string in `value`.
fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items.iter().flat_map(strings).collect(),
        Value::Object(fields) => fields.values().flat_map(strings).collect(),
        _ => Vec::new(),
    }
}

#[test]
fn hostile_upstream_text_is_escaped_in_every_field_of_every_kind() {
    let home = tempfile::tempdir().unwrap();
    let (server, seen) = paths_receiver(|_, _, _| Reply::status(202, "ok"));
    let kinds = ["slack", "discord", "teams", "pagerduty", "webhook"];
    let tables: Vec<(&str, String)> = kinds
        .iter()
        .map(|kind| {
            (
                *kind,
                format!(
                    "url = \"{}\"\nkind = \"{kind}\"\nsecret_env = \"NOTIFY_SECRET\"\n\
                     events = [\"*\"]",
                    server.url(&format!("/{kind}"))
                ),
            )
        })
        .collect();
    let config = config_file(home.path(), &tables);
    let hostile = "<!channel> <https://evil.example|Reset your password> \
                   [Reset your password](https://evil.example/login) <@123> \u{1b}[31m\u{202e}";
    let mut created = incident("github", 1, "incident.created", "critical", hostile);
    created["name"] = json!(format!("Status {hostile}"));
    created["incident"]["name"] = json!(format!("Incident {hostile}"));
    let mut component = crate::notify::change("github", "c1", "operational", "major_outage", NOW);
    component["name"] = json!(format!("Status {hostile}"));
    component["component"]["name"] = json!(format!("API {hostile}"));
    component["component"]["qualified_name"] = json!(format!("API {hostile}"));
    let events = [created, component];
    let (code, _, stderr) = notify(home.path(), &config, &kinds, &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    let seen = seen.lock().unwrap().clone();
    for kind in kinds {
        let bodies: Vec<&Value> = seen
            .iter()
            .filter(|(p, _)| p == &format!("/{kind}"))
            .map(|(_, b)| b)
            .collect();
        assert!(!bodies.is_empty(), "{kind} got nothing");
        if kind == "webhook" {
            // The records themselves: the receiver is the one to treat them as untrusted.
            assert_eq!(bodies[0]["events"][0], events[0]);
            continue;
        }
        let texts: Vec<String> = bodies.iter().flat_map(|b| strings(b)).collect();
        assert!(
            texts.iter().any(|t| t.contains("Reset your password")),
            "{kind}: the text is there"
        );
        for text in &texts {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{202e}'),
                "{kind}: {text:?}"
            );
            match kind {
                "slack" => assert!(!text.contains(['<', '>']), "{kind}: {text:?}"),
                "discord" | "teams" => {
                    for markup in ["[Reset", "](", "<@", "<!channel>", "<https://"] {
                        assert!(!unescaped(text, markup), "{kind}: {markup} in {text:?}");
                    }
                }
                _ => {}
            }
        }
        if kind == "slack" {
            let fallback = bodies[0]["text"].as_str().unwrap();
            assert!(fallback.contains("&lt;!channel&gt;"), "{fallback}");
        }
    }
}

#[test]
fn no_secret_an_endpoint_echoes_reaches_stderr_or_a_file() {
    let home = tempfile::tempdir().unwrap();
    // Echoes what it was sent, routing key included: first as a 500, then as a 400.
    let server = Server::start(|req, n| {
        let body: Value = serde_json::from_slice(&req.body).unwrap_or(Value::Null);
        let echo = format!(
            "routing_key {} is not valid for {}; you sent {}",
            body["routing_key"],
            req.path,
            String::from_utf8_lossy(&req.body),
        );
        Reply::status(if n == 0 { 500 } else { 400 }, echo)
    });
    let config = config_file(
        home.path(),
        &[
            (
                "pager",
                format!(
                    "url = \"{}\"\nkind = \"pagerduty\"\nsecret_env = \"NOTIFY_SECRET\"",
                    server.url("/v2/enqueue")
                ),
            ),
            (
                "hook",
                format!("url = \"{}\"", server.url("/hook/PATH-SECRET")),
            ),
        ],
    );
    let events = [incident("github", 1, "incident.created", "critical", "x")];
    let (code, stdout, stderr) = notify(
        home.path(),
        &config,
        &["pager", "hook", "--retries", "1"],
        &lines(&events),
    );
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("routing_key"),
        "the echo is shown: {stderr}"
    );
    let (_, listed, _) = notify(home.path(), &config, &["--dead-letters"], "");
    let mut everything = format!("{stdout}{stderr}{listed}");
    for file in walk(&home.path().join("state")) {
        everything.push_str(&String::from_utf8_lossy(&std::fs::read(file).unwrap()));
    }
    for secret in ["KEY-456", "PATH-SECRET"] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked: {everything}"
        );
    }
}

#[test]
fn watch_without_notify_never_reads_a_targets_secrets() {
    let home = tempfile::tempdir().unwrap();
    let page = Server::start(|req, _| {
        if req.path == "/claude/api/v2/summary.json" {
            Reply::json(fixture("statuspage/claude-summary-active-incident.json"))
        } else {
            Reply::not_found()
        }
    });
    let (hook, bodies) = receiver(|_| ok());
    let config = config_for(home.path(), &page, &["claude"]);
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str("[notify.ops]\nurl_env = \"OPS_WEBHOOK_URL\"\n");
    std::fs::write(&config, text).unwrap();
    let watch = |notify: &[&str], url: Option<&str>| {
        let mut command = statusq(home.path());
        command
            .arg("--config")
            .arg(&config)
            .args(["watch", "--once", "claude", "--no-cache", "-f", "json"])
            .args(notify);
        if let Some(url) = url {
            command.env("OPS_WEBHOOK_URL", url);
        }
        command.output().unwrap()
    };
    // The README's split: the secret lives only in the notify unit's environment.
    let plain = watch(&[], None);
    assert_eq!(
        plain.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&plain.stderr)
    );
    assert!(!records(&plain.stdout).is_empty());

    // Asked to notify without the secret: it still watches, keeps the events for the target,
    // and says what is missing.
    let state = home.path().join("second.json");
    let missing = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["watch", "--once", "claude", "--no-cache", "-f", "json"])
        .args(["--notify", "ops", "--state"])
        .arg(&state)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("$OPS_WEBHOOK_URL is not set"), "{stderr}");
    let printed: Vec<String> = records(&missing.stdout).iter().map(id).collect();
    assert!(!printed.is_empty());
    // With the secret back, what was kept goes.
    let url = hook.url("/hook");
    let mut command = statusq(home.path());
    let fixed = command
        .arg("--config")
        .arg(&config)
        .args(["watch", "--once", "claude", "--no-cache", "-f", "json"])
        .args(["--notify", "ops", "--state"])
        .arg(&state)
        .env("OPS_WEBHOOK_URL", &url)
        .output()
        .unwrap();
    assert_eq!(
        fixed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fixed.stderr)
    );
    assert!(fixed.stdout.is_empty(), "nothing new to print");
    assert_eq!(ids_of(&bodies.lock().unwrap()), printed);
}
