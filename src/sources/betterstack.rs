//! Better Stack status pages: `/index.json`, a JSON:API document whose `included` array holds
//! the page's sections, resources (components), status reports (incidents and maintenances)
//! and their status updates. States: `operational`, `degraded`, `downtime`, `maintenance`;
//! `not_monitored` is no trouble.
//!
//! A report's updates are the ones its `relationships.status_updates` names (real pages carry no
//! `status_report_id` on updates; the documented one is still read). A report is resolved when
//! its `ends_at` has passed or its `aggregate_state` says `resolved` (then when its last update
//! was published); a maintenance that starts in the future is scheduled, whatever else it says.

use crate::model::{
    Component, ComponentStatus, FetchError, Incident, IncidentStatus, Indicator, Maintenance,
    MaintenanceStatus, PageStatus, Phase, RawStatus, Timestamp, Update, UpdateComponent,
};
use crate::sources::parts::{expect_json, parse_error, plain_text, Parts};
use crate::sources::parts::{first, one_document, Body, Platform};
use serde::Deserialize;
use serde_json::Value;
use std::collections::HashMap;

#[derive(Deserialize)]
struct Doc {
    data: Option<Resource>,
    #[serde(default)]
    included: Vec<Resource>,
}

#[derive(Deserialize)]
struct Resource {
    id: Option<Value>,
    #[serde(rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    attributes: HashMap<String, Value>,
    #[serde(default)]
    relationships: Option<Value>,
}

/// The ids a resource's `relationships.<name>.data` points at, in order.
fn related<'a>(resource: &'a Resource, name: &str) -> impl Iterator<Item = String> + 'a {
    resource
        .relationships
        .as_ref()
        .and_then(|r| r.get(name))
        .and_then(|r| r.get("data"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|item| id_of(&item.get("id").cloned()))
}

fn id_of(value: &Option<Value>) -> Option<String> {
    match value {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn text(resource: &Resource, key: &str) -> Option<String> {
    match resource.attributes.get(key) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => None,
    }
}

fn state(word: &str) -> ComponentStatus {
    match word {
        "operational" => ComponentStatus::Operational,
        "degraded" => ComponentStatus::DegradedPerformance,
        "downtime" => ComponentStatus::MajorOutage,
        "maintenance" => ComponentStatus::UnderMaintenance,
        // A resource nobody monitors is not in trouble.
        "not_monitored" => ComponentStatus::Operational,
        _ => ComponentStatus::DegradedPerformance,
    }
}

pub fn parse(body: &[u8], _page_url: &str, now: Timestamp) -> Result<Parts, FetchError> {
    expect_json(body)?;
    let doc: Doc = serde_json::from_slice(body)
        .map_err(|e| parse_error(format!("not a Better Stack index.json: {e}")))?;
    let Some(page) = doc
        .data
        .as_ref()
        .filter(|d| d.kind.as_deref() == Some("status_page"))
    else {
        return Err(parse_error(
            "JSON:API without a status_page: not a Better Stack index.json",
        ));
    };
    let components = components(&doc);
    let mut updates = updates_by_report(&doc, &components);
    let mut incidents = Vec::new();
    let mut maintenances = Vec::new();
    for r in of_kind(&doc, "status_report") {
        match report(r, &mut updates, now) {
            Some(Report::Incident(incident)) => incidents.push(incident),
            Some(Report::Maintenance(maintenance)) => maintenances.push(maintenance),
            None => {}
        }
    }
    Ok(Parts {
        page_name: text(page, "company_name"),
        page_url: text(page, "company_url"),
        detected_format: Some(&PLATFORM),
        status: Some(page_status(page)),
        components: Some(components),
        incidents: Some(incidents),
        maintenances: Some(maintenances),
    })
}

/// The resources of `doc` of one JSON:API type.
fn of_kind<'a>(doc: &'a Doc, kind: &'a str) -> impl Iterator<Item = &'a Resource> + 'a {
    doc.included
        .iter()
        .filter(move |r| r.kind.as_deref() == Some(kind))
}

/// The page's resources as components, each in its section.
fn components(doc: &Doc) -> Vec<Component> {
    let sections: HashMap<String, String> = of_kind(doc, "status_page_section")
        .filter_map(|r| Some((id_of(&r.id)?, text(r, "name")?)))
        .collect();
    of_kind(doc, "status_page_resource")
        .filter_map(|r| {
            let id = id_of(&r.id)?;
            let word = text(r, "status").unwrap_or_default();
            let status = state(&word);
            let canonical = matches!(word.as_str(), "operational");
            Some(Component {
                name: text(r, "public_name")
                    .or_else(|| text(r, "name"))
                    .unwrap_or_else(|| id.clone()),
                group: text(r, "status_page_section_id").and_then(|s| sections.get(&s).cloned()),
                status,
                raw_status: (!canonical).then_some(word),
                updated_at: None,
                id,
            })
        })
        .collect()
}

/// Every status update, by the report it belongs to: the reports' `status_updates`
/// relationships first, then the updates no relationship named, by their own report id.
fn updates_by_report(doc: &Doc, components: &[Component]) -> HashMap<String, Vec<Update>> {
    let names: HashMap<&str, &str> = components
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let mut updates_by_id: HashMap<String, (Option<String>, Update)> = HashMap::new();
    for r in of_kind(doc, "status_update") {
        let Some(id) = id_of(&r.id) else { continue };
        let update = Update {
            id: id.clone(),
            status: Phase::Investigating,
            raw_status: None,
            body: plain_text(&text(r, "message").unwrap_or_default()),
            at: text(r, "published_at")
                .as_deref()
                .and_then(Timestamp::parse),
            components: affected(r, &names),
        };
        updates_by_id.insert(id, (text(r, "status_report_id"), update));
    }
    let mut by_report: HashMap<String, Vec<Update>> = HashMap::new();
    for r in of_kind(doc, "status_report") {
        let Some(report) = id_of(&r.id) else { continue };
        for update in related(r, "status_updates") {
            if let Some((_, update)) = updates_by_id.remove(&update) {
                by_report.entry(report.clone()).or_default().push(update);
            }
        }
    }
    let mut unlinked: Vec<(String, Update)> = updates_by_id
        .into_values()
        .filter_map(|(report, update)| Some((report?, update)))
        .collect();
    unlinked.sort_by(|a, b| a.1.id.cmp(&b.1.id));
    for (report, update) in unlinked {
        by_report.entry(report).or_default().push(update);
    }
    by_report
}

/// The resources an update names, with the status it gave each.
fn affected(update: &Resource, names: &HashMap<&str, &str>) -> Option<Vec<UpdateComponent>> {
    let Some(Value::Array(list)) = update.attributes.get("affected_resources") else {
        return None;
    };
    Some(
        list.iter()
            .filter_map(|a| {
                let resource = id_of(&a.get("status_page_resource_id").cloned())?;
                let word = a.get("status").and_then(Value::as_str).unwrap_or("");
                Some(UpdateComponent {
                    name: names
                        .get(resource.as_str())
                        .map_or_else(|| resource.clone(), |name| name.to_string()),
                    id: resource,
                    status: state(word),
                })
            })
            .collect(),
    )
}

/// A status report, as what it is.
enum Report {
    Incident(Incident),
    Maintenance(Maintenance),
}

/// One status report with its updates (taken from `updates`), judged at `now`: a report states
/// only planned windows and an aggregate state, so what has begun or ended is read from them.
fn report(
    r: &Resource,
    updates: &mut HashMap<String, Vec<Update>>,
    now: Timestamp,
) -> Option<Report> {
    let id = id_of(&r.id)?;
    let name = text(r, "title").unwrap_or_else(|| id.clone());
    let starts = text(r, "starts_at").as_deref().and_then(Timestamp::parse);
    let ends = text(r, "ends_at").as_deref().and_then(Timestamp::parse);
    let aggregate = text(r, "aggregate_state").unwrap_or_default();
    let mut updates = updates.remove(&id).unwrap_or_default();
    updates.sort_by_key(|u| u.at);
    let upcoming = starts.is_some_and(|s| s > now);
    let over = !upcoming && (ends.is_some_and(|e| e <= now) || aggregate == "resolved");
    let updated_at = updates.last().and_then(|u| u.at).or(starts);
    if text(r, "report_type").as_deref() == Some("maintenance") {
        for u in &mut updates {
            u.status = Phase::Scheduled;
        }
        if let Some(last) = updates.last_mut().filter(|_| over) {
            last.status = Phase::Completed;
        }
        let running = !over && !upcoming && starts.is_some_and(|s| s <= now);
        return Some(Report::Maintenance(Maintenance {
            id,
            name,
            status: if over {
                MaintenanceStatus::Completed
            } else if running {
                MaintenanceStatus::InProgress
            } else {
                MaintenanceStatus::Scheduled
            },
            raw_status: Some(aggregate),
            impact: Some(Indicator::Maintenance),
            url: None,
            scheduled_for: starts,
            scheduled_until: ends,
            created_at: starts,
            updated_at,
            components: None,
            updates,
        }));
    }
    // When it ended: `ends_at`, or (resolved with no end) when it was last updated.
    let ended = if over {
        ends.filter(|e| *e <= now)
            .or_else(|| updates.last().and_then(|u| u.at))
    } else {
        None
    };
    if let Some(last) = updates.last_mut().filter(|_| over) {
        last.status = Phase::Resolved;
    }
    Some(Report::Incident(Incident {
        id,
        name,
        status: if over {
            IncidentStatus::Resolved
        } else {
            IncidentStatus::Investigating
        },
        raw_status: Some(RawStatus::from_word(aggregate)),
        impact: None,
        url: None,
        created_at: starts,
        updated_at,
        resolved_at: ended,
        components: None,
        updates,
    }))
}

/// The page's own aggregate state as its banner.
fn page_status(page: &Resource) -> PageStatus {
    let aggregate = text(page, "aggregate_state").unwrap_or_default();
    let indicator = match aggregate.as_str() {
        "operational" => Indicator::None,
        "degraded" => Indicator::Minor,
        "downtime" => Indicator::Major,
        "maintenance" => Indicator::Maintenance,
        _ => Indicator::Minor,
    };
    PageStatus {
        indicator,
        description: match indicator {
            Indicator::None => "All systems operational".into(),
            _ => format!("Better Stack reports: {aggregate}"),
        },
        raw_status: Some(aggregate),
    }
}

/// A Better Stack status page's `index.json`.
pub const PLATFORM: Platform = Platform {
    word: "betterstack",
    describes: "a Better Stack index",
    default_api: Some("/index.json"),
    probes: &["/index.json"],
    documents: &[],
    requests: one_document,
    sniff: Some(
        |body| matches!(body, Body::Json(v) if v.get("data").and_then(|d| d.get("type")).and_then(|t| t.as_str()) == Some("status_page")),
    ),
    parse: Some(|bodies, page| parse(first(bodies), page.url, page.now)),
    summary_first: false,
    family: None,
};
