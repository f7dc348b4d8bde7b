//! Rootly status pages: the public `/api/v1/status.json` on the page's custom domain —
//! `{page: {name, url, time_zone, updated_at}, status: {indicator, description}, incidents}`,
//! with the indicator one of `none`, `minor`, `major`, `maintenance`.
//!
//! **Built from Rootly's documentation only**: no real response has been published, and the
//! documented example lists no incident, so an incident's fields are read by the names the
//! Statuspage-style envelope suggests (`id`, `name` or `title`, `status`, `impact`,
//! `created_at` or `started_at`, `updated_at`, `resolved_at`, `shortlink` or `url`, and
//! `incident_updates` or `updates` with `id`, `status`, `body` or `message`, `created_at`).
//! An incident without an id is left out rather than guessed at.

use crate::hash::stable_hash;
use crate::model::{
    FetchError, Incident, IncidentStatus, Indicator, PageStatus, Phase, RawStatus, Timestamp,
    Update,
};
use crate::sources::parts::{expect_json, parse_error, plain_text, Parts};
use crate::sources::parts::{first, one_document, Body, Platform};
use serde_json::{Map, Value};

fn text<'a>(object: &'a Map<String, Value>, keys: &[&str]) -> Option<&'a str> {
    keys.iter()
        .find_map(|k| object.get(*k).and_then(Value::as_str))
        .filter(|s| !s.is_empty())
}

fn id(object: &Map<String, Value>) -> Option<String> {
    match object.get("id") {
        Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn time(object: &Map<String, Value>, keys: &[&str]) -> Option<Timestamp> {
    text(object, keys).and_then(Timestamp::parse)
}

fn indicator(word: &str) -> Option<Indicator> {
    Some(match word {
        "none" => Indicator::None,
        "minor" => Indicator::Minor,
        "major" => Indicator::Major,
        "critical" => Indicator::Critical,
        "maintenance" => Indicator::Maintenance,
        _ => return None,
    })
}

fn phase(word: &str) -> (Phase, bool) {
    match word {
        "investigating" => (Phase::Investigating, true),
        "identified" => (Phase::Identified, true),
        "monitoring" => (Phase::Monitoring, true),
        "resolved" => (Phase::Resolved, true),
        _ => (Phase::Investigating, false),
    }
}

fn incident(object: &Map<String, Value>, page: &str) -> Option<Incident> {
    let id = id(object)?;
    let mut updates: Vec<Update> = ["incident_updates", "updates"]
        .iter()
        .find_map(|k| object.get(*k).and_then(Value::as_array))
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .map(|u| {
            let at = time(u, &["display_at", "created_at", "published_at"]);
            let word = text(u, &["status"]).unwrap_or("").to_string();
            let (status, canonical) = phase(&word);
            Update {
                id: self::id(u).unwrap_or_else(|| {
                    stable_hash(&[&id, &at.map(|t| t.to_string()).unwrap_or_default()])
                }),
                status,
                raw_status: (!canonical).then(|| RawStatus::from_word(word)),
                body: plain_text(text(u, &["body", "message"]).unwrap_or("")),
                at,
                components: None,
            }
        })
        .collect();
    updates.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    let word = text(object, &["status"]).unwrap_or("").to_string();
    let (phase, canonical) = phase(&word);
    let status = match phase {
        Phase::Identified => IncidentStatus::Identified,
        Phase::Monitoring => IncidentStatus::Monitoring,
        Phase::Resolved => IncidentStatus::Resolved,
        _ => IncidentStatus::Investigating,
    };
    let url = text(object, &["shortlink", "url"])
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .unwrap_or(page);
    Some(Incident {
        name: text(object, &["name", "title"]).unwrap_or(&id).to_string(),
        status,
        raw_status: (!canonical).then(|| RawStatus::from_word(word)),
        impact: text(object, &["impact"]).and_then(indicator),
        url: Some(url.to_string()),
        created_at: time(object, &["created_at", "started_at"]),
        updated_at: time(object, &["updated_at"]).or_else(|| updates.last().and_then(|u| u.at)),
        resolved_at: (status == IncidentStatus::Resolved)
            .then(|| time(object, &["resolved_at"]).or_else(|| updates.last().and_then(|u| u.at)))
            .flatten(),
        components: None,
        updates,
        id,
    })
}

pub fn parse(body: &[u8], page_url: &str) -> Result<Parts, FetchError> {
    expect_json(body)?;
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| parse_error(format!("not a Rootly status.json: {e}")))?;
    let object = value
        .as_object()
        .ok_or_else(|| parse_error("not a Rootly status.json: no object at the top"))?;
    let status = object
        .get("status")
        .and_then(Value::as_object)
        .ok_or_else(|| parse_error("a Rootly status.json without \"status\""))?;
    let word = text(status, &["indicator"]).unwrap_or("").to_string();
    let page = object.get("page").and_then(Value::as_object);
    let page_link = page
        .and_then(|p| text(p, &["url"]))
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"))
        .unwrap_or(page_url)
        .to_string();
    let incidents: Vec<Incident> = object
        .get("incidents")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .filter_map(|i| incident(i, &page_link))
        .collect();
    let known = indicator(&word);
    Ok(Parts {
        page_name: page.and_then(|p| text(p, &["name"])).map(str::to_string),
        page_url: Some(page_link),
        detected_format: Some(&PLATFORM),
        status: Some(PageStatus {
            // A word Rootly has not documented is trouble of unknown size, never "fine".
            indicator: known.unwrap_or(Indicator::Minor),
            description: text(status, &["description"]).unwrap_or("").to_string(),
            raw_status: known.is_none().then_some(word),
        }),
        components: None,
        incidents: Some(incidents),
        maintenances: None,
    })
}

/// A Rootly status page's `/api/v1/status.json`.
pub const PLATFORM: Platform = Platform {
    word: "rootly",
    describes: "a Rootly status.json",
    default_api: Some("/api/v1/status.json"),
    probes: &["/api/v1/status.json"],
    documents: &[],
    requests: one_document,
    sniff: Some(sniff),
    parse: Some(|bodies, page| parse(first(bodies), page.url)),
    summary_first: false,
    family: None,
};

/// Statuspage's status envelope with the active incidents in it, and a page with no id and no
/// components (what a Statuspage document has).
fn sniff(body: &Body) -> bool {
    let Body::Json(value) = body else {
        return false;
    };
    let Some(object) = value.as_object() else {
        return false;
    };
    object
        .get("status")
        .and_then(|s| s.get("indicator"))
        .is_some()
        && object.get("incidents").is_some_and(|i| i.is_array())
        && object
            .get("page")
            .is_some_and(|p| p.is_object() && p.get("id").is_none())
        && !object.contains_key("components")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incidents_are_read_by_statuspage_style_names() {
        let body = br#"{"page":{"name":"Acme","url":"https://status.acme.test"},
            "status":{"indicator":"major","description":"Partial outage"},
            "incidents":[{"id":"inc1","title":"API errors","status":"identified","impact":"major",
              "started_at":"2026-03-19T11:00:00Z","updates":[
                {"id":"u2","status":"identified","message":"Found it","created_at":"2026-03-19T11:30:00Z"},
                {"id":"u1","status":"investigating","message":"Looking","created_at":"2026-03-19T11:05:00Z"}]},
              {"title":"no id"}]}"#;
        let parts = parse(body, "https://fallback").unwrap();
        let incidents = parts.incidents.unwrap();
        assert_eq!(incidents.len(), 1);
        assert_eq!(incidents[0].status, IncidentStatus::Identified);
        assert_eq!(incidents[0].updates[0].id, "u1");
        assert_eq!(
            incidents[0].url.as_deref(),
            Some("https://status.acme.test")
        );
        assert_eq!(parts.status.unwrap().indicator, Indicator::Major);
        let odd = parse(br#"{"status":{"indicator":"weird"}}"#, "x").unwrap();
        assert_eq!(odd.status.unwrap().indicator, Indicator::Minor);
        assert!(parse(br#"{"incidents":[]}"#, "x").is_err());
    }
}
