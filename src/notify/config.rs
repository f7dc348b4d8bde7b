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
//!
//! [notify.incidents]
//! kind = "slack"                    # a bot: one thread per incident
//! token_env = "SLACK_BOT_TOKEN"
//! channel = "C0123456789"
//! ```

use crate::config::{Config, NotifyEntry};
use crate::error::Error;
use crate::model::{ComponentStatus, Indicator};
use crate::notify::route::Route;
use crate::notify::{outbox_name, redacted_url, Endpoint, Kind, Secret, Target};
use std::collections::BTreeMap;

/// PagerDuty's Events API v2.
pub const PAGERDUTY_URL: &str = "https://events.pagerduty.com/v2/enqueue";
/// Opsgenie's API, US and EU.
pub const OPSGENIE_URL: &str = "https://api.opsgenie.com";
pub const OPSGENIE_EU_URL: &str = "https://api.eu.opsgenie.com";
/// Slack's Web API, for a bot token.
pub const SLACK_API_URL: &str = "https://slack.com/api";

/// What an alerting target (PagerDuty, Opsgenie) is routed when its route names no events:
/// what opens and closes an alert. Component changes and maintenance when asked.
pub const ALERT_EVENTS: [&str; 3] = ["incident.created", "incident.reopened", "incident.resolved"];

/// The targets the config file names, by name; nothing is resolved yet.
pub struct Targets {
    entries: BTreeMap<String, NotifyEntry>,
    path: Option<std::path::PathBuf>,
}

impl Targets {
    /// The `[notify.*]` tables of the config file.
    pub fn load(config: &Config) -> Targets {
        Targets {
            entries: config.notify.clone(),
            path: config.path.clone(),
        }
    }

    /// The names the config file defines.
    pub fn names(&self) -> Vec<&str> {
        self.entries.keys().map(String::as_str).collect()
    }

    /// Resolves a command-line word: a config name, or a URL whose kind its host says. Secrets
    /// are read from the environment through `env`; one that is missing is kept as the
    /// target's [`Target::endpoint`] error, said when the target is delivered to, so its
    /// events are still spooled and nothing else stops.
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
            if kind.alerts() {
                return Err(Error::Usage(format!(
                    "a {} target needs its key: declare it in the config file ([notify.NAME] \
                     kind = \"{}\", secret_env = \"…\")",
                    kind.as_str(),
                    kind.as_str()
                )));
            }
            let outbox = outbox_name(kind, parsed.as_str());
            return Ok(Target {
                name: outbox.clone(),
                outbox,
                route: Route::default(),
                hold: None,
                endpoint: Ok(Endpoint {
                    kind,
                    url: Secret::new(word),
                    ..Endpoint::default()
                }),
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
        entry: &NotifyEntry,
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
        // What the file says is checked now; what the environment holds is the endpoint's.
        if entry.url.is_some() && entry.url_env.is_some() {
            return Err(bad("give url or url_env, not both".into()));
        }
        if entry.secret.is_some() && entry.secret_env.is_some() {
            return Err(bad("give secret or secret_env, not both".into()));
        }
        let declared_kind = match entry.kind.as_deref() {
            None => None,
            Some(word) => Some(Kind::from_word(word).ok_or_else(|| {
                bad(format!(
                    "unknown kind {word:?} (one of: {})",
                    Kind::ALL.map(Kind::as_str).join(", ")
                ))
            })?),
        };
        for url in entry.url.iter().chain(&entry.api_url) {
            check_url(url).map_err(&bad)?;
        }
        let kind = declared_kind.or(entry.url.as_deref().map(Kind::of_url));
        let bot = slack_bot(entry, kind);
        let has_url = entry.url.is_some() || entry.url_env.is_some();
        if !has_url && !bot && !matches!(kind, Some(Kind::Pagerduty | Kind::Opsgenie)) {
            return Err(bad("no url (or url_env)".into()));
        }
        if bot && entry.channel.is_none() {
            return Err(bad(
                "a Slack bot (token_env) posts to a channel: channel = \"C0123456789\"".into(),
            ));
        }
        if bot && has_url {
            return Err(bad(
                "a Slack bot posts through api_url (Slack's Web API), not a webhook url".into(),
            ));
        }
        if let Some(region) = &entry.region {
            if kind != Some(Kind::Opsgenie) || !matches!(region.as_str(), "us" | "eu") {
                return Err(bad(format!(
                    "region {region:?}: an Opsgenie target's region is \"us\" or \"eu\""
                )));
            }
        }
        if entry.token_env.is_some() && !matches!(kind, Some(Kind::Slack | Kind::Ntfy)) {
            return Err(bad(
                "token_env is a Slack bot's token (kind = \"slack\") or ntfy's".into(),
            ));
        }
        if (entry.channel.is_some() || entry.api_url.is_some()) && !bot {
            return Err(bad(
                "channel and api_url are a Slack bot's (kind = \"slack\", token_env)".into(),
            ));
        }
        if entry.thread.is_some() && kind != Some(Kind::Discord) {
            return Err(bad(
                "thread = true is Discord's; a Slack bot (token_env) threads by itself".into(),
            ));
        }
        if let Some(kind) = kind.filter(|k| k.alerts()) {
            if entry.secret.is_none() && entry.secret_env.is_none() {
                return Err(bad(key_needed(kind).into()));
            }
        }
        let (route, hold) = route(entry).map_err(&bad)?;
        let endpoint = endpoint(entry, declared_kind, env);
        let kind = endpoint.as_ref().ok().map(|e| e.kind).or(declared_kind);
        let mut route = route;
        if kind.is_some_and(Kind::alerts) && route.events.is_empty() {
            route.events = ALERT_EVENTS.map(String::from).to_vec();
        }
        Ok(Target {
            name: name.to_string(),
            // A named target's outbox is its name's: spooled for even when its URL cannot be
            // read now, and a URL rotated in the config keeps what waits.
            outbox: name.to_string(),
            route,
            hold,
            endpoint,
        })
    }
}

/// A target's route and hold, as its entry says them.
fn route(entry: &NotifyEntry) -> Result<(Route, Option<std::time::Duration>), String> {
    for pattern in entry
        .providers
        .iter()
        .chain(&entry.events)
        .chain(&entry.components)
    {
        glob::Pattern::new(pattern).map_err(|e| format!("glob {pattern:?}: {e}"))?;
    }
    let min_impact = match entry.min_impact.as_deref() {
        None => None,
        Some(word) => Some(
            Indicator::from_word(word)
                .filter(|i| matches!(i, Indicator::Minor | Indicator::Major | Indicator::Critical))
                .ok_or_else(|| format!("min_impact {word:?}: one of minor, major, critical"))?,
        ),
    };
    let min_level = match entry.min_level.as_deref() {
        None => None,
        Some(word) => Some(ComponentStatus::from_word(word).ok_or_else(|| {
            format!(
                "min_level {word:?}: one of degraded_performance, partial_outage, major_outage, under_maintenance"
            )
        })?),
    };
    let hold = match entry.hold.as_deref() {
        None => None,
        Some(text) => Some(crate::cli::parse_duration(text).map_err(|e| format!("hold: {e}"))?),
    };
    let route = Route {
        providers: entry.providers.clone(),
        events: entry.events.clone(),
        min_impact,
        min_level,
        components: entry.components.clone(),
    };
    Ok((route, hold))
}

/// Whether `url` is one statusq delivers to (http or https), said without the URL's secret.
fn check_url(url: &str) -> Result<(), String> {
    match url::Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(()),
        _ => Err(format!("url {} is not an http(s) URL", redacted_url(url))),
    }
}

/// A named target's endpoint, its secrets read through `env`, or why they cannot be.
fn endpoint(
    entry: &NotifyEntry,
    declared_kind: Option<Kind>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Endpoint, String> {
    let from_env = |variable: &Option<String>, what: &str| -> Result<Option<String>, String> {
        match variable {
            None => Ok(None),
            Some(variable) => match env(variable) {
                Some(value) if !value.trim().is_empty() => Ok(Some(value.trim().to_string())),
                _ => Err(format!(
                    "{what}: ${variable} is not set in this process's environment"
                )),
            },
        }
    };
    let token = from_env(&entry.token_env, "token_env")?.map(Secret::new);
    let bot = slack_bot(entry, declared_kind);
    let url = match (entry.url.clone(), from_env(&entry.url_env, "url_env")?) {
        (Some(url), _) | (None, Some(url)) => url,
        (None, None) if bot => entry
            .api_url
            .clone()
            .unwrap_or_else(|| SLACK_API_URL.into()),
        (None, None) if declared_kind == Some(Kind::Opsgenie) => match entry.region.as_deref() {
            Some("eu") => OPSGENIE_EU_URL.into(),
            _ => OPSGENIE_URL.into(),
        },
        (None, None) => PAGERDUTY_URL.to_string(),
    };
    check_url(&url)?;
    let secret = entry
        .secret
        .clone()
        .or(from_env(&entry.secret_env, "secret_env")?)
        .map(Secret::new);
    let kind = declared_kind.unwrap_or_else(|| Kind::of_url(&url));
    if kind.alerts() && secret.is_none() {
        return Err(key_needed(kind).into());
    }
    Ok(Endpoint {
        kind,
        url: Secret::new(url),
        secret,
        token,
        channel: entry.channel.clone(),
        threads: bot || (kind == Kind::Discord && entry.thread == Some(true)),
    })
}

/// Whether the entry is a Slack bot (Web API, threads) rather than a webhook: a Slack target
/// with a token. (A bot with a webhook `url` is refused before its endpoint is read.)
fn slack_bot(entry: &NotifyEntry, kind: Option<Kind>) -> bool {
    kind == Some(Kind::Slack) && entry.token_env.is_some()
}

/// What an alerting target lacks without its key.
fn key_needed(kind: Kind) -> &'static str {
    match kind {
        Kind::Opsgenie => {
            "Opsgenie needs its API integration's key (sent as GenieKey): secret_env = \"VARIABLE\""
        }
        _ => "PagerDuty needs its integration's routing key: secret_env = \"VARIABLE\"",
    }
}

/// The targets `words` name (every target of the config file when there are none), secrets
/// read from the process environment. A target named twice (or two URLs that are one) is
/// delivered to once.
pub fn resolve_all(words: &[String], config: &Config) -> Result<Vec<Target>, Error> {
    let registry = Targets::load(config);
    let words: Vec<String> = if words.is_empty() {
        registry.names().into_iter().map(String::from).collect()
    } else {
        words.to_vec()
    };
    let env = |name: &str| std::env::var(name).ok();
    let mut targets: Vec<Target> = Vec::new();
    for word in &words {
        let target = registry.resolve(word, &env)?;
        if !targets.iter().any(|t| t.outbox == target.outbox) {
            targets.push(target);
        }
    }
    Ok(targets)
}
