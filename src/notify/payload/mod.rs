//! Each service's message, within its documented limits. Pure: events in, JSON bodies out.
//!
//! - Slack (incoming webhook): one Block Kit message per provider — a header, a section per
//!   digest block (at most 3,000 characters), at most 50 blocks, "… and N more" when cut — with
//!   the digest as the fallback `text`.
//! - Discord (webhook): embeds per provider, at most 10 a message and 6,000 characters in all,
//!   4,096 a description, coloured by severity; mentions disabled (`allowed_mentions`), so no
//!   status page can ping `@everyone`.
//! - Microsoft Teams (Workflows webhook): one Adaptive Card message per provider.
//! - PagerDuty (Events API v2): `trigger` on `incident.created`/`incident.reopened`, `resolve`
//!   on `incident.resolved`, one `dedup_key` per upstream incident; component changes and
//!   maintenance when routed there, each with its own key.
//! - Webhook: the event records themselves, at most 100 a request.

use crate::model::{Event, EventKind, Indicator, Record};
use crate::notify::Kind;
use crate::render::describe::describe;
use crate::render::digest::{blocks, Block};
use crate::render::style::{Severity, Style};
use crate::render::text;
use serde_json::{json, Value};

/// One request's worth: the body (none when the service has nothing to say about these
/// events, e.g. an `incident.updated` for PagerDuty) and the ids of the events it carries.
#[derive(Debug)]
pub struct Message {
    pub body: Option<Value>,
    pub ids: Vec<String>,
}

/// Slack: blocks a message may hold, and characters a section may.
pub const SLACK_BLOCKS: usize = 50;
pub const SLACK_SECTION: usize = 3000;
/// Discord: embeds a message may hold, characters in all, and in one description.
pub const DISCORD_EMBEDS: usize = 10;
pub const DISCORD_TOTAL: usize = 6000;
pub const DISCORD_DESCRIPTION: usize = 4096;
/// Teams: characters of text a card carries (its message may be 28 KB in all).
pub const TEAMS_TEXT: usize = 20_000;
/// Webhook: events a request carries.
pub const WEBHOOK_BATCH: usize = 100;

/// The messages that deliver `events` (in order) to a service of `kind`; PagerDuty needs its
/// routing key in the body.
pub fn messages(kind: Kind, events: &[Event], routing_key: Option<&str>) -> Vec<Message> {
    match kind {
        Kind::Slack => per_provider(events).iter().map(|e| slack(e)).collect(),
        Kind::Discord => per_provider(events)
            .iter()
            .flat_map(|e| discord(e))
            .collect(),
        Kind::Teams => per_provider(events).iter().map(|e| teams(e)).collect(),
        Kind::Pagerduty => events
            .iter()
            .map(|e| pagerduty(e, routing_key.unwrap_or_default()))
            .collect(),
        Kind::Webhook => events
            .chunks(WEBHOOK_BATCH)
            .map(|chunk| Message {
                // The records as `diff` writes them, `"type":"event"` included.
                body: Some(json!({
                    "v": 1,
                    "events": chunk
                        .iter()
                        .map(|e| Record::Event(Box::new(e.clone())))
                        .collect::<Vec<_>>(),
                })),
                ids: chunk.iter().map(|e| e.id.clone()).collect(),
            })
            .collect(),
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

/// Plain text for chat: the text digest's block, unwrapped (the service wraps).
fn block_text(block: &Block) -> String {
    let style = Style {
        color: false,
        width: usize::MAX / 2,
        local: false,
    };
    text::block(block, &style).trim_end().to_string()
}

/// At most `limit` characters, the last one `…` when cut.
fn cut(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        return text.to_string();
    }
    let mut out: String = text.chars().take(limit.saturating_sub(1)).collect();
    out.push('…');
    out
}

fn updates(count: usize) -> String {
    match count {
        1 => "1 update".into(),
        n => format!("{n} updates"),
    }
}

/// Slack's mrkdwn needs only `&`, `<` and `>` escaped; escaping `<` also keeps upstream text
/// from writing `<!channel>` or a link.
fn slack_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn slack(events: &[Event]) -> Message {
    let name = describe(&events[0]).provider;
    let blocks = blocks(events);
    let mut out = vec![json!({
        "type": "header",
        "text": {"type": "plain_text", "text": cut(&format!("{name}: {}", updates(blocks.len())), 150)},
    })];
    // A header, the sections, and a last block to say what did not fit.
    let room = SLACK_BLOCKS - 2;
    for block in blocks.iter().take(if blocks.len() > room + 1 {
        room
    } else {
        room + 1
    }) {
        let text = block_text(block);
        let (head, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let section = format!(
            "*{}*\n{}",
            slack_escape(&head.replace('*', "")),
            slack_escape(rest)
        );
        out.push(json!({
            "type": "section",
            "text": {"type": "mrkdwn", "text": cut(section.trim_end(), SLACK_SECTION)},
        }));
    }
    let shown = out.len() - 1;
    if blocks.len() > shown {
        out.push(json!({
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": format!("… and {} more", blocks.len() - shown)}],
        }));
    }
    let fallback: String = blocks
        .iter()
        .map(block_text)
        .collect::<Vec<_>>()
        .join("\n\n");
    Message {
        body: Some(json!({ "text": cut(&fallback, SLACK_SECTION), "blocks": out })),
        ids: events.iter().map(|e| e.id.clone()).collect(),
    }
}

fn colour(severity: Severity) -> u32 {
    match severity {
        Severity::Good => 0x12805c,
        Severity::Unknown => 0x8a94a6,
        Severity::Maintenance => 0x2563eb,
        Severity::Minor => 0xb7791f,
        Severity::Major => 0xdd6b20,
        Severity::Critical => 0xc53030,
    }
}

fn discord(events: &[Event]) -> Vec<Message> {
    let mut messages = Vec::new();
    let mut embeds: Vec<Value> = Vec::new();
    let mut ids: Vec<String> = Vec::new();
    let mut total = 0;
    for block in blocks(events) {
        let text = block_text(&block);
        let (head, rest) = text.split_once('\n').unwrap_or((&text, ""));
        let title = cut(head, 256);
        let description = cut(rest, DISCORD_DESCRIPTION.min(DISCORD_TOTAL - 256));
        let size = title.chars().count() + description.chars().count();
        if !embeds.is_empty() && (embeds.len() == DISCORD_EMBEDS || total + size > DISCORD_TOTAL) {
            messages.push(discord_message(
                std::mem::take(&mut embeds),
                std::mem::take(&mut ids),
            ));
            total = 0;
        }
        let first = block.events()[0];
        let mut embed = json!({
            "title": title,
            "description": description,
            "color": colour(block.severity()),
            "timestamp": block.at().to_string(),
        });
        if let Some(link) = describe(first).link {
            embed["url"] = Value::String(link);
        }
        embeds.push(embed);
        ids.extend(block.events().iter().map(|e| e.id.clone()));
        total += size;
    }
    if !embeds.is_empty() {
        messages.push(discord_message(embeds, ids));
    }
    messages
}

fn discord_message(embeds: Vec<Value>, ids: Vec<String>) -> Message {
    Message {
        body: Some(json!({
            "username": "statusq",
            "allowed_mentions": {"parse": []},
            "embeds": embeds,
        })),
        ids,
    }
}

/// Adaptive Card text is Markdown: upstream text is escaped so it can format nothing.
fn teams_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if "\\`*_{}[]()#+-.!<>|~".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn teams(events: &[Event]) -> Message {
    let name = describe(&events[0]).provider;
    let blocks = blocks(events);
    let mut body = vec![json!({
        "type": "TextBlock", "size": "Medium", "weight": "Bolder", "wrap": true,
        "text": teams_escape(&format!("{name}: {}", updates(blocks.len()))),
    })];
    let mut used = 0;
    for (index, block) in blocks.iter().enumerate() {
        let text = block_text(block);
        if used + text.len() > TEAMS_TEXT {
            body.push(json!({
                "type": "TextBlock", "wrap": true, "isSubtle": true,
                "text": format!("… and {} more", blocks.len() - index),
            }));
            break;
        }
        used += text.len();
        body.push(json!({
            "type": "TextBlock", "wrap": true, "separator": true,
            "text": teams_escape(&text),
        }));
    }
    Message {
        body: Some(json!({
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
        })),
        ids: events.iter().map(|e| e.id.clone()).collect(),
    }
}

/// PagerDuty's severity for an impact.
fn pagerduty_severity(impact: Option<Indicator>) -> &'static str {
    match impact {
        Some(Indicator::Critical) => "critical",
        Some(Indicator::Major) => "error",
        Some(Indicator::None | Indicator::Maintenance) => "info",
        Some(Indicator::Minor) | None => "warning",
    }
}

/// The alert an event opens or closes: (action, dedup key, severity), or none.
fn pagerduty_action(event: &Event) -> Option<(&'static str, String, &'static str)> {
    let key = |what: &str, id: &str| format!("statusq/{}/{what}/{id}", event.provider);
    match event.event {
        EventKind::IncidentCreated | EventKind::IncidentReopened => {
            event.incident.as_ref().map(|i| {
                (
                    "trigger",
                    key("incident", &i.id),
                    pagerduty_severity(i.impact),
                )
            })
        }
        EventKind::IncidentResolved => event
            .incident
            .as_ref()
            .map(|i| ("resolve", key("incident", &i.id), "info")),
        EventKind::ComponentChanged => event.component.as_ref().map(|c| {
            let severity = match crate::render::style::Severity::of_component(c.status) {
                Severity::Critical => "critical",
                Severity::Major => "error",
                Severity::Minor => "warning",
                _ => "info",
            };
            let action = if c.status == crate::model::ComponentStatus::Operational {
                "resolve"
            } else {
                "trigger"
            };
            (action, key("component", &c.id), severity)
        }),
        EventKind::MaintenanceStarted => event
            .maintenance
            .as_ref()
            .map(|m| ("trigger", key("maintenance", &m.id), "info")),
        EventKind::MaintenanceCompleted => event
            .maintenance
            .as_ref()
            .map(|m| ("resolve", key("maintenance", &m.id), "info")),
        _ => None,
    }
}

fn pagerduty(event: &Event, routing_key: &str) -> Message {
    let ids = vec![event.id.clone()];
    let Some((action, dedup_key, severity)) = pagerduty_action(event) else {
        return Message { body: None, ids };
    };
    let d = describe(event);
    let summary = if d.title.is_empty() {
        format!("{}: {}", d.provider, d.what)
    } else {
        format!("{}: {} ({})", d.provider, d.title, d.what)
    };
    let mut body = json!({
        "routing_key": routing_key,
        "event_action": action,
        "dedup_key": dedup_key,
    });
    if action == "trigger" {
        body["payload"] = json!({
            "summary": cut(&summary, 1024),
            "source": event.provider,
            "severity": severity,
            "timestamp": event.at.to_string(),
            "component": d.title,
            "custom_details": {
                "status": d.what,
                "update": cut(&crate::render::plain::plain(&d.body), 2000),
                "event_id": event.id,
            },
        });
        if let Some(link) = &d.link {
            body["links"] = json!([{ "href": link, "text": "Status page" }]);
        }
    }
    Message {
        body: Some(body),
        ids,
    }
}
