//! Google Chat (incoming webhook): a `cardsV2` card per incident step — a heading, then a
//! section per digest block, "… and N more" when the rest does not fit — posted in the
//! incident's thread (`thread.threadKey`, added by [`super::request`]).
//!
//! Escaping: a card's `textParagraph` is a small subset of HTML, so every upstream string has
//! `&`, `<` and `>` written as entities (and a line break as `<br>`): no page can add a link,
//! a tag or a `<users/all>` mention. The limit is Google Chat's 32,000 bytes of message,
//! measured on the JSON as sent (developers.google.com/workspace/chat/api/reference/rest/v1/
//! spaces.messages, "Message": "The maximum message size, including text and cards, is
//! 32,000 bytes").

use super::parts::{block_text, fill, fit, json_bytes, json_len, split_head, updates, Message};
use crate::model::Event;
use crate::render::describe::describe;
use crate::render::digest::blocks;
use serde_json::{json, Value};

/// Bytes of the whole message as JSON.
pub const MESSAGE: usize = 32_000;
/// Characters of the provider's name in the heading.
const NAME: usize = 200;

/// The one escaping rule: `&`, `<` and `>` as entities (Slack's rule), a line break as
/// `<br>`.
pub fn escape(text: &str) -> String {
    super::slack::escape(text).replace('\n', "<br>")
}

/// Bytes `c` takes in the body once escaped and JSON-encoded.
fn cost(c: char) -> usize {
    match c {
        '&' => 5,
        '<' | '>' | '\n' => 4,
        c => json_len(c),
    }
}

fn section(html: String) -> Value {
    json!({"widgets": [{"textParagraph": {"text": html}}]})
}

/// A block's section: its head in bold, the rest under it; `text` unescaped.
fn block_section(text: &str) -> Value {
    let (head, rest) = split_head(text);
    let rest = rest.trim_end();
    section(if rest.is_empty() {
        format!("<b>{}</b>", escape(head))
    } else {
        format!("<b>{}</b><br>{}", escape(head), escape(rest))
    })
}

fn card(sections: Vec<Value>) -> Value {
    json!({"cardsV2": [{"cardId": "statusq", "card": {"sections": sections}}]})
}

pub fn message(events: &[Event]) -> Message {
    let name = describe(&events[0]).provider;
    let blocks = blocks(events);
    let heading = section(format!(
        "<b>{}</b>: {}",
        escape(&fit(&name, NAME, |_| 1)),
        updates(blocks.len())
    ));
    let mut sections = vec![heading];
    let texts: Vec<String> = blocks.iter().map(block_text).collect();
    // The thread key and the room for it are the request's: 200 bytes kept free.
    let room = MESSAGE.saturating_sub(json_bytes(&card(sections.clone())) + 200);
    let frame = json_bytes(&block_section("")) + 1;
    let (kept, left) = fill(
        &texts,
        room,
        |text| json_bytes(&block_section(text)) + 1,
        |text, room| fit(text, room.saturating_sub(frame), cost),
        |left| json_bytes(&section(format!("… and {left} more"))) + 1,
    );
    sections.extend(kept.iter().map(|text| block_section(text)));
    if left > 0 {
        sections.push(section(format!("… and {left} more")));
    }
    Message {
        body: Some(card(sections)),
        ids: events.iter().map(|e| e.id.clone()).collect(),
        ..Message::default()
    }
}

pub fn within_limits(body: &Value) -> Result<(), String> {
    let bytes = json_bytes(body);
    if bytes > MESSAGE {
        return Err(format!("{bytes} bytes"));
    }
    let sections = body["cardsV2"][0]["card"]["sections"]
        .as_array()
        .ok_or("no card")?;
    for (i, section) in sections.iter().enumerate() {
        let text = section["widgets"][0]["textParagraph"]["text"]
            .as_str()
            .unwrap_or_default();
        // Only statusq's own tags: every upstream `<` arrived as `&lt;`.
        let bare = text
            .replace("<b>", "")
            .replace("</b>", "")
            .replace("<br>", "");
        if bare.contains(['<', '>']) {
            return Err(format!("section {i} holds markup of its own"));
        }
    }
    Ok(())
}
