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
use crate::notify::config::Targets;
use crate::notify::run::{run_all, Options};
use crate::notify::send::{SendConfig, Sender};
use crate::notify::Target;
use std::io::IsTerminal;
use std::path::Path;
use std::time::{Duration, Instant};

/// Runs `statusq notify`.
pub fn run(args: NotifyArgs, config: Option<&Path>) -> Result<Exit, Error> {
    let registry = Targets::load(config)?;
    let words: Vec<String> = if args.targets.is_empty() {
        registry.names().into_iter().map(String::from).collect()
    } else {
        args.targets.clone()
    };
    if words.is_empty() {
        return Err(Error::Usage(
            "no target: name a [notify.NAME] of the config file, or give a webhook URL".into(),
        ));
    }
    let env = |name: &str| std::env::var(name).ok();
    let targets: Vec<Target> = words
        .iter()
        .map(|word| registry.resolve(word, &env))
        .collect::<Result<_, _>>()?;
    let dir = match args.outbox.clone() {
        Some(dir) => dir,
        None => crate::notify::outbox::default_dir("x")
            .and_then(|d| d.parent().map(Path::to_path_buf))
            .ok_or_else(|| Error::Usage("no state directory known: pass --outbox DIR".into()))?,
    };

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
        if let Some(problem) = &report.problem {
            refused |= report.refused;
            failed |= report.failed > 0;
            let what = if report.refused {
                "refused (check the target's URL and key)"
            } else {
                "not delivered now"
            };
            eprintln!(
                "statusq: notify {name}: {problem}; {} event(s) {what}, kept in its outbox",
                report.failed
            );
        } else if terminal {
            eprintln!(
                "statusq: notify {name}: {} event(s) delivered in {} request(s){}",
                report.delivered,
                report.requests,
                match report.held {
                    0 => String::new(),
                    n => format!(", {n} held"),
                }
            );
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
