//! What a document is: [`sniff`] looks at a body and names the platform it came from,
//! cheaply and without trusting it, by asking each platform's own rule. Probing a URL for its format needs the network and is the
//! engine's ([`crate::engine::detect`]); this part only reads bytes.

use crate::sources::format::Format;
use crate::sources::parts::Body;

/// What a body looks like.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Found {
    Html,
    /// A registered platform's document (one this build reads, or one it only names).
    Is(Format),
    /// Valid JSON that no registered platform claims, by its shape
    /// ([`crate::sources::parts::json_shape`]).
    Json(String),
}

impl Found {
    pub fn describe(&self) -> String {
        match self {
            Found::Html => "an HTML page".to_string(),
            Found::Is(format) => format.describe().to_string(),
            Found::Json(shape) => format!("JSON of no known status platform ({shape})"),
        }
    }
}

/// Names what a body is, or `None` when it cannot tell (bytes that are neither JSON nor
/// markup, markup no platform claims): an HTML page, the first registered platform
/// ([`Format::ALL`]) whose sniff rule claims the body, or JSON of no known platform.
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
        .or_else(|| Some(Found::Json(crate::sources::parts::json_shape(&value))))
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
        assert_eq!(sniff(b"{}"), Some(Found::Json("an empty object".into())));
        assert_eq!(
            sniff(br#"{"page":{"name":"x","url":"https://x","status":"UP"}}"#),
            found("instatus")
        );
        // An incidents array alone does not make a Statuspage document.
        assert_eq!(
            sniff(br#"{"page":{"id":"x"},"incidents":[{"title":"t","updates":[]}]}"#),
            Some(Found::Json(r#"keys "incidents", "page""#.into()))
        );
        assert_eq!(
            sniff(br#"{"page":{},"components":[]}"#),
            Some(Found::Json(r#"keys "components", "page""#.into()))
        );
        assert_eq!(sniff(b""), None);
        assert_eq!(
            sniff(b"{\"page\": {\"id\""),
            None,
            "truncated JSON says nothing"
        );
        assert_eq!(
            sniff(br#"[{"slug":"api","status":"up","uptime":"99.27%"}]"#),
            found("upptime")
        );
        assert_eq!(
            sniff(br#"{"request_id":"r","data":{"page":{"page_id":6410630422455},"active_changes":[]}}"#),
            found("flashcat")
        );
        assert_eq!(
            sniff(br#"{"RequestId":"56CC5080","Data":[]}"#),
            found("alibabacloud")
        );
        assert_eq!(
            sniff(br#"[{"name":"a"},{"name":"b"}]"#),
            Some(Found::Json(
                r#"an array of 2 objects with keys "name""#.into()
            ))
        );
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
