//! status.io pages through its public status API, `api.status.io/1.0/status/<page id>`:
//! components with their containers (regions or data centers), active incidents with their
//! messages, and active and upcoming maintenance. Status codes: 100 operational, 200 planned
//! maintenance, 300 degraded performance, 400 partial disruption, 500 disruption, 600 security
//! event. A component with containers becomes one component per container, grouped by the
//! component's name.

use crate::hash::stable_hash;
use crate::model::{
    Component, ComponentStatus, FetchError, Incident, IncidentStatus, Indicator, Maintenance,
    MaintenanceStatus, PageStatus, Phase, RawStatus, Timestamp, Update,
};
use crate::sources::parts::{expect_json, parse_error, plain_text, Parts};
use crate::sources::parts::{first, one_document, Body, Platform};
use serde::Deserialize;

#[derive(Deserialize)]
struct Doc {
    result: Option<Result_>,
}

#[derive(Deserialize)]
struct Result_ {
    status_overall: Option<Overall>,
    #[serde(default)]
    status: Vec<RawComponent>,
    #[serde(default)]
    incidents: Vec<RawEvent>,
    maintenance: Option<MaintenanceLists>,
}

#[derive(Deserialize)]
struct Overall {
    status: Option<String>,
    status_code: Option<u32>,
}

#[derive(Deserialize)]
struct RawComponent {
    id: Option<String>,
    name: Option<String>,
    updated: Option<String>,
    status: Option<String>,
    status_code: Option<u32>,
    #[serde(default)]
    containers: Vec<RawComponent>,
}

#[derive(Deserialize)]
struct RawEvent {
    #[serde(alias = "id")]
    _id: Option<String>,
    name: Option<String>,
    datetime_open: Option<String>,
    datetime_planned_start: Option<String>,
    datetime_planned_end: Option<String>,
    #[serde(default)]
    messages: Vec<Message>,
    #[serde(default)]
    components_affected: Vec<Affected>,
    #[serde(default)]
    containers_affected: Vec<Affected>,
}

#[derive(Deserialize)]
struct Affected {
    #[serde(alias = "id")]
    _id: Option<String>,
}

/// The ids of this page's component rows an incident or maintenance affects: for each component
/// in `components_affected`, its rows in the containers in `containers_affected` (all its rows
/// when none of those match).
fn affected(event: &RawEvent, rows: &std::collections::HashSet<&str>) -> Option<Vec<String>> {
    if event.components_affected.is_empty() {
        return None;
    }
    let mut out = Vec::new();
    for component in event
        .components_affected
        .iter()
        .filter_map(|a| a._id.as_deref())
    {
        let in_containers: Vec<String> = event
            .containers_affected
            .iter()
            .filter_map(|c| c._id.as_deref())
            .map(|container| format!("{component}/{container}"))
            .filter(|id| rows.contains(id.as_str()))
            .collect();
        if in_containers.is_empty() {
            let prefix = format!("{component}/");
            let mut all: Vec<String> = rows
                .iter()
                .filter(|row| **row == component || row.starts_with(&prefix))
                .map(|row| row.to_string())
                .collect();
            all.sort();
            out.extend(all);
        } else {
            out.extend(in_containers);
        }
    }
    Some(out)
}

#[derive(Deserialize)]
struct Message {
    #[serde(alias = "id")]
    _id: Option<String>,
    details: Option<String>,
    state: Option<u32>,
    status: Option<u32>,
    datetime: Option<String>,
}

#[derive(Deserialize)]
struct MaintenanceLists {
    #[serde(default)]
    active: Vec<RawEvent>,
    #[serde(default)]
    upcoming: Vec<RawEvent>,
}

fn component_status(code: Option<u32>, word: Option<&str>) -> (ComponentStatus, Option<String>) {
    let status = match code.unwrap_or(100) {
        100 => return (ComponentStatus::Operational, None),
        200 => ComponentStatus::UnderMaintenance,
        300 => ComponentStatus::DegradedPerformance,
        400 => ComponentStatus::PartialOutage,
        _ => ComponentStatus::MajorOutage,
    };
    (status, word.map(str::to_string))
}

fn phase(state: Option<u32>) -> Phase {
    match state {
        Some(200) => Phase::Identified,
        Some(300) => Phase::Monitoring,
        _ => Phase::Investigating,
    }
}

fn messages(event_id: &str, messages: &[Message], maintenance: bool) -> Vec<Update> {
    let mut updates: Vec<Update> = messages
        .iter()
        .map(|m| Update {
            id: m._id.clone().unwrap_or_else(|| {
                stable_hash(&[
                    event_id,
                    m.datetime.as_deref().unwrap_or(""),
                    m.details.as_deref().unwrap_or(""),
                ])
            }),
            status: if maintenance {
                Phase::Scheduled
            } else {
                phase(m.state)
            },
            raw_status: m.status.map(|s| RawStatus::from_word(s.to_string())),
            body: plain_text(m.details.as_deref().unwrap_or("")),
            at: m.datetime.as_deref().and_then(Timestamp::parse),
            components: None,
        })
        .collect();
    updates.sort_by_key(|u| u.at);
    updates
}

pub fn parse(body: &[u8], page_url: &str) -> Result<Parts, FetchError> {
    expect_json(body)?;
    let doc: Doc = serde_json::from_slice(body)
        .map_err(|e| parse_error(format!("not a status.io status document: {e}")))?;
    let Some(result) = doc.result.filter(|r| r.status_overall.is_some()) else {
        return Err(parse_error(
            "JSON without result.status_overall: not a status.io status document",
        ));
    };
    let components = components(&result.status);
    let rows: std::collections::HashSet<&str> = components.iter().map(|c| c.id.as_str()).collect();
    let base = page_url.trim_end_matches('/');
    let incidents = result
        .incidents
        .iter()
        .filter_map(|e| incident(e, base, &rows))
        .collect();
    let mut maintenances = Vec::new();
    if let Some(lists) = &result.maintenance {
        for (list, status) in [
            (&lists.active, MaintenanceStatus::InProgress),
            (&lists.upcoming, MaintenanceStatus::Scheduled),
        ] {
            maintenances.extend(
                list.iter()
                    .filter_map(|e| maintenance(e, status, base, &rows)),
            );
        }
    }
    let overall = result.status_overall.as_ref();
    let code = overall.and_then(|o| o.status_code).unwrap_or(100);
    let indicator = match code {
        100 => Indicator::None,
        200 => Indicator::Maintenance,
        300 => Indicator::Minor,
        400 => Indicator::Major,
        _ => Indicator::Critical,
    };
    Ok(Parts {
        page_name: None,
        page_url: None,
        detected_format: Some(&PLATFORM),
        status: Some(PageStatus {
            indicator,
            description: overall.and_then(|o| o.status.clone()).unwrap_or_default(),
            raw_status: Some(code.to_string()),
        }),
        components: Some(components),
        incidents: Some(incidents),
        maintenances: Some(maintenances),
    })
}

/// The page's components: a component without containers is one row; one with containers
/// is a group of them.
fn components(status: &[RawComponent]) -> Vec<Component> {
    let mut components = Vec::new();
    for c in status {
        let Some(id) = c.id.clone() else { continue };
        let name = c.name.clone().unwrap_or_else(|| id.clone());
        if c.containers.is_empty() {
            let (status, raw_status) = component_status(c.status_code, c.status.as_deref());
            components.push(Component {
                id,
                name,
                group: None,
                status,
                raw_status,
                updated_at: c.updated.as_deref().and_then(Timestamp::parse),
            });
            continue;
        }
        for container in &c.containers {
            let (status, raw_status) =
                component_status(container.status_code, container.status.as_deref());
            components.push(Component {
                id: format!("{id}/{}", container.id.clone().unwrap_or_default()),
                name: container.name.clone().unwrap_or_default(),
                group: Some(name.clone()),
                status,
                raw_status,
                updated_at: container.updated.as_deref().and_then(Timestamp::parse),
            });
        }
    }
    components
}

/// An open incident: its status from its last message, its impact from its worst.
fn incident(e: &RawEvent, base: &str, rows: &std::collections::HashSet<&str>) -> Option<Incident> {
    let id = e._id.clone()?;
    let updates = messages(&id, &e.messages, false);
    let status = match updates.last().map(|u| u.status) {
        Some(Phase::Identified) => IncidentStatus::Identified,
        Some(Phase::Monitoring) => IncidentStatus::Monitoring,
        _ => IncidentStatus::Investigating,
    };
    let impact = e
        .messages
        .iter()
        .filter_map(|m| m.status)
        .max()
        .map(|code| match code {
            0..=399 => Indicator::Minor,
            400..=499 => Indicator::Major,
            _ => Indicator::Critical,
        });
    Some(Incident {
        name: e.name.clone().unwrap_or_else(|| id.clone()),
        status,
        raw_status: None,
        impact,
        url: (!base.is_empty()).then(|| format!("{base}/pages/incident/{id}")),
        created_at: e.datetime_open.as_deref().and_then(Timestamp::parse),
        updated_at: updates.last().and_then(|u| u.at),
        resolved_at: None,
        components: affected(e, rows),
        updates,
        id,
    })
}

/// An active or upcoming maintenance, in the list's `status`.
fn maintenance(
    e: &RawEvent,
    status: MaintenanceStatus,
    base: &str,
    rows: &std::collections::HashSet<&str>,
) -> Option<Maintenance> {
    let id = e._id.clone()?;
    let updates = messages(&id, &e.messages, true);
    Some(Maintenance {
        name: e.name.clone().unwrap_or_else(|| id.clone()),
        status,
        raw_status: None,
        impact: Some(Indicator::Maintenance),
        url: (!base.is_empty()).then(|| format!("{base}/pages/maintenance/{id}")),
        scheduled_for: e
            .datetime_planned_start
            .as_deref()
            .and_then(Timestamp::parse),
        scheduled_until: e.datetime_planned_end.as_deref().and_then(Timestamp::parse),
        created_at: e
            .datetime_open
            .as_deref()
            .and_then(Timestamp::parse)
            .or_else(|| updates.first().and_then(|u| u.at)),
        updated_at: updates.last().and_then(|u| u.at),
        components: affected(e, rows),
        updates,
        id,
    })
}

/// A status.io page's status document.
pub const PLATFORM: Platform = Platform {
    word: "statusio",
    describes: "a status.io status document",
    default_api: None,
    probes: &[],
    documents: &[],
    requests: one_document,
    sniff: Some(
        |body| matches!(body, Body::Json(v) if v.get("result").and_then(|r| r.get("status_overall")).is_some()),
    ),
    parse: Some(|bodies, page| parse(first(bodies), page.url)),
    summary_first: false,
    family: None,
};
