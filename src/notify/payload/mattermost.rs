//! Mattermost (incoming webhook): one Markdown post per provider — a heading, a paragraph per
//! digest block, "… and N more" when the rest does not fit — as `{"text": …}`
//! (developers.mattermost.com/integrate/webhooks/incoming/).
//!
//! Escaping: the text is Markdown, and `@channel`, `@all`, `@here` and `@name` notify people,
//! so every upstream string has its Markdown characters escaped with a backslash and a word
//! joiner (U+2060) after each `@`, which no mention survives. The limit is Mattermost's
//! 16,383 characters of a post, counted on the text as sent.

use super::parts::{backslash_escape, block_text, fill, fit, split_head, updates, Message};
use crate::model::Event;
use crate::render::describe::describe;
use crate::render::digest::blocks;
use serde_json::{json, Value};

/// Characters of a post.
pub const TEXT: usize = 16_383;
/// Characters of the provider's name in the heading.
const NAME: usize = 200;

/// What Mattermost's Markdown makes emphasis, code, a link, an image, a heading, a table or
/// HTML of. (`.`, `-` and `:` stay as they are, so the links statusq writes stay links.)
const SPECIAL: &str = "\\`*_{}[]()#+!<>|~";
const JOINER: char = '\u{2060}';

/// The one escaping rule: a backslash before each Markdown character, a word joiner after
/// each `@`.
pub fn escape(text: &str) -> String {
    backslash_escape(text, SPECIAL).replace('@', &format!("@{JOINER}"))
}

fn cost(c: char) -> usize {
    if SPECIAL.contains(c) || c == '@' {
        2
    } else {
        1
    }
}

/// A block's paragraph: its head in bold, the rest under it; `text` unescaped.
fn paragraph(text: &str) -> String {
    let (head, rest) = split_head(text);
    let rest = rest.trim_end();
    if rest.is_empty() {
        format!("\n\n**{}**", escape(head))
    } else {
        format!("\n\n**{}**\n{}", escape(head), escape(rest))
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

pub fn message(events: &[Event]) -> Message {
    let name = describe(&events[0]).provider;
    let blocks = blocks(events);
    let mut text = format!(
        "#### {}: {}",
        escape(&fit(&name, NAME, |_| 1)),
        updates(blocks.len())
    );
    let texts: Vec<String> = blocks.iter().map(block_text).collect();
    let frame = chars(&paragraph(""));
    let (kept, left) = fill(
        &texts,
        TEXT.saturating_sub(chars(&text)),
        |block| chars(&paragraph(block)),
        |block, room| fit(block, room.saturating_sub(frame), cost),
        |left| chars(&format!("\n\n_… and {left} more_")),
    );
    for block in &kept {
        text.push_str(&paragraph(block));
    }
    if left > 0 {
        text.push_str(&format!("\n\n_… and {left} more_"));
    }
    Message {
        body: Some(json!({"username": "statusq", "text": text})),
        ids: events.iter().map(|e| e.id.clone()).collect(),
        ..Message::default()
    }
}

pub fn within_limits(body: &Value) -> Result<(), String> {
    let text = body["text"].as_str().ok_or("no text")?;
    if chars(text) > TEXT {
        return Err(format!("text of {} characters", chars(text)));
    }
    // A mention is `@` and a word character; every upstream `@` has a joiner after it.
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '@' && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
            return Err("an @mention".into());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_mention_survives_the_escape() {
        let escaped = super::escape("ping @channel and @all (a@b)");
        assert!(
            !escaped.contains("@c") && !escaped.contains("@a"),
            "{escaped}"
        );
        assert!(escaped.contains(super::JOINER));
    }
}
