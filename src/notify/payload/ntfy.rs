//! ntfy (a topic URL): one notification per provider — the digest as the message, the
//! provider and update count as its title, a priority and tags from the worst severity —
//! published as a plain-text body with `Title`, `Priority`, `Tags` and `Click` headers by
//! [`super::request`] (docs.ntfy.sh/publish/). Here the notification is a JSON value, so its
//! limits are checked like every other service's.
//!
//! Escaping: ntfy shows plain text (statusq sends no `Markdown` header), so the rule is the
//! one every string already passed ([`crate::render::describe`] strips control characters),
//! and a header value is one line. Limits: ntfy's 4,096 bytes of message (past that it keeps
//! the message as an attachment), a 250-character title.

use super::parts::{block_text, fit, link, updates, Message};
use crate::model::Event;
use crate::render::describe::describe;
use crate::render::digest::blocks;
use crate::render::style::Severity;
use crate::sanitize::one_line;
use serde_json::{json, Value};

/// Bytes of the message.
pub const MESSAGE: usize = 4096;
/// Characters of the title.
pub const TITLE: usize = 250;

fn priority(severity: Severity) -> u8 {
    match severity {
        Severity::Critical => 5,
        Severity::Major => 4,
        Severity::Minor => 3,
        Severity::Good | Severity::Unknown | Severity::Maintenance => 2,
    }
}

fn tag(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "rotating_light",
        Severity::Major | Severity::Minor => "warning",
        Severity::Maintenance => "wrench",
        Severity::Good => "white_check_mark",
        Severity::Unknown => "grey_question",
    }
}

pub fn message(events: &[Event]) -> Message {
    let first = describe(&events[0]);
    let blocks = blocks(events);
    let worst = blocks
        .iter()
        .map(|b| b.severity())
        .max()
        .unwrap_or(Severity::Unknown);
    let text: String = blocks
        .iter()
        .map(block_text)
        .collect::<Vec<_>>()
        .join("\n\n");
    let title = one_line(&format!("{}: {}", first.provider, updates(blocks.len())));
    let mut body = json!({
        "title": fit(&title, TITLE, |_| 1),
        "message": fit(&text, MESSAGE, char::len_utf8),
        "priority": priority(worst),
        "tags": ["statusq", tag(worst)],
    });
    if let Some(link) = link(&first).filter(|l| one_line(l) == *l) {
        body["click"] = Value::String(link);
    }
    Message {
        body: Some(body),
        ids: events.iter().map(|e| e.id.clone()).collect(),
        ..Message::default()
    }
}

pub fn within_limits(body: &Value) -> Result<(), String> {
    let message = body["message"].as_str().ok_or("no message")?;
    if message.len() > MESSAGE {
        return Err(format!("a message of {} bytes", message.len()));
    }
    let title = body["title"].as_str().unwrap_or_default();
    if title.chars().count() > TITLE {
        return Err(format!("a title of {} characters", title.chars().count()));
    }
    // What goes in a header is one line of no control character.
    for field in ["title", "click"] {
        let value = body[field].as_str().unwrap_or_default();
        if value.chars().any(char::is_control) {
            return Err(format!("{field} holds a control character"));
        }
    }
    if !(1..=5).contains(&body["priority"].as_u64().unwrap_or(0)) {
        return Err("a priority outside 1–5".into());
    }
    Ok(())
}
