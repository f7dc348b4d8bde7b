//! Platforms the catalog names but this build does not read: described so the catalog can
//! name them and `statusq providers --supported` can leave them out.

use crate::sources::parts::{one_document, Platform};

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
