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
use crate::model::Record;
use crate::ndjson::RecordReader;
use crate::notify::config::resolve_all;
use crate::notify::run::{run_all, Options};
use crate::notify::send::{SendConfig, Sender};
use std::io::IsTerminal;
use std::path::Path;
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

    // With nothing piped in, only the outboxes are retried.
    let mut events = Vec::new();
    let mut skipped = 0;
    if !(args.input.is_empty() && std::io::stdin().is_terminal()) {
        let inputs = crate::ndjson::Inputs::open(&args.input, args.max_line)?;
        let mut reader = RecordReader::new(inputs);
        while let Some(record) = reader.next_record()? {
            if let Record::Event(event) = record {
                events.push(*event);
            }
        }
        skipped = reader.skipped;
    }

    let sender = Sender::new(
        SendConfig {
            timeout: args.timeout,
            retries: args.retries,
            backoff: Duration::from_millis(500),
        },
        Instant::now() + args.max_time,
    );
    let options = Options {
        dir,
        wait: args.wait,
        forget: args.forget_after,
    };
    let reports = run_all(&targets, &events, &options, &sender, clock::now())?;
    let (mut refused, mut failed) = (false, false);
    let terminal = std::io::stderr().is_terminal();
    for (name, report) in &reports {
        refused |= report.refused;
        failed |= report.failed > 0;
        match report.problem_line(name) {
            Some(line) => eprintln!("{line}"),
            None if terminal => eprintln!("{}", report.summary_line(name)),
            None => {}
        }
    }
    Ok(if refused {
        Exit::Failed
    } else if failed || skipped > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}
