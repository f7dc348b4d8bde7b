//! `statusq notify`: deliver events to Slack, Discord, Teams, PagerDuty and webhooks.
//!
//! Reads: `event` records (stdin, or `--input` files); snapshots are ignored.
//! Writes: nothing on stdout; a line on stderr per target with a problem (and a summary on a
//! terminal). Each target's outbox and delivered ids live in the state directory.
//!
//! ```text
//! $ statusq fetch github | statusq diff | statusq notify ops
//! ```
//!
//! Routing, holds, payloads, the outbox and sending are [`crate::notify`]'s.

use crate::cli::NotifyArgs;
use crate::clock;
use crate::error::{Error, Exit};
use crate::model::{Event, Record};
use crate::ndjson::{read_in_background, Incoming};
use crate::notify::config::resolve_all;
use crate::notify::run::{run_all, Options};
use crate::notify::send::{SendConfig, Sender};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

/// Runs `statusq notify`.
pub fn run(args: NotifyArgs, config: Option<&Path>) -> Result<Exit, Error> {
    let targets = resolve_all(&args.targets, config)?;
    if targets.is_empty() {
        return Err(Error::Usage(
            "no target: name a [notify.NAME] of the config file, or give a webhook URL".into(),
        ));
    }
    let dir = crate::notify::run::outbox_dir(args.outbox.clone())?;

    let options = Options {
        dir,
        wait: args.wait,
        forget: args.forget_after,
    };
    let send = SendConfig {
        timeout: args.timeout,
        retries: args.retries,
        backoff: Duration::from_millis(500),
    };
    // Delivers a batch (possibly empty: what waits in the outboxes) and says what went wrong.
    let (mut refused, mut failed) = (false, false);
    let terminal = std::io::stderr().is_terminal();
    let mut deliver = |events: &[Event]| -> Result<(), Error> {
        let sender = Sender::new(send.clone(), Instant::now() + args.max_time);
        for (name, report) in run_all(&targets, events, &options, &sender, clock::now())? {
            refused |= report.refused;
            failed |= report.failed > 0;
            match report.problem_line(&name) {
                Some(line) => eprintln!("{line}"),
                None if terminal => eprintln!("{}", report.summary_line(&name)),
                None => {}
            }
        }
        Ok(())
    };

    // With nothing piped in, only the outboxes are retried. Otherwise the input is delivered
    // in batches: whatever has come when it pauses, and at its end, so `… | diff | notify`
    // delivers as it goes in a long-running pipeline too.
    let mut skipped = 0;
    if args.input.is_empty() && std::io::stdin().is_terminal() {
        deliver(&[])?;
    } else {
        let inputs = crate::ndjson::Inputs::open(&args.input, args.max_line)?;
        let records = read_in_background(inputs);
        let mut batch: Vec<Event> = Vec::new();
        loop {
            match records.recv_timeout(PAUSE) {
                Ok(Incoming::Record(Record::Event(event))) => batch.push(*event),
                Ok(Incoming::Record(Record::Snapshot(_))) => {}
                Ok(Incoming::End(count)) => {
                    skipped = count;
                    break;
                }
                Ok(Incoming::Failed(error)) => {
                    deliver(&batch)?;
                    return Err(error);
                }
                Err(RecvTimeoutError::Timeout) if !batch.is_empty() => {
                    deliver(&batch)?;
                    batch.clear();
                }
                Err(RecvTimeoutError::Timeout) => {}
                Err(RecvTimeoutError::Disconnected) => break,
            }
        }
        deliver(&batch)?;
    }
    Ok(if refused {
        Exit::Failed
    } else if failed || skipped > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// How long the input may pause before what has come is delivered.
const PAUSE: Duration = Duration::from_millis(200);
