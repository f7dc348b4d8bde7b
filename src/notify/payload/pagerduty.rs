//! PagerDuty (Events API v2): `trigger` on `incident.created`/`incident.reopened`, `resolve` on
//! `incident.resolved`, one `dedup_key` per upstream incident; component changes and
//! maintenance when routed there, each with its own key.
//!
//! Escaping: PagerDuty shows its fields as plain text, so the rule is the one every string
//! already passed ([`crate::render::describe`] strips control, bidi and zero-width
//! characters); fields statusq takes from the event directly go through the same cleaning.
//! Limits: `dedup_key` 255 characters, `summary` 1,024, the event 512 KB.

use super::parts::{link, Message};
use crate::model::{ComponentStatus, Event, EventKind, Indicator};
use crate::render::describe::describe;
use crate::render::style::Severity;
use crate::sanitize::one_line;
use serde_json::{json, Value};

/// Characters of a `dedup_key`.
pub const DEDUP_KEY: usize = 255;
/// Characters of a `summary`.
pub const SUMMARY: usize = 1024;
/// Characters statusq puts in `source`, `component` and `custom_details` fields.
pub const FIELD: usize = 1024;
/// Characters of the update's text in `custom_details`.
pub const UPDATE: usize = 2000;
/// Bytes of one event.
pub const EVENT: usize = 512 * 1024;

/// PagerDuty's severity for an impact.
fn severity(impact: Option<Indicator>) -> &'static str {
    match impact {
        Some(Indicator::Critical) => "critical",
        Some(Indicator::Major) => "error",
        Some(Indicator::None | Indicator::Maintenance) => "info",
        Some(Indicator::Minor) | None => "warning",
    }
}

/// The alert key of one upstream thing: `statusq/PROVIDER/WHAT/ID`, the same on every run so
/// the trigger and the resolve name one alert. Past 255 characters (a feed incident keyed by
/// its link, a long provider id) the id is replaced by its SHA-256, and a key that would still
/// be too long, or that holds anything but clean one-line text, is hashed whole: still one key
/// per thing, the same on every run, within the limit.
pub fn dedup_key(provider: &str, what: &str, id: &str) -> String {
    let key = format!("statusq/{provider}/{what}/{id}");
    let clean = one_line(&key) == key;
    if clean && key.chars().count() <= DEDUP_KEY {
        return key;
    }
    let hashed = format!("statusq/{provider}/{what}/sha256:{}", sha256(id));
    if clean && hashed.chars().count() <= DEDUP_KEY {
        return hashed;
    }
    format!(
        "statusq/sha256:{}",
        sha256(&format!("{provider}\n{what}\n{id}"))
    )
}

fn sha256(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The alert an event opens or closes: (action, dedup key, severity), or none. Opsgenie's
/// alerts open and close by the same rule.
pub(crate) fn action(event: &Event) -> Option<(&'static str, String, &'static str)> {
    let key = |what: &str, id: &str| dedup_key(&event.provider, what, id);
    match event.event {
        EventKind::IncidentCreated | EventKind::IncidentReopened => event
            .incident
            .as_ref()
            .map(|i| ("trigger", key("incident", &i.id), severity(i.impact))),
        EventKind::IncidentResolved => event
            .incident
            .as_ref()
            .map(|i| ("resolve", key("incident", &i.id), "info")),
        EventKind::ComponentChanged => event.component.as_ref().map(|c| {
            let severity = match Severity::of_component(c.status) {
                Severity::Critical => "critical",
                Severity::Major => "error",
                Severity::Minor => "warning",
                _ => "info",
            };
            let action = if c.status == ComponentStatus::Operational {
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

/// At most `limit` characters, `…` last when cut.
fn cut(text: &str, limit: usize) -> String {
    super::parts::fit(text, limit, |_| 1)
}

pub fn message(event: &Event, routing_key: &str) -> Message {
    let ids = vec![event.id.clone()];
    let Some((action, dedup_key, severity)) = action(event) else {
        return Message {
            body: None,
            ids,
            ..Message::default()
        };
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
            "summary": cut(&summary, SUMMARY),
            "source": cut(&one_line(&event.provider), FIELD),
            "severity": severity,
            "timestamp": event.at.to_string(),
            "component": cut(&d.title, FIELD),
            "custom_details": {
                "status": cut(&d.what, FIELD),
                "update": cut(&crate::render::plain::plain(&d.body), UPDATE),
                "event_id": cut(&one_line(&event.id), FIELD),
            },
        });
        if let Some(link) = link(&d) {
            body["links"] = json!([{ "href": link, "text": "Status page" }]);
        }
    }
    Message {
        body: Some(body),
        ids,
        ..Message::default()
    }
}

pub fn within_limits(body: &Value) -> Result<(), String> {
    let key = super::parts::chars_at(body, "/dedup_key");
    if key == 0 || key > DEDUP_KEY {
        return Err(format!("dedup_key of {key} characters"));
    }
    if super::parts::chars_at(body, "/payload/summary") > SUMMARY {
        return Err("summary too long".into());
    }
    let bytes = super::parts::json_bytes(body);
    if bytes > EVENT {
        return Err(format!("{bytes} bytes"));
    }
    for (path, text) in super::parts::strings(body) {
        if text
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            return Err(format!("{path} holds a control character"));
        }
    }
    Ok(())
}
