//! Microsoft Teams (Workflows webhook): one Adaptive Card 1.4 message per provider, a text
//! block per digest block, "… and N more" when the rest does not fit.
//!
//! Escaping: a TextBlock's text is Markdown, so every upstream string has its Markdown
//! characters escaped with a backslash. Teams refuses a message over 28 KB, counted on the
//! whole request body, so the card is measured as JSON bytes, escapes and JSON's own escaping
//! included (a backslash-escaped `*` is three bytes on the wire).

use super::parts::{
    backslash_escape, block_text, fill, fit, json_bytes, json_len, updates, Message,
};
use crate::model::Event;
use crate::render::describe::describe;
use crate::render::digest::blocks;
use serde_json::{json, Value};

/// Bytes of the whole request body (Teams' limit is 28 KB).
pub const MESSAGE: usize = 28_000;
/// Characters of the provider's name in the card's heading.
const NAME: usize = 200;

/// What Adaptive Card Markdown gives a meaning to.
const SPECIAL: &str = "\\`*_{}[]()#+-.!<>|~";

/// The one escaping rule: a backslash before each Markdown character.
pub fn escape(text: &str) -> String {
    backslash_escape(text, SPECIAL)
}

/// Bytes `c` takes in the body once escaped and JSON-encoded.
fn cost(c: char) -> usize {
    if SPECIAL.contains(c) {
        json_len('\\') + json_len(c)
    } else {
        json_len(c)
    }
}

fn text_block(text: String) -> Value {
    json!({"type": "TextBlock", "wrap": true, "separator": true, "text": text})
}

fn more_block(count: usize) -> Value {
    json!({
        "type": "TextBlock", "wrap": true, "isSubtle": true,
        "text": format!("… and {count} more"),
    })
}

fn envelope(body: Vec<Value>) -> Value {
    json!({
        "type": "message",
        "attachments": [{
            "contentType": "application/vnd.microsoft.card.adaptive",
            "contentUrl": null,
            "content": {
                "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "type": "AdaptiveCard",
                "version": "1.4",
                "body": body,
            },
        }],
    })
}

pub fn message(events: &[Event]) -> Message {
    let name = describe(&events[0]).provider;
    let blocks = blocks(events);
    let heading =
        escape(&fit(&name, NAME, |_| 1)) + &escape(&format!(": {}", updates(blocks.len())));
    let mut body = vec![json!({
        "type": "TextBlock", "size": "Medium", "weight": "Bolder", "wrap": true,
        "text": heading,
    })];
    // Each block added costs its JSON and a comma; what is left over is said in one block.
    let texts: Vec<String> = blocks.iter().map(block_text).collect();
    let frame = json_bytes(&text_block(String::new())) + 1;
    let (kept, left) = fill(
        &texts,
        MESSAGE.saturating_sub(json_bytes(&envelope(body.clone()))),
        |text| json_bytes(&text_block(escape(text))) + 1,
        |text, room| fit(text, room.saturating_sub(frame), cost),
        |left| json_bytes(&more_block(left)) + 1,
    );
    body.extend(kept.iter().map(|text| text_block(escape(text))));
    if left > 0 {
        body.push(more_block(left));
    }
    Message {
        body: Some(envelope(body)),
        ids: events.iter().map(|e| e.id.clone()).collect(),
        ..Message::default()
    }
}

pub fn within_limits(body: &Value) -> Result<(), String> {
    let bytes = json_bytes(body);
    if bytes > MESSAGE {
        return Err(format!("{bytes} bytes"));
    }
    if body["attachments"][0]["content"]["type"] != "AdaptiveCard" {
        return Err("no Adaptive Card".into());
    }
    Ok(())
}
