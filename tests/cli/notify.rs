//! `statusq notify`: loopback receivers shaped like Slack, Discord, Teams, PagerDuty and a plain
//! webhook check each payload against the service's documented shape and limits; failures,
//! throttling, stalls, refusals, crashes, concurrent runs and holds lose nothing and send
//! nothing twice.

use crate::common::*;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// An incident event of `provider` (ours to write: the wire schema of `diff`'s output).
pub(crate) fn incident(provider: &str, n: usize, kind: &str, impact: &str, body: &str) -> Value {
    let status = if kind == "incident.resolved" {
        "resolved"
    } else {
        "identified"
    };
    json!({
        "type": "event", "v": 1, "event": kind,
        "id": format!("{provider}/incident/i{n}/update/{kind}"),
        "provider": provider, "name": provider.to_uppercase(),
        "url": format!("https://status.{provider}.example"),
        "at": NOW, "observed_at": NOW,
        "incident": {"id": format!("i{n}"), "name": format!("Incident {n}"), "status": status,
                     "impact": impact, "url": format!("https://status.{provider}.example/i/{n}")},
        "maintenance": null,
        "update": {"id": format!("u{n}-{kind}"), "status": status, "body": body, "at": NOW,
                   "components": null},
        "component": null, "from": null, "to": null, "error": null
    })
}

/// A component change observed at `at`.
pub(crate) fn change(provider: &str, id: &str, from: &str, to: &str, at: &str) -> Value {
    json!({
        "type": "event", "v": 1, "event": "component.changed",
        "id": format!("{provider}/component/{id}/{to}/{at}"),
        "provider": provider, "name": provider.to_uppercase(),
        "url": format!("https://status.{provider}.example"),
        "at": at, "observed_at": at,
        "incident": null, "maintenance": null, "update": null,
        "component": {"id": id, "name": format!("Component {id}"), "group": null,
                      "qualified_name": format!("Component {id}"), "status": to},
        "from": from, "to": to, "error": null
    })
}

pub(crate) fn lines(events: &[Value]) -> String {
    events.iter().map(|e| format!("{e}\n")).collect()
}

/// A config file with `[notify.NAME]` tables (TOML text after the header).
pub(crate) fn config_file(home: &Path, tables: &[(&str, String)]) -> PathBuf {
    let text: String = tables
        .iter()
        .map(|(name, body)| format!("[notify.{name}]\n{body}\n"))
        .collect();
    let path = home.join("notify.toml");
    std::fs::write(&path, text).unwrap();
    path
}

/// `statusq --config CONFIG notify ARGS` with `input` on stdin: (exit code, stdout, stderr).
pub(crate) fn notify(
    home: &Path,
    config: &Path,
    args: &[&str],
    input: &str,
) -> (i32, String, String) {
    let output = statusq(home)
        .arg("--config")
        .arg(config)
        .arg("notify")
        .args(if args.contains(&"--retries") {
            &[][..]
        } else {
            &["--retries", "0"][..]
        })
        .args(if args.contains(&"--timeout") {
            &[][..]
        } else {
            &["--timeout", "2s"][..]
        })
        .args(args)
        .env("NOTIFY_SECRET", "KEY-456-SECRET")
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `statusq --config CONFIG notify TARGETS…` started with `input` written to its stdin, for a
/// test to kill or wait for.
pub(crate) fn spawn_notify(
    home: &Path,
    config: &Path,
    targets: &[&str],
    input: &str,
) -> std::process::Child {
    let mut child = std::process::Command::new(bin())
        .arg("--config")
        .arg(config)
        .arg("notify")
        .args(targets)
        .env("XDG_STATE_HOME", home.join("state"))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    use std::io::Write;
    let mut stdin = child.stdin.take().unwrap();
    stdin.write_all(input.as_bytes()).unwrap();
    child
}

/// A receiver that records the JSON bodies POSTed to `/hook` and answers what `reply` says for
/// the n-th request.
pub(crate) fn receiver(
    reply: impl Fn(usize) -> Reply + Send + Sync + 'static,
) -> (Server, Arc<Mutex<Vec<Value>>>) {
    let bodies = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&bodies);
    let server = Server::start(move |req, earlier| {
        if req.method != "POST" || req.path != "/hook" {
            return Reply::not_found();
        }
        let reply = reply(earlier);
        if (200..300).contains(&reply.status) {
            let body: Value = serde_json::from_slice(&req.body).expect("a JSON body");
            kept.lock().unwrap().push(body);
        }
        reply
    });
    (server, bodies)
}

pub(crate) fn ok() -> Reply {
    Reply::status(200, "ok")
}

#[test]
fn slack_gets_one_block_kit_message_per_provider_within_its_limits() {
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| ok());
    let config = config_file(
        home.path(),
        &[(
            "ops",
            format!("url = \"{}\"\nkind = \"slack\"", server.url("/hook")),
        )],
    );
    // 60 updates of one provider, each long, and one of another.
    let mut events: Vec<Value> = (0..60)
        .map(|n| incident("github", n, "incident.created", "major", &"x".repeat(4000)))
        .collect();
    events.push(incident(
        "openai",
        1,
        "incident.created",
        "minor",
        "<!channel> & *bold*",
    ));
    let (code, stdout, stderr) = notify(home.path(), &config, &["ops"], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    let bodies = bodies.lock().unwrap().clone();
    assert_eq!(bodies.len(), 2, "one message per provider");
    for body in &bodies {
        let blocks = body["blocks"].as_array().unwrap();
        assert!(blocks.len() <= 50, "{} blocks", blocks.len());
        assert_eq!(blocks[0]["type"], "header");
        assert!(blocks[0]["text"]["text"].as_str().unwrap().len() <= 150);
        assert!(
            body["text"].as_str().is_some_and(|t| !t.is_empty()),
            "a fallback text"
        );
        for block in blocks.iter().filter(|b| b["type"] == "section") {
            assert_eq!(block["text"]["type"], "mrkdwn");
            assert!(block["text"]["text"].as_str().unwrap().chars().count() <= 3000);
        }
    }
    let github = bodies[0]["blocks"].as_array().unwrap();
    assert_eq!(github.len(), 50);
    assert_eq!(
        github[49]["elements"][0]["text"], "… and 12 more",
        "48 sections shown, the rest counted"
    );
    let openai = bodies[1]["blocks"][1]["text"]["text"].as_str().unwrap();
    assert!(
        openai.contains("&lt;!channel&gt; &amp;"),
        "upstream text cannot mention a channel: {openai}"
    );

    // The same events again: nothing new to send.
    let (code, _, stderr) = notify(home.path(), &config, &["ops"], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(server.hits("/hook"), 2);
}

#[test]
fn discord_embeds_stay_within_ten_a_message_and_6000_characters() {
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| ok());
    let config = config_file(
        home.path(),
        &[(
            "chat",
            format!("url = \"{}\"\nkind = \"discord\"", server.url("/hook")),
        )],
    );
    let events: Vec<Value> = (0..25)
        .map(|n| {
            incident(
                "github",
                n,
                "incident.created",
                "critical",
                &"@everyone ".repeat(500),
            )
        })
        .collect();
    let (code, _, stderr) = notify(home.path(), &config, &["chat"], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    let bodies = bodies.lock().unwrap().clone();
    assert!(bodies.len() >= 5, "split: {}", bodies.len());
    let mut embeds_seen = 0;
    for body in &bodies {
        assert_eq!(body["allowed_mentions"], json!({"parse": []}));
        let embeds = body["embeds"].as_array().unwrap();
        assert!(!embeds.is_empty() && embeds.len() <= 10);
        let total: usize = embeds
            .iter()
            .map(|e| {
                e["title"].as_str().unwrap().chars().count()
                    + e["description"].as_str().unwrap().chars().count()
            })
            .sum();
        assert!(total <= 6000, "{total} characters");
        for embed in embeds {
            assert!(embed["description"].as_str().unwrap().chars().count() <= 4096);
            assert!(embed["title"].as_str().unwrap().chars().count() <= 256);
            assert_eq!(embed["color"], 0xc53030, "critical is red");
        }
        embeds_seen += embeds.len();
    }
    assert_eq!(embeds_seen, 25, "every update, once");
}

#[test]
fn teams_gets_an_adaptive_card_with_its_required_fields() {
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| ok());
    let config = config_file(
        home.path(),
        &[(
            "teams",
            format!("url = \"{}\"\nkind = \"teams\"", server.url("/hook")),
        )],
    );
    let events = [incident(
        "github",
        1,
        "incident.created",
        "major",
        "[click](https://evil.example)",
    )];
    let (code, _, stderr) = notify(home.path(), &config, &["teams"], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    let body = bodies.lock().unwrap()[0].clone();
    assert_eq!(body["type"], "message");
    let attachment = &body["attachments"][0];
    assert_eq!(
        attachment["contentType"],
        "application/vnd.microsoft.card.adaptive"
    );
    let card = &attachment["content"];
    assert_eq!(card["type"], "AdaptiveCard");
    assert!(card["version"].as_str().is_some());
    assert!(card["$schema"].as_str().unwrap().contains("adaptive-card"));
    let texts: Vec<&str> = card["body"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            assert_eq!(b["type"], "TextBlock");
            b["text"].as_str().unwrap()
        })
        .collect();
    assert!(texts.iter().any(|t| t.contains("Incident 1")), "{texts:?}");
    assert!(
        texts.iter().all(|t| !t.contains("[click](")),
        "upstream Markdown is inert: {texts:?}"
    );
}

#[test]
fn pagerduty_triggers_and_resolves_the_same_alert() {
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| Reply::status(202, "{\"status\":\"success\"}"));
    let config = config_file(
        home.path(),
        &[(
            "pager",
            format!(
                "url = \"{}\"\nkind = \"pagerduty\"\nsecret_env = \"NOTIFY_SECRET\"",
                server.url("/hook")
            ),
        )],
    );
    let events = [
        incident("github", 7, "incident.created", "critical", "Down."),
        incident("github", 7, "incident.updated", "critical", "Still down."),
        incident("github", 7, "incident.resolved", "critical", "Fixed."),
    ];
    let (code, stdout, stderr) = notify(home.path(), &config, &[], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    let bodies = bodies.lock().unwrap().clone();
    assert_eq!(
        bodies.len(),
        2,
        "trigger and resolve; an update opens nothing"
    );
    assert_eq!(bodies[0]["event_action"], "trigger");
    assert_eq!(bodies[1]["event_action"], "resolve");
    assert_eq!(bodies[0]["dedup_key"], bodies[1]["dedup_key"]);
    assert_eq!(bodies[0]["routing_key"], "KEY-456-SECRET");
    let payload = &bodies[0]["payload"];
    assert_eq!(payload["severity"], "critical");
    assert_eq!(payload["source"], "github");
    assert!(payload["summary"].as_str().unwrap().contains("Incident 7"));
    assert!(!stdout.contains("KEY-456") && !stderr.contains("KEY-456"));
}

#[test]
fn a_webhook_gets_the_records_signed_with_hmac_sha256() {
    use hmac::{Hmac, Mac};
    let home = tempfile::tempdir().unwrap();
    let signatures = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&signatures);
    let server = Server::start(move |req, _| {
        let mut mac = Hmac::<sha2::Sha256>::new_from_slice(b"KEY-456-SECRET").unwrap();
        mac.update(&req.body);
        let expected: String = mac
            .finalize()
            .into_bytes()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        kept.lock().unwrap().push((
            req.headers.get("x-statusq-signature").cloned(),
            format!("sha256={expected}"),
            serde_json::from_slice::<Value>(&req.body).unwrap(),
        ));
        ok()
    });
    let config = config_file(
        home.path(),
        &[(
            "hook",
            format!(
                "url = \"{}\"\nsecret_env = \"NOTIFY_SECRET\"",
                server.url("/hook")
            ),
        )],
    );
    let events: Vec<Value> = (0..3)
        .map(|n| incident("github", n, "incident.created", "minor", "x"))
        .collect();
    let (code, _, stderr) = notify(home.path(), &config, &["hook"], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    let seen = signatures.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    let (header, expected, body) = &seen[0];
    assert_eq!(header.as_deref(), Some(expected.as_str()));
    let ids: Vec<&str> = body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3);
    assert_eq!(body["events"][0], events[0]);
}

/// The event ids a webhook receiver was sent, in order.
pub(crate) fn ids_of(bodies: &[Value]) -> Vec<String> {
    bodies
        .iter()
        .flat_map(|b| b["events"].as_array().unwrap().clone())
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_target_down_for_three_runs_gets_everything_once_in_order_when_back() {
    let home = tempfile::tempdir().unwrap();
    let up = Arc::new(Mutex::new(false));
    let switch = Arc::clone(&up);
    let (server, bodies) = receiver(move |_| {
        if *switch.lock().unwrap() {
            ok()
        } else {
            Reply::status(503, "down")
        }
    });
    let config = config_file(
        home.path(),
        &[("hook", format!("url = \"{}\"", server.url("/hook")))],
    );
    let mut sent = Vec::new();
    for run in 0..3 {
        let events: Vec<Value> = (0..4)
            .map(|n| incident("github", run * 10 + n, "incident.created", "minor", "x"))
            .collect();
        sent.extend(events.iter().map(|e| e["id"].as_str().unwrap().to_string()));
        let (code, _, stderr) = notify(home.path(), &config, &["hook"], &lines(&events));
        assert_eq!(code, 3, "kept for later: {stderr}");
        assert!(
            stderr.contains("notify hook:") && stderr.contains("HTTP 503"),
            "{stderr}"
        );
    }
    *up.lock().unwrap() = true;
    // Back: a run with no new input delivers the outbox, in order.
    let (code, _, stderr) = notify(home.path(), &config, &["hook"], "");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(ids_of(&bodies.lock().unwrap()), sent);
    let (code, _, _) = notify(home.path(), &config, &["hook"], "");
    assert_eq!(code, 0);
    assert_eq!(ids_of(&bodies.lock().unwrap()).len(), sent.len(), "once");
    let outbox = home.path().join("state/statusq/notify/hook/outbox.ndjson");
    assert_eq!(
        std::fs::read_to_string(outbox).unwrap(),
        "",
        "the outbox is empty"
    );
}

#[test]
fn throttling_stalls_and_refusals_are_told_apart() {
    let home = tempfile::tempdir().unwrap();
    // 429 with Retry-After, then accepted: delivered in the same run.
    let (server, bodies) = receiver(|n| {
        if n == 0 {
            Reply::status(429, "slow down").header("Retry-After", "1")
        } else {
            ok()
        }
    });
    let throttled = config_file(
        home.path(),
        &[("hook", format!("url = \"{}\"", server.url("/hook")))],
    );
    let events = [incident("github", 1, "incident.created", "minor", "x")];
    let started = Instant::now();
    let output = statusq(home.path())
        .arg("--config")
        .arg(&throttled)
        .args(["notify", "hook", "--retries", "2"])
        .write_stdin(lines(&events))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After honoured"
    );
    assert_eq!(bodies.lock().unwrap().len(), 1);

    // A receiver that stalls past --timeout: kept, exit 3, within the run's time.
    let stall = tempfile::tempdir().unwrap();
    let (slow, _) = receiver(|_| {
        let mut reply = ok();
        reply.delay = Duration::from_secs(5);
        reply
    });
    let config = config_file(
        stall.path(),
        &[("hook", format!("url = \"{}\"", slow.url("/hook")))],
    );
    let started = Instant::now();
    let (code, _, stderr) = notify(
        stall.path(),
        &config,
        &["hook", "--timeout", "1s"],
        &lines(&events),
    );
    assert_eq!(code, 3, "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(4));

    // 401: the target itself is refused, a configuration error, reported with the target's
    // name, kept, exit 2.
    let refused = tempfile::tempdir().unwrap();
    let (bad, _) = receiver(|_| Reply::status(401, "invalid_token"));
    let config = config_file(
        refused.path(),
        &[("ops", format!("url = \"{}\"", bad.url("/hook")))],
    );
    for _ in 0..2 {
        let (code, _, stderr) = notify(refused.path(), &config, &["ops"], &lines(&events));
        assert_eq!(code, 2, "{stderr}");
        assert!(
            stderr.contains("notify ops:")
                && stderr.contains("HTTP 401")
                && stderr.contains("refuses"),
            "{stderr}"
        );
    }
    assert_eq!(bad.hits("/hook"), 2, "one attempt a run, no retry loop");
}

#[test]
fn no_secret_appears_in_any_output() {
    let home = tempfile::tempdir().unwrap();
    // A URL whose path is the secret, answering errors of every kind in turn.
    let (server, _) = receiver(|n| match n % 3 {
        0 => Reply::status(500, "boom"),
        1 => Reply::status(404, "no such hook"),
        _ => Reply::raw(b"garbage".to_vec()),
    });
    let secret_url = server.url("/hook/TOKEN-123-SECRET");
    let config = config_file(
        home.path(),
        &[
            (
                "a",
                "url_env = \"HOOK_URL\"\nsecret_env = \"NOTIFY_SECRET\"".to_string(),
            ),
            ("b", format!("url = \"{secret_url}\"")),
        ],
    );
    let events = [incident("github", 1, "incident.created", "minor", "x")];
    let mut seen = String::new();
    for args in [
        vec!["a", "b"],
        vec!["a"],
        vec![&secret_url as &str],
        vec!["--help"],
    ] {
        let output = statusq(home.path())
            .arg("--config")
            .arg(&config)
            .arg("notify")
            .args(["--retries", "0"])
            .args(&args)
            .env("HOOK_URL", &secret_url)
            .env("NOTIFY_SECRET", "KEY-456-SECRET")
            .write_stdin(lines(&events))
            .output()
            .unwrap();
        seen.push_str(&String::from_utf8_lossy(&output.stdout));
        seen.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    // Unset variable: said by name, not value.
    let output = statusq(home.path())
        .arg("--config")
        .arg(&config)
        .args(["notify", "a"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr.contains("$HOOK_URL is not set"), "{stderr}");
    assert!(seen.contains("notify"), "something was said: {seen}");
    for secret in ["TOKEN-123", "KEY-456"] {
        assert!(!seen.contains(secret), "{secret} leaked: {seen}");
    }
    // The outbox files on disk hold events, not URLs.
    for entry in walk(&home.path().join("state")) {
        let text = std::fs::read_to_string(&entry).unwrap_or_default();
        assert!(!text.contains("TOKEN-123"), "{}", entry.display());
    }
}

pub(crate) fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                out.extend(walk(&path));
            } else {
                out.push(path);
            }
        }
    }
    out
}

#[test]
fn two_runs_at_once_send_each_event_once() {
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| {
        let mut reply = ok();
        reply.delay = Duration::from_millis(300);
        reply
    });
    let config = config_file(
        home.path(),
        &[("hook", format!("url = \"{}\"", server.url("/hook")))],
    );
    let events: Vec<Value> = (0..250)
        .map(|n| incident("github", n, "incident.created", "minor", "x"))
        .collect();
    let input = lines(&events);
    let run = || {
        let mut child = std::process::Command::new(bin())
            .arg("--config")
            .arg(&config)
            .args(["notify", "hook"])
            .env("XDG_STATE_HOME", home.path().join("state"))
            .stdin(Stdio::piped())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
        child
    };
    let (mut first, mut second) = (run(), run());
    assert!(first.wait().unwrap().success());
    assert!(second.wait().unwrap().success());
    let ids = ids_of(&bodies.lock().unwrap());
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 250);
    assert_eq!(ids.len(), 250, "no event sent twice");
}

#[test]
fn kill_9_during_delivery_loses_nothing() {
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| {
        let mut reply = ok();
        reply.delay = Duration::from_millis(400);
        reply
    });
    let config = config_file(
        home.path(),
        &[("hook", format!("url = \"{}\"", server.url("/hook")))],
    );
    // 5 requests of 100 events each.
    let events: Vec<Value> = (0..500)
        .map(|n| incident("github", n, "incident.created", "minor", "x"))
        .collect();
    let input = lines(&events);
    let mut child = spawn_notify(home.path(), &config, &["hook"], &input);
    // Killed while its second request is in flight.
    let deadline = Instant::now() + Duration::from_secs(20);
    while server.hits("/hook") < 2 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    let _ = child.wait();
    // The rerun has no input of its own: what was spooled is all there is.
    let (code, _, stderr) = notify(home.path(), &config, &["hook"], "");
    assert_eq!(code, 0, "{stderr}");
    let ids = ids_of(&bodies.lock().unwrap());
    let unique: std::collections::HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), 500, "nothing lost");
    assert!(
        ids.len() - unique.len() <= 100,
        "duplicates at most the request in flight: {}",
        ids.len() - unique.len()
    );
}

#[test]
fn a_hold_drops_a_flap_and_sends_a_lasting_change_once_when_it_ends() {
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| ok());
    let config = config_file(
        home.path(),
        &[(
            "hook",
            format!("url = \"{}\"\nhold = \"10m\"", server.url("/hook")),
        )],
    );
    let at = |clock: &str, args: &[&str], input: &str| {
        let output = statusq(home.path())
            .env("STATUSQ_NOW", clock)
            .arg("--config")
            .arg(&config)
            .args(["notify", "hook"])
            .args(args)
            .write_stdin(input.to_string())
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
    };
    // A flap: major outage at 10:00, back at 10:03.
    let flap = [
        change(
            "github",
            "c1",
            "operational",
            "major_outage",
            "2026-11-22T10:00:00Z",
        ),
        change(
            "github",
            "c1",
            "major_outage",
            "operational",
            "2026-11-22T10:03:00Z",
        ),
    ];
    at("2026-11-22T10:04:00Z", &[], &lines(&flap));
    at("2026-11-22T10:20:00Z", &[], "");
    assert_eq!(server.hits("/hook"), 0, "a flap sends nothing");
    // … and is on the record: both changes, as flapped.
    let log = std::fs::read_to_string(
        home.path()
            .join("state/statusq/notify/hook/delivered.ndjson"),
    )
    .unwrap();
    for event in &flap {
        assert!(
            log.lines()
                .any(|l| l.contains(event["id"].as_str().unwrap())
                    && l.contains("\"outcome\":\"flapped\"")),
            "{log}"
        );
    }

    // A change that lasts: held at 11:05, sent once at 11:15 or later; an incident is never held.
    let lasting = [
        change(
            "github",
            "c2",
            "operational",
            "partial_outage",
            "2026-11-22T11:00:00Z",
        ),
        incident("github", 9, "incident.created", "major", "x"),
    ];
    at("2026-11-22T11:05:00Z", &[], &lines(&lasting));
    assert_eq!(
        ids_of(&bodies.lock().unwrap()),
        [lasting[1]["id"].as_str().unwrap()],
        "the incident at once, the change held"
    );
    at("2026-11-22T11:09:00Z", &[], "");
    assert_eq!(server.hits("/hook"), 1);
    at("2026-11-22T11:15:00Z", &[], "");
    at("2026-11-22T11:30:00Z", &[], "");
    let ids = ids_of(&bodies.lock().unwrap());
    assert_eq!(
        ids,
        [
            lasting[1]["id"].as_str().unwrap(),
            lasting[0]["id"].as_str().unwrap()
        ],
        "the change, once, when the hold ended"
    );
}

#[test]
fn routes_choose_providers_events_and_levels() {
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| ok());
    let config = config_file(
        home.path(),
        &[(
            "hook",
            format!(
                "url = \"{}\"\nproviders = [\"git*\"]\nevents = [\"incident.*\", \"component.changed\"]\nmin_impact = \"major\"\nmin_level = \"partial_outage\"",
                server.url("/hook")
            ),
        )],
    );
    let events = [
        incident("github", 1, "incident.created", "critical", "kept"),
        incident("github", 2, "incident.created", "minor", "below major"),
        incident(
            "openai",
            3,
            "incident.created",
            "critical",
            "another provider",
        ),
        change("github", "c1", "operational", "degraded_performance", NOW),
        change("github", "c2", "operational", "major_outage", NOW),
        change(
            "github",
            "c2",
            "major_outage",
            "operational",
            "2026-11-22T03:31:00Z",
        ),
    ];
    let (code, _, stderr) = notify(home.path(), &config, &[], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    let expected: Vec<&str> = [&events[0], &events[4], &events[5]]
        .iter()
        .map(|e| e["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids_of(&bodies.lock().unwrap()), expected);
}

#[test]
fn watch_notify_spools_before_committing_and_delivers_as_it_goes() {
    let home = tempfile::tempdir().unwrap();
    let page = Server::start(|req, _| {
        if req.path == "/claude/api/v2/summary.json" {
            Reply::json(fixture("statuspage/claude-summary-active-incident.json"))
        } else {
            Reply::not_found()
        }
    });
    let up = Arc::new(Mutex::new(false));
    let switch = Arc::clone(&up);
    let (hook, bodies) = receiver(move |_| {
        if *switch.lock().unwrap() {
            ok()
        } else {
            Reply::status(502, "bad gateway")
        }
    });
    let config = config_for(home.path(), &page, &["claude"]);
    let mut text = std::fs::read_to_string(&config).unwrap();
    text.push_str(&format!("[notify.hook]\nurl = \"{}\"\n", hook.url("/hook")));
    std::fs::write(&config, text).unwrap();
    let watch = || {
        statusq(home.path())
            .arg("--config")
            .arg(&config)
            .args([
                "watch",
                "--once",
                "claude",
                "--notify",
                "hook",
                "--retries",
                "0",
            ])
            .args(["--no-cache", "-f", "json"])
            .output()
            .unwrap()
    };
    // The hook is down: the events are printed, spooled, and the run says so (exit 3).
    let first = watch();
    let printed = records(&first.stdout);
    assert!(!printed.is_empty());
    assert_eq!(first.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&first.stderr).contains("notify hook:"));
    // The state is committed: the next poll has nothing new, but the outbox is retried.
    *up.lock().unwrap() = true;
    let second = watch();
    assert_eq!(second.status.code(), Some(0));
    assert!(second.stdout.is_empty(), "nothing new to print");
    let delivered = ids_of(&bodies.lock().unwrap());
    let expected: Vec<String> = printed
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(delivered, expected, "every printed event, once, in order");
}

#[test]
fn a_long_running_pipeline_is_delivered_as_it_goes() {
    let home = tempfile::tempdir().unwrap();
    let (server, bodies) = receiver(|_| ok());
    let config = config_file(
        home.path(),
        &[("hook", format!("url = \"{}\"", server.url("/hook")))],
    );
    let mut child = std::process::Command::new(bin())
        .arg("--config")
        .arg(&config)
        .args(["notify", "hook"])
        .env("XDG_STATE_HOME", home.path().join("state"))
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    use std::io::Write;
    for n in 0..2 {
        let event = incident("github", n, "incident.created", "minor", "x");
        writeln!(stdin, "{event}").unwrap();
        stdin.flush().unwrap();
        // Delivered while the input is still open.
        let deadline = Instant::now() + Duration::from_secs(10);
        while server.hits("/hook") < n + 1 && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        assert_eq!(
            server.hits("/hook"),
            n + 1,
            "event {n} not delivered before EOF"
        );
    }
    drop(stdin);
    assert!(child.wait().unwrap().success());
    assert_eq!(ids_of(&bodies.lock().unwrap()).len(), 2);
}
