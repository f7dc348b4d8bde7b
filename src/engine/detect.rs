//! Format detection for URLs the user typed: which platform serves the page, and where its
//! API document is.
//!
//! [`detect_within`] probes the paths each platform names ([`crate::sources::parts::Platform::probes`]),
//! in the registry's order — Statuspage/incident.io JSON, Instatus, Better Stack, Datadog,
//! Rootly, the Statuspage history feed, common feed paths — then the URL itself, and takes the
//! first answer that parses as what it claims to be ([`crate::sources::detect::sniff`] names
//! it). Catalog
//! and config providers carry their format and are never probed.

use crate::clock;
use crate::http::Client;
use crate::model::{ErrorKind, FetchError};
use crate::providers::{Provider, Target};
use crate::sources::detect::{sniff, Found};
use crate::sources::{Format, Page};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant};

/// A target whose format is known — with the body of its API document when probing just
/// fetched it, so it is not fetched twice — or one whose probing failed (with when probing
/// began).
pub enum Detected {
    Ready(Target, Option<Vec<u8>>),
    Failed(Provider, FetchError, Instant),
}

/// What earlier runs found: typed URL → (format, API URL), kept as `detected.json` in the cache
/// directory so a typed URL is probed once, not on every run. An entry whose page no longer
/// reads as its format is dropped, and the URL probed again next time.
pub struct Memory {
    path: std::path::PathBuf,
    found: std::sync::Mutex<std::collections::BTreeMap<String, (String, String)>>,
}

impl Memory {
    /// The memory in `dir` (empty when there is none yet, or it is unreadable).
    pub fn open(dir: &std::path::Path) -> Memory {
        let path = dir.join("detected.json");
        let found = std::fs::read(&path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        Memory {
            path,
            found: std::sync::Mutex::new(found),
        }
    }

    /// What was found for `url`, if its format is one this build reads.
    fn recall(&self, url: &str) -> Option<(Format, String)> {
        let found = self.found.lock().ok()?;
        let (format, api) = found.get(url)?;
        Format::from_word(format)
            .filter(|f| f.is_supported())
            .map(|f| (f, api.clone()))
    }

    fn remember(&self, url: &str, format: Format, api: &str) {
        if let Ok(mut found) = self.found.lock() {
            found.insert(
                url.to_string(),
                (format.as_str().to_string(), api.to_string()),
            );
        }
    }

    /// Drops what was found for `url`: it is probed again next time.
    pub fn forget(&self, url: &str) {
        if let Ok(mut found) = self.found.lock() {
            if found.remove(url).is_some() {
                drop(found);
                self.save();
            }
        }
    }

    /// Writes the memory (atomically; a cache that cannot be written only costs probes).
    pub fn save(&self) {
        if let Ok(found) = self.found.lock() {
            if let Some(dir) = self.path.parent() {
                let _ = std::fs::create_dir_all(dir);
            }
            let json = serde_json::to_vec(&*found).unwrap_or_default();
            let _ = crate::fsutil::replace(&self.path, &json);
        }
    }
}

/// Probes the format of every typed URL, in parallel (at most `concurrency` at once), each
/// within `budget`; catalog and config providers pass through untouched. Returns within a
/// tenth of a second of `cancel` being set: the URLs not probed by then fail as unfinished.
pub fn detect_formats(
    targets: Vec<Target>,
    client: &Arc<Client>,
    concurrency: usize,
    budget: Duration,
    cancel: &AtomicBool,
    memory: Option<&Memory>,
) -> Vec<Detected> {
    let mut slots: Vec<Option<Detected>> = Vec::with_capacity(targets.len());
    let mut pending: Vec<(usize, Provider)> = Vec::new();
    for (index, target) in targets.into_iter().enumerate() {
        match target {
            Target::Remote(mut provider) if provider.detect => {
                match memory.and_then(|m| m.recall(&provider.api)) {
                    Some((format, api)) => {
                        provider.format = format;
                        provider.api = api;
                        provider.detect = false;
                        slots.push(Some(Detected::Ready(Target::Remote(provider), None)));
                    }
                    None => {
                        slots.push(None);
                        pending.push((index, provider));
                    }
                }
            }
            other => slots.push(Some(Detected::Ready(other, None))),
        }
    }
    if pending.is_empty() {
        return slots.into_iter().flatten().collect();
    }
    let queue = Arc::new((pending.clone(), AtomicUsize::new(0)));
    let (sender, receiver) = mpsc::channel::<(usize, Detected)>();
    for _ in 0..concurrency.clamp(1, pending.len()) {
        let queue = Arc::clone(&queue);
        let sender = sender.clone();
        let client = Arc::clone(client);
        // Detached, as the fetch workers are: a cancelled run does not wait for its probes.
        std::thread::spawn(move || loop {
            let Some((index, provider)) = queue.0.get(queue.1.fetch_add(1, Ordering::SeqCst))
            else {
                return;
            };
            let started = Instant::now();
            let mut provider = provider.clone();
            let until = crate::http::after(budget);
            let outcome = match detect_within(&client, &provider.api, until) {
                Ok((format, api, body)) => {
                    provider.format = format;
                    provider.api = api;
                    provider.detect = false;
                    Detected::Ready(Target::Remote(provider), Some(body))
                }
                Err(error) => Detected::Failed(provider, error, started),
            };
            if sender.send((*index, outcome)).is_err() {
                return;
            }
        });
    }
    drop(sender);
    let mut left = pending.len();
    while left > 0 && !cancel.load(Ordering::SeqCst) {
        match receiver.recv_timeout(Duration::from_millis(50)) {
            Ok((index, outcome)) => {
                if let (Some(memory), Detected::Ready(Target::Remote(found), _)) =
                    (memory, &outcome)
                {
                    let typed = &pending
                        .iter()
                        .find(|(i, _)| *i == index)
                        .map(|(_, p)| p.api.clone());
                    if let Some(typed) = typed {
                        memory.remember(typed, found.format, &found.api);
                    }
                }
                slots[index] = Some(outcome);
                left -= 1;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    if let Some(memory) = memory {
        memory.save();
    }
    // A probe that never answered (stopped, or its thread died) is a failure of its own page.
    for (index, provider) in pending {
        if slots[index].is_none() {
            let error = FetchError {
                kind: ErrorKind::Io,
                message: format!("{}: format detection did not finish", provider.api),
                http_status: None,
                retry_after: None,
            };
            slots[index] = Some(Detected::Failed(provider, error, Instant::now()));
        }
    }
    slots.into_iter().flatten().collect()
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

/// The paths a typed URL is probed with: every platform's, in the registry's order, each once,
/// then the URL itself.
fn probe_paths() -> Vec<&'static str> {
    let mut paths: Vec<&'static str> = Vec::new();
    for format in Format::ALL {
        for path in format.platform().probes {
            if !paths.contains(path) {
                paths.push(path);
            }
        }
    }
    paths.push("");
    paths
}

/// The format and API document of the page at `url`, found by probing, every probe done by
/// `until`; also the API document's body, as the probe fetched it.
pub fn detect_within(
    client: &Client,
    url: &str,
    until: Instant,
) -> Result<(Format, String, Vec<u8>), FetchError> {
    let url = url.trim_end_matches('/');
    let direct = [".json", ".atom", ".rss", ".xml"]
        .iter()
        .any(|ext| url.ends_with(ext))
        || url.contains("/api/")
        || url.contains("/feed")
        || Format::ALL.iter().any(|format| {
            format
                .platform()
                .documents
                .iter()
                .any(|end| url.ends_with(end))
        });
    if direct {
        // One document named outright: read it, and say plainly why not if it cannot be.
        let body = client.get_within(url, &[], until)?;
        if let Some(Found::Is(format)) = sniff(&body) {
            if format.is_supported() {
                let page = Page {
                    url,
                    now: clock::now(),
                };
                return format
                    .parse(&[&body], page)
                    .map(|_| (format, url.to_string(), body.clone()));
            }
        }
        return Err(FetchError {
            kind: ErrorKind::Format,
            message: format!(
                "{url}: got {}, which is not a status page format statusq reads",
                sniff(&body).map_or_else(|| "this document".to_string(), |f| f.describe())
            ),
            http_status: None,
            retry_after: None,
        });
    }
    let mut tried = Vec::new();
    let mut http_error: Option<FetchError> = None;
    for path in probe_paths() {
        let probe = format!("{url}{path}");
        match client.get_within(&probe, &[], until) {
            Ok(body) => {
                if let Some(format) = readable(&body, url) {
                    return Ok((format, probe, body));
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
        retry_after: None,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_urls_are_probed_in_the_order_they_always_were() {
        assert_eq!(
            probe_paths(),
            [
                "/api/v2/summary.json",
                "/summary.json",
                "/index.json",
                "/config.json",
                "/api/v1/status.json",
                "/history.atom",
                "/feed.atom",
                "/feed.rss",
                "/rss",
                "",
            ]
        );
    }
}
