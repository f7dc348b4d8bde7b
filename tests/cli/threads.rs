//! `notify`'s threads, dry runs and newer targets: loopback fakes of Slack's Web API
//! (`chat.postMessage`, `chat.update`), Discord's webhook (`?wait=true`, message edit), Google
//! Chat, Mattermost, Opsgenie and ntfy, each asserting the request shape the platform's
//! documentation gives (the page is named at each test), across restarts, with no secret in
//! any output or file.

use crate::common::*;
use crate::notify::{config_file, incident, lines, notify};
use serde_json::{json, Value};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// What a fake service saw: method, path (query included), headers, body, and when.
type Log = Arc<Mutex<Vec<(Seen, Instant)>>>;

/// A fake service: `answer(request, how many before it had this path)`, every request logged.
fn service(answer: impl Fn(&Seen, usize) -> Reply + Send + Sync + 'static) -> (Server, Log) {
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let kept = Arc::clone(&log);
    let server = Server::start(move |req, earlier| {
        kept.lock().unwrap().push((req.clone(), Instant::now()));
        answer(req, earlier)
    });
    (server, log)
}

fn seen(log: &Log) -> Vec<Seen> {
    log.lock().unwrap().iter().map(|(s, _)| s.clone()).collect()
}

fn body(seen: &Seen) -> Value {
    serde_json::from_slice(&seen.body).unwrap_or_else(|e| panic!("{e}: {:?}", seen.body))
}

/// Every file under `dir`, as text, for grepping.
fn all_files(dir: &Path) -> String {
    let mut out = String::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.push_str(&all_files(&path));
        } else {
            out.push_str(&String::from_utf8_lossy(
                &std::fs::read(&path).unwrap_or_default(),
            ));
        }
    }
    out
}

fn maintenance(provider: &str, kind: &str) -> Value {
    let status = if kind == "maintenance.completed" {
        "completed"
    } else {
        "in_progress"
    };
    json!({
        "type": "event", "v": 1, "event": kind,
        "id": format!("{provider}/maintenance/m1/update/{kind}"),
        "provider": provider, "name": provider.to_uppercase(),
        "url": format!("https://status.{provider}.example"),
        "at": NOW, "observed_at": NOW, "incident": null,
        "maintenance": {"id": "m1", "name": "Database upgrade", "status": status,
                        "impact": "maintenance", "url": null},
        "update": {"id": format!("mu-{kind}"), "status": status, "body": "Work.", "at": NOW,
                   "components": null},
        "component": null, "from": null, "to": null, "error": null
    })
}

const TOKEN: &str = "xoxb-TOKEN-SECRET-123";

/// A Slack bot target on `server`, its token in `SLACK_TOKEN`.
fn slack_bot(home: &Path, server: &Server) -> std::path::PathBuf {
    config_file(
        home,
        &[(
            "incidents",
            format!(
                "kind = \"slack\"\ntoken_env = \"SLACK_TOKEN\"\nchannel = \"C0123\"\napi_url = \"{}\"",
                server.url("/api")
            ),
        )],
    )
}

fn notify_with(home: &Path, config: &Path, args: &[&str], input: &str) -> (i32, String, String) {
    let output = statusq(home)
        .arg("--config")
        .arg(config)
        .arg("notify")
        .args(["--timeout", "5s"])
        .args(args)
        .env("SLACK_TOKEN", TOKEN)
        .env("GENIE_KEY", "GENIE-KEY-SECRET-789")
        .env("NTFY_TOKEN", "tk_NTFY-SECRET-000")
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Slack's Web API as api.slack.com/methods/chat.postMessage and /chat.update describe it: a
/// bearer token, JSON, and a 200 whose `ok` says whether it was taken; a post answers its `ts`.
fn slack_api() -> (Server, Log) {
    service(|req, _| {
        let auth = req
            .headers
            .get("authorization")
            .cloned()
            .unwrap_or_default();
        if auth != format!("Bearer {TOKEN}") {
            return Reply::json(r#"{"ok":false,"error":"not_authed"}"#);
        }
        match req.path.as_str() {
            "/api/chat.postMessage" => {
                let n = req.body.len();
                Reply::json(format!(
                    r#"{{"ok":true,"channel":"C0123","ts":"1700000000.{n:06}"}}"#
                ))
            }
            "/api/chat.update" => Reply::json(r#"{"ok":true,"channel":"C0123"}"#),
            _ => Reply::json(r#"{"ok":false,"error":"unknown_method"}"#),
        }
    })
}

#[test]
fn a_slack_bot_keeps_one_thread_per_incident_across_restarts_and_marks_the_root_ended() {
    let home = tempfile::tempdir().unwrap();
    let (server, log) = slack_api();
    let config = slack_bot(home.path(), &server);
    let runs = [
        vec![incident(
            "github",
            1,
            "incident.created",
            "major",
            "Actions is down.",
        )],
        vec![
            incident("github", 1, "incident.updated", "major", "Identified."),
            maintenance("github", "maintenance.started"),
        ],
        vec![
            incident("github", 1, "incident.resolved", "major", "Fixed."),
            maintenance("github", "maintenance.completed"),
        ],
    ];
    // Each run is a new process: the thread lives in the outbox, not in memory.
    for events in &runs {
        let (code, _, stderr) = notify_with(home.path(), &config, &[], &lines(events));
        assert_eq!(code, 0, "{stderr}");
    }
    let seen = seen(&log);
    let calls: Vec<&str> = seen.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        calls,
        [
            "/api/chat.postMessage", // the incident's root
            "/api/chat.postMessage", // its update, a reply
            "/api/chat.postMessage", // the maintenance's root
            "/api/chat.postMessage", // the resolution, a reply
            "/api/chat.update",      // the root's status line
            "/api/chat.postMessage", // the maintenance's end, a reply
            "/api/chat.update",
        ]
    );
    let bodies: Vec<Value> = seen.iter().map(body).collect();
    for (s, b) in seen.iter().zip(&bodies) {
        assert_eq!(s.headers["content-type"], "application/json; charset=utf-8");
        assert_eq!(b["channel"], "C0123");
    }
    let root_ts = format!("1700000000.{:06}", seen[0].body.len());
    assert!(bodies[0].get("thread_ts").is_none(), "{}", bodies[0]);
    assert!(bodies[0]["text"]
        .as_str()
        .unwrap()
        .contains("Actions is down."));
    assert_eq!(bodies[1]["thread_ts"], root_ts.as_str());
    assert!(bodies[1]["text"].as_str().unwrap().contains("Identified."));
    let maintenance_ts = format!("1700000000.{:06}", seen[2].body.len());
    assert!(bodies[2].get("thread_ts").is_none());
    assert_eq!(bodies[3]["thread_ts"], root_ts.as_str());
    assert_eq!(bodies[4]["ts"], root_ts.as_str());
    assert!(bodies[4]["text"].as_str().unwrap().starts_with("Ended · "));
    // The root as posted, its status line under the header.
    assert_eq!(bodies[4]["blocks"][0], bodies[0]["blocks"][0]);
    assert!(bodies[4]["blocks"][1]["elements"][0]["text"]
        .as_str()
        .unwrap()
        .contains("Ended"));
    assert_eq!(bodies[5]["thread_ts"], maintenance_ts.as_str());
    assert_eq!(bodies[6]["ts"], maintenance_ts.as_str());
    // The roots are kept with the outbox; the token is nowhere on disk.
    let kept = all_files(&home.path().join("state"));
    assert!(kept.contains(&root_ts), "no root kept");
    assert!(!kept.contains("TOKEN-SECRET"));
}

#[test]
fn slack_web_api_refusals_are_sorted_and_a_429_is_waited_for() {
    let home = tempfile::tempdir().unwrap();
    // api.slack.com/apis/rate-limits: HTTP 429 with Retry-After in seconds.
    let (server, log) = service(|req, earlier| match (req.path.as_str(), earlier) {
        ("/api/chat.postMessage", 0) => {
            Reply::status(429, r#"{"ok":false,"error":"ratelimited"}"#).header("Retry-After", "1")
        }
        ("/api/chat.postMessage", 1) => Reply::json(r#"{"ok":false,"error":"msg_too_long"}"#),
        ("/api/chat.postMessage", _) => Reply::json(r#"{"ok":true,"ts":"1.000001"}"#),
        _ => Reply::not_found(),
    });
    let config = slack_bot(home.path(), &server);
    let events = [
        incident("github", 1, "incident.created", "major", "One."),
        incident("openai", 2, "incident.created", "major", "Two."),
    ];
    let (code, _, stderr) = notify_with(home.path(), &config, &[], &lines(&events));
    let log = log.lock().unwrap().clone();
    assert!(log.len() >= 3, "{stderr}");
    assert!(
        log[1].1.duration_since(log[0].1).as_millis() >= 1000,
        "Retry-After: 1 honoured"
    );
    // A 200 with ok:false for its content: that message is a dead letter, the next one goes.
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains("msg_too_long") && stderr.contains("dead letter"),
        "{stderr}"
    );
    assert_eq!(log.len(), 3);
    // ok:false for the target: it stops, keeps everything, exit 2.
    let (server, _) = service(|_, _| Reply::json(r#"{"ok":false,"error":"channel_not_found"}"#));
    let home = tempfile::tempdir().unwrap();
    let config = slack_bot(home.path(), &server);
    let (code, _, stderr) = notify_with(home.path(), &config, &[], &lines(&events[..1]));
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("channel_not_found") && stderr.contains("kept"),
        "{stderr}"
    );
    assert!(!stderr.contains("TOKEN-SECRET"), "{stderr}");
}

#[test]
fn a_discord_thread_is_one_message_posted_with_wait_and_edited_after_a_restart() {
    let home = tempfile::tempdir().unwrap();
    // discord.com/developers/docs/resources/webhook: Execute Webhook with `wait=true` answers
    // the message; Edit Webhook Message is PATCH /webhooks/{id}/{token}/messages/{message.id}.
    let (server, log) = service(|req, _| match (req.method.as_str(), req.path.as_str()) {
        ("POST", "/api/webhooks/1/tok?wait=true") => {
            Reply::json(r#"{"id":"555","channel_id":"9","embeds":[]}"#)
        }
        ("PATCH", "/api/webhooks/1/tok/messages/555") => Reply::json(r#"{"id":"555"}"#),
        _ => Reply::not_found(),
    });
    let config = config_file(
        home.path(),
        &[(
            "chat",
            format!(
                "kind = \"discord\"\nthread = true\nurl = \"{}\"",
                server.url("/api/webhooks/1/tok")
            ),
        )],
    );
    for events in [
        vec![incident("github", 1, "incident.created", "major", "Down.")],
        vec![incident(
            "github",
            1,
            "incident.updated",
            "major",
            "Better.",
        )],
        vec![incident(
            "github",
            1,
            "incident.resolved",
            "major",
            "Fixed.",
        )],
    ] {
        let (code, _, stderr) = notify(home.path(), &config, &[], &lines(&events));
        assert_eq!(code, 0, "{stderr}");
    }
    let seen = seen(&log);
    let calls: Vec<(&str, &str)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.path.as_str()))
        .collect();
    assert_eq!(
        calls,
        [
            ("POST", "/api/webhooks/1/tok?wait=true"),
            ("PATCH", "/api/webhooks/1/tok/messages/555"),
            ("PATCH", "/api/webhooks/1/tok/messages/555"),
        ]
    );
    let last = body(&seen[2]);
    assert_eq!(last["allowed_mentions"], json!({"parse": []}));
    let embeds = last["embeds"].as_array().unwrap();
    // How it began, and where it is now.
    assert_eq!(embeds[0], body(&seen[0])["embeds"][0]);
    assert!(embeds.last().unwrap()["description"]
        .as_str()
        .unwrap()
        .contains("Fixed."));
}

#[test]
fn google_chat_gets_a_card_in_the_incidents_thread() {
    let home = tempfile::tempdir().unwrap();
    let (server, log) = service(|_, _| Reply::json(r#"{"name":"spaces/A/messages/1"}"#));
    // developers.google.com/workspace/chat/quickstart/webhooks: POST JSON to the space's
    // webhook URL; a reply in a thread names `thread.threadKey` and, in the query,
    // messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD.
    let url = server.url("/v1/spaces/AAA/messages?key=K&token=T-SECRET");
    let config = config_file(
        home.path(),
        &[("chat", format!("kind = \"googlechat\"\nurl = \"{url}\""))],
    );
    let events = [
        incident(
            "github",
            1,
            "incident.created",
            "major",
            "<users/all> & <b>down</b>",
        ),
        incident("github", 1, "incident.resolved", "major", "Fixed."),
    ];
    for event in &events {
        let (code, _, stderr) = notify(
            home.path(),
            &config,
            &[],
            &lines(std::slice::from_ref(event)),
        );
        assert_eq!(code, 0, "{stderr}");
    }
    let seen = seen(&log);
    assert_eq!(seen.len(), 2);
    let (first, second) = (body(&seen[0]), body(&seen[1]));
    for s in &seen {
        assert!(
            s.path
                .starts_with("/v1/spaces/AAA/messages?key=K&token=T-SECRET&")
                && s.path
                    .ends_with("messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD"),
            "{}",
            s.path
        );
    }
    let key = first["thread"]["threadKey"].as_str().unwrap();
    assert!(key.starts_with("statusq-"));
    assert_eq!(
        second["thread"]["threadKey"], key,
        "one thread for the incident"
    );
    let text = first["cardsV2"][0]["card"]["sections"][1]["widgets"][0]["textParagraph"]["text"]
        .as_str()
        .unwrap();
    assert!(
        text.contains("&lt;users/all&gt; &amp; &lt;b&gt;down&lt;/b&gt;"),
        "{text}"
    );
    assert!(!text.contains("<users/all>"));
}

#[test]
fn mattermost_gets_markdown_with_no_mention_left() {
    let home = tempfile::tempdir().unwrap();
    // developers.mattermost.com/integrate/webhooks/incoming: POST {"text": …} as JSON; the
    // answer is a 200 "ok".
    let (server, log) = service(|_, _| Reply::status(200, "ok"));
    let config = config_file(
        home.path(),
        &[(
            "mm",
            format!(
                "kind = \"mattermost\"\nurl = \"{}\"",
                server.url("/hooks/abc-SECRET")
            ),
        )],
    );
    let events = [incident(
        "github",
        1,
        "incident.created",
        "major",
        "ping @channel a_b [x](y)",
    )];
    let (code, _, stderr) = notify(home.path(), &config, &[], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    let seen = seen(&log);
    assert_eq!(seen[0].path, "/hooks/abc-SECRET");
    let sent = body(&seen[0]);
    let text = sent["text"].as_str().unwrap();
    assert!(text.starts_with("#### GITHUB: 1 update"), "{text}");
    assert!(
        text.contains("@\u{2060}channel") && !text.contains("@channel"),
        "{text}"
    );
    // Markdown of the page's own was made plain first; what is left is taken literally.
    assert!(text.contains("a\\_b x \\<y\\>"), "{text}");
    assert!(text.contains("https://status.github.example/i/1"), "{text}");
    assert_eq!(sent["username"], "statusq");
}

#[test]
fn opsgenie_creates_with_an_alias_and_closes_by_it_with_its_genie_key() {
    let home = tempfile::tempdir().unwrap();
    // docs.opsgenie.com/docs/alert-api: Create Alert is POST /v2/alerts (message ≤ 130,
    // alias for deduplication), Close Alert is POST /v2/alerts/:identifier/close with
    // identifierType=alias; both authenticate with `Authorization: GenieKey …` and answer 202.
    let (server, log) = service(|_, _| {
        Reply::status(
            202,
            r#"{"result":"Request will be processed","took":0.1,"requestId":"r"}"#,
        )
    });
    let config = config_file(
        home.path(),
        &[(
            "genie",
            format!(
                "kind = \"opsgenie\"\nsecret_env = \"GENIE_KEY\"\nurl = \"{}\"",
                server.url("")
            ),
        )],
    );
    let long = "x".repeat(300);
    let events = [
        incident("github", 1, "incident.created", "critical", &long),
        incident("github", 1, "incident.updated", "critical", "Still."),
        incident("github", 1, "incident.resolved", "critical", "Fixed."),
    ];
    let (code, stdout, stderr) = notify_with(home.path(), &config, &[], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    let seen = seen(&log);
    assert_eq!(
        seen.len(),
        2,
        "create and close; an update is the alert's own business"
    );
    for s in &seen {
        assert_eq!(s.headers["authorization"], "GenieKey GENIE-KEY-SECRET-789");
    }
    assert_eq!(seen[0].path, "/v2/alerts");
    let created = body(&seen[0]);
    assert_eq!(created["alias"], "statusq/github/incident/i1");
    assert_eq!(created["priority"], "P1");
    assert!(created["message"].as_str().unwrap().chars().count() <= 130);
    assert!(created["message"]
        .as_str()
        .unwrap()
        .starts_with("GITHUB: Incident 1"));
    assert_eq!(
        seen[1].path,
        "/v2/alerts/statusq%2Fgithub%2Fincident%2Fi1/close?identifierType=alias"
    );
    assert!(body(&seen[1])["note"].as_str().unwrap().contains("Fixed."));
    assert!(!stdout.contains("GENIE-KEY") && !stderr.contains("GENIE-KEY"));
    assert!(!all_files(&home.path().join("state")).contains("GENIE-KEY"));
    // Without its key an Opsgenie target is a configuration error, said before anything runs.
    let bad = config_file(home.path(), &[("genie", "kind = \"opsgenie\"".into())]);
    let (code, _, stderr) = notify_with(home.path(), &bad, &[], "");
    assert_eq!(code, 2);
    assert!(stderr.contains("GenieKey"), "{stderr}");
}

#[test]
fn ntfy_gets_the_text_with_title_priority_and_tags_headers_and_its_token() {
    let home = tempfile::tempdir().unwrap();
    // docs.ntfy.sh/publish: POST the message to the topic URL; Title, Priority (1–5), Tags
    // (comma-separated) and Click as headers; an access token as `Authorization: Bearer`.
    let (server, log) = service(|_, _| Reply::json(r#"{"id":"x","event":"message"}"#));
    let config = config_file(
        home.path(),
        &[(
            "phone",
            format!(
                "kind = \"ntfy\"\ntoken_env = \"NTFY_TOKEN\"\nurl = \"{}\"",
                server.url("/statusq-ops")
            ),
        )],
    );
    let mut event = incident(
        "github",
        1,
        "incident.created",
        "critical",
        "Everything is down.",
    );
    event["name"] = json!("GitHub ✓");
    let (code, _, stderr) = notify_with(home.path(), &config, &[], &lines(&[event]));
    assert_eq!(code, 0, "{stderr}");
    let seen = seen(&log);
    let s = &seen[0];
    assert_eq!(s.path, "/statusq-ops");
    assert_eq!(s.headers["authorization"], "Bearer tk_NTFY-SECRET-000");
    assert_eq!(s.headers["priority"], "5");
    assert_eq!(s.headers["tags"], "statusq,rotating_light");
    assert_eq!(s.headers["click"], "https://status.github.example/i/1");
    // A title beyond ASCII travels as an RFC 2047 encoded word.
    let title = &s.headers["title"];
    assert!(
        title.starts_with("=?UTF-8?B?") && title.ends_with("?="),
        "{title}"
    );
    use base64::Engine;
    let inner = &title["=?UTF-8?B?".len()..title.len() - 2];
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(inner)
        .unwrap();
    assert_eq!(String::from_utf8(decoded).unwrap(), "GitHub ✓: 1 update");
    assert!(String::from_utf8_lossy(&s.body).contains("Everything is down."));
}

#[test]
fn a_dry_run_prints_what_would_be_sent_and_leaves_the_state_directory_as_it_was() {
    let home = tempfile::tempdir().unwrap();
    let (server, log) = slack_api();
    let config = slack_bot(home.path(), &server);
    // A thread already under way: its root is kept.
    let (code, _, stderr) = notify_with(
        home.path(),
        &config,
        &[],
        &lines(&[incident("github", 1, "incident.created", "major", "Down.")]),
    );
    assert_eq!(code, 0, "{stderr}");
    let posted = seen(&log).len();
    let state = home.path().join("state");
    let before = snapshot_tree(&state);
    let events = [
        incident("github", 1, "incident.resolved", "major", "Fixed."),
        incident("openai", 2, "incident.created", "minor", "Slow."),
        incident("openai", 2, "incident.updated", "minor", "Slower."),
    ];
    let (code, stdout, stderr) = notify_with(home.path(), &config, &["--dry-run"], &lines(&events));
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(seen(&log).len(), posted, "no request");
    assert_eq!(
        snapshot_tree(&state),
        before,
        "the state directory is byte-identical"
    );
    let records = records(stdout.as_bytes());
    let calls: Vec<(&str, bool)> = records
        .iter()
        .map(|r| {
            (
                r["call"].as_str().unwrap(),
                r["thread"]["starts"].as_bool().unwrap(),
            )
        })
        .collect();
    // The kept thread goes on (a reply, then the root's rewrite); OpenAI's starts one.
    assert_eq!(
        calls,
        [
            ("chat.postMessage", false),
            ("chat.update", false),
            ("chat.postMessage", true)
        ]
    );
    for r in &records {
        assert_eq!(r["type"], "dry_run");
        assert_eq!(r["target"], "incidents");
        assert_eq!(r["kind"], "slack");
        assert_eq!(r["url"], "http://127.0.0.1/…");
        assert!(r["headers"].get("Authorization").is_none());
    }
    assert!(records[0]["body"]["thread_ts"].is_string());
    assert_eq!(records[2]["events"].as_array().unwrap().len(), 2);
    assert!(!stdout.contains("TOKEN-SECRET") && !stderr.contains("TOKEN-SECRET"));
    assert!(
        stderr.contains("dry run") && stderr.contains("nothing sent"),
        "{stderr}"
    );
}

/// Every file under `dir` with its bytes, sorted by path.
fn snapshot_tree(dir: &Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(at) = stack.pop() {
        for entry in std::fs::read_dir(&at).into_iter().flatten().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn a_token_echoed_back_is_redacted_and_half_configured_targets_are_config_errors() {
    let home = tempfile::tempdir().unwrap();
    // A proxy or service that echoes the request it refused, Authorization and all.
    let (server, _) = service(|req, _| {
        let auth = req
            .headers
            .get("authorization")
            .cloned()
            .unwrap_or_default();
        Reply::status(403, format!("forbidden: {auth}"))
    });
    let config = slack_bot(home.path(), &server);
    let events = lines(&[incident("github", 1, "incident.created", "major", "Down.")]);
    let (code, stdout, stderr) = notify_with(home.path(), &config, &[], &events);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("forbidden: Bearer [redacted]"), "{stderr}");
    assert!(!stderr.contains("TOKEN-SECRET") && !stdout.contains("TOKEN-SECRET"));
    assert!(!all_files(&home.path().join("state")).contains("TOKEN-SECRET"));

    for (table, says) in [
        ("kind = \"slack\"\ntoken_env = \"SLACK_TOKEN\"", "posts to a channel"),
        (
            "kind = \"slack\"\ntoken_env = \"SLACK_TOKEN\"\nchannel = \"C1\"\nurl = \"https://hooks.slack.com/services/x\"",
            "not a webhook url",
        ),
        ("url = \"https://ntfy.sh/t\"\nchannel = \"C1\"", "Slack bot's"),
        ("url = \"https://ntfy.sh/t\"\nthread = true", "Discord's"),
        ("kind = \"opsgenie\"\nsecret_env = \"GENIE_KEY\"\nregion = \"mars\"", "\"us\" or \"eu\""),
        ("url = \"https://example.com/hook\"\ntoken_env = \"SLACK_TOKEN\"", "token_env"),
    ] {
        let config = config_file(home.path(), &[("t", table.to_string())]);
        let (code, _, stderr) = notify_with(home.path(), &config, &["--dry-run"], "");
        assert_eq!(code, 2, "{table}: {stderr}");
        assert!(stderr.contains(says), "{table}: {stderr}");
    }
    // An Opsgenie URL on the command line has no key: said, not sent.
    let (code, _, stderr) = notify_with(
        home.path(),
        &config,
        &["https://api.eu.opsgenie.com"],
        &events,
    );
    assert_eq!(code, 2);
    assert!(stderr.contains("opsgenie target needs its key"), "{stderr}");
}
