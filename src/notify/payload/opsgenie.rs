//! Opsgenie (Alert API v2): an alert created (`POST /v2/alerts`) when an incident opens and
//! closed (`POST /v2/alerts/{alias}/close?identifierType=alias`) when it resolves, one `alias`
//! per upstream incident — opened and closed by PagerDuty's rule and key
//! ([`super::pagerduty::action`]), so the two never disagree about what is open. The
//! `Authorization: GenieKey …` header is the sender's; no key is in a body.
//!
//! Escaping: Opsgenie shows its fields as text, so the rule is the one every string already
//! passed ([`crate::render::describe`] strips control, bidi and zero-width characters).
//! Limits (docs.opsgenie.com, Alert API "Create Alert"): `message` 130 characters, `alias`
//! 512, `description` 15,000, `entity` 512, `source` 100, 20 `tags` of 50, `note` 25,000.

use super::pagerduty::action;
use super::parts::{chars_at, fit, link, path_segment, strings, Message};
use crate::model::Event;
use crate::render::describe::describe;
use crate::sanitize::one_line;
use serde_json::{json, Value};

pub const MESSAGE: usize = 130;
pub const ALIAS: usize = 512;
pub const DESCRIPTION: usize = 15_000;
pub const ENTITY: usize = 512;
pub const SOURCE: usize = 100;
pub const TAGS: usize = 20;
pub const TAG: usize = 50;
pub const NOTE: usize = 25_000;
/// Characters statusq puts in one `details` value (Opsgenie allows 8,000 in all).
pub const DETAIL: usize = 1000;

fn cut(text: &str, limit: usize) -> String {
    fit(text, limit, |_| 1)
}

/// Opsgenie's priority for PagerDuty's severity word.
fn priority(severity: &str) -> &'static str {
    match severity {
        "critical" => "P1",
        "error" => "P2",
        "warning" => "P3",
        _ => "P5",
    }
}

pub fn message(event: &Event) -> Message {
    let ids = vec![event.id.clone()];
    let Some((action, alias, severity)) = action(event) else {
        return Message {
            body: None,
            ids,
            ..Message::default()
        };
    };
    // The same key as PagerDuty's; within Opsgenie's 512 as it is within PagerDuty's 255.
    debug_assert!(alias.chars().count() <= ALIAS);
    let d = describe(event);
    let summary = if d.title.is_empty() {
        format!("{}: {}", d.provider, d.what)
    } else {
        format!("{}: {} ({})", d.provider, d.title, d.what)
    };
    let update = crate::render::plain::plain(&d.body);
    if action == "resolve" {
        let note = if update.is_empty() {
            summary
        } else {
            format!("{summary}\n\n{update}")
        };
        return Message {
            body: Some(json!({"source": "statusq", "note": cut(&note, NOTE)})),
            ids,
            path: Some(format!(
                "/v2/alerts/{}/close?identifierType=alias",
                path_segment(&alias)
            )),
            ..Message::default()
        };
    }
    let provider = one_line(&event.provider);
    let mut details = json!({
        "status": cut(&d.what, DETAIL),
        "event_id": cut(&one_line(&event.id), DETAIL),
    });
    if let Some(link) = link(&d) {
        details["link"] = Value::String(cut(&link, DETAIL));
    }
    let tags: Vec<String> = ["statusq".to_string(), cut(&provider, TAG)]
        .into_iter()
        .filter(|t| !t.is_empty())
        .collect();
    Message {
        body: Some(json!({
            "message": cut(&summary, MESSAGE),
            "alias": alias,
            "description": cut(&update, DESCRIPTION),
            "priority": priority(severity),
            "source": "statusq",
            "entity": cut(&provider, ENTITY),
            "tags": tags,
            "details": details,
        })),
        ids,
        path: Some("/v2/alerts".into()),
        ..Message::default()
    }
}

pub fn within_limits(body: &Value) -> Result<(), String> {
    let limits = [
        ("/message", MESSAGE),
        ("/alias", ALIAS),
        ("/description", DESCRIPTION),
        ("/entity", ENTITY),
        ("/source", SOURCE),
        ("/note", NOTE),
    ];
    for (pointer, limit) in limits {
        if chars_at(body, pointer) > limit {
            return Err(format!(
                "{pointer} of {} characters",
                chars_at(body, pointer)
            ));
        }
    }
    if body.get("note").is_none() && chars_at(body, "/message") == 0 {
        return Err("an alert without a message".into());
    }
    let tags = body["tags"].as_array().map_or(&[][..], Vec::as_slice);
    if tags.len() > TAGS
        || tags
            .iter()
            .any(|t| t.as_str().map_or(0, |t| t.chars().count()) > TAG)
    {
        return Err("tags over Opsgenie's 20 of 50 characters".into());
    }
    for (path, text) in strings(body) {
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(format!("{path} holds a control character"));
        }
    }
    Ok(())
}
