//! Slack's status API `slack-status.com/api/v2.0.0/current`: the overall status and the active
//! incidents, outages, notices and maintenances, each with the services it touches and its
//! notes. Slack's services become components (all of them operational unless an active item
//! names them); notes have no ids upstream, theirs are derived from the item and note time.

use crate::hash::stable_hash;
use crate::model::{
    Component, ComponentStatus, FetchError, Incident, IncidentStatus, Indicator, Maintenance,
    MaintenanceStatus, PageStatus, Phase, RawStatus, Timestamp, Update,
};
use crate::sources::parts::{expect_json, parse_error, plain_text, Parts};
use crate::sources::parts::{first, one_document, Body, Platform};
use serde::Deserialize;

/// Slack's services, as its status page lists them.
const SERVICES: [&str; 11] = [
    "Login/SSO",
    "Connections",
    "Messaging",
    "Notifications",
    "Search",
    "Workspace/Org Administration",
    "Canvases",
    "Huddles",
    "Apps/Integrations/APIs",
    "Workflows",
    "Files",
];

#[derive(Deserialize)]
struct Current {
    status: Option<String>,
    #[serde(default)]
    active_incidents: Vec<Item>,
}

#[derive(Deserialize)]
struct Item {
    id: Option<serde_json::Value>,
    date_created: Option<String>,
    date_updated: Option<String>,
    title: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    status: Option<String>,
    url: Option<String>,
    #[serde(default)]
    services: Vec<String>,
    #[serde(default)]
    notes: Vec<Note>,
}

#[derive(Deserialize)]
struct Note {
    date_created: Option<String>,
    body: Option<String>,
}

fn slug(name: &str) -> String {
    name.to_ascii_lowercase()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect()
}

pub fn parse(body: &[u8], _page_url: &str) -> Result<Parts, FetchError> {
    expect_json(body)?;
    let current: Current = serde_json::from_slice(body)
        .map_err(|e| parse_error(format!("not a Slack status document: {e}")))?;
    let Some(overall) = current.status else {
        return Err(parse_error(
            "JSON without \"status\": not a Slack status document",
        ));
    };
    let mut services = Services::new();
    let mut incidents = Vec::new();
    let mut maintenances = Vec::new();
    let mut worst = Indicator::None;
    for item in current.active_incidents {
        let id = match &item.id {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => stable_hash(&[
                item.title.as_deref().unwrap_or(""),
                item.date_created.as_deref().unwrap_or(""),
            ]),
        };
        let active = item.status.as_deref() != Some("resolved")
            && item.status.as_deref() != Some("completed");
        let (effect, impact) = match item.kind.as_deref().unwrap_or("incident") {
            "outage" => (ComponentStatus::MajorOutage, Indicator::Major),
            "maintenance" => (ComponentStatus::UnderMaintenance, Indicator::Maintenance),
            "notice" => (ComponentStatus::Operational, Indicator::None),
            _ => (ComponentStatus::PartialOutage, Indicator::Minor),
        };
        if active {
            worst = worst.worst(impact);
            for service in &item.services {
                services.affect(service, effect);
            }
        }
        if item.kind.as_deref() == Some("maintenance") {
            maintenances.push(maintenance(item, id, active));
        } else {
            incidents.push(incident(item, id, active, impact));
        }
    }
    let description = if overall == "ok" {
        "All systems operational".to_string()
    } else {
        format!("Slack reports: {overall}")
    };
    Ok(Parts {
        page_name: Some("Slack".into()),
        page_url: None,
        detected_format: Some(&PLATFORM),
        status: Some(PageStatus {
            indicator: if overall == "ok" {
                Indicator::None
            } else {
                worst.worst(Indicator::Minor)
            },
            description,
            raw_status: Some(overall).filter(|s| s != "ok"),
        }),
        components: Some(services.components),
        incidents: Some(incidents),
        maintenances: Some(maintenances),
    })
}

/// Slack's services as components: the known ones, then any an incident names, each as bad as
/// the worst active incident on it.
struct Services {
    components: Vec<Component>,
    /// Each service's component by name (the first, if names repeat): a look-up, not a scan.
    position: std::collections::HashMap<String, usize>,
}

impl Services {
    fn new() -> Services {
        let components: Vec<Component> = SERVICES
            .iter()
            .map(|name| Component {
                id: slug(name),
                name: name.to_string(),
                group: None,
                status: ComponentStatus::Operational,
                raw_status: None,
                updated_at: None,
            })
            .collect();
        let mut position = std::collections::HashMap::new();
        for (at, c) in components.iter().enumerate() {
            position.entry(c.name.clone()).or_insert(at);
        }
        Services {
            components,
            position,
        }
    }

    fn affect(&mut self, service: &str, effect: ComponentStatus) {
        match self.position.get(service) {
            Some(&at) => {
                let c = &mut self.components[at];
                c.status = c.status.max(effect);
            }
            None => {
                self.position
                    .insert(service.to_string(), self.components.len());
                self.components.push(Component {
                    id: slug(service),
                    name: service.to_string(),
                    group: None,
                    status: effect,
                    raw_status: None,
                    updated_at: None,
                });
            }
        }
    }
}

/// An item's notes as its updates, oldest first, each in the status the item is in.
fn notes(item: &Item, id: &str, status: Phase) -> Vec<Update> {
    let mut notes: Vec<Update> = item
        .notes
        .iter()
        .map(|note| Update {
            id: stable_hash(&[
                id,
                note.date_created.as_deref().unwrap_or(""),
                note.body.as_deref().unwrap_or(""),
            ]),
            status,
            raw_status: item.status.clone().map(RawStatus::from_word),
            body: plain_text(note.body.as_deref().unwrap_or("")),
            at: note.date_created.as_deref().and_then(Timestamp::parse),
            components: None,
        })
        .collect();
    notes.sort_by_key(|u| u.at);
    notes
}

/// What every item says whatever it is: (created, updated, link, title, service ids).
fn common(
    item: &Item,
    id: &str,
) -> (
    Option<Timestamp>,
    Option<Timestamp>,
    Option<String>,
    String,
    Vec<String>,
) {
    let created = item.date_created.as_deref().and_then(Timestamp::parse);
    let updated = item.date_updated.as_deref().and_then(Timestamp::parse);
    let url = item
        .url
        .clone()
        .filter(|u| u.starts_with("https://") || u.starts_with("http://"));
    let name = item.title.clone().unwrap_or_else(|| id.to_string());
    let ids = item.services.iter().map(|s| slug(s)).collect();
    (created, updated, url, name, ids)
}

fn maintenance(item: Item, id: String, active: bool) -> Maintenance {
    let phase = if active {
        Phase::InProgress
    } else {
        Phase::Completed
    };
    let updates = notes(&item, &id, phase);
    let (created, updated, url, name, ids) = common(&item, &id);
    Maintenance {
        id,
        name,
        status: if active {
            MaintenanceStatus::InProgress
        } else {
            MaintenanceStatus::Completed
        },
        raw_status: item.status,
        impact: Some(Indicator::Maintenance),
        url,
        scheduled_for: created,
        scheduled_until: None,
        created_at: created,
        updated_at: updated,
        components: Some(ids),
        updates,
    }
}

fn incident(item: Item, id: String, active: bool, impact: Indicator) -> Incident {
    let phase = if active {
        Phase::Investigating
    } else {
        Phase::Resolved
    };
    let updates = notes(&item, &id, phase);
    let (created, updated, url, name, ids) = common(&item, &id);
    Incident {
        id,
        name,
        status: if active {
            IncidentStatus::Investigating
        } else {
            IncidentStatus::Resolved
        },
        raw_status: item
            .status
            .filter(|s| s != "resolved")
            .map(RawStatus::from_word),
        impact: Some(impact),
        url,
        created_at: created,
        updated_at: updated,
        resolved_at: if active { None } else { updated },
        components: Some(ids),
        updates,
    }
}

/// Slack's own status API (`/api/v2.0.0/current`).
pub const PLATFORM: Platform = Platform {
    word: "slack",
    describes: "a Slack status document",
    default_api: Some("/api/v2.0.0/current"),
    probes: &[],
    documents: &[],
    requests: one_document,
    sniff: Some(|body| matches!(body, Body::Json(v) if v.get("active_incidents").is_some())),
    parse: Some(|bodies, page| parse(first(bodies), page.url)),
    summary_first: false,
    family: None,
};
