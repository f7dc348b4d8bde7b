//! Google Cloud's `status.cloud.google.com/incidents.json`: the full incident history (MB-sized),
//! parsed in one pass into typed structs that keep only what statusq uses.
//!
//! GCP update statuses are impact words (`SERVICE_DISRUPTION`, …) with `AVAILABLE` meaning
//! resolved; an incident with an `end` is over. Open incidents and the 50 most recent are kept,
//! like a Statuspage history window. Updates have no ids upstream: theirs are derived from the
//! incident id and the update's creation time.
//!
//! Each update gives the incident's affected products (as components, by product id and title)
//! the status its word stands for: `SERVICE_OUTAGE` a major outage, `SERVICE_DISRUPTION` a
//! partial outage, `SERVICE_INFORMATION` degraded performance, `AVAILABLE` operational — the
//! colours of Google's own dashboard. That is the component history `statusq report` reads.

use crate::hash::stable_hash;
use crate::model::{
    ComponentStatus, FetchError, Incident, IncidentStatus, Indicator, PageStatus, Phase, RawStatus,
    Timestamp, Update, UpdateComponent,
};
use crate::sources::parts::{expect_json, open_summary, parse_error, plain_text, Parts};
use crate::sources::parts::{first, one_document, Body, Platform};
use serde::Deserialize;

/// How many ended incidents are kept besides the open ones.
pub const RECENT: usize = 50;

#[derive(Deserialize)]
struct RawIncident<'a> {
    #[serde(borrow)]
    id: Option<std::borrow::Cow<'a, str>>,
    begin: Option<String>,
    end: Option<String>,
    modified: Option<String>,
    external_desc: Option<String>,
    severity: Option<String>,
    status_impact: Option<String>,
    uri: Option<String>,
    #[serde(default)]
    updates: Vec<RawUpdate>,
    #[serde(default)]
    affected_products: Vec<Product>,
}

#[derive(Deserialize)]
struct RawUpdate {
    created: Option<String>,
    when: Option<String>,
    text: Option<String>,
    status: Option<String>,
}

#[derive(Deserialize)]
struct Product {
    id: Option<String>,
    title: Option<String>,
}

/// The status a GCP update word gives the products it is about.
fn product_status(word: &str) -> ComponentStatus {
    match word {
        "AVAILABLE" => ComponentStatus::Operational,
        "SERVICE_OUTAGE" => ComponentStatus::MajorOutage,
        "SERVICE_DISRUPTION" => ComponentStatus::PartialOutage,
        _ => ComponentStatus::DegradedPerformance,
    }
}

pub fn parse(body: &[u8], page_url: &str) -> Result<Parts, FetchError> {
    expect_json(body)?;
    let raw: Vec<RawIncident> = serde_json::from_slice(body)
        .map_err(|e| parse_error(format!("not a Google Cloud incidents.json: {e}")))?;
    let base = if page_url.is_empty() {
        "https://status.cloud.google.com"
    } else {
        page_url
    };
    let mut incidents: Vec<Incident> = raw.into_iter().filter_map(|r| incident(r, base)).collect();
    incidents.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut ended = 0;
    incidents.retain(|i| {
        if i.is_open() {
            return true;
        }
        ended += 1;
        ended <= RECENT
    });
    let (indicator, description) = open_summary(&incidents, "incident");
    Ok(Parts {
        page_name: Some("Google Cloud".into()),
        page_url: None,
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

fn incident(raw: RawIncident, base: &str) -> Option<Incident> {
    let id = raw.id?.into_owned();
    let resolved = raw.end.is_some();
    let products: Vec<(String, String)> = raw
        .affected_products
        .iter()
        .filter_map(|p| {
            let id = p.id.clone()?;
            let name = p.title.as_deref().map_or_else(|| id.clone(), plain_text);
            Some((id, name))
        })
        .collect();
    let mut updates: Vec<Update> = raw
        .updates
        .into_iter()
        .map(|u| {
            let word = u.status.unwrap_or_default();
            let given = product_status(&word);
            let components = (!products.is_empty()).then(|| {
                products
                    .iter()
                    .map(|(id, name)| UpdateComponent {
                        id: id.clone(),
                        name: name.clone(),
                        status: given,
                    })
                    .collect()
            });
            let (status, raw_status) = if word == "AVAILABLE" {
                (Phase::Resolved, None)
            } else {
                (Phase::Investigating, Some(RawStatus::from_word(word)))
            };
            let at = u
                .when
                .as_deref()
                .or(u.created.as_deref())
                .and_then(Timestamp::parse);
            Update {
                id: stable_hash(&[&id, u.created.as_deref().unwrap_or("")]),
                status,
                raw_status,
                body: plain_text(u.text.as_deref().unwrap_or("")),
                at,
                components,
            }
        })
        .collect();
    updates.reverse();
    updates.sort_by_key(|u| u.at);
    let impact = match raw.severity.as_deref() {
        Some("low") => Some(Indicator::Minor),
        Some("medium") => Some(Indicator::Major),
        Some("high") => Some(Indicator::Critical),
        _ => None,
    };
    let end = raw.end.as_deref().and_then(Timestamp::parse);
    Some(Incident {
        url: raw.uri.map(|uri| {
            format!(
                "{}/{}",
                base.trim_end_matches('/'),
                uri.trim_start_matches('/')
            )
        }),
        name: raw
            .external_desc
            .map(|d| plain_text(&d))
            .unwrap_or_else(|| id.clone()),
        status: if resolved {
            IncidentStatus::Resolved
        } else {
            IncidentStatus::Investigating
        },
        raw_status: if resolved {
            None
        } else {
            raw.status_impact.map(RawStatus::from_word)
        },
        impact,
        created_at: raw.begin.as_deref().and_then(Timestamp::parse),
        updated_at: raw.modified.as_deref().and_then(Timestamp::parse),
        resolved_at: end,
        components: Some(products.into_iter().map(|(id, _)| id).collect()),
        updates,
        id,
    })
}

/// Google Cloud's `incidents.json`.
pub const PLATFORM: Platform = Platform {
    word: "gcp",
    describes: "a Google Cloud incidents.json",
    default_api: Some("/incidents.json"),
    probes: &[],
    documents: &[],
    requests: one_document,
    sniff: Some(
        |body| matches!(body, Body::Json(v) if v.as_array().and_then(|a| a.first()).is_some_and(|f| f.get("external_desc").is_some())),
    ),
    parse: Some(|bodies, page| parse(first(bodies), page.url)),
    summary_first: false,
    family: None,
};
