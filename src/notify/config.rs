//! Targets: `[notify.NAME]` tables of the config file, or URLs given on the command line. Secrets
//! may come from the environment (`url_env`, `secret_env`) so the file holds none in clear.
//!
//! ```toml
//! [notify.ops]
//! url_env = "SLACK_WEBHOOK_URL"     # or url = "https://hooks.slack.com/services/…"
//! providers = ["github", "openai"]  # globs on provider ids
//! events = ["incident.*", "component.changed"]
//! min_impact = "major"              # incidents
//! min_level = "partial_outage"      # component changes
//! components = ["Actions", "API*"]
//! hold = "10m"                      # flap suppression for component and page-status changes
//!
//! [notify.pager]
//! kind = "pagerduty"                # url defaults to PagerDuty's Events API v2
//! secret_env = "PAGERDUTY_ROUTING_KEY"
//! ```

use crate::error::Error;
use crate::model::{ComponentStatus, Indicator};
use crate::notify::route::Route;
use crate::notify::{redacted_url, Kind, Secret, Target};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

/// PagerDuty's Events API v2.
pub const PAGERDUTY_URL: &str = "https://events.pagerduty.com/v2/enqueue";

#[derive(Deserialize)]
struct File {
    #[serde(default)]
    notify: BTreeMap<String, Entry>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Entry {
    url: Option<String>,
    url_env: Option<String>,
    kind: Option<String>,
    secret: Option<String>,
    secret_env: Option<String>,
    #[serde(default)]
    providers: Vec<String>,
    #[serde(default)]
    events: Vec<String>,
    min_impact: Option<String>,
    min_level: Option<String>,
    #[serde(default)]
    components: Vec<String>,
    hold: Option<String>,
}

/// The targets the config file names, by name; nothing is resolved yet.
pub struct Targets {
    entries: BTreeMap<String, Entry>,
    path: Option<std::path::PathBuf>,
}

impl Targets {
    /// Reads `[notify.*]` from the config file (`config`, or the default one if present).
    pub fn load(config: Option<&Path>) -> Result<Targets, Error> {
        let Some((path, text)) = crate::providers::read_config(config)? else {
            return Ok(Targets {
                entries: BTreeMap::new(),
                path: None,
            });
        };
        let file: File = toml::from_str(&text).map_err(|e| Error::Config {
            path: path.clone(),
            why: e.message().to_string() + &crate::providers::location(&text, e.span()),
        })?;
        Ok(Targets {
            entries: file.notify,
            path: Some(path),
        })
    }

    /// The names the config file defines.
    pub fn names(&self) -> Vec<&str> {
        self.entries.keys().map(String::as_str).collect()
    }

    /// Resolves a command-line word: a config name, or a URL whose kind its host says. Secrets
    /// are read from the environment through `env`.
    pub fn resolve(
        &self,
        word: &str,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Target, Error> {
        if let Some(entry) = self.entries.get(word) {
            return self.target(word, entry, env);
        }
        if word.contains("://") {
            let parsed = url::Url::parse(word).map_err(|_| {
                Error::Usage(format!("notify target {}: not a URL", redacted_url(word)))
            })?;
            if !matches!(parsed.scheme(), "http" | "https") {
                return Err(Error::Usage(format!(
                    "notify target {}: only http(s) URLs are delivered to",
                    redacted_url(word)
                )));
            }
            let kind = Kind::of_url(word);
            if kind == Kind::Pagerduty {
                return Err(Error::Usage(
                    "a PagerDuty target needs its routing key: declare it in the config file \
                     ([notify.NAME] kind = \"pagerduty\", secret_env = \"…\")"
                        .into(),
                ));
            }
            let host = parsed.host_str().unwrap_or("host");
            return Ok(Target {
                name: format!("{}-{}", kind.as_str(), host.replace(['.', ':'], "-")),
                kind,
                url: Secret::new(word),
                secret: None,
                route: Route::default(),
                hold: None,
            });
        }
        let known = self.names();
        Err(Error::Usage(if known.is_empty() {
            format!(
                "unknown notify target {word:?}: no [notify.NAME] in the config file; name one \
                 there, or give a webhook URL"
            )
        } else {
            format!(
                "unknown notify target {word:?} (the config file has: {})",
                known.join(", ")
            )
        }))
    }

    fn target(
        &self,
        name: &str,
        entry: &Entry,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Target, Error> {
        let bad = |why: String| match &self.path {
            Some(path) => Error::Config {
                path: path.clone(),
                why: format!("notify.{name}: {why}"),
            },
            None => Error::Usage(format!("notify.{name}: {why}")),
        };
        if !name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b))
        {
            return Err(bad("a target name is letters, digits, '-' or '_'".into()));
        }
        let from_env = |variable: &Option<String>, what: &str| -> Result<Option<String>, Error> {
            match variable {
                None => Ok(None),
                Some(variable) => match env(variable) {
                    Some(value) if !value.trim().is_empty() => Ok(Some(value.trim().to_string())),
                    _ => Err(bad(format!("{what}: ${variable} is not set"))),
                },
            }
        };
        let declared_kind = match entry.kind.as_deref() {
            None => None,
            Some(word) => Some(Kind::from_word(word).ok_or_else(|| {
                bad(format!(
                    "unknown kind {word:?} (one of: {})",
                    Kind::ALL.map(Kind::as_str).join(", ")
                ))
            })?),
        };
        let url = match (entry.url.clone(), from_env(&entry.url_env, "url_env")?) {
            (Some(_), Some(_)) => return Err(bad("give url or url_env, not both".into())),
            (Some(url), None) | (None, Some(url)) => url,
            (None, None) if declared_kind == Some(Kind::Pagerduty) => PAGERDUTY_URL.to_string(),
            (None, None) => return Err(bad("no url (or url_env)".into())),
        };
        match url::Url::parse(&url) {
            Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => {}
            _ => {
                return Err(bad(format!(
                    "url {} is not an http(s) URL",
                    redacted_url(&url)
                )))
            }
        }
        let kind = declared_kind.unwrap_or_else(|| Kind::of_url(&url));
        let secret = match (
            entry.secret.clone(),
            from_env(&entry.secret_env, "secret_env")?,
        ) {
            (Some(_), Some(_)) => return Err(bad("give secret or secret_env, not both".into())),
            (a, b) => a.or(b).map(Secret::new),
        };
        if kind == Kind::Pagerduty && secret.is_none() {
            return Err(bad(
                "PagerDuty needs its integration's routing key: secret_env = \"VARIABLE\"".into(),
            ));
        }
        for pattern in entry
            .providers
            .iter()
            .chain(&entry.events)
            .chain(&entry.components)
        {
            glob::Pattern::new(pattern).map_err(|e| bad(format!("glob {pattern:?}: {e}")))?;
        }
        let min_impact = match entry.min_impact.as_deref() {
            None => None,
            Some(word) => Some(
                Indicator::from_word(word)
                    .filter(|i| {
                        matches!(i, Indicator::Minor | Indicator::Major | Indicator::Critical)
                    })
                    .ok_or_else(|| {
                        bad(format!(
                            "min_impact {word:?}: one of minor, major, critical"
                        ))
                    })?,
            ),
        };
        let min_level = match entry.min_level.as_deref() {
            None => None,
            Some(word) => Some(ComponentStatus::from_word(word).ok_or_else(|| {
                bad(format!(
                    "min_level {word:?}: one of degraded_performance, partial_outage, major_outage, under_maintenance"
                ))
            })?),
        };
        let hold = match entry.hold.as_deref() {
            None => None,
            Some(text) => {
                Some(crate::cli::parse_duration(text).map_err(|e| bad(format!("hold: {e}")))?)
            }
        };
        let mut events = entry.events.clone();
        if kind == Kind::Pagerduty && events.is_empty() {
            // What opens and closes an alert; component changes and maintenance when asked.
            events = ["incident.created", "incident.reopened", "incident.resolved"]
                .map(String::from)
                .to_vec();
        }
        Ok(Target {
            name: name.to_string(),
            kind,
            url: Secret::new(url),
            secret,
            route: Route {
                providers: entry.providers.clone(),
                events,
                min_impact,
                min_level,
                components: entry.components.clone(),
            },
            hold,
        })
    }
}

/// The targets `words` name (every target of the config file when there are none), secrets
/// read from the process environment.
pub fn resolve_all(words: &[String], config: Option<&Path>) -> Result<Vec<Target>, Error> {
    let registry = Targets::load(config)?;
    let words: Vec<String> = if words.is_empty() {
        registry.names().into_iter().map(String::from).collect()
    } else {
        words.to_vec()
    };
    let env = |name: &str| std::env::var(name).ok();
    words
        .iter()
        .map(|word| registry.resolve(word, &env))
        .collect()
}
