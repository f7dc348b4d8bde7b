//! The platforms a status page can run on. A platform is one file: its adapter module declares a
//! [`Platform`] — its word, how it is described, where its API document lives, which paths
//! detection probes, which documents a fetch requests, how its bodies are recognised and read —
//! and [`Format::ALL`] registers it. The catalog loader, the config file, detection, the fetch
//! engine and `statusq providers` read that list; nothing else names a platform.
//!
//! How to add one: write `src/sources/NAME.rs` with its `parse` and a `pub const PLATFORM:
//! Platform` ([`crate::sources::parts::Platform`]), add `pub mod NAME;` to `sources/mod.rs`, and
//! add `Format(&NAME::PLATFORM)` to [`Format::ALL`].

use crate::sources::aws;
use crate::sources::betterstack;
use crate::sources::checkly;
use crate::sources::datadog;
use crate::sources::feed;
use crate::sources::gcp;
use crate::sources::instatus;
use crate::sources::parts::Platform;
use crate::sources::rootly;
use crate::sources::slack;
use crate::sources::statusio;
use crate::sources::statuspage;
use crate::sources::statuspage_feed;
use crate::sources::unread;

/// A platform, by its description.
#[derive(Clone, Copy)]
pub struct Format(&'static Platform);

impl PartialEq for Format {
    fn eq(&self, other: &Format) -> bool {
        self.0.word == other.0.word
    }
}

impl Eq for Format {}

impl std::fmt::Debug for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0.word)
    }
}

impl Format {
    /// Every platform: the one registration list. Its order is the order detection probes and
    /// recognises bodies in, and the order `statusq providers` names them.
    pub const ALL: &'static [Format] = &[
        Format(&statuspage::PLATFORM),
        Format(&statuspage::INCIDENTIO),
        Format(&instatus::PLATFORM),
        Format(&betterstack::PLATFORM),
        Format(&datadog::PLATFORM),
        Format(&rootly::PLATFORM),
        Format(&statuspage_feed::PLATFORM),
        Format(&feed::PLATFORM),
        Format(&statusio::PLATFORM),
        Format(&slack::PLATFORM),
        Format(&gcp::PLATFORM),
        Format(&aws::PLATFORM),
        Format(&checkly::PLATFORM),
        Format(&feed::AZURE),
        Format(&unread::AZUREDEVOPS),
        Format(&unread::HEROKU),
        Format(&unread::SALESFORCE),
        Format(&unread::UPPTIME),
        Format(&unread::FLASHCAT),
        Format(&unread::ALIBABACLOUD),
    ];

    /// The format of a page nobody described: Statuspage, the most common platform.
    pub const STATUSPAGE: Format = Format(&statuspage::PLATFORM);

    /// The format a platform's description stands for (its adapter names itself with this).
    pub const fn of(platform: &'static Platform) -> Format {
        Format(platform)
    }

    /// The platform's description.
    pub fn platform(self) -> &'static Platform {
        self.0
    }

    /// The word used in the catalog, the config file and the snapshot's `format` field.
    pub fn as_str(self) -> &'static str {
        self.0.word
    }

    /// Parses a format word.
    pub fn from_word(word: &str) -> Option<Format> {
        Format::ALL.iter().copied().find(|f| f.as_str() == word)
    }

    /// Every format word, for messages (`one of: statuspage, incidentio, …`).
    pub fn words() -> String {
        Format::ALL
            .iter()
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Whether this build can read pages of this format.
    pub fn is_supported(self) -> bool {
        self.0.parse.is_some()
    }

    /// What a person calls a document of this format, for messages.
    pub fn describe(self) -> &'static str {
        self.0.describes
    }

    /// Whether a page found to be `other` can be read as `self`: the same platform, or one of
    /// its family.
    pub fn accepts(self, other: Format) -> bool {
        self == other || (self.0.family.is_some() && self.0.family == other.0.family)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_registered_platform_is_described_once_and_completely() {
        let mut words = std::collections::HashSet::new();
        for format in Format::ALL {
            let platform = format.platform();
            assert!(words.insert(platform.word), "{} twice", platform.word);
            assert!(
                !platform.word.is_empty()
                    && platform
                        .word
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{:?}",
                platform.word
            );
            assert!(
                platform.describes.starts_with("a ") || platform.describes.starts_with("an "),
                "{}: {:?}",
                platform.word,
                platform.describes
            );
            for path in platform.probes {
                assert!(path.starts_with('/'), "{}: {path}", platform.word);
            }
            // What detection probes for, a fetch can read (a platform this build does not read
            // may have a sniff rule: it only names the document in an error); what is read can
            // be requested.
            if !platform.probes.is_empty() {
                assert!(
                    format.is_supported(),
                    "{} is found but not read",
                    platform.word
                );
            }
            if let Some(api) = platform.default_api {
                assert!(!(platform.requests)(api).is_empty(), "{}", platform.word);
            }
            assert_eq!(Format::from_word(platform.word), Some(*format));
        }
        assert_eq!(Format::STATUSPAGE.as_str(), "statuspage");
    }
}
