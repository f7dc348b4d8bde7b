//! `statusq notify`: deliver events to Slack, Discord, Teams, PagerDuty and webhooks.
//!
//! Reads: `event` records (stdin, or `--input` files); snapshots are ignored.
//! Writes: nothing on stdout (but `--dead-letters`, which prints `dead_letter` records); a line
//! on stderr per target with a problem (and a summary on a terminal). Each target's outbox,
//! delivered ids and dead letters live in the state directory.
//!
//! ```text
//! $ statusq fetch github | statusq diff | statusq notify ops
//! ```
//!
//! Routing, holds, payloads, the outbox and sending are [`crate::notify`]'s.

use crate::cli::NotifyArgs;
use crate::clock;
use crate::config::Config;
use crate::error::{Error, Exit};
use crate::model::{Event, Record};
use crate::ndjson::{Batched, Incoming, Output};
use crate::notify::config::resolve_all;
use crate::notify::outbox::dead_letters;
use crate::notify::run::{rehearse, run_all, Settings};
use crate::notify::Target;
use std::io::IsTerminal;
use std::path::Path;

/// Runs `statusq notify`.
pub fn run(args: NotifyArgs, config: Option<&Path>, out: &mut Output) -> Result<Exit, Error> {
    let config = Config::load(config)?;
    let mut settings = super::notify_settings(&args.delivery, args.retry_dead)?;
    if args.dead_letters {
        // Listing needs no secret: with no target named, every outbox there is.
        let outboxes = if args.targets.is_empty() {
            crate::notify::outbox::all(&settings.dir)?
        } else {
            let targets = resolve_all(&args.targets, &config)?;
            targets.into_iter().map(|t| t.outbox).collect()
        };
        for outbox in outboxes {
            for letter in dead_letters(&settings.dir.join(outbox))? {
                out.record(&letter)?;
            }
        }
        out.flush()?;
        return Ok(Exit::Success);
    }
    let targets = resolve_all(&args.targets, &config)?;
    if targets.is_empty() {
        return Err(Error::Usage(
            "no target: name a [notify.NAME] of the config file, or give a webhook URL".into(),
        ));
    }
    if args.dry_run {
        return dry_run(&args, &targets, &settings.dir, out);
    }

    // Delivers a batch (possibly empty: what waits in the outboxes) and says what went wrong.
    let (mut refused, mut failed, mut busy) = (false, false, false);
    let terminal = std::io::stderr().is_terminal();
    let mut deliver = |events: &[Event], settings: &mut Settings| -> Result<(), Error> {
        for (name, report) in run_all(&targets, events, settings, clock::now())? {
            refused |= report.refused;
            failed |= report.failed > 0 || report.dead > 0 || report.unreadable > 0;
            busy |= report.locked;
            let lines = report.problem_lines(&name);
            if lines.is_empty() && terminal {
                eprintln!("{}", report.summary_line(&name));
            }
            for line in lines {
                eprintln!("{line}");
            }
        }
        // Dead letters are put back once, by the first batch.
        settings.revive = false;
        Ok(())
    };

    // With nothing piped in, only the outboxes are retried. Otherwise the input is delivered
    // in batches: whatever has come when it pauses (ndjson::QUIET), and at its end, so
    // `… | diff | notify` delivers as it goes in a long-running pipeline too.
    let mut skipped = 0;
    if args.input.is_empty() && std::io::stdin().is_terminal() {
        deliver(&[], &mut settings)?;
    } else {
        let inputs = crate::ndjson::Inputs::open(&args.input, args.max_line)?;
        let mut records = Batched::records(inputs);
        let mut batch: Vec<Event> = Vec::new();
        loop {
            match records.next(None) {
                Incoming::Item(Record::Event(event)) => batch.push(*event),
                Incoming::Item(Record::Snapshot(_)) => {}
                Incoming::Quiet if !batch.is_empty() => {
                    deliver(&batch, &mut settings)?;
                    batch.clear();
                }
                Incoming::Quiet => {}
                Incoming::End(count) => {
                    skipped = count;
                    break;
                }
                Incoming::Failed(error) => {
                    deliver(&batch, &mut settings)?;
                    return Err(error);
                }
            }
        }
        deliver(&batch, &mut settings)?;
    }
    Ok(if refused {
        Exit::Failed
    } else if failed || skipped > 0 {
        Exit::Partial
    } else if busy {
        Exit::Busy
    } else {
        Exit::Success
    })
}

/// `--dry-run`: every event of the input, through each target's route and hold, as the
/// requests a run would make, on stdout; nothing read but the input and the threads' roots,
/// nothing written.
fn dry_run(
    args: &NotifyArgs,
    targets: &[Target],
    dir: &Path,
    out: &mut Output,
) -> Result<Exit, Error> {
    let mut events = Vec::new();
    let mut skipped = 0;
    if !(args.input.is_empty() && std::io::stdin().is_terminal()) {
        let inputs = crate::ndjson::Inputs::open(&args.input, args.max_line)?;
        let mut records = Batched::records(inputs);
        loop {
            match records.next(None) {
                Incoming::Item(Record::Event(event)) => events.push(*event),
                Incoming::Item(Record::Snapshot(_)) | Incoming::Quiet => {}
                Incoming::End(count) => {
                    skipped = count;
                    break;
                }
                Incoming::Failed(error) => return Err(error),
            }
        }
    }
    let now = clock::now();
    let mut unusable = false;
    for target in targets {
        let requests = match rehearse(target, &events, &dir.join(&target.outbox), now) {
            Ok(requests) => requests,
            Err(error) => {
                eprintln!("statusq: {error}");
                unusable = true;
                continue;
            }
        };
        for request in &requests {
            out.record(&request.record(target))?;
        }
        let carried: usize = requests.iter().map(|r| r.ids.len()).sum();
        eprintln!(
            "statusq: notify {} (dry run): {} request(s) carrying {carried} event(s); nothing sent",
            target.name,
            requests.len()
        );
    }
    out.flush()?;
    Ok(if unusable {
        Exit::Failed
    } else if skipped > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}
