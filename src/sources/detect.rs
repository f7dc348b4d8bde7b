//! What a document is: [`sniff`] looks at a body and names the platform it came from,
//! cheaply and without trusting it, by asking each platform's own rule. Probing a URL for its format needs the network and is the
//! engine's ([`crate::engine::detect`]); this part only reads bytes.

use crate::sources::format::Format;
use crate::sources::parts::Body;

/// What a body looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Found {
    Html,
    Is(Format),
}

impl Found {
    pub fn describe(self) -> &'static str {
        match self {
            Found::Html => "an HTML page",
            Found::Is(format) => format.describe(),
        }
    }
}

/// Names the platform a body came from, or `None` when it cannot tell: an HTML page, or the
/// first registered platform ([`Format::ALL`]) whose sniff rule claims the body.
pub fn sniff(body: &[u8]) -> Option<Found> {
    // UTF-16 (AWS) is read as the text it is; bytes that are not valid UTF-16 say nothing.
    let decoded = crate::sources::parts::utf8_body(body).ok()?;
    let body: &[u8] = &decoded;
    let start = body.iter().position(|b| !b.is_ascii_whitespace())?;
    let body = &body[start..];
    if body.starts_with(b"<") {
        let head = String::from_utf8_lossy(&body[..body.len().min(4096)]).to_ascii_lowercase();
        if head.contains("<html") || head.starts_with("<!doctype html") {
            return Some(Found::Html);
        }
        return claim(&Body::Markup {
            head: &head,
            text: body,
        });
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    claim(&Body::Json(&value))
}

/// The first platform whose rule claims `body`.
fn claim(body: &Body) -> Option<Found> {
    Format::ALL
        .iter()
        .find(|format| format.platform().sniff.is_some_and(|sniff| sniff(body)))
        .map(|format| Found::Is(*format))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(word: &str) -> Option<Found> {
        Some(Found::Is(Format::from_word(word).unwrap()))
    }

    #[test]
    fn bodies_are_recognised() {
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Some(Found::Html));
        assert_eq!(
            sniff(br#"{"page":{"id":"abc"},"components":[]}"#),
            found("statuspage")
        );
        assert_eq!(
            sniff(br#"{"page":{"id":"01JMDK9XYNY6RXSED6SDWW50WY"},"status":{}}"#),
            found("incidentio")
        );
        assert_eq!(
            sniff(br#"{"page":{"status":"UP"},"activeIncidents":[]}"#),
            found("instatus")
        );
        assert_eq!(sniff(b"<rss><channel>"), found("custom-feed"));
        assert_eq!(sniff(br#"[{"external_desc":"x"}]"#), found("gcp"));
        assert_eq!(sniff(b"{}"), None);
        assert_eq!(
            sniff(br#"{"page":{"name":"x","url":"https://x","status":"UP"}}"#),
            found("instatus")
        );
        // An incidents array alone does not make a Statuspage document.
        assert_eq!(
            sniff(br#"{"page":{"id":"x"},"incidents":[{"title":"t","updates":[]}]}"#),
            None
        );
        assert_eq!(sniff(br#"{"page":{},"components":[]}"#), None);
        assert_eq!(sniff(b""), None);
        assert_eq!(
            sniff(br#"[{"arn":"arn:aws:health:x","event_log":[]}]"#),
            found("aws")
        );
        let utf16: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(
                r#"[{"arn":"a","impacted_services":{}}]"#
                    .encode_utf16()
                    .flat_map(u16::to_be_bytes),
            )
            .collect();
        assert_eq!(sniff(&utf16), found("aws"));
        assert_eq!(
            sniff(br#"{"domainPrefix":"x","components":[]}"#),
            found("datadog")
        );
        assert_eq!(
            sniff(br#"{"metadata":[],"uptime":[],"partialError":false}"#),
            found("checkly")
        );
        assert_eq!(
            sniff(br#"{"page":{"name":"x"},"status":{"indicator":"none"},"incidents":[]}"#),
            found("rootly")
        );
    }
}
