//! AWS Health's public `health.aws.amazon.com/public/currentevents`: a JSON array of the
//! events on the dashboard now, served as UTF-16 with a byte-order mark (decoded here; an
//! invalid one is an error that says UTF-16).
//!
//! An event is an incident keyed by its ARN. Its `status` is a number: `0` resolved, `1`
//! informational, `2` degraded, `3` disrupted; an `end_time` also closes it. Its `event_log`
//! entries are the updates (no ids upstream: derived from the ARN and the entry's time), and
//! `impacted_services` names the services it touches with their `current` and `max` levels,
//! which become the update's components (`AWS Sign-In (me-central-1)`). The page lists only
//! services with an event, so the snapshot has no component list: a service dropping out of
//! the document is not a recovery statusq could tell from a missing row.

use crate::hash::stable_hash;
use crate::model::{
    ComponentStatus, FetchError, Incident, IncidentStatus, Indicator, PageStatus, Phase, Timestamp,
    Update, UpdateComponent,
};
use crate::sources::parts::{expect_json, open_summary, parse_error, plain_text, utf8_body, Parts};
use crate::sources::parts::{first, one_document, Body, Platform};
use serde::Deserialize;
use serde_json::Value;
use std::collections::BTreeMap;

/// The dashboard a person opens.
pub const DASHBOARD: &str = "https://health.aws.amazon.com/health/status";

#[derive(Deserialize)]
struct RawEvent {
    date: Option<Value>,
    arn: Option<String>,
    status: Option<Value>,
    summary: Option<String>,
    #[serde(default)]
    event_log: Vec<RawLog>,
    #[serde(default)]
    impacted_services: BTreeMap<String, RawService>,
    end_time: Option<Value>,
}

#[derive(Deserialize)]
struct RawLog {
    summary: Option<String>,
    message: Option<String>,
    status: Option<Value>,
    timestamp: Option<Value>,
}

#[derive(Deserialize)]
struct RawService {
    service_name: Option<String>,
    current: Option<Value>,
    max: Option<Value>,
}

/// A number AWS writes as a string (`"3"`, `"1788472198"`) or as a number.
fn number(value: &Option<Value>) -> Option<i64> {
    match value {
        Some(Value::String(s)) => s.trim().parse().ok(),
        Some(Value::Number(n)) => n.as_i64(),
        _ => None,
    }
}

fn time(value: &Option<Value>) -> Option<Timestamp> {
    let seconds = number(value)?;
    time::OffsetDateTime::from_unix_timestamp(seconds)
        .ok()
        .map(Timestamp::from)
}

/// The impact of an AWS level: 3 disrupted, 2 degraded, 1 informational, 0 fine.
fn impact(level: i64) -> Indicator {
    match level {
        3.. => Indicator::Major,
        2 => Indicator::Minor,
        _ => Indicator::None,
    }
}

fn component_status(level: i64) -> ComponentStatus {
    match level {
        3.. => ComponentStatus::MajorOutage,
        2 => ComponentStatus::DegradedPerformance,
        _ => ComponentStatus::Operational,
    }
}

/// `us-west-2` from `arn:aws:health:us-west-2::event/…`.
fn region(arn: &str) -> Option<&str> {
    arn.strip_prefix("arn:aws:health:")?
        .split(':')
        .next()
        .filter(|r| !r.is_empty())
}

pub fn parse(body: &[u8]) -> Result<Parts, FetchError> {
    let body = utf8_body(body)?;
    expect_json(&body)?;
    let raw: Vec<RawEvent> = serde_json::from_slice(&body)
        .map_err(|e| parse_error(format!("not an AWS Health currentevents document: {e}")))?;
    let mut incidents: Vec<Incident> = raw.into_iter().filter_map(incident).collect();
    incidents.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let (indicator, description) = open_summary(&incidents, "event");
    Ok(Parts {
        page_name: Some("AWS Health Dashboard".into()),
        page_url: Some(DASHBOARD.into()),
        detected_format: Some(&PLATFORM),
        status: Some(PageStatus {
            indicator,
            description,
            raw_status: None,
        }),
        components: None,
        incidents: Some(incidents),
        maintenances: Some(Vec::new()),
    })
}

fn incident(raw: RawEvent) -> Option<Incident> {
    let id = raw.arn.filter(|a| !a.trim().is_empty())?;
    let level = number(&raw.status).unwrap_or(0);
    let resolved_at = time(&raw.end_time);
    let resolved = resolved_at.is_some() || level == 0;
    let region = region(&id).map(str::to_string);
    // The services it touches, as the last update leaves them.
    let mut worst = level;
    let services: Vec<UpdateComponent> = raw
        .impacted_services
        .iter()
        .map(|(key, service)| {
            worst = worst.max(number(&service.max).unwrap_or(0));
            let name = service.service_name.clone().unwrap_or_else(|| key.clone());
            UpdateComponent {
                id: key.clone(),
                name: match &region {
                    Some(region) => format!("{name} ({region})"),
                    None => name,
                },
                status: component_status(number(&service.current).unwrap_or(0)),
            }
        })
        .collect();
    let name = raw.summary.unwrap_or_default();
    // AWS rewrites the title when it closes an event; the status says so already.
    let name = name
        .trim()
        .strip_prefix("[RESOLVED]")
        .unwrap_or(name.trim())
        .trim()
        .to_string();
    let mut updates: Vec<Update> = raw
        .event_log
        .into_iter()
        .enumerate()
        .map(|(n, log)| {
            let at = time(&log.timestamp);
            let summary = log.summary.unwrap_or_default();
            let message = plain_text(log.message.as_deref().unwrap_or(""));
            let body = if summary.trim().is_empty() || summary.trim() == name {
                message
            } else if message.is_empty() {
                summary.trim().to_string()
            } else {
                format!("{}\n\n{message}", summary.trim())
            };
            let stamp = number(&log.timestamp).map(|t| t.to_string());
            Update {
                id: stable_hash(&[&id, stamp.as_deref().unwrap_or(""), &n.to_string()]),
                status: if number(&log.status) == Some(0) {
                    Phase::Resolved
                } else {
                    Phase::Investigating
                },
                raw_status: None,
                body,
                at,
                components: None,
            }
        })
        .collect();
    updates.sort_by_key(|u| u.at);
    if let Some(last) = updates.last_mut() {
        last.components = Some(services.clone());
    }
    let created_at = time(&raw.date).or_else(|| updates.first().and_then(|u| u.at));
    let updated_at = updates.iter().filter_map(|u| u.at).max().or(created_at);
    Some(Incident {
        name: if name.is_empty() { id.clone() } else { name },
        status: if resolved {
            IncidentStatus::Resolved
        } else {
            IncidentStatus::Investigating
        },
        raw_status: None,
        impact: Some(impact(worst)),
        url: Some(DASHBOARD.into()),
        created_at,
        updated_at: updated_at.max(resolved_at),
        resolved_at: if resolved {
            resolved_at.or(updated_at)
        } else {
            None
        },
        components: Some(services.into_iter().map(|s| s.id).collect()),
        updates,
        id,
    })
}

/// AWS Health's public `currentevents` (UTF-16 JSON).
pub const PLATFORM: Platform = Platform {
    word: "aws",
    describes: "an AWS Health currentevents document",
    default_api: Some("https://health.aws.amazon.com/public/currentevents"),
    probes: &[],
    documents: &["/currentevents"],
    requests: one_document,
    sniff: Some(|body| {
        let Body::Json(value) = body else {
            return false;
        };
        value
            .as_array()
            .and_then(|a| a.first())
            .is_some_and(|first| {
                first.get("arn").is_some()
                    && (first.get("event_log").is_some()
                        || first.get("impacted_services").is_some())
            })
    }),
    parse: Some(|bodies, _| parse(first(bodies))),
    summary_first: false,
    family: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_map_to_impacts_and_regions_come_from_the_arn() {
        assert_eq!(impact(3), Indicator::Major);
        assert_eq!(impact(2), Indicator::Minor);
        assert_eq!(impact(1), Indicator::None);
        assert_eq!(
            region("arn:aws:health:me-south-1::event/X/Y/Z"),
            Some("me-south-1")
        );
        assert_eq!(region("arn:aws:health:::event"), None);
        assert_eq!(region("nonsense"), None);
    }

    #[test]
    fn garbage_is_a_parse_error_not_a_panic() {
        for body in [&b"{}"[..], b"[1,2]", b"<html>", b"", b"\xfe\xff\x00"] {
            let _ = parse(body);
        }
        assert!(parse(b"{}").is_err());
        let odd = parse(b"\xfe\xff\x00[\x00").unwrap_err().message;
        assert!(odd.contains("UTF-16"), "{odd}");
    }
}
