//! What every service's builder shares: the message a builder makes, the digest text it
//! starts from, and [`fit`], which cuts text by what it costs as sent.

use crate::render::describe::Described;
use crate::render::digest::Block;
use crate::render::style::Style;
use crate::render::text;
use serde_json::Value;

/// One request's worth: the body (none when the service has nothing to say about these
/// events, e.g. an `incident.updated` for PagerDuty) and the ids of the events it carries.
#[derive(Debug, Default)]
pub struct Message {
    pub body: Option<Value>,
    pub ids: Vec<String>,
    /// The incident or maintenance it is a step of, for a target that threads.
    pub step: Option<Step>,
    /// Where on the service it goes, after the target's URL (Opsgenie's `/v2/alerts…`).
    pub path: Option<String>,
}

/// A message's place in its incident's (or maintenance's) thread.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// `provider/incident/ID` or `provider/maintenance/ID`: one thread per upstream thing.
    pub key: String,
    /// Whether this step ends it (resolved, completed): the root says so.
    pub ends: bool,
}

/// The longest link put in a field of its own (Discord's embed `url`, PagerDuty's `links`);
/// a longer one is left out rather than cut into another address.
pub const LINK: usize = 2000;

/// Plain text for chat: the text digest's block, unwrapped (the service wraps). Already
/// cleaned of control characters by [`crate::render::describe`]; not yet escaped.
pub fn block_text(block: &Block) -> String {
    let style = Style {
        color: false,
        width: crate::render::style::UNWRAPPED,
        local: false,
    };
    text::block(block, &style).trim_end().to_string()
}

/// The head line of a block and the rest.
pub fn split_head(text: &str) -> (&str, &str) {
    text.split_once('\n').unwrap_or((text, ""))
}

/// `text`, cut so that what it costs once escaped — `cost` of each character, in the unit the
/// service counts — is at most `limit`, ending in `…` when cut. Cutting the unescaped text
/// keeps every escape whole; linear in the text.
pub fn fit(text: &str, limit: usize, cost: impl Fn(char) -> usize) -> String {
    let total: usize = text.chars().map(&cost).sum();
    if total <= limit {
        return text.to_string();
    }
    let room = limit.saturating_sub(cost('…'));
    let mut used = 0;
    let mut out = String::new();
    for c in text.chars() {
        let c_cost = cost(c);
        if used + c_cost > room {
            break;
        }
        used += c_cost;
        out.push(c);
    }
    if cost('…') <= limit {
        out.push('…');
    }
    out
}

/// Which of `texts` fit in `room` — what the message may still take, in the service's unit —
/// in order, each costing `cost(text)` as sent (its frame included). A first text too big
/// alone is cut to the room by `cut(text, room)`; after the last that fits, `more(left)` is
/// kept free for the note that says how many were left out. The texts kept (still unescaped)
/// and how many were left out. Every builder with a budget for the whole message (Teams,
/// Google Chat, Mattermost) fills it by this one rule.
pub fn fill(
    texts: &[String],
    room: usize,
    cost: impl Fn(&str) -> usize,
    cut: impl Fn(&str, usize) -> String,
    more: impl Fn(usize) -> usize,
) -> (Vec<String>, usize) {
    let mut used = 0;
    let mut kept = Vec::new();
    for (index, text) in texts.iter().enumerate() {
        let after = texts.len() - index - 1;
        let reserve = if after == 0 { 0 } else { more(after) };
        let this = cost(text);
        if used + this + reserve <= room {
            used += this;
            kept.push(text.clone());
            continue;
        }
        if index == 0 {
            kept.push(cut(text, room.saturating_sub(reserve)));
            return (kept, after);
        }
        return (kept, texts.len() - index);
    }
    (kept, 0)
}

/// `text` with a backslash before each character of `special`: how Markdown-based services
/// (Discord, Teams) take a character literally.
pub fn backslash_escape(text: &str, special: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if special.contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// The bytes `c` takes inside a JSON string as serde_json writes it.
pub fn json_len(c: char) -> usize {
    match c {
        '"' | '\\' | '\n' | '\r' | '\t' | '\u{8}' | '\u{c}' => 2,
        c if (c as u32) < 0x20 => 6,
        c => c.len_utf8(),
    }
}

/// Bytes of `value` as JSON, as it is sent.
pub fn json_bytes(value: &Value) -> usize {
    serde_json::to_vec(value).map_or(usize::MAX, |v| v.len())
}

/// The event's link, if it is short enough to stand in a field of its own.
pub fn link(described: &Described) -> Option<String> {
    described.link.clone().filter(|l| l.chars().count() <= LINK)
}

/// `text` for a URL path segment: every byte but RFC 3986's unreserved ones percent-encoded.
pub fn path_segment(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub fn updates(count: usize) -> String {
    match count {
        1 => "1 update".into(),
        n => format!("{n} updates"),
    }
}

/// Every string in `value`, with the path to it (`blocks[1].text.text`).
pub fn strings(value: &Value) -> Vec<(String, &str)> {
    fn walk<'a>(value: &'a Value, path: String, out: &mut Vec<(String, &'a str)>) {
        match value {
            Value::String(s) => out.push((path, s)),
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    walk(item, format!("{path}[{i}]"), out);
                }
            }
            Value::Object(fields) => {
                for (key, item) in fields {
                    let path = if path.is_empty() {
                        key.clone()
                    } else {
                        format!("{path}.{key}")
                    };
                    walk(item, path, out);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(value, String::new(), &mut out);
    out
}

/// Characters of the string at `pointer` (a JSON pointer), 0 when absent.
pub fn chars_at(body: &Value, pointer: &str) -> usize {
    body.pointer(pointer)
        .and_then(Value::as_str)
        .map_or(0, |s| s.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_cuts_by_the_escaped_cost_and_never_splits_an_escape() {
        let cost = |c: char| if c == '&' { 5 } else { 1 };
        assert_eq!(fit("abc", 3, cost), "abc");
        assert_eq!(fit("abcd", 3, cost), "ab…");
        // "&&&" costs 15; in 11 only one & fits beside the ellipsis.
        assert_eq!(fit("&&&", 11, cost), "&&…");
        assert_eq!(fit("&&&", 10, cost), "&…");
        let fitted = fit(&"&".repeat(1000), 3000, cost);
        assert!(fitted.chars().map(cost).sum::<usize>() <= 3000);
    }

    #[test]
    fn json_len_is_what_serde_json_writes() {
        for c in ['a', '"', '\\', '\n', '\u{1}', 'é', '…', '🦀', '<'] {
            let encoded = serde_json::to_string(&c.to_string()).unwrap();
            assert_eq!(json_len(c), encoded.len() - 2, "{c:?}");
        }
    }
}
