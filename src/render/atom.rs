//! An Atom feed (RFC 4287) of events: one entry per event, its id derived from the event's
//! stable id, so a feed reader (or a Slack/Teams RSS integration) shows each fact once and can
//! follow many vendors through one feed.

use crate::model::Timestamp;
use crate::render::collected::Collected;
use crate::render::describe::describe;
use crate::render::style::{clock, Style};
use quick_xml::escape::escape;
use std::fmt::Write;

/// `urn:statusq:…` with everything outside a safe set percent-encoded, so any upstream id makes
/// a valid IRI.
fn urn(kind: &str, id: &str) -> String {
    let mut out = format!("urn:statusq:{kind}:");
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/:@".contains(&byte) {
            out.push(byte as char);
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

/// What names a feed and bounds it.
#[derive(Clone, Debug)]
pub struct Feed {
    /// Its id (distinct feeds need distinct ids).
    pub id: String,
    /// Shown by readers.
    pub title: String,
    /// Where it is published, for `rel="self"` (RFC 4287 §4.2.7.2: readers and validators
    /// want it).
    pub self_url: Option<String>,
    /// The most entries it holds, newest first (`--max-entries`).
    pub max_entries: usize,
}

/// The default of `--max-entries`.
pub const MAX_ENTRIES: usize = 100;

/// The whole feed: at most `feed.max_entries` entries, the newest; `now` dates a feed without
/// events.
pub fn document(collected: &Collected, style: &Style, feed: &Feed, now: Timestamp) -> String {
    let (feed_id, title) = (feed.id.as_str(), feed.title.as_str());
    let mut events: Vec<_> = collected.events.iter().collect();
    events.sort_by(|a, b| b.at.cmp(&a.at).then_with(|| a.id.cmp(&b.id)));
    events.truncate(feed.max_entries);
    let updated = events
        .iter()
        .map(|e| e.at.max(e.observed_at))
        .max()
        .unwrap_or(now);

    let mut out = String::with_capacity(4096 + events.len() * 1024);
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n");
    out.push_str("<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let _ = writeln!(out, "  <id>{}</id>", escape(urn("feed", feed_id)));
    let _ = writeln!(
        out,
        "  <title>{}</title>",
        escape(crate::sanitize::one_line(title))
    );
    let _ = writeln!(out, "  <updated>{updated}</updated>");
    if let Some(url) = feed.self_url.as_deref().and_then(crate::sanitize::http_url) {
        let _ = writeln!(
            out,
            "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>",
            escape(url)
        );
    }
    let _ = writeln!(
        out,
        "  <generator version=\"{}\">statusq</generator>",
        env!("CARGO_PKG_VERSION")
    );
    out.push_str("  <author><name>statusq</name></author>\n");
    for event in events {
        let d = describe(event);
        let mut heading = format!("{}: {}", d.provider, d.what);
        if !d.title.is_empty() {
            heading.push_str(" — ");
            heading.push_str(&d.title);
        }
        let mut content = String::new();
        if !d.body.is_empty() {
            content.push_str(&d.body);
            content.push_str("\n\n");
        }
        if !d.affected.is_empty() {
            let list: Vec<String> = d
                .affected
                .iter()
                .map(|(name, status)| format!("{name} ({status})"))
                .collect();
            let _ = writeln!(content, "Affected: {}", list.join(", "));
        }
        let _ = writeln!(content, "{}", clock(d.at, style.local));
        out.push_str("  <entry>\n");
        let _ = writeln!(out, "    <id>{}</id>", escape(urn("event", &event.id)));
        let _ = writeln!(out, "    <title>{}</title>", escape(&heading));
        let _ = writeln!(out, "    <updated>{}</updated>", d.at);
        let _ = writeln!(out, "    <published>{}</published>", d.at);
        let _ = writeln!(
            out,
            "    <author><name>{}</name></author>",
            escape(&d.provider)
        );
        if let Some(link) = &d.link {
            let _ = writeln!(
                out,
                "    <link rel=\"alternate\" href=\"{}\"/>",
                escape(link)
            );
        }
        let _ = writeln!(out, "    <category term=\"{}\"/>", event.event.as_str());
        let _ = writeln!(
            out,
            "    <content type=\"text\">{}</content>",
            escape(content.trim_end())
        );
        out.push_str("  </entry>\n");
    }
    out.push_str("</feed>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_valid_and_stable() {
        assert_eq!(
            urn("event", "github/incident/x1/update/y 2"),
            "urn:statusq:event:github/incident/x1/update/y%202"
        );
        assert_eq!(urn("event", "a<b>&"), "urn:statusq:event:a%3Cb%3E%26");
    }
}
