//! Source adapters: one module per upstream format, each turning bytes into snapshot parts.
//!
//! Adapters are pure — bytes and the time in, model out: no network, no files, no clock — so
//! every format is unit-tested without a network. The fetch engine ([`crate::engine`]) decides
//! what to request; [`Format::requests`] says which documents a format needs and
//! [`Format::parse`] turns their bodies into [`Parts`]. [`detect::sniff`] names the platform a
//! body came from.
//!
//! Layout: [`format`] names the platforms, [`parts`] holds what every adapter builds and the
//! helpers they share, and each other module reads one format. This file only dispatches.

pub mod aws;
pub mod betterstack;
pub mod checkly;
pub mod datadog;
pub mod detect;
pub mod feed;
pub mod format;
pub mod gcp;
pub mod instatus;
pub mod parts;
pub mod rootly;
pub mod slack;
pub mod statusio;
pub mod statuspage;
pub mod statuspage_feed;

pub use format::Format;
pub use parts::Parts;

use crate::model::{ErrorKind, FetchError, Timestamp};

/// Where and when a page is read: what an adapter may know besides the bodies.
#[derive(Clone, Copy, Debug)]
pub struct Page<'a> {
    /// The page a person would open (links are made absolute against it).
    pub url: &'a str,
    /// The time of the fetch, for formats that state only planned windows (Better Stack).
    pub now: Timestamp,
}

impl Format {
    /// Whether the first document says whether the others changed: a Statuspage or
    /// incident.io summary changes whenever an incident or maintenance does (its status, its
    /// open ones), so with the summary unchanged the lists are read from the cache.
    pub fn summary_first(self) -> bool {
        matches!(self, Format::Statuspage | Format::Incidentio)
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
    /// left out).
    ///
    /// When the bodies are not what this format expects but look like another platform (or an
    /// HTML page), the error is of kind `format` and names what was found: vendors move.
    pub fn parse(self, bodies: &[&[u8]], page: Page) -> Result<Parts, FetchError> {
        // Any document may come as UTF-16 with a byte-order mark (AWS's do): read it as the
        // text it is, and say UTF-16 when it is not valid.
        let decoded = bodies
            .iter()
            .map(|body| parts::utf8_body(body))
            .collect::<Result<Vec<_>, _>>()?;
        let decoded: Vec<&[u8]> = decoded.iter().map(|body| &**body).collect();
        let bodies = &decoded[..];
        let result = self.parse_as(bodies, page).map(|mut parts| {
            parts.unique_component_ids();
            parts
        });
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
                        retry_after: None,
                    })
                }
                _ => Err(error),
            },
            (result, _) => result,
        }
    }

    fn parse_as(self, bodies: &[&[u8]], page: Page) -> Result<Parts, FetchError> {
        let first = bodies.first().copied().unwrap_or_default();
        let page_url = page.url;
        match self {
            Format::Statuspage | Format::Incidentio => statuspage::parse(bodies, page_url),
            Format::StatuspageFeed => statuspage_feed::parse(first, page_url),
            Format::CustomFeed | Format::Azure => feed::parse_generic(first, page_url),
            Format::Gcp => gcp::parse(first, page_url),
            Format::Slack => slack::parse(first, page_url),
            Format::Instatus => instatus::parse(bodies, page_url),
            Format::Betterstack => betterstack::parse(first, page_url, page.now),
            Format::Statusio => statusio::parse(first, page_url),
            Format::Aws => aws::parse(first),
            Format::Checkly => checkly::parse(first, page_url),
            Format::Datadog => datadog::parse(first, page_url),
            Format::Rootly => rootly::parse(first, page_url),
            other => Err(FetchError {
                kind: ErrorKind::Parse,
                message: format!(
                    "the {} format is not supported by this build",
                    other.as_str()
                ),
                http_status: None,
                retry_after: None,
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page() -> Page<'static> {
        Page {
            url: "https://x.example",
            now: Timestamp::parse("2026-11-22T00:00:00Z").unwrap(),
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(512))]

        /// Whatever a server sends, every adapter returns, never panics.
        #[test]
        fn no_adapter_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..2048)) {
            for format in Format::ALL {
                let _ = format.parse(&[&bytes, &bytes, &bytes], page());
            }
            let _ = detect::sniff(&bytes);
        }

        /// Near-misses of real documents: JSON and XML with random punctuation.
        #[test]
        fn no_adapter_panics_on_document_shaped_noise(text in "[\\[\\]{}<>/\"':,a-z0-9 =&;!?-]{0,400}") {
            let wrapped = [format!("{{\"page\":{text}}}"), format!("<feed>{text}</feed>"), format!("[{text}]"), text.clone()];
            for body in &wrapped {
                for format in Format::ALL {
                    let _ = format.parse(&[body.as_bytes()], page());
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
