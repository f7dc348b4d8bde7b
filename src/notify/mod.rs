//! Delivery of events to where a team already is: Slack, Discord, Microsoft Teams, PagerDuty
//! and plain webhooks, each event once per target, none lost.
//!
//! Layout: [`config`] (targets from `[notify.NAME]` and URLs, secrets from the environment),
//! [`route`] (which events a target wants; pure), [`hold`] (flap suppression; pure),
//! [`payload`] (each service's message shape within its documented limits; pure), [`outbox`]
//! (a target's spool of events not yet accepted and the ids it delivered, under a lock), [`send`]
//! (HTTP POST with retries, `Retry-After`, and secrets redacted from every error), and [`run`]
//! (spool, then deliver in order, committing after each accepted message).
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

/// The services statusq delivers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Slack,
    Discord,
    Teams,
    Pagerduty,
    Webhook,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Slack,
        Kind::Discord,
        Kind::Teams,
        Kind::Pagerduty,
        Kind::Webhook,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Slack => "slack",
            Kind::Discord => "discord",
            Kind::Teams => "teams",
            Kind::Pagerduty => "pagerduty",
            Kind::Webhook => "webhook",
        }
    }

    pub fn from_word(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == word)
    }

    /// The kind a URL's host says: Slack's and Discord's webhook hosts, Power Automate's
    /// workflow hosts (Teams), PagerDuty's Events API; anything else is a generic webhook.
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
        } else if under("events.pagerduty.com") || under("events.eu.pagerduty.com") {
            Kind::Pagerduty
        } else {
            Kind::Webhook
        }
    }
}

/// A secret (a webhook URL, a signing key, a routing key): shown nowhere, not even in `Debug`.
#[derive(Clone, PartialEq, Eq)]
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

/// One place to deliver to, resolved: its secrets are read.
#[derive(Clone, Debug)]
pub struct Target {
    /// The config name, or `kind-host` for a URL given on the command line.
    pub name: String,
    pub kind: Kind,
    pub url: Secret,
    /// The HMAC key of a webhook, or PagerDuty's routing key.
    pub secret: Option<Secret>,
    pub route: route::Route,
    /// Component and page-status changes wait this long, and are not sent if they revert.
    pub hold: Option<std::time::Duration>,
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
}
