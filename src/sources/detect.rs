//! What a document is: [`sniff`] looks at a body and names the platform it came from,
//! cheaply and without trusting it. Probing a URL for its format needs the network and is the
//! engine's ([`crate::engine::detect`]); this part only reads bytes.

use crate::sources::format::Format;

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

/// Names the platform a body came from, or `None` when it cannot tell.
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
        if head.contains("<feed") || head.contains("<rss") || head.contains("<rdf") {
            let statuspage = head.contains("incident history")
                || String::from_utf8_lossy(body).contains("data-var='date'");
            return Some(Found::Is(if statuspage {
                Format::StatuspageFeed
            } else {
                Format::CustomFeed
            }));
        }
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    if let Some(first) = value.as_array().and_then(|a| a.first()) {
        if first.get("arn").is_some()
            && (first.get("event_log").is_some() || first.get("impacted_services").is_some())
        {
            return Some(Found::Is(Format::Aws));
        }
        return first.get("external_desc").map(|_| Found::Is(Format::Gcp));
    }
    let object = value.as_object()?;
    if object.contains_key("domainPrefix")
        || (object.contains_key("pageType") && object.contains_key("components"))
    {
        return Some(Found::Is(Format::Datadog));
    }
    if object.get("metadata").is_some_and(|m| m.is_array())
        && object.get("uptime").is_some_and(|u| u.is_array())
    {
        return Some(Found::Is(Format::Checkly));
    }
    // Rootly: Statuspage's status envelope with the active incidents in it and no page id.
    if object
        .get("status")
        .and_then(|s| s.get("indicator"))
        .is_some()
        && object.get("incidents").is_some_and(|i| i.is_array())
        && object
            .get("page")
            .is_some_and(|p| p.is_object() && p.get("id").is_none())
        && !object.contains_key("components")
    {
        return Some(Found::Is(Format::Rootly));
    }
    if object.contains_key("activeIncidents") || object.contains_key("activeMaintenances") {
        return Some(Found::Is(Format::Instatus));
    }
    // A healthy Instatus page omits both arrays: its page status is an upper-case word with
    // no Statuspage key beside it.
    let instatus_word = object
        .get("page")
        .and_then(|p| p.get("status"))
        .and_then(|s| s.as_str())
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase()));
    if instatus_word
        && ![
            "components",
            "incidents",
            "status",
            "scheduled_maintenances",
            "incident",
        ]
        .iter()
        .any(|k| object.contains_key(*k))
    {
        return Some(Found::Is(Format::Instatus));
    }
    if let Some(page) = object.get("page") {
        let statuspage_keys = [
            "components",
            "incidents",
            "status",
            "scheduled_maintenances",
            "incident",
        ];
        // The real markers: a page id, incidents with their updates, components with a status.
        let first_has = |list: &str, key: &str| {
            object
                .get(list)
                .and_then(|l| l.as_array())
                .and_then(|l| l.first())
                .is_none_or(|first| first.get(key).is_some())
        };
        let marked = page.get("id").is_some_and(|id| id.is_string())
            && first_has("incidents", "incident_updates")
            && first_has("scheduled_maintenances", "incident_updates")
            && first_has("components", "status");
        if marked && statuspage_keys.iter().any(|k| object.contains_key(*k)) {
            let ulid = page
                .get("id")
                .and_then(|id| id.as_str())
                .is_some_and(|id| id.len() == 26);
            return Some(Found::Is(if ulid {
                Format::Incidentio
            } else {
                Format::Statuspage
            }));
        }
    }
    if object
        .get("data")
        .and_then(|d| d.get("type"))
        .and_then(|t| t.as_str())
        == Some("status_page")
    {
        return Some(Found::Is(Format::Betterstack));
    }
    if object
        .get("result")
        .and_then(|r| r.get("status_overall"))
        .is_some()
    {
        return Some(Found::Is(Format::Statusio));
    }
    if object.contains_key("active_incidents") {
        return Some(Found::Is(Format::Slack));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_are_recognised() {
        assert_eq!(sniff(b"<!DOCTYPE html><html>"), Some(Found::Html));
        assert_eq!(
            sniff(br#"{"page":{"id":"abc"},"components":[]}"#),
            Some(Found::Is(Format::Statuspage))
        );
        assert_eq!(
            sniff(br#"{"page":{"id":"01JMDK9XYNY6RXSED6SDWW50WY"},"status":{}}"#),
            Some(Found::Is(Format::Incidentio))
        );
        assert_eq!(
            sniff(br#"{"page":{"status":"UP"},"activeIncidents":[]}"#),
            Some(Found::Is(Format::Instatus))
        );
        assert_eq!(
            sniff(b"<rss><channel>"),
            Some(Found::Is(Format::CustomFeed))
        );
        assert_eq!(
            sniff(br#"[{"external_desc":"x"}]"#),
            Some(Found::Is(Format::Gcp))
        );
        assert_eq!(sniff(b"{}"), None);
        assert_eq!(
            sniff(br#"{"page":{"name":"x","url":"https://x","status":"UP"}}"#),
            Some(Found::Is(Format::Instatus))
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
            Some(Found::Is(Format::Aws))
        );
        let utf16: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(
                r#"[{"arn":"a","impacted_services":{}}]"#
                    .encode_utf16()
                    .flat_map(u16::to_be_bytes),
            )
            .collect();
        assert_eq!(sniff(&utf16), Some(Found::Is(Format::Aws)));
        assert_eq!(
            sniff(br#"{"domainPrefix":"x","components":[]}"#),
            Some(Found::Is(Format::Datadog))
        );
        assert_eq!(
            sniff(br#"{"metadata":[],"uptime":[],"partialError":false}"#),
            Some(Found::Is(Format::Checkly))
        );
        assert_eq!(
            sniff(br#"{"page":{"name":"x"},"status":{"indicator":"none"},"incidents":[]}"#),
            Some(Found::Is(Format::Rootly))
        );
    }
}
