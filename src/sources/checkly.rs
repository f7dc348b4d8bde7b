//! Checkly status pages (status.mistral.ai): the page is a Nuxt shell over public JSON at
//! `/api/status-page/<slug>/uptime`. That document lists the groups and their services in
//! `metadata`, and per service in `uptime` the days shown on the page with the incidents of
//! each day: id, name, `severity` (`MINOR`, `MEDIUM`, `MAJOR`, `CRITICAL`),
//! `lastUpdateStatus` (`INVESTIGATING`, `IDENTIFIED`, `MONITORING`, `RESOLVED`) and
//! `created_at`.
//!
//! Services are the components. An incident listed under several services (or days) is one
//! incident touching all of them. The document carries no update texts, so an incident has no
//! updates and its status is the last update's; `diff` reports its opening and resolution from
//! that. A service is as bad as the worst open incident listing it. `duration` is not read:
//! its unit is not documented, so no resolution time is made up from it.

use crate::model::{
    Component, ComponentStatus, FetchError, Incident, IncidentStatus, Indicator, PageStatus,
    RawStatus, Timestamp,
};
use crate::sources::parts::{expect_json, parse_error, Parts};
use crate::sources::parts::{first, one_document, Body, Platform};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Deserialize)]
struct Doc {
    metadata: Option<Vec<Group>>,
    #[serde(default)]
    uptime: Vec<Group>,
}

#[derive(Deserialize)]
struct Group {
    id: Option<String>,
    name: Option<String>,
    #[serde(default)]
    services: Vec<Service>,
}

#[derive(Deserialize)]
struct Service {
    id: Option<String>,
    name: Option<String>,
    #[serde(default)]
    days: Vec<Day>,
}

#[derive(Deserialize)]
struct Day {
    #[serde(default)]
    events: Vec<Event>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Event {
    id: Option<String>,
    name: Option<String>,
    severity: Option<String>,
    last_update_status: Option<String>,
    #[serde(rename = "created_at")]
    created_at: Option<String>,
}

fn status(word: &str) -> (IncidentStatus, bool) {
    match word {
        "INVESTIGATING" => (IncidentStatus::Investigating, true),
        "IDENTIFIED" => (IncidentStatus::Identified, true),
        "MONITORING" => (IncidentStatus::Monitoring, true),
        "RESOLVED" => (IncidentStatus::Resolved, true),
        _ => (IncidentStatus::Investigating, false),
    }
}

fn impact(severity: &str) -> Indicator {
    match severity {
        "MINOR" | "MEDIUM" => Indicator::Minor,
        "MAJOR" => Indicator::Major,
        "CRITICAL" => Indicator::Critical,
        _ => Indicator::Minor,
    }
}

fn component_status(impact: Indicator) -> ComponentStatus {
    match impact {
        Indicator::None => ComponentStatus::Operational,
        Indicator::Minor => ComponentStatus::DegradedPerformance,
        Indicator::Major => ComponentStatus::PartialOutage,
        Indicator::Critical => ComponentStatus::MajorOutage,
        Indicator::Maintenance => ComponentStatus::UnderMaintenance,
    }
}

pub fn parse(body: &[u8], page_url: &str) -> Result<Parts, FetchError> {
    expect_json(body)?;
    let doc: Doc = serde_json::from_slice(body)
        .map_err(|e| parse_error(format!("not a Checkly status page uptime document: {e}")))?;
    let Some(metadata) = doc.metadata else {
        return Err(parse_error(
            "a Checkly uptime document without \"metadata\" (its groups and services)",
        ));
    };
    let mut components = services(metadata);
    let (order, mut found) = events_by_id(doc.uptime);
    let mut worst: HashMap<String, Indicator> = HashMap::new();
    let mut incidents: Vec<Incident> = Vec::with_capacity(order.len());
    for id in order {
        let Some((event, services)) = found.remove(&id) else {
            continue;
        };
        let word = event.last_update_status.unwrap_or_default();
        let (status, canonical) = status(&word);
        let impact = impact(event.severity.as_deref().unwrap_or(""));
        if status.is_open() {
            for service in &services {
                let entry = worst.entry(service.clone()).or_insert(Indicator::None);
                *entry = entry.worst(impact);
            }
        }
        let created_at = event.created_at.as_deref().and_then(Timestamp::parse);
        incidents.push(Incident {
            name: event.name.unwrap_or_else(|| id.clone()),
            status,
            raw_status: (!canonical).then(|| RawStatus::from_word(word)),
            impact: Some(impact),
            url: Some(page_url.to_string()),
            created_at,
            updated_at: created_at,
            resolved_at: None,
            components: Some(services),
            updates: Vec::new(),
            id,
        });
    }
    incidents.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    for component in &mut components {
        if let Some(impact) = worst.get(&component.id) {
            component.status = component_status(*impact);
        }
    }
    let indicator = worst
        .values()
        .copied()
        .fold(Indicator::None, Indicator::worst);
    let open = incidents.iter().filter(|i| i.is_open()).count();
    let description = match open {
        0 => "All systems operational".to_string(),
        1 => "1 open incident".to_string(),
        n => format!("{n} open incidents"),
    };
    Ok(Parts {
        page_name: None,
        page_url: None,
        detected_format: Some(&PLATFORM),
        status: Some(PageStatus {
            indicator,
            description,
            raw_status: None,
        }),
        components: Some(components),
        incidents: Some(incidents),
        maintenances: None,
    })
}

/// The groups' services as components, all operational until an open incident says more.
fn services(metadata: Vec<Group>) -> Vec<Component> {
    let mut components: Vec<Component> = Vec::new();
    for group in metadata {
        let group_name = group.name.or(group.id);
        for service in group.services {
            let Some(id) = service.id.filter(|id| !id.is_empty()) else {
                continue;
            };
            components.push(Component {
                name: service.name.unwrap_or_else(|| id.clone()),
                group: group_name.clone(),
                status: ComponentStatus::Operational,
                raw_status: None,
                updated_at: None,
                id,
            });
        }
    }
    components
}

/// An incident with the ids of the services that list it.
type Listed = (Event, Vec<String>);

/// The incidents, by id in the order first seen, each once with the services listing it: one
/// incident is listed under every service and day it touched.
fn events_by_id(uptime: Vec<Group>) -> (Vec<String>, HashMap<String, Listed>) {
    // Incidents by id, in the order first seen, each with the services listing it.
    let mut order: Vec<String> = Vec::new();
    let mut found: HashMap<String, Listed> = HashMap::new();
    for service in uptime.into_iter().flat_map(|g| g.services) {
        let Some(service_id) = service.id else {
            continue;
        };
        for event in service.days.into_iter().flat_map(|d| d.events) {
            let Some(id) = event.id.clone().filter(|id| !id.is_empty()) else {
                continue;
            };
            match found.get_mut(&id) {
                Some((_, services)) => {
                    if !services.contains(&service_id) {
                        services.push(service_id.clone());
                    }
                }
                None => {
                    order.push(id.clone());
                    found.insert(id, (event, vec![service_id.clone()]));
                }
            }
        }
    }
    (order, found)
}

/// A Checkly status page's `/api/status-page/<slug>/uptime`.
pub const PLATFORM: Platform = Platform {
    word: "checkly",
    describes: "a Checkly status page uptime document",
    default_api: None,
    probes: &[],
    documents: &[],
    requests: one_document,
    sniff: Some(|body| {
        matches!(body, Body::Json(v)
            if v.get("metadata").is_some_and(|m| m.is_array()) && v.get("uptime").is_some_and(|u| u.is_array()))
    }),
    parse: Some(|bodies, page| parse(first(bodies), page.url)),
    summary_first: false,
    family: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_open_incident_degrades_the_services_listing_it() {
        let body = br#"{"metadata":[{"id":"g","name":"API","services":[{"id":"a","name":"Chat"},{"id":"b","name":"OCR"}]}],
            "uptime":[{"id":"g","services":[
              {"id":"a","days":[{"events":[{"id":"e1","name":"Chat down","severity":"CRITICAL","lastUpdateStatus":"IDENTIFIED","created_at":"2026-09-03T01:00:00.000Z"}]}]},
              {"id":"b","days":[{"events":[{"id":"e1","name":"Chat down","severity":"CRITICAL","lastUpdateStatus":"IDENTIFIED","created_at":"2026-09-03T01:00:00.000Z"}]},{"events":[{"id":"e2","name":"old","severity":"MAJOR","lastUpdateStatus":"RESOLVED"}]}]}]}]}"#;
        let parts = parse(body, "https://status.example").unwrap();
        let components = parts.components.unwrap();
        assert_eq!(components[0].status, ComponentStatus::MajorOutage);
        assert_eq!(components[1].status, ComponentStatus::MajorOutage);
        assert_eq!(components[0].group.as_deref(), Some("API"));
        let incidents = parts.incidents.unwrap();
        assert_eq!(incidents.len(), 2);
        let open = incidents.iter().find(|i| i.id == "e1").unwrap();
        assert_eq!(open.status, IncidentStatus::Identified);
        assert_eq!(
            open.components.as_deref(),
            Some(&["a".to_string(), "b".to_string()][..])
        );
        assert_eq!(parts.status.unwrap().indicator, Indicator::Critical);
        assert!(parse(br#"{"uptime":[]}"#, "x").is_err());
    }
}
