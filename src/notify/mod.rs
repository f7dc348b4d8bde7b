//! Delivery of events to where a team already is: Slack, Discord, Microsoft Teams, Google
//! Chat, Mattermost, PagerDuty, Opsgenie, ntfy and plain webhooks, each event once per target,
//! none lost; with a Slack bot token (or `thread = true` on Discord), one thread per incident.
//!
//! Layout: [`config`] (targets from `[notify.NAME]` and URLs, secrets from the environment),
//! [`route`] (which events a target wants; pure), [`hold`] (flap suppression; pure),
//! [`payload`] (each service's message shape, escaping and limits, one file per service; pure),
//! [`outbox`] (a target's spool of events not yet accepted, the ids it delivered and the
//! messages it refused, under a lock), [`threads`] (each incident's root message, kept with
//! the outbox), [`send`] (HTTP POST with retries, `Retry-After`, and
//! every secret scrubbed from what is shown), and [`run`] (spool for every target, then deliver
//! in order, committing after each accepted message).
//!
//! "Exactly once" here is at-least-once on the wire, deduplicated by event id: an event is
//! spooled before anything is sent, removed from the outbox and remembered only once the
//! service accepted it, so a crash between the two can send one message again, never lose one.

pub mod config;
pub mod hold;
pub mod outbox;
pub mod payload;
pub mod route;
pub mod run;
pub mod send;
pub mod threads;

/// The services statusq delivers to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Slack,
    Discord,
    Teams,
    Googlechat,
    Mattermost,
    Pagerduty,
    Opsgenie,
    Ntfy,
    #[default]
    Webhook,
}

impl Kind {
    pub const ALL: [Kind; 9] = [
        Kind::Slack,
        Kind::Discord,
        Kind::Teams,
        Kind::Googlechat,
        Kind::Mattermost,
        Kind::Pagerduty,
        Kind::Opsgenie,
        Kind::Ntfy,
        Kind::Webhook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Slack => "slack",
            Kind::Discord => "discord",
            Kind::Teams => "teams",
            Kind::Googlechat => "googlechat",
            Kind::Mattermost => "mattermost",
            Kind::Pagerduty => "pagerduty",
            Kind::Opsgenie => "opsgenie",
            Kind::Ntfy => "ntfy",
            Kind::Webhook => "webhook",
        }
    }

    pub fn from_word(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// Whether it raises alerts (opened and closed by key) rather than posting messages.
    pub fn alerts(self) -> bool {
        matches!(self, Kind::Pagerduty | Kind::Opsgenie)
    }

    /// The kind a URL's host says: Slack's and Discord's webhook hosts, Power Automate's
    /// workflow hosts (Teams), Google Chat's API, Mattermost Cloud, PagerDuty's Events API,
    /// Opsgenie's API (US and EU) and ntfy.sh; anything else (a self-hosted Mattermost or ntfy
    /// among them: say `kind`) is a generic webhook.
    pub fn of_url(url: &str) -> Kind {
        let host = url::Url::parse(url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
            .unwrap_or_default();
        let under = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        if under("hooks.slack.com") {
            Kind::Slack
        } else if (under("discord.com") || under("discordapp.com")) && url.contains("/webhooks/") {
            Kind::Discord
        } else if under("logic.azure.com")
            || under("powerplatform.com")
            || under("powerautomate.com")
        {
            Kind::Teams
        } else if host == "chat.googleapis.com" {
            Kind::Googlechat
        } else if under("cloud.mattermost.com") && url.contains("/hooks/") {
            Kind::Mattermost
        } else if under("events.pagerduty.com") || under("events.eu.pagerduty.com") {
            Kind::Pagerduty
        } else if host == "api.opsgenie.com" || host == "api.eu.opsgenie.com" {
            Kind::Opsgenie
        } else if host == "ntfy.sh" {
            Kind::Ntfy
        } else {
            Kind::Webhook
        }
    }
}

/// A secret (a webhook URL, a signing key, a routing key, a token): shown nowhere, not even in
/// `Debug`.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The value, for the one place that must use it.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[redacted]")
    }
}

/// A URL as it may be shown: scheme and host only (`https://hooks.slack.com/…`).
pub fn redacted_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) => match parsed.host_str() {
            Some(host) => format!("{}://{host}/…", parsed.scheme()),
            None => "[redacted URL]".into(),
        },
        Err(_) => "[redacted URL]".into(),
    }
}

/// One place to deliver to, as the config file or the command line declares it.
///
/// Its outbox is known without its secrets, so events are spooled for it even when a secret
/// it needs is missing from this process's environment; sending needs [`Target::endpoint`].
#[derive(Clone, Debug)]
pub struct Target {
    /// The config name, or for a URL given on the command line its outbox's name: what
    /// messages call it.
    pub name: String,
    /// Its outbox's directory under the outbox root: the config name, or for a URL
    /// `KIND-HOST.HASH`, the hash of its kind and whole URL (see [`outbox_name`]).
    pub outbox: String,
    pub route: route::Route,
    /// Component and page-status changes wait this long, and are not sent if they revert.
    pub hold: Option<std::time::Duration>,
    /// Where and how to send, or why this process cannot (a secret's variable is unset).
    pub endpoint: Result<Endpoint, String>,
}

/// Where a target's messages go, its secrets read.
#[derive(Clone, Debug, Default)]
pub struct Endpoint {
    pub kind: Kind,
    /// The webhook (or API base) URL.
    pub url: Secret,
    /// The HMAC key of a webhook, PagerDuty's routing key, or Opsgenie's GenieKey.
    pub secret: Option<Secret>,
    /// A bearer token: a Slack bot's (`xoxb-…`, which makes the target post through Slack's
    /// Web API, one thread per incident), or ntfy's access token.
    pub token: Option<Secret>,
    /// The Slack channel a bot posts to.
    pub channel: Option<String>,
    /// One thread per incident and per maintenance: a Slack bot, or Discord's `thread = true`.
    pub threads: bool,
}

impl Endpoint {
    /// Every secret text of the endpoint, for scrubbing what a service answers: the whole
    /// URL, its path and query, and the key.
    pub fn secrets(&self) -> Vec<String> {
        let url = self.url.expose();
        let mut out = vec![url.to_string()];
        if let Ok(parsed) = url::Url::parse(url) {
            out.push(parsed.as_str().to_string());
            if parsed.path().len() > 1 {
                out.push(parsed.path().to_string());
            }
            if let Some(query) = parsed.query().filter(|q| !q.is_empty()) {
                out.push(query.to_string());
            }
        }
        for secret in self.secret.iter().chain(&self.token) {
            out.push(secret.expose().to_string());
        }
        out.retain(|s| !s.is_empty());
        // Longest first, so a URL is replaced whole before its path is looked for.
        out.sort_by_key(|s| std::cmp::Reverse(s.len()));
        out
    }

    /// `text` with every secret of the endpoint replaced: an error from below, or a service
    /// that echoes the request, must not show a webhook path or a routing key.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for secret in self.secrets() {
            if out.contains(&secret) {
                out = out.replace(&secret, "[redacted]");
            }
        }
        out
    }
}

/// The outbox directory of a URL given on the command line: `KIND-HOST.HASH`, HASH being 16
/// hex digits of SHA-256 over the kind and the whole URL. Two webhooks on one host are two
/// outboxes; the host is there for people, the secret path only inside the hash. The `.`
/// keeps it apart from config names, which cannot hold one.
pub fn outbox_name(kind: Kind, url: &str) -> String {
    use sha2::{Digest, Sha256};
    let host = url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(|h| h.replace(['.', ':', '[', ']'], "-")))
        .unwrap_or_else(|| "host".into());
    let digest = Sha256::new()
        .chain_update(kind.as_str())
        .chain_update([0u8])
        .chain_update(url)
        .finalize();
    let hex: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}-{host}.{hex}", kind.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_read_from_hosts() {
        assert_eq!(
            Kind::of_url("https://hooks.slack.com/services/T0/B0/x"),
            Kind::Slack
        );
        assert_eq!(
            Kind::of_url("https://discord.com/api/webhooks/1/abc"),
            Kind::Discord
        );
        assert_eq!(
            Kind::of_url("https://prod-12.westus.logic.azure.com:443/workflows/x"),
            Kind::Teams
        );
        assert_eq!(
            Kind::of_url("https://events.pagerduty.com/v2/enqueue"),
            Kind::Pagerduty
        );
        assert_eq!(
            Kind::of_url("https://hooks.slack.com.evil.example/x"),
            Kind::Webhook
        );
        assert_eq!(Kind::of_url("http://127.0.0.1:9/hook"), Kind::Webhook);
        assert_eq!(
            Kind::of_url("https://chat.googleapis.com/v1/spaces/AAA/messages?key=k&token=t"),
            Kind::Googlechat
        );
        assert_eq!(
            Kind::of_url("https://acme.cloud.mattermost.com/hooks/xxx-generatedkey-xxx"),
            Kind::Mattermost
        );
        assert_eq!(Kind::of_url("https://api.eu.opsgenie.com"), Kind::Opsgenie);
        assert_eq!(
            Kind::of_url("https://api.opsgenie.com/v2/alerts"),
            Kind::Opsgenie
        );
        assert_eq!(Kind::of_url("https://ntfy.sh/statusq-ops"), Kind::Ntfy);
        assert_eq!(
            Kind::of_url("https://ntfy.sh.evil.example/t"),
            Kind::Webhook
        );
    }

    #[test]
    fn secrets_and_urls_are_never_shown() {
        let secret = Secret::new("xoxb-123");
        assert_eq!(format!("{secret:?}"), "[redacted]");
        assert_eq!(
            redacted_url("https://hooks.slack.com/services/T0/B0/secret"),
            "https://hooks.slack.com/…"
        );
    }

    #[test]
    fn two_webhooks_on_one_host_have_two_outboxes_named_without_their_secret() {
        let a = outbox_name(Kind::Slack, "https://hooks.slack.com/services/T0/B0/aaa");
        let b = outbox_name(Kind::Slack, "https://hooks.slack.com/services/T0/B1/bbb");
        assert_ne!(a, b);
        assert!(a.starts_with("slack-hooks-slack-com."), "{a}");
        assert!(!a.contains("aaa") && !a.contains("T0"), "{a}");
        assert_eq!(
            a,
            outbox_name(Kind::Slack, "https://hooks.slack.com/services/T0/B0/aaa")
        );
        assert_ne!(
            outbox_name(Kind::Webhook, "http://127.0.0.1:9/a"),
            outbox_name(Kind::Slack, "http://127.0.0.1:9/a"),
            "the kind is part of the identity"
        );
    }

    #[test]
    fn every_secret_of_an_endpoint_is_scrubbed() {
        let endpoint = Endpoint {
            kind: Kind::Pagerduty,
            url: Secret::new("https://events.example/v2/enqueue/PATH-SECRET?token=Q-SECRET"),
            secret: Some(Secret::new("ROUTING-KEY-SECRET")),
            token: Some(Secret::new("xoxb-TOKEN-SECRET")),
            ..Endpoint::default()
        };
        let echoed = "bad request: {\"routing_key\":\"ROUTING-KEY-SECRET\"} at \
                      /v2/enqueue/PATH-SECRET (token=Q-SECRET) from \
                      https://events.example/v2/enqueue/PATH-SECRET?token=Q-SECRET \
                      Bearer xoxb-TOKEN-SECRET";
        let scrubbed = endpoint.scrub(echoed);
        assert!(!scrubbed.contains("SECRET"), "{scrubbed}");
        assert!(scrubbed.starts_with("bad request"), "{scrubbed}");
    }
}
