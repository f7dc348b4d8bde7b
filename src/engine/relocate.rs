//! Declared pages that moved: when a page's API document stops answering in its platform's
//! format (another platform's document, an HTML page), its base URL is probed like a typed
//! URL's, within the provider's budget and at most once per `--refetch-every` such failures;
//! if a platform statusq reads answers there, the page is read from it in the same poll, and
//! from it on later polls of the run. The snapshot then carries the new format, so `diff`
//! says `provider.moved` once and takes the new page as a silent baseline — as when the old
//! address itself answers in the new format ([`crate::engine::assemble`]).

use crate::engine::assemble::{self, Document};
use crate::engine::detect::detect_within;
use crate::http::Client;
use crate::model::{ErrorKind, Snapshot};
use crate::providers::Provider;
use crate::sources::Format;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Instant;

/// What an engine has learnt of moved pages, kept for its life (a `watch`, a `serve`).
pub struct Relocations {
    every: u32,
    /// Per provider id, the `format` failures since its base URL was last probed.
    failures: Mutex<HashMap<String, u32>>,
    /// Per provider id, where its page now answers: the platform and its API document.
    found: Mutex<HashMap<String, (Format, String)>>,
}

impl Relocations {
    /// Probing a failing page at most once per `every` of its failures.
    pub fn new(every: u32) -> Relocations {
        Relocations {
            every: every.max(1),
            failures: Mutex::new(HashMap::new()),
            found: Mutex::new(HashMap::new()),
        }
    }

    /// A declared provider as it is now read: where it was found to have moved, if it did.
    pub fn apply(&self, provider: &mut Provider) {
        if provider.detect {
            return;
        }
        if let Some((format, api)) = self
            .found
            .lock()
            .ok()
            .and_then(|f| f.get(&provider.id).cloned())
        {
            provider.format = format;
            provider.api = api;
        }
    }

    /// Whether this `format` failure of `id` is one to probe for: its first, then every
    /// `every`-th.
    fn due(&self, id: &str) -> bool {
        let Ok(mut failures) = self.failures.lock() else {
            return false;
        };
        let count = failures.entry(id.to_string()).or_insert(self.every);
        *count += 1;
        if *count > self.every {
            *count = 1;
            return true;
        }
        false
    }

    /// Whether `failed`, the snapshot of `provider`, is a page to look for at its base URL:
    /// a `format` failure of a declared page whose probe is due (counted as one failure).
    pub fn wanted(&self, provider: &Provider, failed: &Snapshot) -> bool {
        let format_failure = failed
            .error
            .as_ref()
            .is_some_and(|e| e.kind == ErrorKind::Format);
        format_failure && !provider.detect && self.due(&provider.id)
    }

    /// The snapshot of `provider` read where its base URL now answers, every request done by
    /// `until`; `None` when nothing else that statusq reads answers there.
    pub fn follow(
        &self,
        client: &Client,
        provider: &Provider,
        until: Instant,
        started: Option<Instant>,
    ) -> Option<Snapshot> {
        let (format, api, first) = detect_within(client, &provider.url, until).ok()?;
        if format == provider.format && api == provider.api {
            return None;
        }
        let moved = Provider {
            format,
            api: api.clone(),
            ..provider.clone()
        };
        // The probe's answer is the first document; any others are asked for now.
        let mut first = Some(first);
        let documents = format
            .requests(&api)
            .into_iter()
            .map(|(url, required)| Document {
                result: Some(match first.take().filter(|_| url == api) {
                    Some(body) => Ok(body),
                    None => client.get_within(&url, &moved.redirects, until),
                }),
                required,
            })
            .collect();
        let snapshot = assemble::assemble(&moved, documents, started);
        if !snapshot.ok {
            return None;
        }
        if let Ok(mut found) = self.found.lock() {
            found.insert(provider.id.clone(), (format, api));
        }
        Some(snapshot)
    }
}
