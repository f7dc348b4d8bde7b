//! Discord (webhook): embeds per provider — title, description, colour by severity, link,
//! time — at most [`EMBEDS`] a message and [`TOTAL`] characters in all, split into more
//! messages as needed. Mentions are disabled (`allowed_mentions`), so no page can ping
//! `@everyone`.
//!
//! Escaping: embed titles and descriptions are Markdown (masked links `[label](url)`, `<@id>`
//! mentions, headings, emphasis), so every upstream string has Discord's Markdown characters
//! escaped with a backslash. Limits are Discord's character counts of the text as sent.

use super::parts::{backslash_escape, block_text, chars_at, fit, link, split_head, Message};
use crate::model::Event;
use crate::render::describe::describe;
use crate::render::digest::blocks;
use crate::render::style::Severity;
use serde_json::{json, Value};

/// Embeds a message may hold.
pub const EMBEDS: usize = 10;
/// Characters of all embeds' titles and descriptions together.
pub const TOTAL: usize = 6000;
/// Characters of one description.
pub const DESCRIPTION: usize = 4096;
/// Characters of one title.
pub const TITLE: usize = 256;

/// What Discord's Markdown gives a meaning to.
const SPECIAL: &str = "\\*_~`|>#-[]()<:";

/// The one escaping rule: a backslash before each Markdown character.
pub fn escape(text: &str) -> String {
    backslash_escape(text, SPECIAL)
}

fn cost(c: char) -> usize {
    if SPECIAL.contains(c) {
        2
    } else {
        1
    }
}

fn fitted(text: &str, limit: usize) -> String {
    escape(&fit(text, limit, cost))
}

fn colour(severity: Severity) -> u32 {
    match severity {
        Severity::Good => 0x12805c,
        Severity::Unknown => 0x8a94a6,
        Severity::Maintenance => 0x2563eb,
        Severity::Minor => 0xb7791f,
        Severity::Major => 0xdd6b20,
        Severity::Critical => 0xc53030,
    }
}

pub fn messages(events: &[Event]) -> Vec<Message> {
    let mut messages = Vec::new();
    let mut embeds: Vec<Value> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut total = 0;
    for block in blocks(events) {
        let text = block_text(&block);
        let (head, rest) = split_head(&text);
        let title = fitted(head, TITLE);
        let description = fitted(rest, DESCRIPTION.min(TOTAL - TITLE));
        let size = title.chars().count() + description.chars().count();
        if !embeds.is_empty() && (embeds.len() == EMBEDS || total + size > TOTAL) {
            messages.push(message(
                std::mem::take(&mut embeds),
                std::mem::take(&mut ids),
            ));
            total = 0;
        }
        let first = block.events()[0];
        let mut embed = json!({
            "title": title,
            "description": description,
            "color": colour(block.severity()),
            "timestamp": block.at().to_string(),
        });
        if let Some(link) = link(&describe(first)) {
            embed["url"] = Value::String(link);
        }
        embeds.push(embed);
        ids.extend(block.events().iter().map(|e| e.id.clone()));
        total += size;
    }
    if !embeds.is_empty() {
        messages.push(message(embeds, ids));
    }
    messages
}

fn message(embeds: Vec<Value>, ids: Vec<String>) -> Message {
    Message {
        body: Some(json!({
            "username": "statusq",
            "allowed_mentions": {"parse": []},
            "embeds": embeds,
        })),
        ids,
        ..Message::default()
    }
}

/// The root message of an incident, edited for a later step (`thread = true`): how it began
/// (the root's first embed) and where it is now (the step's embeds), the oldest of those left
/// out first to keep Discord's limits.
pub fn edit(root: &Value, step: &Value) -> Value {
    let mut embeds: Vec<Value> = root.is_object().then(|| root.clone()).into_iter().collect();
    let kept = embeds.len();
    embeds.extend(step["embeds"].as_array().cloned().unwrap_or_default());
    let size = |e: &Value| chars_at(e, "/title") + chars_at(e, "/description");
    while embeds.len() > kept + 1
        && (embeds.len() > EMBEDS || embeds.iter().map(size).sum::<usize>() > TOTAL)
    {
        embeds.remove(kept);
    }
    // A root and one step too big together: the step alone.
    if embeds.len() > 1 && embeds.iter().map(size).sum::<usize>() > TOTAL {
        embeds.remove(0);
    }
    json!({
        "username": "statusq",
        "allowed_mentions": {"parse": []},
        "embeds": embeds,
    })
}

pub fn within_limits(body: &Value) -> Result<(), String> {
    if body["allowed_mentions"] != json!({"parse": []}) {
        return Err("mentions are not disabled".into());
    }
    let embeds = body["embeds"].as_array().ok_or("no embeds")?;
    if embeds.is_empty() || embeds.len() > EMBEDS {
        return Err(format!("{} embeds", embeds.len()));
    }
    let mut total = 0;
    for (i, embed) in embeds.iter().enumerate() {
        let (title, description) = (chars_at(embed, "/title"), chars_at(embed, "/description"));
        if title > TITLE || description > DESCRIPTION {
            return Err(format!(
                "embed {i}: title {title}, description {description} characters"
            ));
        }
        if chars_at(embed, "/url") > super::parts::LINK {
            return Err(format!(
                "embed {i}: a link of {} characters",
                chars_at(embed, "/url")
            ));
        }
        total += title + description;
    }
    if total > TOTAL {
        return Err(format!("{total} characters in all"));
    }
    Ok(())
}
