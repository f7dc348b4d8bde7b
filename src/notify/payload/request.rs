//! The HTTP request that carries a message: method, URL, headers and body, given the thread's
//! root message when the target threads. Pure, so `notify --dry-run` prints exactly what
//! `notify` sends — all but the `Authorization` header and the webhook signature, which the
//! sender adds ([`crate::notify::send`]), so no secret is ever in a [`Request`] but the
//! target's URL, which is shown only as `scheme://host/…`.
//!
//! Threads:
//! - Slack (a bot token): a step with no root yet is posted with `chat.postMessage` and
//!   becomes the root (its `ts` kept); later steps are replies (`thread_ts`), and the step
//!   that ends the incident also rewrites the root's status line (`chat.update`).
//!   api.slack.com/methods/chat.postMessage, api.slack.com/methods/chat.update.
//! - Discord (`thread = true`): the first step is posted with `?wait=true`, which answers
//!   the message (its `id` kept); later steps edit it (`PATCH …/messages/{id}`) to show how
//!   the incident began and where it is now. discord.com/developers/docs/resources/webhook.
//! - Google Chat: every step of one incident carries one `thread.threadKey`, with
//!   `messageReplyOption=REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD`: Chat keeps the thread, so
//!   nothing is stored. developers.google.com/workspace/chat/api/reference/rest/v1/
//!   spaces.messages/create.

use super::parts::{Message, Step};
use crate::notify::{Endpoint, Kind};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// One request, as it goes on the wire (but for the sender's authentication). Its `Debug`
/// shows the URL as `scheme://host/…`.
#[derive(Clone)]
pub struct Request {
    pub method: &'static str,
    /// The whole URL, the target's secret path and query included.
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// How the service says it took it.
    pub answer: Answer,
}

impl std::fmt::Debug for Request {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("url", &crate::notify::redacted_url(&self.url))
            .field("headers", &self.headers)
            .field("body", &String::from_utf8_lossy(&self.body))
            .field("answer", &self.answer)
            .finish()
    }
}

/// How a service says it took a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// A 2xx status.
    Status,
    /// Slack's Web API: a 2xx status and `"ok": true` (a refusal is a 200 with `"ok": false`).
    SlackApi,
}

/// An incident's (or maintenance's) root message on a threaded target, kept with its outbox.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Root {
    /// [`Step::key`].
    pub key: String,
    /// The service's id of the root message: Slack's `ts`, Discord's message id.
    pub id: String,
    /// Slack: the channel it is in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<String>,
    /// What the root said, to rewrite it: Slack's `text` and `blocks`, Discord's first embed.
    pub body: Value,
    /// When it was posted (or last rewritten): roots are forgotten with delivered ids.
    pub at: crate::model::Timestamp,
}

/// What sending a message takes: its request; whether its answer opens a thread (the root's
/// key and what to keep of it), and a request to make after it (Slack's `chat.update` of the
/// root when the incident ends).
#[derive(Debug)]
pub struct Plan {
    pub request: Request,
    pub opens: Option<(String, Value)>,
    pub then: Option<Request>,
}

/// The plan for `message` (which has a body) to `endpoint`, `root` being its thread's root
/// when one was posted.
pub fn plan(endpoint: &Endpoint, message: &Message, root: Option<&Root>) -> Plan {
    let url = endpoint.url.expose();
    let body = message.body.clone().unwrap_or(Value::Null);
    let step = message.step.as_ref();
    let json = |method, url: String, body: &Value, answer| Request {
        method,
        url,
        headers: vec![("Content-Type", "application/json; charset=utf-8".into())],
        body: serde_json::to_vec(body).unwrap_or_default(),
        answer,
    };
    let post = |url: String, body: &Value| json("POST", url, body, Answer::Status);
    match endpoint.kind {
        Kind::Slack if endpoint.threads => slack(endpoint, body, step, root),
        Kind::Discord if endpoint.threads => match (step, root) {
            (Some(step), None) => Plan {
                request: post(with_query(url, "wait", "true"), &body),
                opens: Some((step.key.clone(), body["embeds"][0].clone())),
                then: None,
            },
            (Some(_), Some(root)) => Plan {
                request: json(
                    "PATCH",
                    with_path(
                        url,
                        &format!("messages/{}", super::parts::path_segment(&root.id)),
                    ),
                    &super::discord::edit(&root.body, &body),
                    Answer::Status,
                ),
                opens: None,
                then: None,
            },
            (None, _) => simple(post(url.to_string(), &body)),
        },
        Kind::Googlechat => match step {
            Some(step) => {
                let mut body = body;
                body["thread"] = json!({"threadKey": google_thread_key(&step.key)});
                simple(post(
                    with_query(
                        url,
                        "messageReplyOption",
                        "REPLY_MESSAGE_FALLBACK_TO_NEW_THREAD",
                    ),
                    &body,
                ))
            }
            None => simple(post(url.to_string(), &body)),
        },
        Kind::Opsgenie => {
            let base = url.trim_end_matches('/').trim_end_matches("/v2/alerts");
            let path = message.path.as_deref().unwrap_or("/v2/alerts");
            simple(post(format!("{base}{path}"), &body))
        }
        Kind::Ntfy => simple(ntfy(url, &body)),
        _ => simple(post(url.to_string(), &body)),
    }
}

fn simple(request: Request) -> Plan {
    Plan {
        request,
        opens: None,
        then: None,
    }
}

fn slack(endpoint: &Endpoint, body: Value, step: Option<&Step>, root: Option<&Root>) -> Plan {
    let api = endpoint.url.expose().trim_end_matches('/');
    let channel = endpoint.channel.clone().unwrap_or_default();
    let mut message = body.clone();
    message["channel"] = Value::String(channel.clone());
    message["unfurl_links"] = Value::Bool(false);
    let request = |method: &str, body: &Value| Request {
        method: "POST",
        url: format!("{api}/{method}"),
        headers: vec![("Content-Type", "application/json; charset=utf-8".into())],
        body: serde_json::to_vec(body).unwrap_or_default(),
        answer: Answer::SlackApi,
    };
    let Some(step) = step else {
        return simple(request("chat.postMessage", &message));
    };
    let Some(root) = root else {
        return Plan {
            request: request("chat.postMessage", &message),
            opens: Some((step.key.clone(), body)),
            then: None,
        };
    };
    message["thread_ts"] = Value::String(root.id.clone());
    let then = step.ends.then(|| {
        let mut update = super::slack::ended(&root.body);
        update["channel"] = Value::String(root.channel.clone().unwrap_or(channel));
        update["ts"] = Value::String(root.id.clone());
        request("chat.update", &update)
    });
    Plan {
        request: request("chat.postMessage", &message),
        opens: None,
        then,
    }
}

/// ntfy's request: the message as the body, the rest as headers (docs.ntfy.sh/publish/).
fn ntfy(url: &str, body: &Value) -> Request {
    let text = |field: &str| body[field].as_str().unwrap_or_default().to_string();
    let mut headers = vec![
        ("Content-Type", "text/plain; charset=utf-8".to_string()),
        ("Title", encoded_word(&text("title"))),
        (
            "Priority",
            body["priority"].as_u64().unwrap_or(3).to_string(),
        ),
    ];
    let tags: Vec<&str> = body["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    if !tags.is_empty() {
        headers.push(("Tags", tags.join(",")));
    }
    if let Some(click) = body["click"].as_str() {
        headers.push(("Click", click.to_string()));
    }
    Request {
        method: "POST",
        url: url.to_string(),
        headers,
        body: text("message").into_bytes(),
        answer: Answer::Status,
    }
}

/// A header value as HTTP carries it: ASCII as it is, anything else as an RFC 2047 encoded
/// word (`=?UTF-8?B?…?=`), which ntfy decodes in `Title` (ntfy 2.4.0).
pub fn encoded_word(text: &str) -> String {
    use base64::Engine;
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text.to_string();
    }
    let encoded = base64::engine::general_purpose::STANDARD.encode(text.as_bytes());
    format!("=?UTF-8?B?{encoded}?=")
}

/// Google Chat's thread key of an incident: a hash of its key, the same on every run, of
/// characters no URL or JSON needs to escape.
fn google_thread_key(key: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(key.as_bytes());
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("statusq-{hex}")
}

/// `url` with `name=value` added to its query.
fn with_query(url: &str, name: &str, value: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.query_pairs_mut().append_pair(name, value);
            parsed.to_string()
        }
        Err(_) => url.to_string(),
    }
}

/// `url` with `tail` added to its path (its query kept).
fn with_path(url: &str, tail: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            let path = format!("{}/{tail}", parsed.path().trim_end_matches('/'));
            parsed.set_path(&path);
            parsed.to_string()
        }
        Err(_) => url.to_string(),
    }
}

/// The id a root's answer gives: Slack's `ts`, Discord's message `id`.
pub fn root_id(answer: &str) -> Option<String> {
    let value: Value = serde_json::from_str(answer).ok()?;
    ["ts", "id"]
        .iter()
        .find_map(|field| value[field].as_str().map(str::to_string))
        .filter(|id| !id.is_empty() && id.len() <= 200)
}

/// What Slack's Web API answer says: taken, or the error it names and how to treat it.
pub fn slack_verdict(answer: &str) -> Result<(), (String, Refusal)> {
    let value: Value = serde_json::from_str(answer)
        .map_err(|_| ("not a Slack Web API answer".to_string(), Refusal::Later))?;
    if value["ok"] == Value::Bool(true) {
        return Ok(());
    }
    let error = value["error"]
        .as_str()
        .unwrap_or("no error named")
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(100)
        .collect::<String>();
    let refusal = match error.as_str() {
        "ratelimited"
        | "internal_error"
        | "fatal_error"
        | "service_unavailable"
        | "request_timeout" => Refusal::Later,
        "msg_too_long"
        | "invalid_blocks"
        | "invalid_blocks_format"
        | "too_many_attachments"
        | "no_text"
        | "invalid_arguments"
        | "invalid_attachments"
        | "message_not_found"
        | "cant_update_message"
        | "edit_window_closed" => Refusal::Message,
        _ => Refusal::Target,
    };
    Err((error, refusal))
}

/// How a refusal is treated: not now, this message, or the target itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refusal {
    Later,
    Message,
    Target,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn non_ascii_headers_are_encoded_words() {
        assert_eq!(encoded_word("GitHub: 1 update"), "GitHub: 1 update");
        assert_eq!(encoded_word("Zoë"), "=?UTF-8?B?Wm/Dqw==?=");
    }

    #[test]
    fn slack_refusals_are_sorted() {
        assert_eq!(slack_verdict(r#"{"ok":true,"ts":"1.2"}"#), Ok(()));
        assert_eq!(
            slack_verdict(r#"{"ok":false,"error":"channel_not_found"}"#),
            Err(("channel_not_found".into(), Refusal::Target))
        );
        assert_eq!(
            slack_verdict(r#"{"ok":false,"error":"msg_too_long"}"#),
            Err(("msg_too_long".into(), Refusal::Message))
        );
        assert_eq!(
            slack_verdict(r#"{"ok":false,"error":"ratelimited"}"#)
                .unwrap_err()
                .1,
            Refusal::Later
        );
        assert_eq!(
            root_id(r#"{"ok":true,"ts":"1712.0001"}"#).as_deref(),
            Some("1712.0001")
        );
    }

    #[test]
    fn a_request_debugs_without_its_secret_url() {
        let request = Request {
            method: "POST",
            url: "https://hooks.slack.com/services/T0/B0/SECRET".into(),
            headers: Vec::new(),
            body: b"{}".to_vec(),
            answer: Answer::Status,
        };
        let shown = format!("{request:?}");
        assert!(shown.contains("https://hooks.slack.com/…") && !shown.contains("SECRET"));
    }

    #[test]
    fn urls_gain_their_query_and_path() {
        assert_eq!(
            with_query("https://discord.com/api/webhooks/1/tok", "wait", "true"),
            "https://discord.com/api/webhooks/1/tok?wait=true"
        );
        assert_eq!(
            with_path(
                "https://discord.com/api/webhooks/1/tok?thread_id=9",
                "messages/5"
            ),
            "https://discord.com/api/webhooks/1/tok/messages/5?thread_id=9"
        );
    }
}
