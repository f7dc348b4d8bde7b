//! `diff`'s loop over an NDJSON stream: snapshots are applied to the [`Ledger`] and their
//! events delivered in batches — whenever the input pauses, at its end, and every [`BATCH`]
//! events — so a burst of snapshots costs one commit, and `fetch --watch` output is delivered as
//! each snapshot arrives. Events in the input pass through in their place.

use crate::error::Error;
use crate::model::{Event, Record, Snapshot};
use crate::ndjson::{
    classify, line_error, report_skipped, Batched, Incoming, Inputs, Kind, Output,
};
use crate::pipeline::Ledger;
use std::sync::atomic::{AtomicBool, Ordering};

/// Most events held back for one delivery while the input keeps coming.
pub const BATCH: usize = 10_000;

/// What a stream delivered.
#[derive(Debug, Default)]
pub struct Delivered {
    /// Events written.
    pub events: usize,
    /// Input lines skipped as invalid (each reported on stderr).
    pub skipped: usize,
}

/// Reads NDJSON from `inputs` (on a reader thread): applies each snapshot and delivers its
/// events to `out`, passes events through, reports and skips invalid lines. Delivers and
/// commits when the input pauses ([`crate::ndjson::QUIET`]), at its end, and when `stop` is set
/// (SIGINT, SIGTERM, SIGHUP), which ends the stream. A read error ends the stream after what
/// was read is delivered and committed.
pub fn deliver_stream(
    inputs: Inputs,
    ledger: &mut Ledger,
    out: &mut Output,
    stop: &AtomicBool,
) -> Result<Delivered, Error> {
    let mut lines = Batched::lines(inputs);
    let mut delivered = Delivered::default();
    // Applied, not yet delivered: what the next delivery writes.
    let mut batch: Vec<Event> = ledger.take_in_doubt();
    loop {
        if batch.len() >= BATCH || stop.load(Ordering::SeqCst) {
            deliver(ledger, &mut batch, &mut delivered, out)?;
        }
        if stop.load(Ordering::SeqCst) {
            break;
        }
        let (place, line) = match lines.next(Some(stop)) {
            Incoming::Item(line) => line,
            Incoming::Quiet => {
                deliver(ledger, &mut batch, &mut delivered, out)?;
                ledger.commit()?;
                continue;
            }
            Incoming::End(_) => break,
            Incoming::Failed(e) => {
                // What was read is delivered: keep it, then report.
                deliver(ledger, &mut batch, &mut delivered, out)?;
                ledger.commit()?;
                return Err(e);
            }
        };
        let text = match line {
            Ok(text) => text,
            Err(e) => {
                report_skipped(&place, &line_error(&e));
                delivered.skipped += 1;
                continue;
            }
        };
        let snapshot = match classify(&text) {
            Ok(Kind::Snapshot) => serde_json::from_str::<Snapshot>(&text)
                .map_err(|e| format!("invalid snapshot: {e}")),
            Ok(Kind::Event) => {
                // Passed through in its place among the events of the snapshots around it.
                deliver(ledger, &mut batch, &mut delivered, out)?;
                out.line(&text)?;
                continue;
            }
            Err(why) => Err(why),
        };
        match snapshot {
            Ok(snapshot) => batch.extend(ledger.apply(&snapshot)),
            Err(why) => {
                report_skipped(&place, &why);
                delivered.skipped += 1;
            }
        }
    }
    deliver(ledger, &mut batch, &mut delivered, out)?;
    out.flush()?;
    ledger.commit()?;
    Ok(delivered)
}

/// Delivers the events applied so far (write-ahead, see the module's text) and empties `batch`.
fn deliver(
    ledger: &mut Ledger,
    batch: &mut Vec<Event>,
    delivered: &mut Delivered,
    out: &mut Output,
) -> Result<(), Error> {
    delivered.events += batch.len();
    ledger.deliver(std::mem::take(batch), |events| {
        for event in events {
            out.record(&Record::Event(Box::new(event.clone())))?;
        }
        out.flush()
    })
}
