//! The config file: one TOML schema, read and parsed once by [`Config::load`] for every command
//! that needs it. `[providers.ID]` adds to or overrides the built-in catalog
//! ([`crate::providers::Catalog::load`]); `[notify.NAME]` declares delivery targets
//! ([`crate::notify::config`]). What each entry means is checked where it is used; what the
//! file may hold at all (no unknown table or key) is checked here.
//!
//! ```toml
//! [providers.acme]
//! name = "Acme"
//! url = "https://status.acme.example"
//! format = "statuspage"              # the default
//! components = ["API*", "Core/Login"]
//!
//! [notify.ops]
//! url_env = "SLACK_WEBHOOK_URL"
//! events = ["incident.*"]
//! ```

use crate::error::Error;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The parsed config file (empty when there is none).
#[derive(Debug, Default)]
pub struct Config {
    /// The file it was read from.
    pub path: Option<PathBuf>,
    pub providers: BTreeMap<String, ProviderEntry>,
    pub notify: BTreeMap<String, NotifyEntry>,
    /// `remind = ["24h", "1h"]`: the maintenance reminder lead times `watch` and `serve` use
    /// when `--remind` is not given.
    pub remind: Vec<std::time::Duration>,
}

/// The file's schema: its two kinds of table.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    providers: BTreeMap<String, ProviderEntry>,
    #[serde(default)]
    notify: BTreeMap<String, NotifyEntry>,
    #[serde(default)]
    remind: Vec<String>,
}

/// `[providers.ID]`: a page of one's own, or a change to a catalog entry.
#[derive(Clone, Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProviderEntry {
    pub name: Option<String>,
    pub url: Option<String>,
    pub format: Option<String>,
    pub api: Option<String>,
    pub components: Option<Vec<String>>,
    pub redirects: Option<Vec<String>>,
    /// Groups the provider belongs to, for `--tag` (replacing the catalog's).
    pub tags: Option<Vec<String>>,
}

/// `[notify.NAME]`: a delivery target.
#[derive(Clone, Debug, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NotifyEntry {
    pub url: Option<String>,
    pub url_env: Option<String>,
    pub kind: Option<String>,
    pub secret: Option<String>,
    pub secret_env: Option<String>,
    #[serde(default)]
    pub providers: Vec<String>,
    #[serde(default)]
    pub events: Vec<String>,
    pub min_impact: Option<String>,
    pub min_level: Option<String>,
    #[serde(default)]
    pub components: Vec<String>,
    pub hold: Option<String>,
    /// A bearer token's variable: a Slack bot's (`chat.postMessage`, one thread per
    /// incident) or ntfy's access token.
    pub token_env: Option<String>,
    /// The channel a Slack bot posts to.
    pub channel: Option<String>,
    /// Slack's Web API base, for a bot [default: https://slack.com/api].
    pub api_url: Option<String>,
    /// Opsgenie's region, `us` or `eu`, when no `url` is given.
    pub region: Option<String>,
    /// Discord: one message per incident, edited as it goes.
    pub thread: Option<bool>,
}

impl Config {
    /// Reads and parses `path` when given (it must exist), else the default file
    /// ([`crate::dirs::config_file`]) if there is one.
    pub fn load(path: Option<&Path>) -> Result<Config, Error> {
        let (path, required) = match path {
            Some(path) => (Some(path.to_path_buf()), true),
            None => (crate::dirs::config_file(), false),
        };
        let Some(path) = path else {
            return Ok(Config::default());
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {
                return Ok(Config::default())
            }
            Err(e) => {
                return Err(Error::Config {
                    path,
                    why: e.to_string(),
                })
            }
        };
        Config::parse(&text, &path)
    }

    /// Parses a config file's text; `path` names it in errors.
    pub fn parse(text: &str, path: &Path) -> Result<Config, Error> {
        let file: File = toml::from_str(text).map_err(|e| Error::Config {
            path: path.to_path_buf(),
            why: e.message().to_string() + &location(text, e.span()),
        })?;
        let mut remind = Vec::with_capacity(file.remind.len());
        for lead in &file.remind {
            remind.push(humantime::parse_duration(lead).map_err(|e| Error::Config {
                path: path.to_path_buf(),
                why: format!("remind: {lead:?} is not a duration ({e})"),
            })?);
        }
        Ok(Config {
            path: Some(path.to_path_buf()),
            providers: file.providers,
            notify: file.notify,
            remind,
        })
    }

    /// An error in what the file says, naming the file (a usage error when there is none).
    pub fn error(&self, why: String) -> Error {
        match &self.path {
            Some(path) => Error::Config {
                path: path.clone(),
                why,
            },
            None => Error::Usage(why),
        }
    }
}

/// ` (line N)` for a parse error's place in `text`.
fn location(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(span) => {
            let line = text[..span.start.min(text.len())].matches('\n').count() + 1;
            format!(" (line {line})")
        }
        None => String::new(),
    }
}
