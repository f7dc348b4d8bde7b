//! Platforms this build does not read: described so the catalog can name them, `statusq
//! providers --supported` can leave them out, and a page that answers with one of their
//! documents is told what it answered with (a `format` error naming the platform), never that
//! a file looks corrupt. A sniff rule here only names a document; nothing here is ever read.

use crate::sources::parts::{one_document, Body, Platform};
use serde_json::Value;

/// A platform known by name only.
const fn unread(word: &'static str, describes: &'static str) -> Platform {
    Platform {
        word,
        describes,
        default_api: None,
        probes: &[],
        documents: &[],
        requests: one_document,
        sniff: None,
        parse: None,
        summary_first: false,
        family: None,
    }
}

pub const AZUREDEVOPS: Platform = unread("azuredevops", "an Azure DevOps health document");
pub const HEROKU: Platform = unread("heroku", "a Heroku status document");
pub const SALESFORCE: Platform = unread("salesforce", "a Salesforce status document");

/// Upptime's `history/summary.json`: an array of sites, each with its slug, up/down status
/// and uptime percentages (tests/fixtures/foreign/upptime-cloudesire-summary.json).
pub const UPPTIME: Platform = Platform {
    sniff: Some(|body| match body {
        Body::Json(Value::Array(sites)) => sites.first().is_some_and(|site| {
            ["slug", "status", "uptime"]
                .iter()
                .all(|key| site.get(key).is_some())
        }),
        _ => false,
    }),
    ..unread("upptime", "an Upptime summary (history/summary.json)")
};

/// Flashcat (Flashduty) status pages' API: `{"request_id", "data": {"page": {"page_id"}, …}}`
/// (tests/fixtures/foreign/flashcat-deepseek-active.json).
pub const FLASHCAT: Platform = Platform {
    sniff: Some(|body| match body {
        Body::Json(value) => value
            .pointer("/data/page/page_id")
            .is_some_and(|id| id.is_number() || id.is_string()),
        _ => false,
    }),
    ..unread("flashcat", "a Flashcat (Flashduty) status page document")
};

/// Alibaba Cloud's OpenAPI answers, its health status (`ListEventInProgress`) among them:
/// `{"RequestId": "…", "Data": …}` (tests/fixtures/from-docs/alibabacloud-events-from-docs.json).
pub const ALIBABACLOUD: Platform = Platform {
    sniff: Some(|body| match body {
        Body::Json(value) => {
            value.get("RequestId").is_some_and(Value::is_string) && value.get("Data").is_some()
        }
        _ => false,
    }),
    ..unread("alibabacloud", "an Alibaba Cloud API document")
};
