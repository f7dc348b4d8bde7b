//! From bodies to a snapshot: a provider's fetched documents, or a payload saved to a file.
//!
//! The adapters are pure; this is where the shell dates the snapshot, names it, and turns an
//! adapter's failure into an `ok:false` snapshot that says which document failed.

use crate::clock;
use crate::model::{ErrorKind, FetchError, Snapshot, SnapshotMeta};
use crate::providers::{Origin, Provider};
use crate::sources::detect::{sniff, Found};
use crate::sources::{Format, Page, Parts};
use std::io::Read;
use std::path::Path;
use std::time::Instant;

/// The snapshot of a provider that could not be fetched at all (trying began at `started`).
pub fn failed(provider: &Provider, error: FetchError, started: Instant) -> Snapshot {
    Snapshot::failed(meta(provider, Some(started)), error)
}

fn meta(provider: &Provider, started: Option<Instant>) -> SnapshotMeta {
    SnapshotMeta {
        provider: provider.id.clone(),
        name: provider.name.clone(),
        url: provider.url.clone(),
        format: provider.format.as_str().to_string(),
        fetched_at: clock::now(),
        elapsed_ms: started.map_or(0, |s| s.elapsed().as_millis() as u64),
    }
}

/// One requested document: its body or why not (`None` if the request never came back), and
/// whether the page must have it.
pub struct Document {
    pub result: Option<Result<Vec<u8>, FetchError>>,
    /// A 404 or 410 on a document that is not required reads as "this page lacks it".
    pub required: bool,
}

/// Builds a provider's snapshot once all its requests are back.
pub fn assemble(
    provider: &Provider,
    documents: Vec<Document>,
    started: Option<Instant>,
) -> Snapshot {
    let mut meta = meta(provider, started);
    let mut bodies: Vec<Vec<u8>> = Vec::new();
    for Document { result, required } in documents {
        match result {
            Some(Ok(body)) => bodies.push(body),
            // A page without the optional history lists is read from its summary alone.
            Some(Err(e)) if !required && matches!(e.http_status, Some(404 | 410)) => {}
            Some(Err(e)) => return Snapshot::failed(meta, e),
            None => {
                let error = FetchError {
                    kind: ErrorKind::Io,
                    message: "request never completed".into(),
                    http_status: None,
                    retry_after: None,
                };
                return Snapshot::failed(meta, error);
            }
        }
    }
    let slices: Vec<&[u8]> = bodies.iter().map(Vec::as_slice).collect();
    let page = Page {
        url: &provider.url,
        now: meta.fetched_at,
    };
    let parsed = provider.format.parse(&slices, page).or_else(|error| {
        // The vendor moved platform and the old address answers in the new one's format:
        // read it as what it is (`diff` reports the move once), instead of failing every poll.
        match slices.first().and_then(|first| sniff(first)) {
            Some(Found::Is(found))
                if error.kind == ErrorKind::Format
                    && found.is_supported()
                    && found != provider.format =>
            {
                found
                    .parse(&slices[..1], page)
                    .map(|mut parts| {
                        parts.detected_format.get_or_insert(found.platform());
                        parts
                    })
                    .map_err(|_| error)
            }
            _ => Err(error),
        }
    });
    match parsed {
        Ok(mut parts) => {
            if let Some(detected) = parts.detected_format {
                meta.format = detected.word.to_string();
            }
            if provider.origin == Origin::Url {
                if let Some(name) = parts.page_name.take() {
                    meta.name = name;
                }
            }
            parts.restrict(&provider.components);
            parts.into_snapshot(meta)
        }
        Err(mut e) => {
            e.message = format!("{}: {}", provider.api, e.message);
            Snapshot::failed(meta, e)
        }
    }
}

/// Reads a saved payload of any supported format from a file, or stdin when `path` is `None`.
pub fn replay(id: &str, path: Option<&Path>, max_body: u64) -> Snapshot {
    let started = Instant::now();
    let fetched_at = clock::now();
    let source = path.map_or("stdin".to_string(), |p| p.display().to_string());
    let mut body = Vec::new();
    let read = match path {
        Some(path) => std::fs::File::open(path)
            .and_then(|file| file.take(max_body + 1).read_to_end(&mut body)),
        None => std::io::stdin()
            .lock()
            .take(max_body + 1)
            .read_to_end(&mut body),
    };
    let result = match read {
        Err(e) => Err(FetchError {
            kind: ErrorKind::Io,
            message: format!("{source}: {e}"),
            http_status: None,
            retry_after: None,
        }),
        Ok(_) if body.len() as u64 > max_body => Err(FetchError {
            kind: ErrorKind::TooLarge,
            message: format!("{source}: larger than the {max_body}-byte cap (--max-body)"),
            http_status: None,
            retry_after: None,
        }),
        Ok(_) => {
            // A saved payload says what it is (one of a platform this build does not read
            // is named in the error Statuspage's reading gives).
            let format = match sniff(&body) {
                Some(Found::Is(format)) if format.is_supported() => format,
                _ => Format::STATUSPAGE,
            };
            let page = Page {
                url: "",
                now: fetched_at,
            };
            format.parse(&[&body], page)
        }
        .map_err(|mut e| {
            e.message = format!("{source}: {}", e.message);
            e
        }),
    };
    let meta = |parts: Option<&Parts>| SnapshotMeta {
        provider: id.to_string(),
        name: parts
            .and_then(|p| p.page_name.clone())
            .unwrap_or_else(|| id.to_string()),
        url: parts.and_then(|p| p.page_url.clone()).unwrap_or_default(),
        format: parts
            .and_then(|p| p.detected_format)
            .map_or(Format::STATUSPAGE.as_str(), |platform| platform.word)
            .to_string(),
        fetched_at,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    match result {
        Ok(parts) => {
            let meta = meta(Some(&parts));
            parts.into_snapshot(meta)
        }
        Err(e) => Snapshot::failed(meta(None), e),
    }
}
