//! POSTing a message: one request at a time, retried on timeouts, connection failures, 408, 429
//! and 5xx with backoff, honouring `Retry-After` (and Discord's `retry_after`), all within the
//! run's deadline. Any other 4xx is a configuration error: reported, never retried in a loop.
//! No URL or secret appears in any message this module writes.

use crate::notify::{redacted_url, Target};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::Read;
use std::time::{Duration, Instant};

/// What became of a message.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// The service took it.
    Accepted,
    /// Not now (down, throttled, slow): keep it and try on the next run.
    Later(String),
    /// The service refuses it (a wrong URL, key or payload): keep it, fix the configuration.
    Refused(String),
}

/// How requests are made.
#[derive(Clone, Debug)]
pub struct SendConfig {
    /// One request's deadline.
    pub timeout: Duration,
    /// Attempts after the first, for transient failures.
    pub retries: u32,
    /// The first backoff; each retry doubles it.
    pub backoff: Duration,
}

/// Sends messages until its deadline.
pub struct Sender {
    agent: ureq::Agent,
    config: SendConfig,
    deadline: Instant,
}

/// `sha256=HEX`: the HMAC-SHA256 of `body` keyed by `secret`, for `X-Statusq-Signature`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

impl Sender {
    /// A sender that gives up on anything that would run past `deadline`.
    pub fn new(config: SendConfig, deadline: Instant) -> Sender {
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_global(Some(config.timeout))
            .http_status_as_error(false)
            .max_redirects(0)
            .user_agent(crate::http::USER_AGENT)
            .build()
            .into();
        Sender {
            agent,
            config,
            deadline,
        }
    }

    /// POSTs `body` (JSON) to the target, retrying what may pass.
    pub fn post(&self, target: &Target, body: &[u8]) -> Outcome {
        let mut attempt = 0;
        loop {
            let (why, wait) = match self.once(target, body) {
                Attempt::Accepted => return Outcome::Accepted,
                Attempt::Refused(why) => return Outcome::Refused(why),
                Attempt::Transient(why, wait) => (why, wait),
            };
            if attempt >= self.config.retries {
                return Outcome::Later(why);
            }
            let wait = wait.unwrap_or_else(|| self.config.backoff * 2u32.saturating_pow(attempt));
            if Instant::now() + wait + self.config.timeout.min(Duration::from_secs(1))
                > self.deadline
            {
                return Outcome::Later(format!(
                    "{why}; no time left in this run to wait {} s and retry",
                    wait.as_secs_f64().ceil()
                ));
            }
            std::thread::sleep(wait);
            attempt += 1;
        }
    }

    fn once(&self, target: &Target, body: &[u8]) -> Attempt {
        let url = target.url.expose();
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Attempt::Transient("no time left in this run".into(), None);
        }
        let mut request = self
            .agent
            .post(url)
            .config()
            .timeout_global(Some(self.config.timeout.min(left)))
            .build()
            .header("Content-Type", "application/json");
        if let (crate::notify::Kind::Webhook, Some(secret)) = (target.kind, &target.secret) {
            request = request.header("X-Statusq-Signature", &signature(secret.expose(), body));
        }
        let mut response = match request.send(body) {
            Ok(response) => response,
            Err(error) => {
                let why = scrub(&error.to_string(), url);
                return Attempt::Transient(
                    format!("cannot reach {}: {why}", redacted_url(url)),
                    None,
                );
            }
        };
        let status = response.status().as_u16();
        let header_wait = response
            .headers()
            .get("retry-after")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<f64>().ok())
            .and_then(|s| Duration::try_from_secs_f64(s).ok());
        let mut text = String::new();
        let _ = response
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .reader()
            .take(64 * 1024)
            .read_to_string(&mut text);
        if (200..300).contains(&status) {
            return Attempt::Accepted;
        }
        // Discord says how long in its body (seconds, fractional).
        let body_wait = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["retry_after"].as_f64())
            .and_then(|s| Duration::try_from_secs_f64(s).ok());
        let snippet = crate::sanitize::one_line(&scrub(text.trim(), url));
        let snippet: String = snippet.chars().take(200).collect();
        let why = format!(
            "{} answered HTTP {status}{}",
            redacted_url(url),
            if snippet.is_empty() {
                String::new()
            } else {
                format!(": {snippet}")
            }
        );
        match status {
            408 | 429 | 500..=599 => Attempt::Transient(why, header_wait.or(body_wait)),
            _ => Attempt::Refused(why),
        }
    }
}

enum Attempt {
    Accepted,
    Transient(String, Option<Duration>),
    Refused(String),
}

/// `text` with the URL, and its path, replaced: an error from below must not leak the secret
/// part of a webhook URL.
fn scrub(text: &str, url: &str) -> String {
    let mut out = text.replace(url, &redacted_url(url));
    if let Ok(parsed) = url::Url::parse(url) {
        let path = parsed.path();
        if path.len() > 1 {
            out = out.replace(path, "/…");
        }
        if let Some(query) = parsed.query() {
            out = out.replace(query, "…");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_hmac_sha256_hex() {
        // RFC 4231 test case 2.
        assert_eq!(
            signature("Jefe", b"what do ya want for nothing?"),
            "sha256=5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn urls_are_scrubbed_from_errors() {
        let url = "https://hooks.slack.com/services/T0/B0/secret?x=1";
        let text = format!("error sending to {url} (path /services/T0/B0/secret)");
        let scrubbed = scrub(&text, url);
        assert!(!scrubbed.contains("secret"), "{scrubbed}");
    }
}
