//! The platforms a status page can run on, by name: what the catalog, the config file and a
//! snapshot's `format` field say. Reading a format's documents is [`crate::sources`]'s job.

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
    /// AWS Health's public `currentevents` (UTF-16 JSON).
    Aws,
    /// A Checkly status page's `/api/status-page/<slug>/uptime`.
    Checkly,
    /// A Datadog status page's `config.json`.
    Datadog,
    /// A Rootly status page's `/api/v1/status.json`.
    Rootly,
    Azure,
    Azuredevops,
    Heroku,
    Salesforce,
    /// A vendor's own Atom or RSS feed.
    CustomFeed,
}

impl Format {
    /// Every format, in the order `statusq providers` documents them.
    pub const ALL: [Format; 17] = [
        Format::Statuspage,
        Format::Incidentio,
        Format::StatuspageFeed,
        Format::Instatus,
        Format::Betterstack,
        Format::Statusio,
        Format::Slack,
        Format::Gcp,
        Format::Aws,
        Format::Checkly,
        Format::Datadog,
        Format::Rootly,
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
            Format::Checkly => "checkly",
            Format::Datadog => "datadog",
            Format::Rootly => "rootly",
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
            Format::Azuredevops | Format::Heroku | Format::Salesforce
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
            Format::Aws => "an AWS Health currentevents document",
            Format::Checkly => "a Checkly status page uptime document",
            Format::Datadog => "a Datadog status page config.json",
            Format::Rootly => "a Rootly status.json",
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
}
