//! Each service's message: its shape, the one escaping rule its markup needs, and its limits,
//! one file per service. Pure: events in, JSON bodies out.
//!
//! Every string from upstream (provider names, titles, bodies, component names, links) reaches
//! a message through its service's escaping, and every limit is measured on the text as it
//! will be sent — escaped, and where the service counts bytes, JSON-encoded — by
//! [`parts::fit`], which cuts the unescaped text so that no escape is ever split.
//!
//! - [`slack`]: one Block Kit message per provider.
//! - [`discord`]: embeds per provider, split into messages by Discord's limits.
//! - [`teams`]: one Adaptive Card message per provider, within Teams' 28 KB.
//! - [`pagerduty`]: Events API v2 `trigger`/`resolve`, one `dedup_key` per upstream incident.
//! - [`webhook`]: the event records themselves.

pub mod discord;
pub mod pagerduty;
pub mod parts;
pub mod slack;
pub mod teams;
pub mod webhook;

use crate::model::Event;
use crate::notify::Kind;
pub use parts::Message;
use serde_json::Value;

/// The messages that deliver `events` (in order) to a service of `kind`; PagerDuty needs its
/// routing key in the body.
pub fn messages(kind: Kind, events: &[Event], routing_key: Option<&str>) -> Vec<Message> {
    match kind {
        Kind::Slack => per_provider(events)
            .iter()
            .map(|e| slack::message(e))
            .collect(),
        Kind::Discord => per_provider(events)
            .iter()
            .flat_map(|e| discord::messages(e))
            .collect(),
        Kind::Teams => per_provider(events)
            .iter()
            .map(|e| teams::message(e))
            .collect(),
        Kind::Pagerduty => events
            .iter()
            .map(|e| pagerduty::message(e, routing_key.unwrap_or_default()))
            .collect(),
        Kind::Webhook => webhook::messages(events),
    }
}

/// Whether `body` keeps every limit of `kind`'s service, measured as it will be sent; why not
/// if it does not. The fuzz target and the tests hold every builder to it.
pub fn within_limits(kind: Kind, body: &Value) -> Result<(), String> {
    match kind {
        Kind::Slack => slack::within_limits(body),
        Kind::Discord => discord::within_limits(body),
        Kind::Teams => teams::within_limits(body),
        Kind::Pagerduty => pagerduty::within_limits(body),
        Kind::Webhook => Ok(()),
    }
}

/// The events grouped by provider, providers in the order they first appear.
fn per_provider(events: &[Event]) -> Vec<Vec<Event>> {
    let mut groups: Vec<Vec<Event>> = Vec::new();
    let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for event in events {
        let index = *at.entry(event.provider.as_str()).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[index].push(event.clone());
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_limit_checks_catch_what_they_guard() {
        use serde_json::json;
        let ok = |kind, body: Value| within_limits(kind, &body);
        assert!(ok(
            Kind::Slack,
            json!({"text": "&lt;!channel&gt;", "blocks": []})
        )
        .is_ok());
        assert!(ok(Kind::Slack, json!({"text": "<!channel>", "blocks": []})).is_err());
        assert!(ok(Kind::Slack, json!({"text": "x".repeat(3001), "blocks": []})).is_err());
        let section =
            json!({"type": "section", "text": {"type": "mrkdwn", "text": "x".repeat(3001)}});
        assert!(ok(Kind::Slack, json!({"text": "", "blocks": [section]})).is_err());
        assert!(ok(Kind::Pagerduty, json!({"dedup_key": "k".repeat(255)})).is_ok());
        assert!(ok(Kind::Pagerduty, json!({"dedup_key": "k".repeat(256)})).is_err());
        let card = |text: String| json!({"attachments": [{"content": {"type": "AdaptiveCard", "body": [{"text": text}]}}]});
        assert!(ok(Kind::Teams, card("x".repeat(27_000))).is_ok());
        assert!(ok(Kind::Teams, card("x".repeat(28_001))).is_err());
        let embed = json!({"title": "t", "description": "d"});
        let embeds =
            |n: usize| json!({"allowed_mentions": {"parse": []}, "embeds": vec![embed.clone(); n]});
        assert!(ok(Kind::Discord, embeds(10)).is_ok());
        assert!(ok(Kind::Discord, embeds(11)).is_err());
    }

    #[test]
    fn a_long_incident_id_gets_a_short_stable_dedup_key_of_its_own() {
        let long = format!("https://status.example.com/incidents/{}", "x".repeat(400));
        let key = pagerduty::dedup_key("feedco", "incident", &long);
        assert!(key.chars().count() <= pagerduty::DEDUP_KEY, "{key}");
        assert!(key.starts_with("statusq/feedco/incident/sha256:"), "{key}");
        assert_eq!(key, pagerduty::dedup_key("feedco", "incident", &long));
        assert_ne!(
            key,
            pagerduty::dedup_key("feedco", "incident", &(long.clone() + "y"))
        );
        // Short ids keep the readable key PagerDuty users already have.
        assert_eq!(
            pagerduty::dedup_key("github", "incident", "abc"),
            "statusq/github/incident/abc"
        );
        assert_ne!(
            pagerduty::dedup_key("a\u{0}b", "incident", "x"),
            pagerduty::dedup_key("a\u{1}b", "incident", "x"),
            "control characters are hashed, not dropped into one key"
        );
        assert!(pagerduty::dedup_key("a\u{1b}b", "incident", "x").starts_with("statusq/sha256:"));
        let huge_provider = "p".repeat(300);
        assert!(
            pagerduty::dedup_key(&huge_provider, "incident", "abc")
                .chars()
                .count()
                <= 255
        );
    }
}
