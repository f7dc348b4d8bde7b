//! Atlassian Statuspage `/api/v2/` JSON, and incident.io's Statuspage-compatible copy of it.
//!
//! Reads any of the API's documents — `summary.json`, `incidents.json`,
//! `incidents/unresolved.json`, `scheduled-maintenances.json`, `components.json`, `status.json`
//! and a single `incidents/<code>.json` — and merges several of them into one snapshot's parts.
//! `fetch` requests three per page (see [`ENDPOINTS`]): the summary gives the banner and the
//! components, and the two history lists carry resolved incidents and completed maintenances,
//! which the summary drops the moment they end. Without them a tracker could only guess that an
//! incident ended because it vanished, which statusq never does.
//!
//! incident.io pages answer the same paths with a few differences handled here: ULID ids, no
//! component groups, Markdown bodies, no `shortlink`, no `scheduled_maintenances` key, and the
//! component status `full_outage` (mapped to `major_outage`, the word kept in `raw_status`).

use crate::model::{
    Component, ComponentStatus, ErrorKind, FetchError, Incident, IncidentStatus, Indicator,
    Maintenance, MaintenanceStatus, PageStatus, Phase, Timestamp, Update, UpdateComponent,
};
use crate::sources::parts::{one_per_id, parse_error, Parts};
use crate::sources::parts::{Body, Page, Platform};
use serde::Deserialize;
use std::collections::HashMap;

/// The documents `fetch` requests, relative to the page's `/api/v2/` base, and whether a page
/// may lack them. Some incident.io pages answer 404 for the history lists; then the summary's
/// own incident list is used.
pub const ENDPOINTS: [(&str, bool); 3] = [
    ("summary.json", true),
    ("incidents.json", false),
    ("scheduled-maintenances.json", false),
];

/// Any Statuspage API document: every key is optional, which key is present says what it is.
#[derive(Deserialize, Default)]
struct RawDoc {
    page: Option<RawPage>,
    status: Option<RawStatus>,
    components: Option<Vec<RawComponent>>,
    incidents: Option<Vec<RawIncident>>,
    scheduled_maintenances: Option<Vec<RawIncident>>,
    incident: Option<RawIncident>,
}

#[derive(Deserialize)]
struct RawPage {
    id: Option<String>,
    name: Option<String>,
    url: Option<String>,
}

#[derive(Deserialize)]
struct RawStatus {
    indicator: Option<String>,
    description: Option<String>,
}

#[derive(Deserialize)]
struct RawComponent {
    id: Option<String>,
    name: Option<String>,
    status: Option<String>,
    #[serde(default)]
    group: Option<bool>,
    group_id: Option<String>,
    updated_at: Option<String>,
}

#[derive(Deserialize)]
struct RawIncident {
    id: Option<String>,
    name: Option<String>,
    status: Option<String>,
    impact: Option<String>,
    shortlink: Option<String>,
    created_at: Option<String>,
    updated_at: Option<String>,
    resolved_at: Option<String>,
    scheduled_for: Option<String>,
    scheduled_until: Option<String>,
    #[serde(default)]
    incident_updates: Option<Vec<RawUpdate>>,
    components: Option<Vec<RawComponent>>,
}

#[derive(Deserialize)]
struct RawUpdate {
    id: Option<String>,
    status: Option<String>,
    body: Option<String>,
    created_at: Option<String>,
    display_at: Option<String>,
    affected_components: Option<Vec<RawAffected>>,
}

#[derive(Deserialize)]
struct RawAffected {
    code: Option<String>,
    name: Option<String>,
    new_status: Option<String>,
}

/// Parses and merges the bodies of one page's documents. `page_url` is the page a person opens;
/// it makes incident links when upstream gives no `shortlink` (incident.io).
pub fn parse(bodies: &[&[u8]], page_url: &str) -> Result<Parts, FetchError> {
    let mut docs = Vec::with_capacity(bodies.len());
    for body in bodies {
        docs.push(parse_doc(body)?);
    }
    Ok(merge(docs, page_url))
}

fn parse_doc(body: &[u8]) -> Result<RawDoc, FetchError> {
    crate::sources::parts::expect_json(body)?;
    let doc: RawDoc = serde_json::from_slice(body)
        .map_err(|e| parse_error(format!("not a Statuspage API document: {e}")))?;
    let known = doc.status.is_some()
        || doc.components.is_some()
        || doc.incidents.is_some()
        || doc.scheduled_maintenances.is_some()
        || doc.incident.is_some();
    if !known {
        return Err(FetchError {
            kind: ErrorKind::Parse,
            message: "JSON without status, components, incidents or scheduled_maintenances: not a Statuspage API document".into(),
            http_status: None,
            retry_after: None,
        });
    }
    // Other platforms have `incidents` arrays too (Checkly, home-grown pages): a Statuspage or
    // incident.io document is told by its real markers, every one of them.
    let missing = if doc
        .page
        .as_ref()
        .and_then(|p| p.id.as_deref())
        .is_none_or(str::is_empty)
    {
        Some("no page id")
    } else if !doc
        .incidents
        .iter()
        .flatten()
        .chain(doc.scheduled_maintenances.iter().flatten())
        .chain(doc.incident.iter())
        .all(|i| i.incident_updates.is_some() && i.id.is_some())
    {
        Some("incidents without id and incident_updates")
    } else if !doc
        .components
        .iter()
        .flatten()
        .all(|c| c.id.is_some() && c.status.is_some())
    {
        Some("components without id and status")
    } else {
        None
    };
    if let Some(missing) = missing {
        return Err(FetchError {
            kind: ErrorKind::Format,
            message: format!(
                "JSON with {}, but {missing}: not a Statuspage or incident.io API document",
                crate::sources::parts::top_level_keys(body)
            ),
            http_status: None,
            retry_after: None,
        });
    }
    Ok(doc)
}

fn merge(docs: Vec<RawDoc>, page_url: &str) -> Parts {
    let mut parts = Parts::default();
    let mut component_names: HashMap<String, String> = HashMap::new();
    let mut incoming_incidents: Vec<RawIncident> = Vec::new();
    let mut incoming_maintenances: Vec<RawIncident> = Vec::new();

    for doc in docs {
        if let Some(page) = doc.page {
            if parts.page_name.is_none() {
                parts.page_name = page.name.filter(|n| !n.trim().is_empty());
            }
            if parts.page_url.is_none() {
                parts.page_url = page.url.filter(|u| is_http_url(u));
            }
            if let Some(id) = page.id {
                if is_ulid(&id) {
                    parts.detected_format = Some(&INCIDENTIO);
                } else if parts.detected_format.is_none() {
                    parts.detected_format = Some(&PLATFORM);
                }
            }
        }
        if let Some(status) = doc.status {
            parts.status = Some(page_status(status));
        }
        if let Some(components) = doc.components {
            let resolved = resolve_components(components);
            for component in &resolved {
                component_names.insert(component.id.clone(), component.name.clone());
            }
            parts.components = Some(resolved);
        }
        for list in [doc.incidents, doc.incident.map(|i| vec![i])]
            .into_iter()
            .flatten()
        {
            for incident in list {
                if is_maintenance(&incident) {
                    incoming_maintenances.push(incident);
                } else {
                    incoming_incidents.push(incident);
                }
            }
        }
        incoming_maintenances.extend(doc.scheduled_maintenances.into_iter().flatten());
    }

    // A saved payload replayed offline has no configured page URL: use the one it names.
    let base = match page_url {
        "" => parts.page_url.clone().unwrap_or_default(),
        url => url.to_string(),
    };
    let base = base.trim_end_matches('/');
    // The summary and the history list both carry open incidents: one copy per id, the one
    // updated last.
    let mut incidents = one_per_id(
        incoming_incidents
            .into_iter()
            .filter_map(|raw| incident(raw, base, &component_names)),
        |i| &i.id,
        |kept, new| new.updated_at >= kept.updated_at,
    );
    let mut maintenances = one_per_id(
        incoming_maintenances
            .into_iter()
            .filter_map(|raw| maintenance(raw, base, &component_names)),
        |m| &m.id,
        |kept, new| new.updated_at >= kept.updated_at,
    );
    // Newest first, ties broken by id so the output is the same on every fetch.
    incidents.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    maintenances.sort_by(|a, b| {
        b.scheduled_for
            .cmp(&a.scheduled_for)
            .then_with(|| a.id.cmp(&b.id))
    });
    parts.incidents = Some(incidents);
    parts.maintenances = Some(maintenances);
    parts
}

fn page_status(raw: RawStatus) -> PageStatus {
    let word = raw.indicator.unwrap_or_default();
    let (indicator, raw_status) = match Indicator::from_word(&word) {
        Some(indicator) => (indicator, None),
        None => (Indicator::Minor, Some(word)),
    };
    PageStatus {
        indicator,
        description: crate::sources::parts::plain_text(raw.description.as_deref().unwrap_or("")),
        raw_status,
    }
}

/// Turns the flat upstream list into components: group rows become the `group` name of their
/// children and are not components themselves.
fn resolve_components(raw: Vec<RawComponent>) -> Vec<Component> {
    let group_names: HashMap<&str, &str> = raw
        .iter()
        .filter(|c| c.group == Some(true))
        .filter_map(|c| Some((c.id.as_deref()?, c.name.as_deref()?)))
        .collect();
    raw.iter()
        .filter(|c| c.group != Some(true))
        .filter_map(|c| {
            let id = c.id.clone()?;
            let (status, raw_status) = component_status(c.status.as_deref().unwrap_or(""));
            Some(Component {
                name: c.name.clone().unwrap_or_else(|| id.clone()),
                id,
                group: c
                    .group_id
                    .as_deref()
                    .and_then(|g| group_names.get(g))
                    .map(|name| name.to_string()),
                status,
                raw_status,
                updated_at: c.updated_at.as_deref().and_then(Timestamp::parse),
            })
        })
        .collect()
}

/// Maps an upstream component word; unknown words count as degraded (something is said to be
/// not quite right) and are kept in `raw_status`.
pub fn component_status(word: &str) -> (ComponentStatus, Option<String>) {
    if let Some(status) = ComponentStatus::from_word(word) {
        return (status, None);
    }
    let mapped = match word {
        "full_outage" | "outage" | "down" => ComponentStatus::MajorOutage,
        "maintenance" => ComponentStatus::UnderMaintenance,
        _ => ComponentStatus::DegradedPerformance,
    };
    (mapped, Some(word.to_string()))
}

fn is_maintenance(raw: &RawIncident) -> bool {
    raw.scheduled_for.is_some()
        || raw
            .status
            .as_deref()
            .is_some_and(|s| MaintenanceStatus::from_word(s).is_some())
}

fn incident(raw: RawIncident, base: &str, names: &HashMap<String, String>) -> Option<Incident> {
    let id = raw.id?;
    let word = raw.status.unwrap_or_default();
    let (status, raw_status) = match IncidentStatus::from_word(&word) {
        Some(status) => (status, None),
        None => (
            IncidentStatus::Investigating,
            Some(crate::model::RawStatus::from_word(word)),
        ),
    };
    let updates = updates(raw.incident_updates, Phase::Investigating, names);
    let resolved = status.is_closed();
    let resolved_at = raw
        .resolved_at
        .as_deref()
        .and_then(Timestamp::parse)
        .or_else(|| {
            resolved
                .then(|| crate::model::resolved_at(&updates))
                .flatten()
        });
    Some(Incident {
        url: Some(link(raw.shortlink, base, &id)),
        name: raw.name.unwrap_or_else(|| id.clone()),
        status,
        raw_status,
        impact: raw.impact.as_deref().and_then(Indicator::from_word),
        created_at: raw.created_at.as_deref().and_then(Timestamp::parse),
        updated_at: raw.updated_at.as_deref().and_then(Timestamp::parse),
        resolved_at: if resolved { resolved_at } else { None },
        components: raw
            .components
            .map(|list| list.into_iter().filter_map(|c| c.id).collect()),
        updates,
        id,
    })
}

fn maintenance(
    raw: RawIncident,
    base: &str,
    names: &HashMap<String, String>,
) -> Option<Maintenance> {
    let id = raw.id?;
    let word = raw.status.unwrap_or_default();
    let (status, raw_status) = match MaintenanceStatus::from_word(&word) {
        Some(status) => (status, None),
        None => match word.as_str() {
            "resolved" | "postmortem" => (MaintenanceStatus::Completed, Some(word)),
            "identified" | "monitoring" | "investigating" => {
                (MaintenanceStatus::InProgress, Some(word))
            }
            _ => (MaintenanceStatus::Scheduled, Some(word)),
        },
    };
    Some(Maintenance {
        url: Some(link(raw.shortlink, base, &id)),
        name: raw.name.unwrap_or_else(|| id.clone()),
        status,
        raw_status,
        impact: raw.impact.as_deref().and_then(Indicator::from_word),
        scheduled_for: raw.scheduled_for.as_deref().and_then(Timestamp::parse),
        scheduled_until: raw.scheduled_until.as_deref().and_then(Timestamp::parse),
        created_at: raw.created_at.as_deref().and_then(Timestamp::parse),
        updated_at: raw.updated_at.as_deref().and_then(Timestamp::parse),
        components: raw
            .components
            .map(|list| list.into_iter().filter_map(|c| c.id).collect()),
        updates: updates(raw.incident_updates, Phase::Scheduled, names),
        id,
    })
}

/// Upstream lists updates newest first; statusq gives them oldest first, ordered by the time
/// they were posted (upstream order breaks ties).
fn updates(
    raw: Option<Vec<RawUpdate>>,
    unknown: Phase,
    names: &HashMap<String, String>,
) -> Vec<Update> {
    let mut updates: Vec<Update> = raw
        .unwrap_or_default()
        .into_iter()
        .rev()
        .filter_map(|u| {
            let id = u.id?;
            let word = u.status.unwrap_or_default();
            let (status, raw_status) = match Phase::from_word(&word) {
                Some(phase) => (phase, None),
                None => (unknown, Some(crate::model::RawStatus::from_word(word))),
            };
            Some(Update {
                id,
                status,
                raw_status,
                body: crate::sources::parts::plain_text(u.body.as_deref().unwrap_or("")),
                at: u
                    .display_at
                    .as_deref()
                    .and_then(Timestamp::parse)
                    .or_else(|| u.created_at.as_deref().and_then(Timestamp::parse)),
                components: u.affected_components.map(|list| {
                    list.into_iter()
                        .filter_map(|a| {
                            let id = a.code?;
                            let name = names
                                .get(&id)
                                .cloned()
                                .or(a.name)
                                .unwrap_or_else(|| id.clone());
                            let (status, _) =
                                component_status(a.new_status.as_deref().unwrap_or(""));
                            Some(UpdateComponent { id, name, status })
                        })
                        .collect()
                }),
            })
        })
        .collect();
    if updates.iter().all(|u| u.at.is_some()) {
        updates.sort_by_key(|u| u.at);
    }
    updates
}

fn link(shortlink: Option<String>, base: &str, id: &str) -> String {
    match shortlink {
        Some(url) if is_http_url(&url) => url,
        _ => format!("{base}/incidents/{id}"),
    }
}

fn is_http_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// incident.io ids are ULIDs: 26 characters of Crockford base32. Statuspage ids are 12.
fn is_ulid(id: &str) -> bool {
    id.len() == 26
        && id
            .bytes()
            .all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"ILOU".contains(&b)))
}

/// Atlassian Statuspage's `/api/v2/` JSON: the summary and the two history lists.
pub const PLATFORM: Platform = Platform {
    word: "statuspage",
    describes: "a Statuspage API document",
    default_api: Some("/api/v2/summary.json"),
    probes: &["/api/v2/summary.json"],
    documents: &[],
    requests,
    sniff: Some(is_statuspage),
    parse: Some(read),
    summary_first: true,
    family: Some("statuspage-api"),
};

/// incident.io's Statuspage-compatible `/api/v2/` JSON, told apart by its ULID page id.
pub const INCIDENTIO: Platform = Platform {
    word: "incidentio",
    describes: "an incident.io page",
    sniff: Some(is_incidentio),
    ..PLATFORM
};

/// The summary, and the history lists beside it; a URL that is not the usual summary is the
/// one document the user pointed at.
fn requests(api: &str) -> Vec<(String, bool)> {
    let Some(base) = api.strip_suffix("summary.json") else {
        return vec![(api.to_string(), true)];
    };
    ENDPOINTS
        .iter()
        .map(|(doc, required)| (format!("{base}{doc}"), *required))
        .collect()
}

fn read(bodies: &[&[u8]], page: Page) -> Result<Parts, FetchError> {
    parse(bodies, page.url)
}

/// Whether `body` is a Statuspage-API document, and if so whether its page id is a ULID
/// (incident.io). The real markers: a page id, incidents with their updates, components with a
/// status — not merely a key named `incidents`.
fn statuspage_page(body: &Body) -> Option<bool> {
    let Body::Json(value) = body else {
        return None;
    };
    let object = value.as_object()?;
    let page = object.get("page")?;
    let keys = [
        "components",
        "incidents",
        "status",
        "scheduled_maintenances",
        "incident",
    ];
    let first_has = |list: &str, key: &str| {
        object
            .get(list)
            .and_then(|l| l.as_array())
            .and_then(|l| l.first())
            .is_none_or(|first| first.get(key).is_some())
    };
    let marked = page.get("id").is_some_and(|id| id.is_string())
        && first_has("incidents", "incident_updates")
        && first_has("scheduled_maintenances", "incident_updates")
        && first_has("components", "status");
    if !marked || !keys.iter().any(|k| object.contains_key(*k)) {
        return None;
    }
    Some(
        page.get("id")
            .and_then(|id| id.as_str())
            .is_some_and(|id| id.len() == 26),
    )
}

fn is_statuspage(body: &Body) -> bool {
    statuspage_page(body) == Some(false)
}

fn is_incidentio(body: &Body) -> bool {
    statuspage_page(body) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const INTERCOM: &[u8] =
        include_bytes!("../../tests/fixtures/statuspage/intercom-summary-groups.json");
    const OPENAI: &[u8] =
        include_bytes!("../../tests/fixtures/incidentio/openai-api-v2-summary.json");
    const GITHUB_INCIDENT: &[u8] =
        include_bytes!("../../tests/fixtures/statuspage/github-incident-smdz34v7j8q0.json");
    const CLAUDE_MAINTENANCES: &[u8] =
        include_bytes!("../../tests/fixtures/statuspage/claude-scheduled-maintenances.json");

    #[test]
    fn group_rows_become_the_group_name_of_their_children() {
        let parts = parse(&[INTERCOM], "https://www.intercomstatus.com").unwrap();
        let components = parts.components.unwrap();
        assert!(components.iter().all(|c| c.name != "Intercom Messenger"));
        let web = components.iter().find(|c| c.id == "xzpq23q4ckcn").unwrap();
        assert_eq!(web.group.as_deref(), Some("Intercom Messenger"));
    }

    #[test]
    fn incident_io_full_outage_is_a_major_outage_with_the_word_kept() {
        let (status, raw) = component_status("full_outage");
        assert_eq!(status, ComponentStatus::MajorOutage);
        assert_eq!(raw.as_deref(), Some("full_outage"));
        let parts = parse(&[OPENAI], "https://status.openai.com").unwrap();
        assert_eq!(parts.detected_format.map(|p| p.word), Some("incidentio"));
        let incidents = parts.incidents.unwrap();
        assert!(incidents.iter().all(|i| i
            .url
            .as_deref()
            .unwrap()
            .starts_with("https://status.openai.com/incidents/")));
    }

    #[test]
    fn updates_come_out_oldest_first() {
        let parts = parse(&[GITHUB_INCIDENT], "https://www.githubstatus.com").unwrap();
        let incident = &parts.incidents.unwrap()[0];
        assert_eq!(incident.updates.len(), 18);
        assert!(incident.updates.windows(2).all(|w| w[0].at <= w[1].at));
        assert_eq!(incident.updates.last().unwrap().status, Phase::Resolved);
        assert!(incident.resolved_at.is_some());
    }

    #[test]
    fn maintenances_keep_their_window_and_lifecycle() {
        let parts = parse(&[CLAUDE_MAINTENANCES], "https://status.claude.com").unwrap();
        let maintenances = parts.maintenances.unwrap();
        assert_eq!(maintenances.len(), 2);
        let phases: Vec<Phase> = maintenances[0].updates.iter().map(|u| u.status).collect();
        assert_eq!(
            phases,
            [
                Phase::Scheduled,
                Phase::InProgress,
                Phase::Verifying,
                Phase::Completed
            ]
        );
        assert_eq!(maintenances[0].status, MaintenanceStatus::Completed);
        assert!(maintenances[0].scheduled_for.is_some());
    }

    #[test]
    fn json_that_is_not_a_statuspage_document_is_a_parse_error() {
        let err = parse(&[br#"{"hello":"world"}"#], "https://x").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
        let err = parse(&[br#"[1,2,3]"#], "https://x").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Parse);
    }

    #[test]
    fn ulids_are_recognised() {
        assert!(is_ulid("01JMDK9XYNY6RXSED6SDWW50WY"));
        assert!(!is_ulid("jq64r4cdpggk"));
    }
}
