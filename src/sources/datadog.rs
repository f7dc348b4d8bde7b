//! Datadog status pages (`<prefix>.statuspage.datadoghq.com`, or a custom domain): the page is
//! a client-rendered shell, and its state is the static `config.json` beside it. That document
//! holds the components (a `ComponentGroup` holds its own `components`), the incidents with
//! their `timeline` (newest first upstream, oldest first here) and the maintenances (`null`
//! when there are none).
//!
//! Component words: `operational`, `degraded`, `partial_outage`, `major_outage`,
//! `maintenance`; any other word is kept as `raw_status` and never read as operational. An
//! incident's impact is the worst status its updates gave a component. An incident with a
//! `deletedAt` was withdrawn and is left out.

use crate::model::{
    Component, ComponentStatus, FetchError, Incident, IncidentStatus, Indicator, Maintenance,
    MaintenanceStatus, PageStatus, Phase, RawStatus, Timestamp, Update, UpdateComponent,
};
use crate::sources::parts::{expect_json, parse_error, plain_text, Parts};
use crate::sources::parts::{first, one_document, Body, Platform};
use serde::Deserialize;

/// How deep component groups may nest before the document is refused (pages are untrusted).
const MAX_DEPTH: usize = 16;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Doc {
    name: Option<String>,
    page_url: Option<String>,
    custom_domain: Option<String>,
    #[serde(default)]
    components: Vec<RawComponent>,
    #[serde(default)]
    incidents: Option<Vec<RawEvent>>,
    #[serde(default)]
    maintenances: Option<Vec<RawEvent>>,
}

#[derive(Deserialize)]
struct RawComponent {
    id: Option<String>,
    name: Option<String>,
    status: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    components: Vec<RawComponent>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEvent {
    id: Option<String>,
    title: Option<String>,
    current_status: Option<String>,
    published_date: Option<String>,
    resolved_date: Option<String>,
    last_modified_at: Option<String>,
    deleted_at: Option<String>,
    start_date: Option<String>,
    scheduled_for: Option<String>,
    end_date: Option<String>,
    scheduled_until: Option<String>,
    completed_date: Option<String>,
    #[serde(default)]
    components_affected: Vec<RawComponent>,
    #[serde(default)]
    timeline: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawEntry {
    id: Option<String>,
    status: Option<String>,
    description: Option<String>,
    started_at: Option<String>,
    created_at: Option<String>,
    #[serde(default)]
    components_affected: Vec<RawComponent>,
}

/// A component word read; the second value is the word when it is not the schema's.
fn component_status(word: &str) -> (ComponentStatus, bool) {
    match word {
        "operational" => (ComponentStatus::Operational, true),
        "degraded" => (ComponentStatus::DegradedPerformance, false),
        "partial_outage" => (ComponentStatus::PartialOutage, true),
        "major_outage" => (ComponentStatus::MajorOutage, true),
        "maintenance" => (ComponentStatus::UnderMaintenance, false),
        _ => (ComponentStatus::DegradedPerformance, false),
    }
}

fn impact_of(status: ComponentStatus) -> Indicator {
    match status {
        ComponentStatus::Operational => Indicator::None,
        ComponentStatus::DegradedPerformance => Indicator::Minor,
        ComponentStatus::PartialOutage => Indicator::Major,
        ComponentStatus::MajorOutage => Indicator::Critical,
        ComponentStatus::UnderMaintenance => Indicator::Maintenance,
    }
}

fn flatten(
    nodes: Vec<RawComponent>,
    group: Option<&str>,
    depth: usize,
    out: &mut Vec<Component>,
) -> Result<(), FetchError> {
    if depth > MAX_DEPTH {
        return Err(parse_error(format!(
            "Datadog components nested deeper than {MAX_DEPTH} levels"
        )));
    }
    for node in nodes {
        let Some(id) = node.id.filter(|id| !id.is_empty()) else {
            continue;
        };
        let name = node.name.unwrap_or_else(|| id.clone());
        if node.kind.as_deref() == Some("ComponentGroup") || !node.components.is_empty() {
            flatten(node.components, Some(&name), depth + 1, out)?;
            continue;
        }
        let word = node.status.unwrap_or_default();
        let (status, canonical) = component_status(&word);
        out.push(Component {
            id,
            name,
            group: group.map(str::to_string),
            status,
            raw_status: (!canonical).then_some(word),
            updated_at: None,
        });
    }
    Ok(())
}

fn affected(list: &[RawComponent]) -> Vec<UpdateComponent> {
    list.iter()
        .filter_map(|c| {
            let id = c.id.clone()?;
            Some(UpdateComponent {
                name: c.name.clone().unwrap_or_else(|| id.clone()),
                status: component_status(c.status.as_deref().unwrap_or("")).0,
                id,
            })
        })
        .collect()
}

fn time(text: &Option<String>) -> Option<Timestamp> {
    text.as_deref()
        .filter(|t| !t.is_empty())
        .and_then(Timestamp::parse)
}

/// The updates of an event, oldest first, with the phase each word maps to.
fn updates(timeline: Vec<RawEntry>, phase: impl Fn(&str) -> (Phase, bool)) -> Vec<Update> {
    let mut updates: Vec<Update> = timeline
        .into_iter()
        .filter_map(|entry| {
            let id = entry.id?;
            let word = entry.status.unwrap_or_default();
            let (status, canonical) = phase(&word);
            Some(Update {
                id,
                status,
                raw_status: (!canonical).then(|| RawStatus::from_word(word)),
                body: plain_text(entry.description.as_deref().unwrap_or("")),
                at: time(&entry.started_at).or_else(|| time(&entry.created_at)),
                components: Some(affected(&entry.components_affected)),
            })
        })
        .collect();
    updates.sort_by(|a, b| a.at.cmp(&b.at).then_with(|| a.id.cmp(&b.id)));
    updates
}

fn incident_phase(word: &str) -> (Phase, bool) {
    match word {
        "investigating" => (Phase::Investigating, true),
        "identified" => (Phase::Identified, true),
        "monitoring" => (Phase::Monitoring, true),
        "resolved" => (Phase::Resolved, true),
        _ => (Phase::Investigating, false),
    }
}

fn maintenance_phase(word: &str) -> (Phase, bool) {
    match word {
        "scheduled" => (Phase::Scheduled, true),
        "in_progress" => (Phase::InProgress, true),
        "completed" => (Phase::Completed, true),
        // Called off: over, and said so in raw_status.
        "canceled" | "cancelled" => (Phase::Completed, false),
        _ => (Phase::Scheduled, false),
    }
}

fn worst_impact(updates: &[Update], event: &[RawComponent]) -> Option<Indicator> {
    updates
        .iter()
        .flat_map(|u| u.components.iter().flatten())
        .map(|c| c.status)
        .chain(affected(event).into_iter().map(|c| c.status))
        .map(impact_of)
        .filter(|i| *i != Indicator::Maintenance)
        .max_by_key(|i| i.rank())
}

fn component_ids(event: &[RawComponent], updates: &[Update]) -> Vec<String> {
    let mut ids: Vec<String> = Vec::new();
    let all = affected(event).into_iter().chain(
        updates
            .iter()
            .flat_map(|u| u.components.iter().flatten())
            .cloned(),
    );
    for c in all {
        if !ids.contains(&c.id) {
            ids.push(c.id);
        }
    }
    ids
}

fn incident(raw: RawEvent, page: &str) -> Option<Incident> {
    let id = raw.id.filter(|id| !id.is_empty())?;
    if raw.deleted_at.is_some() {
        return None;
    }
    let updates = updates(raw.timeline, incident_phase);
    let word = raw.current_status.unwrap_or_default();
    let (phase, canonical) = incident_phase(&word);
    let status = match phase {
        Phase::Identified => IncidentStatus::Identified,
        Phase::Monitoring => IncidentStatus::Monitoring,
        Phase::Resolved => IncidentStatus::Resolved,
        _ => IncidentStatus::Investigating,
    };
    let resolved_at = (status == IncidentStatus::Resolved)
        .then(|| time(&raw.resolved_date).or_else(|| updates.last().and_then(|u| u.at)))
        .flatten();
    Some(Incident {
        name: raw.title.unwrap_or_else(|| id.clone()),
        status,
        raw_status: (!canonical).then(|| RawStatus::from_word(word)),
        impact: worst_impact(&updates, &raw.components_affected),
        url: Some(page.to_string()),
        created_at: time(&raw.published_date).or_else(|| updates.first().and_then(|u| u.at)),
        updated_at: time(&raw.last_modified_at).or_else(|| updates.last().and_then(|u| u.at)),
        resolved_at,
        components: Some(component_ids(&raw.components_affected, &updates)),
        updates,
        id,
    })
}

fn maintenance(raw: RawEvent, page: &str) -> Option<Maintenance> {
    let id = raw.id.filter(|id| !id.is_empty())?;
    if raw.deleted_at.is_some() {
        return None;
    }
    let updates = updates(raw.timeline, maintenance_phase);
    let word = raw.current_status.unwrap_or_default();
    let (phase, canonical) = maintenance_phase(&word);
    let status = match phase {
        Phase::InProgress => MaintenanceStatus::InProgress,
        Phase::Completed => MaintenanceStatus::Completed,
        _ => MaintenanceStatus::Scheduled,
    };
    Some(Maintenance {
        name: raw.title.unwrap_or_else(|| id.clone()),
        status,
        raw_status: (!canonical).then_some(word),
        impact: Some(Indicator::Maintenance),
        url: Some(page.to_string()),
        scheduled_for: time(&raw.start_date).or_else(|| time(&raw.scheduled_for)),
        scheduled_until: time(&raw.end_date)
            .or_else(|| time(&raw.scheduled_until))
            .or_else(|| time(&raw.completed_date)),
        created_at: time(&raw.published_date).or_else(|| updates.first().and_then(|u| u.at)),
        updated_at: time(&raw.last_modified_at).or_else(|| updates.last().and_then(|u| u.at)),
        components: Some(component_ids(&raw.components_affected, &updates)),
        updates,
        id,
    })
}

pub fn parse(body: &[u8], page_url: &str) -> Result<Parts, FetchError> {
    expect_json(body)?;
    let doc: Doc = serde_json::from_slice(body)
        .map_err(|e| parse_error(format!("not a Datadog status page config.json: {e}")))?;
    if doc.components.is_empty() && doc.incidents.is_none() {
        return Err(parse_error(
            "a Datadog status page config.json without components or incidents",
        ));
    }
    let page = doc
        .custom_domain
        .filter(|d| !d.is_empty())
        .map(|d| format!("https://{d}"))
        .or(doc.page_url.clone())
        .unwrap_or_else(|| page_url.to_string());
    let mut components = Vec::new();
    flatten(doc.components, None, 0, &mut components)?;
    let incidents: Vec<Incident> = doc
        .incidents
        .unwrap_or_default()
        .into_iter()
        .filter_map(|raw| incident(raw, &page))
        .collect();
    let maintenances: Vec<Maintenance> = doc
        .maintenances
        .unwrap_or_default()
        .into_iter()
        .filter_map(|raw| maintenance(raw, &page))
        .collect();
    let component_worst = components
        .iter()
        .map(|c| impact_of(c.status))
        .max_by_key(|i| i.rank())
        .unwrap_or(Indicator::None);
    let indicator = incidents
        .iter()
        .filter(|i| i.is_open())
        .filter_map(|i| i.impact)
        .fold(component_worst, Indicator::worst);
    let troubled = components
        .iter()
        .filter(|c| c.status != ComponentStatus::Operational)
        .count();
    let description = match troubled {
        0 => "All systems operational".to_string(),
        1 => "1 component not operational".to_string(),
        n => format!("{n} components not operational"),
    };
    Ok(Parts {
        page_name: doc.name,
        page_url: Some(page),
        detected_format: Some(&PLATFORM),
        status: Some(PageStatus {
            indicator,
            description,
            raw_status: None,
        }),
        components: Some(components),
        incidents: Some(incidents),
        maintenances: Some(maintenances),
    })
}

/// A Datadog status page's `config.json` (the page itself is a client-rendered shell).
pub const PLATFORM: Platform = Platform {
    word: "datadog",
    describes: "a Datadog status page config.json",
    default_api: Some("/config.json"),
    probes: &["/config.json"],
    documents: &[],
    requests: one_document,
    sniff: Some(|body| {
        let Body::Json(value) = body else {
            return false;
        };
        value.get("domainPrefix").is_some()
            || (value.get("pageType").is_some() && value.get("components").is_some())
    }),
    parse: Some(|bodies, page| parse(first(bodies), page.url)),
    summary_first: false,
    family: None,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_words_are_never_operational() {
        assert_eq!(
            component_status("operational"),
            (ComponentStatus::Operational, true)
        );
        assert_eq!(
            component_status("brand_new_word").0,
            ComponentStatus::DegradedPerformance
        );
        assert_eq!(maintenance_phase("canceled"), (Phase::Completed, false));
    }

    #[test]
    fn nesting_is_bounded() {
        let mut doc = String::from(r#"{"id":"x","type":"Component","status":"operational"}"#);
        for _ in 0..40 {
            doc = format!(r#"{{"id":"g","type":"ComponentGroup","components":[{doc}]}}"#);
        }
        let body = format!(r#"{{"components":[{doc}],"incidents":[]}}"#);
        let error = parse(body.as_bytes(), "https://x").unwrap_err();
        assert!(error.message.contains("nested"), "{}", error.message);
    }
}
