//! Format detection for URLs the user typed: which platform serves the page, and where its
//! API document is.
//!
//! [`detect`] probes in a fixed order — Statuspage/incident.io JSON, Instatus, Better Stack, the
//! Statuspage history feed, common feed paths, then the URL itself — and takes the first answer
//! that parses as what it claims to be ([`crate::sources::detect::sniff`] names it). Catalog
//! and config providers carry their format and are never probed.

use crate::clock;
use crate::http::Client;
use crate::model::{ErrorKind, FetchError};
use crate::providers::{Origin, Provider, Target};
use crate::sources::detect::{sniff, Found};
use crate::sources::{Format, Page};
use std::time::Instant;

/// A target whose format is known, or one whose probing failed (with when probing began).
pub enum Detected {
    Ready(Target),
    Failed(Provider, FetchError, Instant),
}

/// Probes the format of every typed URL, in parallel (at most `concurrency` at once); catalog
/// and config providers pass through untouched.
pub fn detect_formats(targets: Vec<Target>, client: &Client, concurrency: usize) -> Vec<Detected> {
    let mut slots: Vec<Option<Detected>> = Vec::with_capacity(targets.len());
    let mut pending: Vec<(usize, Provider)> = Vec::new();
    for (index, target) in targets.into_iter().enumerate() {
        match target {
            Target::Remote(provider) if provider.detect => {
                slots.push(None);
                pending.push((index, provider));
            }
            other => slots.push(Some(Detected::Ready(other))),
        }
    }
    for chunk in pending.chunks(concurrency.max(1)) {
        let results: Vec<(usize, Detected)> = std::thread::scope(|scope| {
            let handles: Vec<_> = chunk
                .iter()
                .map(|(index, provider)| {
                    scope.spawn(move || {
                        let started = Instant::now();
                        let mut provider = provider.clone();
                        let outcome = match detect(client, &provider.api) {
                            Ok((format, api)) => {
                                provider.format = format;
                                provider.api = api;
                                provider.detect = false;
                                Detected::Ready(Target::Remote(provider))
                            }
                            Err(error) => Detected::Failed(provider, error, started),
                        };
                        (*index, outcome)
                    })
                })
                .collect();
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        });
        for (index, outcome) in results {
            slots[index] = Some(outcome);
        }
    }
    slots
        .into_iter()
        .map(|slot| slot.unwrap_or_else(unfinished))
        .collect()
}

/// What stands in for a probe whose thread died.
fn unfinished() -> Detected {
    Detected::Failed(
        Provider {
            id: "unknown".into(),
            name: "unknown".into(),
            url: String::new(),
            format: Format::Statuspage,
            api: String::new(),
            components: Vec::new(),
            redirects: Vec::new(),
            origin: Origin::Url,
            detect: false,
        },
        FetchError {
            kind: ErrorKind::Io,
            message: "format detection did not finish".into(),
            http_status: None,
        },
        Instant::now(),
    )
}

/// Whether `body`, fetched from `url`, is a page of a format this build reads.
fn readable(body: &[u8], url: &str) -> Option<Format> {
    match sniff(body) {
        Some(Found::Is(format)) if format.is_supported() => {
            let page = Page {
                url,
                now: clock::now(),
            };
            format.parse(&[body], page).is_ok().then_some(format)
        }
        _ => None,
    }
}

/// The format and API document of the page at `url`, found by probing.
pub fn detect(client: &Client, url: &str) -> Result<(Format, String), FetchError> {
    let url = url.trim_end_matches('/');
    let direct = [".json", ".atom", ".rss", ".xml"]
        .iter()
        .any(|ext| url.ends_with(ext))
        || url.contains("/api/")
        || url.contains("/feed");
    if direct {
        // One document named outright: read it, and say plainly why not if it cannot be.
        let body = client.get(url)?;
        if let Some(Found::Is(format)) = sniff(&body) {
            if format.is_supported() {
                let page = Page {
                    url,
                    now: clock::now(),
                };
                return format
                    .parse(&[&body], page)
                    .map(|_| (format, url.to_string()));
            }
        }
        return Err(FetchError {
            kind: ErrorKind::Format,
            message: format!(
                "{url}: {} is not a status page format statusq reads",
                sniff(&body).map_or("this document", Found::describe)
            ),
            http_status: None,
        });
    }
    let mut tried = Vec::new();
    let mut http_error: Option<FetchError> = None;
    for path in [
        "/api/v2/summary.json",
        "/summary.json",
        "/index.json",
        "/history.atom",
        "/feed.atom",
        "/feed.rss",
        "/rss",
        "",
    ] {
        let probe = format!("{url}{path}");
        match client.get(&probe) {
            Ok(body) => {
                if let Some(format) = readable(&body, url) {
                    return Ok((format, probe));
                }
            }
            // A page that cannot be reached at all will not answer the next probe either, and
            // one that throttles or fails (429, 5xx) is not asked seven more times.
            Err(error)
                if error.kind != ErrorKind::Http
                    || matches!(error.http_status, Some(408 | 429 | 500..=599)) =>
            {
                return Err(error)
            }
            Err(error) => {
                if !matches!(error.http_status, Some(404 | 410)) && http_error.is_none() {
                    http_error = Some(error);
                }
            }
        }
        tried.push(probe);
    }
    Err(http_error.unwrap_or_else(|| FetchError {
        kind: ErrorKind::Format,
        message: format!(
            "{url}: no status page format found (tried {})",
            tried.join(", ")
        ),
        http_status: None,
    }))
}
