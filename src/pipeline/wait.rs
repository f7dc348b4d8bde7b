//! `check --wait`: a stream of snapshots judged batch by batch until every page is healthy or
//! the time is up. The verdicts on each snapshot are [`crate::gate::verdicts`], as for `check`; the
//! batches are [`Batched`]'s, as for `diff` and `render`.

use crate::error::{Error, Exit};
use crate::gate::{verdicts, Rules, Verdict};
use crate::model::{Record, Snapshot};
use crate::ndjson::{Batched, Incoming, Inputs, Output};
use crate::sanitize::one_line;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// `check --wait`: the snapshots judged a batch at a time — the input taken as `diff` and
/// `render` take it ([`Batched`], a batch ending when the input pauses) — until the newest
/// snapshot of every page read is below the level (exit 0), `wait` passes (1, saying what is
/// still broken), or the input ends first (3).
pub fn until_healthy(
    inputs: Inputs,
    rules: &Rules,
    wait: std::time::Duration,
    out: &mut Output,
) -> Result<Exit, Error> {
    // The deadline, as the stop flag the batched reader already heeds while the input is
    // quiet; a stream that never pauses is checked against it at every snapshot.
    let deadline = std::time::Instant::now() + wait;
    let stop = Arc::new(AtomicBool::new(false));
    {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            std::thread::sleep(deadline.saturating_duration_since(std::time::Instant::now()));
            stop.store(true, Ordering::SeqCst);
        });
    }
    let mut batched = Batched::records(inputs);
    let mut latest: Vec<Snapshot> = Vec::new();
    let healthy = |latest: &[Snapshot]| {
        let now = crate::clock::now();
        !latest.is_empty()
            && latest.iter().all(|s| {
                verdicts(s, rules, now)
                    .iter()
                    .all(|v| matches!(v, Verdict::Ok(_)))
            })
    };
    loop {
        match batched.next(Some(&stop)) {
            Incoming::Item(Record::Snapshot(snapshot)) => {
                match latest.iter_mut().find(|s| s.provider == snapshot.provider) {
                    Some(held) => *held = *snapshot,
                    None => latest.push(*snapshot),
                }
                if std::time::Instant::now() >= deadline {
                    return timed_out(&latest, rules, wait, out);
                }
            }
            Incoming::Item(_) => {}
            Incoming::Quiet if healthy(&latest) => {
                say(&latest, rules, out, false)?;
                return Ok(Exit::Success);
            }
            Incoming::Quiet => {}
            Incoming::End(_) if stop.load(Ordering::SeqCst) => {
                return timed_out(&latest, rules, wait, out);
            }
            // The input ended: its last batch decides, and none healthy is no verdict.
            Incoming::End(_) if healthy(&latest) => {
                say(&latest, rules, out, false)?;
                return Ok(Exit::Success);
            }
            Incoming::End(_) => {
                say(&latest, rules, out, true)?;
                eprintln!("statusq: the input ended before every page was healthy (--wait)");
                return Ok(Exit::Partial);
            }
            Incoming::Failed(error) => return Err(error),
        }
    }
}

fn timed_out(
    latest: &[Snapshot],
    rules: &Rules,
    wait: std::time::Duration,
    out: &mut Output,
) -> Result<Exit, Error> {
    say(latest, rules, out, true)?;
    eprintln!(
        "statusq: still broken after {}",
        humantime::format_duration(wait)
    );
    Ok(Exit::Found)
}

/// A verdict line per page (only those not ok when `only_broken`).
fn say(
    latest: &[Snapshot],
    rules: &Rules,
    out: &mut Output,
    only_broken: bool,
) -> Result<(), Error> {
    let now = crate::clock::now();
    for snapshot in latest {
        for verdict in verdicts(snapshot, rules, now) {
            if only_broken && matches!(verdict, Verdict::Ok(_)) {
                continue;
            }
            out.text(&format!(
                "{}  {:<7} {}\n",
                one_line(&snapshot.provider),
                verdict.word(),
                verdict.detail()
            ))?;
        }
    }
    out.flush()
}
