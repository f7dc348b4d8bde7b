//! Instatus pages: `/summary.json` (page status, active incidents and maintenances) and
//! `/v2/components.json` (components, optional). Instatus words are upper-case
//! (`MAJOROUTAGE`, `NOTSTARTEDYET`); they map into the schema's and are kept in `raw_status`.
//! Active incidents carry no updates in this API, so `diff` reports them from their status.

use crate::model::{
    Component, ComponentStatus, FetchError, Incident, IncidentStatus, Indicator, Maintenance,
    MaintenanceStatus, PageStatus, RawStatus, Timestamp,
};
use crate::sources::parts::{expect_json, parse_error, Parts};
use crate::sources::parts::{Body, Platform};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Summary {
    page: Option<Page>,
    #[serde(default)]
    active_incidents: Vec<RawIncident>,
    #[serde(default)]
    active_maintenances: Vec<RawMaintenance>,
    // Some pages inline the components.
    components: Option<Vec<RawComponent>>,
}

#[derive(Deserialize)]
struct Page {
    name: Option<String>,
    url: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
struct RawIncident {
    id: Option<String>,
    name: Option<String>,
    started: Option<String>,
    #[serde(rename = "updatedAt")]
    updated_at: Option<String>,
    status: Option<String>,
    impact: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct RawMaintenance {
    id: Option<String>,
    name: Option<String>,
    start: Option<String>,
    status: Option<String>,
    duration: Option<serde_json::Value>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct RawComponent {
    id: Option<String>,
    name: Option<String>,
    status: Option<String>,
    group: Option<Group>,
    #[serde(default)]
    children: Vec<RawComponent>,
}

#[derive(Deserialize)]
struct Group {
    name: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum ComponentsDoc {
    Wrapped { components: Vec<RawComponent> },
    Bare(Vec<RawComponent>),
}

fn component_status(word: &str) -> (ComponentStatus, Option<String>) {
    let status = match word {
        "OPERATIONAL" => return (ComponentStatus::Operational, None),
        "DEGRADEDPERFORMANCE" => ComponentStatus::DegradedPerformance,
        "PARTIALOUTAGE" => ComponentStatus::PartialOutage,
        "MAJOROUTAGE" => ComponentStatus::MajorOutage,
        "UNDERMAINTENANCE" => ComponentStatus::UnderMaintenance,
        _ => ComponentStatus::DegradedPerformance,
    };
    (status, Some(word.to_string()))
}

fn impact(word: &str) -> Option<Indicator> {
    match word {
        "OPERATIONAL" => Some(Indicator::None),
        "DEGRADEDPERFORMANCE" => Some(Indicator::Minor),
        "PARTIALOUTAGE" => Some(Indicator::Major),
        "MAJOROUTAGE" => Some(Indicator::Critical),
        "UNDERMAINTENANCE" => Some(Indicator::Maintenance),
        _ => None,
    }
}

fn flatten(raw: Vec<RawComponent>, group: Option<String>, out: &mut Vec<Component>) {
    for c in raw {
        let own_group = c
            .group
            .as_ref()
            .and_then(|g| g.name.clone())
            .or(group.clone());
        if !c.children.is_empty() {
            flatten(c.children, c.name.clone(), out);
            continue;
        }
        let Some(id) = c.id else { continue };
        let (status, raw_status) = component_status(c.status.as_deref().unwrap_or(""));
        out.push(Component {
            name: c.name.unwrap_or_else(|| id.clone()),
            id,
            group: own_group,
            status,
            raw_status,
            updated_at: None,
        });
    }
}

/// The page's indicator and description from its status word (`ONEMAJOROUTAGE`…), an issue
/// word raised to the worst open incident's impact; a word this build does not know is
/// described as itself, never as "Unknown", its indicator taken from the worst open incident.
fn page_status(word: &str, worst_incident: Indicator) -> (Indicator, String) {
    let known = match word {
        "UP" | "OPERATIONAL" => Some((Indicator::None, "All systems operational")),
        "HASISSUES" => Some((Indicator::Minor, "Some systems have issues")),
        "MINOROUTAGE" => Some((Indicator::Minor, "Minor outage")),
        "PARTIALOUTAGE" => Some((Indicator::Major, "Partial outage")),
        "ONEMAJOROUTAGE" => Some((Indicator::Major, "A major outage")),
        "MANYMAJOROUTAGES" | "MAJOROUTAGE" => Some((Indicator::Critical, "Major outages")),
        "UNDERMAINTENANCE" => Some((Indicator::Maintenance, "Under maintenance")),
        _ => None,
    };
    match known {
        // A page with issues is at least as bad as its worst open incident.
        Some((Indicator::Minor | Indicator::Major, text)) => (
            known.map_or(worst_incident, |(i, _)| i.worst(worst_incident)),
            text.to_string(),
        ),
        Some((indicator, text)) => (indicator, text.to_string()),
        None if word.trim().is_empty() => (worst_incident, "No status given".to_string()),
        None => (worst_incident, format!("Status {}", word.trim())),
    }
}

/// `bodies`: the summary, then the components document when the page has one.
pub fn parse(bodies: &[&[u8]], _page_url: &str) -> Result<Parts, FetchError> {
    let summary_body = bodies.first().ok_or_else(|| parse_error("no summary"))?;
    expect_json(summary_body)?;
    let summary: Summary = serde_json::from_slice(summary_body)
        .map_err(|e| parse_error(format!("not an Instatus summary.json: {e}")))?;
    let Some(page) = summary.page.filter(|p| p.status.is_some()) else {
        return Err(parse_error(
            "JSON without page.status: not an Instatus summary.json",
        ));
    };
    let mut raw_components = summary.components;
    if let Some(body) = bodies.get(1) {
        expect_json(body)?;
        let doc: ComponentsDoc = serde_json::from_slice(body)
            .map_err(|e| parse_error(format!("not an Instatus components.json: {e}")))?;
        raw_components = Some(match doc {
            ComponentsDoc::Wrapped { components } | ComponentsDoc::Bare(components) => components,
        });
    }
    let components = raw_components.map(|raw| {
        let mut out = Vec::new();
        flatten(raw, None, &mut out);
        out
    });
    let page_word = page.status.unwrap_or_default();
    let worst_incident = summary
        .active_incidents
        .iter()
        .filter_map(|i| i.impact.as_deref().and_then(impact))
        .fold(Indicator::Minor, Indicator::worst);
    let (indicator, description) = page_status(&page_word, worst_incident);
    let incidents = summary
        .active_incidents
        .into_iter()
        .filter_map(|i| {
            let id = i.id?;
            let word = i.status.unwrap_or_default();
            let status = match word.as_str() {
                "IDENTIFIED" => IncidentStatus::Identified,
                "MONITORING" => IncidentStatus::Monitoring,
                "RESOLVED" => IncidentStatus::Resolved,
                _ => IncidentStatus::Investigating,
            };
            let started = i.started.as_deref().and_then(Timestamp::parse);
            let updated = i.updated_at.as_deref().and_then(Timestamp::parse);
            Some(Incident {
                name: i.name.unwrap_or_else(|| id.clone()),
                status,
                raw_status: Some(RawStatus::from_word(word)),
                impact: i.impact.as_deref().and_then(impact),
                url: i.url,
                created_at: started,
                updated_at: updated.or(started),
                resolved_at: None,
                components: None,
                updates: Vec::new(),
                id,
            })
        })
        .collect();
    let maintenances = summary
        .active_maintenances
        .into_iter()
        .filter_map(|m| {
            let id = m.id?;
            let word = m.status.unwrap_or_default();
            let status = match word.as_str() {
                "INPROGRESS" => MaintenanceStatus::InProgress,
                "COMPLETED" => MaintenanceStatus::Completed,
                _ => MaintenanceStatus::Scheduled,
            };
            let start = m.start.as_deref().and_then(Timestamp::parse);
            let minutes = match &m.duration {
                Some(serde_json::Value::Number(n)) => n.as_i64(),
                Some(serde_json::Value::String(s)) => s.parse().ok(),
                _ => None,
            };
            let until = start
                .zip(minutes)
                .map(|(s, m)| Timestamp::from(s.datetime() + time::Duration::minutes(m)));
            Some(Maintenance {
                name: m.name.unwrap_or_else(|| id.clone()),
                status,
                raw_status: Some(word),
                impact: Some(Indicator::Maintenance),
                url: m.url,
                scheduled_for: start,
                scheduled_until: until,
                created_at: start,
                updated_at: start,
                components: None,
                updates: Vec::new(),
                id,
            })
        })
        .collect();
    Ok(Parts {
        page_name: page.name,
        page_url: page.url,
        detected_format: Some(&PLATFORM),
        status: Some(PageStatus {
            indicator,
            description,
            raw_status: Some(page_word),
        }),
        components,
        incidents: Some(incidents),
        maintenances: Some(maintenances),
    })
}

/// An Instatus page's `summary.json` (and `v2/components.json` beside it).
pub const PLATFORM: Platform = Platform {
    word: "instatus",
    describes: "an Instatus summary",
    default_api: Some("/summary.json"),
    probes: &["/summary.json"],
    documents: &[],
    requests,
    sniff: Some(sniff),
    parse: Some(|bodies, page| parse(bodies, page.url)),
    summary_first: false,
    family: None,
};

fn requests(api: &str) -> Vec<(String, bool)> {
    match api.strip_suffix("summary.json") {
        Some(base) => vec![
            (api.to_string(), true),
            (format!("{base}v2/components.json"), false),
        ],
        None => vec![(api.to_string(), true)],
    }
}

/// Its active incidents or maintenances; or, on a healthy page that omits both, a page status
/// that is an upper-case word with no Statuspage key beside it.
fn sniff(body: &Body) -> bool {
    let Body::Json(value) = body else {
        return false;
    };
    let Some(object) = value.as_object() else {
        return false;
    };
    if object.contains_key("activeIncidents") || object.contains_key("activeMaintenances") {
        return true;
    }
    let word = object
        .get("page")
        .and_then(|p| p.get("status"))
        .and_then(|s| s.as_str())
        .is_some_and(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_uppercase()));
    word && ![
        "components",
        "incidents",
        "status",
        "scheduled_maintenances",
        "incident",
    ]
    .iter()
    .any(|k| object.contains_key(*k))
}
