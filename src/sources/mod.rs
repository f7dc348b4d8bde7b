//! Source adapters: one module per upstream format, each turning bytes into snapshot parts.
//!
//! Adapters are pure — bytes and the time in, model out: no network, no files, no clock — so
//! every format is unit-tested without a network. The fetch engine ([`crate::engine`]) decides
//! what to request; [`Format::requests`] says which documents a format needs and
//! [`Format::parse`] turns their bodies into [`Parts`]. [`detect::sniff`] names the platform a
//! body came from.
//!
//! Layout: [`format`] registers the platforms, [`parts`] holds what every adapter is given and
//! builds (its [`parts::Platform`] description among it) and the helpers they share, [`detect`]
//! recognises bodies by asking the registered platforms, and each other module is one
//! platform (two for `statuspage` and `feed`, whose relatives share their reading). This file
//! only dispatches, through each platform's description.

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
pub mod unread;

pub use parts::{Page, Parts};

use crate::model::{ErrorKind, FetchError};

impl Format {
    /// Whether the first document says whether the others changed: a Statuspage or
    /// incident.io summary changes whenever an incident or maintenance does (its status, its
    /// open ones), so with the summary unchanged the lists are read from the cache.
    pub fn summary_first(self) -> bool {
        self.platform().summary_first
    }

    /// The documents to request for a page whose API lives at `api` (for Statuspage, the
    /// `…/api/v2/summary.json` URL), each with whether the page may lack it (a 404 is then
    /// not a failure).
    pub fn requests(self, api: &str) -> Vec<(String, bool)> {
        (self.platform().requests)(api)
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
                Some(detect::Found::Is(found)) if self.accepts(found) => Err(error),
                // The adapter has already said what is missing from JSON nobody claims.
                Some(detect::Found::Json(_)) if error.kind == ErrorKind::Format => Err(error),
                Some(found) => Err(moved(self, &found)),
                None => Err(error),
            },
            (result, _) => result,
        }
    }

    fn parse_as(self, bodies: &[&[u8]], page: Page) -> Result<Parts, FetchError> {
        match self.platform().parse {
            Some(parse) => parse(bodies, page),
            None => Err(FetchError {
                kind: ErrorKind::Parse,
                message: format!(
                    "the {} format is not supported by this build",
                    self.as_str()
                ),
                http_status: None,
                retry_after: None,
            }),
        }
    }
}

/// A `format` error: the page answered with `found`, not a document of `expected`.
fn moved(expected: Format, found: &detect::Found) -> FetchError {
    FetchError {
        kind: ErrorKind::Format,
        message: format!(
            "expected {}, got {}: the page may have moved platform \
             (statusq providers --detect URL)",
            expected.describe(),
            found.describe()
        ),
        http_status: None,
        retry_after: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Timestamp;

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
        let requests = Format::STATUSPAGE.requests("https://x.example/api/v2/summary.json");
        let urls: Vec<&str> = requests.iter().map(|(u, _)| u.as_str()).collect();
        assert_eq!(
            urls,
            [
                "https://x.example/api/v2/summary.json",
                "https://x.example/api/v2/incidents.json",
                "https://x.example/api/v2/scheduled-maintenances.json"
            ]
        );
        assert_eq!(Format::STATUSPAGE.requests("https://x/a.json").len(), 1);
    }
}
