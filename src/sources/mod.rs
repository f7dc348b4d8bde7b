//! Source adapters: one module per upstream format, each turning bytes into snapshot parts.
//!
//! Adapters are pure — bytes in, model out — so every format is unit-tested without a network.
//! The shell (`cmd::fetch` and `http`) decides what to request; [`Format::requests`] says which
//! documents a format needs and [`Format::parse`] turns their bodies into [`Parts`].

pub mod betterstack;
pub mod detect;
pub mod feed;
pub mod gcp;
pub mod instatus;
pub mod slack;
pub mod statusio;
pub mod statuspage;
pub mod statuspage_feed;

use crate::model::{
    Component, ErrorKind, FetchError, Incident, Maintenance, PageStatus, Snapshot, SnapshotMeta,
    SCHEMA_VERSION,
};

/// The platforms a status page can run on. The catalog names one for every provider; only some
/// can be read by this build ([`Format::is_supported`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Atlassian Statuspage `/api/v2/` JSON.
    Statuspage,
    /// incident.io's Statuspage-compatible `/api/v2/` JSON.
    Incidentio,
    /// A Statuspage page's `history.atom` / `history.rss`.
    StatuspageFeed,
    Instatus,
    Betterstack,
    Statusio,
    Slack,
    Gcp,
    Aws,
    Azure,
    Azuredevops,
    Heroku,
    Salesforce,
    /// A vendor's own Atom or RSS feed.
    CustomFeed,
}

impl Format {
    /// Every format, in the order `statusq providers` documents them.
    pub const ALL: [Format; 14] = [
        Format::Statuspage,
        Format::Incidentio,
        Format::StatuspageFeed,
        Format::Instatus,
        Format::Betterstack,
        Format::Statusio,
        Format::Slack,
        Format::Gcp,
        Format::Aws,
        Format::Azure,
        Format::Azuredevops,
        Format::Heroku,
        Format::Salesforce,
        Format::CustomFeed,
    ];

    /// The word used in the catalog, the config file and the snapshot's `format` field.
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Statuspage => "statuspage",
            Format::Incidentio => "incidentio",
            Format::StatuspageFeed => "statuspage-feed",
            Format::Instatus => "instatus",
            Format::Betterstack => "betterstack",
            Format::Statusio => "statusio",
            Format::Slack => "slack",
            Format::Gcp => "gcp",
            Format::Aws => "aws",
            Format::Azure => "azure",
            Format::Azuredevops => "azuredevops",
            Format::Heroku => "heroku",
            Format::Salesforce => "salesforce",
            Format::CustomFeed => "custom-feed",
        }
    }

    /// Parses a format word.
    pub fn from_word(word: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.as_str() == word)
    }

    /// Whether this build can read pages of this format.
    pub fn is_supported(self) -> bool {
        !matches!(
            self,
            Format::Aws | Format::Azuredevops | Format::Heroku | Format::Salesforce
        )
    }

    /// What a person calls a document of this format, for messages.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Statuspage => "a Statuspage API document",
            Format::Incidentio => "an incident.io page",
            Format::StatuspageFeed => "a Statuspage history feed",
            Format::CustomFeed | Format::Azure => "an Atom/RSS feed",
            Format::Instatus => "an Instatus summary",
            Format::Betterstack => "a Better Stack index",
            Format::Statusio => "a status.io status document",
            Format::Slack => "a Slack status document",
            Format::Gcp => "a Google Cloud incidents.json",
            Format::Aws => "an AWS health document",
            Format::Azuredevops => "an Azure DevOps health document",
            Format::Heroku => "a Heroku status document",
            Format::Salesforce => "a Salesforce status document",
        }
    }

    /// Whether a page found to be `other` can be read as `self` (incident.io serves the
    /// Statuspage API; a Statuspage history feed is also a feed).
    pub fn accepts(self, other: Format) -> bool {
        self == other
            || matches!(
                (self, other),
                (
                    Format::Statuspage | Format::Incidentio,
                    Format::Statuspage | Format::Incidentio
                ) | (
                    Format::CustomFeed | Format::Azure | Format::StatuspageFeed,
                    Format::StatuspageFeed | Format::CustomFeed
                )
            )
    }

    /// The documents to request for a page whose API lives at `api` (for Statuspage, the
    /// `…/api/v2/summary.json` URL), each with whether the page may lack it (a 404 is then
    /// not a failure).
    pub fn requests(self, api: &str) -> Vec<(String, bool)> {
        match self {
            Format::Statuspage | Format::Incidentio => {
                let Some(base) = api.strip_suffix("summary.json") else {
                    // Not the usual summary URL: the user pointed at one document; read only it.
                    return vec![(api.to_string(), true)];
                };
                statuspage::ENDPOINTS
                    .iter()
                    .map(|(doc, required)| (format!("{base}{doc}"), *required))
                    .collect()
            }
            Format::Instatus => match api.strip_suffix("summary.json") {
                Some(base) => vec![
                    (api.to_string(), true),
                    (format!("{base}v2/components.json"), false),
                ],
                None => vec![(api.to_string(), true)],
            },
            _ => vec![(api.to_string(), true)],
        }
    }

    /// Parses the bodies of the documents [`Format::requests`] named (those a page lacked are
    /// left out). `page_url` is the page a person would open.
    ///
    /// When the bodies are not what this format expects but look like another platform (or an
    /// HTML page), the error is of kind `format` and names what was found: vendors move.
    pub fn parse(self, bodies: &[&[u8]], page_url: &str) -> Result<Parts, FetchError> {
        let result = self.parse_as(bodies, page_url);
        match (result, bodies.first()) {
            (Err(error), Some(first)) => match detect::sniff(first) {
                Some(found) if !matches!(found, detect::Found::Is(f) if self.accepts(f)) => {
                    Err(FetchError {
                        kind: ErrorKind::Format,
                        message: format!(
                            "expected {}, got {}: the page may have moved platform \
                             (statusq providers --detect URL)",
                            self.describe(),
                            found.describe()
                        ),
                        http_status: None,
                    })
                }
                _ => Err(error),
            },
            (result, _) => result,
        }
    }

    fn parse_as(self, bodies: &[&[u8]], page_url: &str) -> Result<Parts, FetchError> {
        let first = bodies.first().copied().unwrap_or_default();
        match self {
            Format::Statuspage | Format::Incidentio => statuspage::parse(bodies, page_url),
            Format::StatuspageFeed => statuspage_feed::parse(first, page_url),
            Format::CustomFeed | Format::Azure => feed::parse_generic(first, page_url),
            Format::Gcp => gcp::parse(first, page_url),
            Format::Slack => slack::parse(first, page_url),
            Format::Instatus => instatus::parse(bodies, page_url),
            Format::Betterstack => betterstack::parse(first, page_url),
            Format::Statusio => statusio::parse(first, page_url),
            other => Err(FetchError {
                kind: ErrorKind::Parse,
                message: format!(
                    "the {} format is not supported by this build",
                    other.as_str()
                ),
                http_status: None,
            }),
        }
    }
}

/// What an adapter read from a page: everything in a snapshot that comes from upstream.
#[derive(Debug, Default)]
pub struct Parts {
    /// The page's own name, when the document says it.
    pub page_name: Option<String>,
    /// The page's own URL, when the document says it.
    pub page_url: Option<String>,
    /// The platform the document turned out to be, when it can tell (incident.io vs Statuspage).
    pub detected_format: Option<&'static str>,
    pub status: Option<PageStatus>,
    pub components: Option<Vec<Component>>,
    pub incidents: Option<Vec<Incident>>,
    pub maintenances: Option<Vec<Maintenance>>,
}

impl Parts {
    /// Keeps only the components `patterns` select (see [`crate::providers::component_selected`])
    /// and the incidents and maintenances that touch one of them or do not say what they touch.
    pub fn restrict(&mut self, patterns: &[String]) {
        if patterns.is_empty() {
            return;
        }
        let Some(components) = self.components.as_mut() else {
            return;
        };
        components.retain(|c| {
            crate::providers::component_selected(patterns, &c.name, c.group.as_deref())
        });
        let kept: std::collections::HashSet<&str> =
            components.iter().map(|c| c.id.as_str()).collect();
        let touches_kept = |ids: &Option<Vec<String>>| match ids {
            Some(ids) if !ids.is_empty() => ids.iter().any(|id| kept.contains(id.as_str())),
            _ => true,
        };
        if let Some(incidents) = self.incidents.as_mut() {
            incidents.retain(|i| touches_kept(&i.components));
        }
        if let Some(maintenances) = self.maintenances.as_mut() {
            maintenances.retain(|m| touches_kept(&m.components));
        }
    }

    /// A successful snapshot of these parts.
    pub fn into_snapshot(self, meta: SnapshotMeta) -> Snapshot {
        Snapshot {
            v: SCHEMA_VERSION,
            provider: meta.provider,
            name: meta.name,
            url: meta.url,
            format: meta.format,
            fetched_at: meta.fetched_at,
            elapsed_ms: meta.elapsed_ms,
            ok: true,
            error: None,
            status: self.status,
            components: self.components,
            incidents: self.incidents,
            maintenances: self.maintenances,
        }
    }
}

/// A `parse` error with a message.
pub fn parse_error(message: impl Into<String>) -> FetchError {
    FetchError {
        kind: ErrorKind::Parse,
        message: message.into(),
        http_status: None,
    }
}

/// Rejects bodies that cannot be JSON before a JSON parser says something obscure about them:
/// an empty body, or an HTML page (a login wall, a CDN error page, a page that moved platform).
pub fn expect_json(body: &[u8]) -> Result<(), FetchError> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    match start.map(|i| &body[i..]) {
        None => Err(parse_error("empty body where JSON was expected")),
        Some(rest) if rest.starts_with(b"<") => {
            let what = if rest.len() > 5 && rest[..5].eq_ignore_ascii_case(b"<?xml") {
                "XML"
            } else {
                "HTML"
            };
            Err(parse_error(format!("got {what} where JSON was expected")))
        }
        Some(_) => Ok(()),
    }
}

/// Normalises upstream text: line endings to `\n`, no trailing spaces on a line, at most one
/// blank line in a row, no leading or trailing blank space. Markdown survives as written.
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_normalises_line_endings_and_blank_runs() {
        assert_eq!(plain_text("  a  \r\n\r\n\r\n\nb\rc \n"), "  a\n\nb\nc");
        assert_eq!(plain_text("\n\n"), "");
    }

    #[test]
    fn html_and_empty_bodies_are_named_as_such() {
        assert!(expect_json(b"  <!DOCTYPE html><html>")
            .unwrap_err()
            .message
            .contains("HTML"));
        assert!(expect_json(b" \n").unwrap_err().message.contains("empty"));
        assert!(expect_json(b"{}").is_ok());
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Whatever a server sends, every adapter returns, never panics.
        #[test]
        fn no_adapter_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            for format in Format::ALL {
                let _ = format.parse(&[&bytes, &bytes, &bytes], "https://x.example");
            }
            let _ = detect::sniff(&bytes);
        }

        /// Near-misses of real documents: JSON and XML with random punctuation.
        #[test]
        fn no_adapter_panics_on_document_shaped_noise(text in "[\\[\\]{}<>/\"':,a-z0-9 =&;!?-]{0,400}") {
            let wrapped = [format!("{{\"page\":{text}}}"), format!("<feed>{text}</feed>"), format!("[{text}]"), text.clone()];
            for body in &wrapped {
                for format in Format::ALL {
                    let _ = format.parse(&[body.as_bytes()], "https://x.example");
                }
            }
        }
    }

    #[test]
    fn statuspage_requests_the_summary_and_both_history_lists() {
        let requests = Format::Statuspage.requests("https://x.example/api/v2/summary.json");
        let urls: Vec<&str> = requests.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://x.example/api/v2/summary.json",
                "https://x.example/api/v2/incidents.json",
                "https://x.example/api/v2/scheduled-maintenances.json"
            ]
        );
        assert_eq!(Format::Statuspage.requests("https://x/a.json").len(), 1);
    }
}
