//! POSTing a message: one request at a time, retried on timeouts, connection failures, 408, 429
//! and 5xx with backoff, honouring `Retry-After` (seconds or an HTTP date) and Discord's
//! `retry_after`, all within the run's deadline: a wait that would end past it means "not this
//! run", never a sleep past `--max-time`. A refusal of the message's content (400, 413, 422) is
//! told apart from a refusal of the target itself (any other 4xx: a wrong URL or key). No URL
//! or secret appears in any message this module writes.

use crate::notify::payload::request::{slack_verdict, Answer, Refusal, Request};
use crate::notify::{redacted_url, Endpoint, Kind};
use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// What became of a message.
#[derive(Debug, PartialEq)]
pub enum Outcome {
    /// The service took it, and answered this (up to 64 KB).
    Accepted(String),
    /// Not now (down, throttled, slow): keep it and try on the next run.
    Later(String),
    /// The service refuses the target (a wrong URL or key, a webhook deleted): keep everything
    /// and stop; the configuration needs fixing.
    TargetRefused(String),
    /// The service refuses this message for what it holds: set it aside, go on.
    MessageRefused { why: String, status: u16 },
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

/// Sends messages until its deadline, or until its stop flag is set.
pub struct Sender {
    agent: ureq::Agent,
    config: SendConfig,
    deadline: Instant,
    stop: Option<Arc<AtomicBool>>,
}

/// `sha256=HEX`: the HMAC-SHA256 of `body` keyed by `secret`, for `X-Statusq-Signature`.
pub fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).expect("HMAC takes any key");
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256={hex}")
}

/// Whether a 4xx refuses the message's content rather than the target: a malformed or
/// too-large payload (400, 413, 422). Anything else — 401, 403, 404, 410 — says the URL or key
/// is wrong, which no other message would get past either.
pub fn refuses_content(status: u16) -> bool {
    matches!(status, 400 | 413 | 422)
}

impl Sender {
    /// A sender that gives up on anything that would run past `deadline`, and stops waiting
    /// (to retry) as soon as `stop` is set.
    pub fn new(config: SendConfig, deadline: Instant, stop: Option<Arc<AtomicBool>>) -> Sender {
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
            stop,
        }
    }

    /// Whether its stop flag is set: nothing more should be sent.
    pub fn stopped(&self) -> bool {
        self.stop.as_ref().is_some_and(|s| s.load(Ordering::SeqCst))
    }

    /// Waits `wait`, watching the stop flag; whether the wait ran its course.
    fn pause(&self, wait: Duration) -> bool {
        let until = crate::http::after(wait);
        while !self.stopped() {
            let left = until.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return true;
            }
            std::thread::sleep(left.min(Duration::from_millis(50)));
        }
        false
    }

    /// Makes `request` to the endpoint, authenticated as it needs, retrying what may pass.
    pub fn send(&self, endpoint: &Endpoint, request: &Request) -> Outcome {
        let mut attempt = 0;
        loop {
            let (why, asked) = match self.once(endpoint, request) {
                Attempt::Accepted(answer) => return Outcome::Accepted(answer),
                Attempt::Refused(why, status, content) if content || refuses_content(status) => {
                    return Outcome::MessageRefused { why, status }
                }
                Attempt::Refused(why, _, _) => return Outcome::TargetRefused(why),
                Attempt::Transient(why, asked) => (why, asked),
            };
            let wait = asked.unwrap_or_else(|| self.config.backoff * 2u32.saturating_pow(attempt));
            let left = self.deadline.saturating_duration_since(Instant::now());
            // The wait and one more attempt's first second must fit in what is left.
            let needed = wait.saturating_add(self.config.timeout.min(Duration::from_secs(1)));
            if asked.is_some() && needed > left {
                return Outcome::Later(format!(
                    "{why}; it asks to wait {} s before retrying, past this run's --max-time",
                    seconds(wait)
                ));
            }
            if attempt >= self.config.retries {
                return Outcome::Later(why);
            }
            if needed > left {
                return Outcome::Later(format!(
                    "{why}; no time left in this run to wait {} s and retry",
                    seconds(wait)
                ));
            }
            if !self.pause(wait) {
                return Outcome::Later(format!("{why}; stopped before retrying"));
            }
            attempt += 1;
        }
    }

    fn once(&self, endpoint: &Endpoint, planned: &Request) -> Attempt {
        let url = planned.url.as_str();
        let body = planned.body.as_slice();
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Attempt::Transient("no time left in this run".into(), None);
        }
        let builder = match planned.method {
            "PATCH" => self.agent.patch(url),
            _ => self.agent.post(url),
        };
        let mut request = builder
            .config()
            .timeout_global(Some(self.config.timeout.min(left)))
            .build();
        for (name, value) in &planned.headers {
            request = request.header(*name, value);
        }
        // Authentication is added here, never planned: no secret is in a printed request.
        match (endpoint.kind, &endpoint.secret, &endpoint.token) {
            (Kind::Webhook, Some(secret), _) => {
                request = request.header("X-Statusq-Signature", &signature(secret.expose(), body));
            }
            (Kind::Opsgenie, Some(key), _) => {
                request = request.header("Authorization", &format!("GenieKey {}", key.expose()));
            }
            (Kind::Slack | Kind::Ntfy, _, Some(token)) => {
                request = request.header("Authorization", &format!("Bearer {}", token.expose()));
            }
            _ => {}
        }
        let mut response = match request.send(body) {
            Ok(response) => response,
            Err(error) => {
                let why = endpoint.scrub(&error.to_string());
                return Attempt::Transient(
                    format!("cannot reach {}: {why}", redacted_url(url)),
                    None,
                );
            }
        };
        let status = response.status().as_u16();
        let header_wait = crate::http::asked_wait(response.headers());
        // Where a redirect leads (resolved against the target, its secrets kept out): a moved
        // webhook is said to have moved, and where to.
        let led_to = response
            .headers()
            .get("location")
            .and_then(|v| v.to_str().ok())
            .filter(|_| (300..400).contains(&status))
            .and_then(|location| url::Url::parse(url).ok()?.join(location).ok())
            .map(|to| redacted_url(to.as_str()));
        let mut text = String::new();
        let _ = response
            .body_mut()
            .with_config()
            .limit(64 * 1024)
            .reader()
            .take(64 * 1024)
            .read_to_string(&mut text);
        if (200..300).contains(&status) {
            if planned.answer == Answer::SlackApi {
                // Slack's Web API refuses with a 200 and `"ok": false`.
                if let Err((error, refusal)) = slack_verdict(&text) {
                    let why = format!("{} answered {error}", redacted_url(url));
                    return match refusal {
                        Refusal::Later => Attempt::Transient(why, header_wait),
                        Refusal::Message => Attempt::Refused(why, status, true),
                        Refusal::Target => Attempt::Refused(why, status, false),
                    };
                }
            }
            return Attempt::Accepted(text);
        }
        // Discord says how long in its body (seconds, fractional).
        let body_wait = serde_json::from_str::<serde_json::Value>(&text)
            .ok()
            .and_then(|v| v["retry_after"].as_f64())
            .filter(|s| s.is_finite() && *s >= 0.0)
            .map(|s| Duration::try_from_secs_f64(s).unwrap_or(Duration::MAX));
        let snippet = crate::sanitize::one_line(&endpoint.scrub(text.trim()));
        let snippet: String = snippet.chars().take(200).collect();
        let said = if snippet.is_empty() {
            String::new()
        } else {
            format!(": {snippet}")
        };
        let why = match (&led_to, (300..400).contains(&status)) {
            (Some(to), _) => format!(
                "{} answered HTTP {status}, redirecting to {to} (a target's redirects are not \
                 followed: point it at where it leads)",
                redacted_url(url)
            ),
            (None, true) => format!(
                "{} answered HTTP {status}, a redirect without a Location (a target's redirects \
                 are not followed)",
                redacted_url(url)
            ),
            (None, false) => format!("{} answered HTTP {status}{said}", redacted_url(url)),
        };
        match status {
            408 | 429 | 500..=599 => Attempt::Transient(why, header_wait.or(body_wait)),
            _ => Attempt::Refused(why, status, false),
        }
    }
}

/// Whole seconds, rounded up.
fn seconds(wait: Duration) -> u64 {
    wait.as_secs()
        .saturating_add(u64::from(wait.subsec_nanos() > 0))
}

enum Attempt {
    Accepted(String),
    Transient(String, Option<Duration>),
    /// Why, the status, and whether it is the message's content that is refused.
    Refused(String, u16, bool),
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
    fn content_refusals_are_told_from_refusals_of_the_target() {
        for status in [400, 413, 422] {
            assert!(refuses_content(status), "{status}");
        }
        for status in [401, 403, 404, 405, 410] {
            assert!(!refuses_content(status), "{status}");
        }
    }
}
