//! What a fetch will do, decided before anything is sent: the requests of every provider (a
//! job each), the documents that wait for their summary's answer instead (DESIGN §5), what a
//! probe already brought, what fails before any request (a probe that failed), and the saved
//! payloads read from disk.

use crate::engine::assemble;
use crate::engine::detect::Detected;
use crate::engine::pool::{assemble_flight, InFlight, Job};
use crate::http::{Body, Client};
use crate::model::Snapshot;
use crate::providers::{Provider, Target};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Instant;

/// A fetch, planned.
pub struct Plan {
    /// Every request to make, in target order.
    pub jobs: Vec<Job>,
    /// Each target's requests while they are out (`None` for targets that need none).
    pub in_flight: Vec<Mutex<Option<InFlight>>>,
    /// Snapshots known before any request: failed probes, pages with nothing left to ask.
    pub ready: Vec<Option<Snapshot>>,
    /// Saved payloads: (target, id, path or stdin).
    pub files: Vec<(usize, String, Option<PathBuf>)>,
    /// Who each network target is, should its snapshot never come back.
    pub remote: Vec<(usize, Provider)>,
}

/// Plans the fetch of `targets` (their formats known): a page's documents are requested in
/// parallel; with a conditional cache, a summary-first page's lists wait for its summary.
pub fn plan(targets: Vec<Detected>, client: &Client, max_body: u64) -> Plan {
    let mut plan = Plan {
        jobs: Vec::new(),
        in_flight: Vec::with_capacity(targets.len()),
        ready: Vec::with_capacity(targets.len()),
        files: Vec::new(),
        remote: Vec::new(),
    };
    for (index, target) in targets.into_iter().enumerate() {
        plan.ready.push(None);
        plan.in_flight.push(Mutex::new(None));
        match target {
            Detected::Failed(provider, error, started) => {
                plan.ready[index] = Some(assemble::failed(&provider, error, started));
            }
            Detected::Ready(Target::Remote(provider), probed) => {
                plan.remote.push((index, provider.clone()));
                let flight = flight(index, provider, probed, client, &mut plan.jobs);
                if flight.remaining == 0 {
                    // Nothing left to ask: read it now.
                    plan.ready[index] = Some(assemble_flight(flight, max_body));
                } else {
                    plan.in_flight[index] = Mutex::new(Some(flight));
                }
            }
            Detected::Ready(Target::File { id, path }, _) => plan.files.push((index, id, path)),
        }
    }
    plan
}

/// One page's requests: its jobs added to `jobs`, and what is known of it while they are out.
fn flight(
    index: usize,
    provider: Provider,
    probed: Option<Vec<u8>>,
    client: &Client,
    jobs: &mut Vec<Job>,
) -> InFlight {
    let requests = provider.format.requests(&provider.api);
    // The probe already brought the first document: it is not asked for again.
    let first = probed.filter(|_| requests[0].0 == provider.api);
    let deferred = deferred(&provider, &requests, first.is_some(), client);
    for (slot, (url, _)) in requests.iter().enumerate() {
        if deferred.iter().any(|(s, _)| *s == slot) || (slot == 0 && first.is_some()) {
            continue;
        }
        jobs.push(Job {
            target: index,
            slot,
            url: url.clone(),
            redirects: provider.redirects.clone(),
        });
    }
    let mut flight = InFlight {
        required: requests.iter().map(|(_, required)| *required).collect(),
        urls: requests.iter().map(|(url, _)| url.clone()).collect(),
        results: requests.iter().map(|_| None).collect(),
        remaining: requests.len() - deferred.len() - usize::from(first.is_some()),
        started: None,
        deferred,
        provider,
    };
    if let Some(body) = first {
        flight.results[0] = Some(Ok(Body::plain(body)));
        flight.started = Some(Instant::now());
    }
    flight
}

/// The documents that wait for the first one's answer: a page whose summary says it is
/// unchanged has unchanged lists too, so with their bodies kept they are not asked for.
fn deferred(
    provider: &Provider,
    requests: &[(String, bool)],
    probed: bool,
    client: &Client,
) -> Vec<(usize, String)> {
    if !provider.format.summary_first()
        || probed
        || requests.len() < 2
        || !requests.iter().all(|(url, _)| client.reusable(url))
    {
        return Vec::new();
    }
    requests
        .iter()
        .enumerate()
        .skip(1)
        .map(|(slot, (url, _))| (slot, url.clone()))
        .collect()
}
