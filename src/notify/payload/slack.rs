//! Slack (incoming webhook): one Block Kit message per provider — a header, a section per
//! digest block, at most [`BLOCKS`] blocks, "… and N more" when cut — with the digest as the
//! top-level `text` that notifications and mobile show.
//!
//! Escaping: Slack reads `&`, `<` and `>` as control characters in every text field (`<!channel>`
//! mentions, `<https://…|label>` links), so every upstream string in every field, the
//! top-level `text` included, has exactly those three escaped. Limits are Slack's character
//! counts of the text as sent, escapes included.

use super::parts::{block_text, chars_at, fit, split_head, strings, updates, Message};
use crate::model::Event;
use crate::render::describe::describe;
use crate::render::digest::blocks;
use serde_json::{json, Value};

/// Blocks a message may hold.
pub const BLOCKS: usize = 50;
/// Characters of a section's text.
pub const SECTION: usize = 3000;
/// Characters of the header's text.
pub const HEADER: usize = 150;
/// Characters of the top-level `text` statusq sends (Slack cuts at 40,000 and advises 4,000).
pub const TEXT: usize = 3000;

/// The one escaping rule: `&`, `<` and `>` as entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

/// Characters `c` takes once escaped.
fn cost(c: char) -> usize {
    match c {
        '&' => 5,
        '<' | '>' => 4,
        _ => 1,
    }
}

/// `text` escaped, cut to `limit` characters as sent.
fn fitted(text: &str, limit: usize) -> String {
    escape(&fit(text, limit, cost))
}

pub fn message(events: &[Event]) -> Message {
    let name = describe(&events[0]).provider;
    let blocks = blocks(events);
    let suffix = format!(": {}", updates(blocks.len()));
    let header = fitted(&name, HEADER.saturating_sub(suffix.chars().count())) + &suffix;
    let mut out = vec![json!({
        "type": "header",
        "text": {"type": "plain_text", "text": header},
    })];
    // A header, the sections, and a last block to say what did not fit.
    let room = BLOCKS - 2;
    let shown = if blocks.len() > room + 1 {
        room
    } else {
        room + 1
    };
    for block in blocks.iter().take(shown) {
        let text = block_text(block);
        let (head, rest) = split_head(&text);
        // `*head*\n` around the head, which may not hold a `*` of its own.
        let head = fitted(&head.replace('*', ""), SECTION / 4);
        let rest = fitted(rest.trim_end(), SECTION - 3 - head.chars().count());
        let section = format!("*{head}*\n{rest}");
        out.push(json!({
            "type": "section",
            "text": {"type": "mrkdwn", "text": section.trim_end()},
        }));
    }
    let sections = out.len() - 1;
    if blocks.len() > sections {
        out.push(json!({
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": format!("… and {} more", blocks.len() - sections)}],
        }));
    }
    let fallback: String = blocks
        .iter()
        .map(block_text)
        .collect::<Vec<_>>()
        .join("\n\n");
    Message {
        body: Some(json!({ "text": fitted(&fallback, TEXT), "blocks": out })),
        ids: events.iter().map(|e| e.id.clone()).collect(),
        ..Message::default()
    }
}

pub fn within_limits(body: &Value) -> Result<(), String> {
    let blocks = body["blocks"].as_array().ok_or("no blocks")?;
    if blocks.len() > BLOCKS {
        return Err(format!("{} blocks", blocks.len()));
    }
    if chars_at(body, "/text") > TEXT {
        return Err(format!("text of {} characters", chars_at(body, "/text")));
    }
    for (i, block) in blocks.iter().enumerate() {
        let (limit, pointer) = match block["type"].as_str() {
            Some("header") => (HEADER, "/text/text"),
            Some("section") => (SECTION, "/text/text"),
            _ => (SECTION, "/elements/0/text"),
        };
        if chars_at(block, pointer) > limit {
            return Err(format!(
                "block {i}: {} characters",
                chars_at(block, pointer)
            ));
        }
    }
    // No string may hold a raw control character of Slack's markup.
    for (path, text) in strings(body) {
        if text.contains(['<', '>']) {
            return Err(format!("{path} holds an unescaped < or >"));
        }
    }
    Ok(())
}

/// The root message of an incident's thread, rewritten when the incident ends: its status line
/// (a context block under the header) says so, the rest is as it was posted.
pub fn ended(root: &Value) -> Value {
    let mut blocks: Vec<Value> = root["blocks"].as_array().cloned().unwrap_or_default();
    let line = json!({
        "type": "context",
        "elements": [{"type": "mrkdwn", "text": "✅ *Ended* · every update is in the thread"}],
    });
    blocks.insert(blocks.len().min(1), line);
    blocks.truncate(BLOCKS);
    let text = root["text"].as_str().unwrap_or_default();
    // Already escaped: cut by characters, never inside an entity (`&amp;` is cut before `&`).
    let mut text = format!("Ended · {text}");
    if text.chars().count() > TEXT {
        let mut cut: String = text.chars().take(TEXT - 1).collect();
        if let Some(amp) = cut.rfind('&').filter(|&at| !cut[at..].contains(';')) {
            cut.truncate(amp);
        }
        cut.push('…');
        text = cut;
    }
    json!({"text": text, "blocks": blocks})
}
