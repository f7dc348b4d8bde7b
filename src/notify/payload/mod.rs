//! Each service's message: its shape, the one escaping rule its markup needs, and its limits,
//! one file per service. Pure: events in, JSON bodies out.
//!
//! Every string from upstream (provider names, titles, bodies, component names, links) reaches
//! a message through its service's escaping, and every limit is measured on the text as it
//! will be sent — escaped, and where the service counts bytes, JSON-encoded — by
//! [`parts::fit`], which cuts the unescaped text so that no escape is ever split.
//!
//! - [`slack`]: one Block Kit message per provider; for a bot, one per incident step, in the
//!   incident's thread.
//! - [`discord`]: embeds per provider, split into messages by Discord's limits; with
//!   `thread = true`, one message per incident, edited as it goes.
//! - [`teams`]: one Adaptive Card message per provider, within Teams' 28 KB.
//! - [`googlechat`]: a `cardsV2` card per incident step, in the incident's thread
//!   (`threadKey`), within Google Chat's 32,000 bytes.
//! - [`mattermost`]: one Markdown post per provider, within its 16,383 characters.
//! - [`pagerduty`]: Events API v2 `trigger`/`resolve`, one `dedup_key` per upstream incident.
//! - [`opsgenie`]: Alert API v2 create and close, one `alias` per upstream incident.
//! - [`ntfy`]: one notification per provider: the text, and its title, priority and tags.
//! - [`webhook`]: the event records themselves.
//!
//! [`request`] turns a message into the HTTP request that carries it, given the thread's root
//! message when there is one: pure too, so `--dry-run` shows exactly what would be sent.

pub mod discord;
pub mod googlechat;
pub mod mattermost;
pub mod ntfy;
pub mod opsgenie;
pub mod pagerduty;
pub mod parts;
pub mod request;
pub mod slack;
pub mod teams;
pub mod webhook;

use crate::model::{Event, EventKind};
use crate::notify::{Endpoint, Kind};
pub use parts::{Message, Step};
use serde_json::Value;

/// The messages that deliver `events` (in order) to `endpoint`; PagerDuty's and Opsgenie's
/// carry their key where the service wants it.
pub fn messages(endpoint: &Endpoint, events: &[Event]) -> Vec<Message> {
    let routing_key = endpoint.secret.as_ref().map(|s| s.expose());
    let threaded = |build: &dyn Fn(&[Event]) -> Vec<Message>| -> Vec<Message> {
        per_step(events)
            .into_iter()
            .flat_map(|(step, group)| {
                build(&group).into_iter().map(move |mut m| {
                    m.step = step.clone();
                    m
                })
            })
            .collect()
    };
    match endpoint.kind {
        Kind::Slack if endpoint.threads => threaded(&|group| vec![slack::message(group)]),
        Kind::Slack => per_provider(events)
            .iter()
            .map(|e| slack::message(e))
            .collect(),
        Kind::Discord if endpoint.threads => threaded(&discord::messages),
        Kind::Discord => per_provider(events)
            .iter()
            .flat_map(|e| discord::messages(e))
            .collect(),
        Kind::Teams => per_provider(events)
            .iter()
            .map(|e| teams::message(e))
            .collect(),
        Kind::Googlechat => threaded(&|group| vec![googlechat::message(group)]),
        Kind::Mattermost => per_provider(events)
            .iter()
            .map(|e| mattermost::message(e))
            .collect(),
        Kind::Ntfy => per_provider(events)
            .iter()
            .map(|e| ntfy::message(e))
            .collect(),
        Kind::Pagerduty => events
            .iter()
            .map(|e| pagerduty::message(e, routing_key.unwrap_or_default()))
            .collect(),
        Kind::Opsgenie => events.iter().map(opsgenie::message).collect(),
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
        Kind::Googlechat => googlechat::within_limits(body),
        Kind::Mattermost => mattermost::within_limits(body),
        Kind::Pagerduty => pagerduty::within_limits(body),
        Kind::Opsgenie => opsgenie::within_limits(body),
        Kind::Ntfy => ntfy::within_limits(body),
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

/// The thread an event belongs to: its incident's or its maintenance's, by upstream id.
pub fn thread_key(event: &Event) -> Option<String> {
    if let Some(incident) = &event.incident {
        Some(format!("{}/incident/{}", event.provider, incident.id))
    } else {
        event
            .maintenance
            .as_ref()
            .map(|m| format!("{}/maintenance/{}", event.provider, m.id))
    }
}

/// The events as threads see them: the digest's blocks in order, consecutive blocks of one
/// incident (or maintenance) together, each group with its [`Step`]; a block of no incident
/// (component changes of their own, a page's status) is a group of its provider with none.
pub fn per_step(events: &[Event]) -> Vec<(Option<Step>, Vec<Event>)> {
    let mut groups: Vec<(String, Option<Step>, Vec<Event>)> = Vec::new();
    for block in crate::render::digest::blocks(events) {
        let members = block.events();
        let provider = members[0].provider.clone();
        let key = thread_key(members[0]);
        let ends = members.iter().any(|e| {
            matches!(
                e.event,
                EventKind::IncidentResolved | EventKind::MaintenanceCompleted
            )
        });
        match groups.last_mut() {
            Some((p, step, group))
                if *p == provider && step.as_ref().map(|s| &s.key) == key.as_ref() =>
            {
                if let Some(step) = step {
                    step.ends |= ends;
                }
                group.extend(members.into_iter().cloned());
            }
            _ => groups.push((
                provider,
                key.map(|key| Step { key, ends }),
                members.into_iter().cloned().collect(),
            )),
        }
    }
    groups
        .into_iter()
        .map(|(_, step, group)| (step, group))
        .collect()
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
