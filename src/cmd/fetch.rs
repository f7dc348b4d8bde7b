//! `statusq fetch`: poll status pages concurrently, write one `snapshot` per provider.
//!
//! Reads: the network (catalog ids, URLs) or saved payloads (files, `-` for stdin).
//! Writes: one `snapshot` record per provider, in the order the providers were given.
//!
//! ```text
//! $ statusq fetch github openai | jq -c '{provider, ok, indicator: .status.indicator}'
//! {"provider":"github","ok":true,"indicator":"none"}
//! {"provider":"openai","ok":true,"indicator":"minor"}
//! ```
//!
//! The fetching is [`crate::engine`]'s; with `--watch`, [`crate::engine::poll`] repeats it.

use crate::cli::FetchArgs;
use crate::cmd::{engine, schedule};
use crate::config::Config;
use crate::engine::poll::{stop_flag, wait_for_output, Poller};
use crate::error::{Error, Exit};
use crate::model::Record;
use crate::ndjson::Output;
use crate::providers::{Catalog, Shard};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

/// Runs `statusq fetch`.
pub fn run(args: FetchArgs, config: Option<&Path>, out: &mut Output) -> Result<Exit, Error> {
    let catalog = Catalog::load(&Config::load(config)?)?;
    let targets = Shard::select(
        args.shard,
        catalog.targets(&catalog.with_tags(&args.providers, &args.tags)?, args.all)?,
    );
    let schedule = match args.watch {
        Some(interval) => Some(schedule("--watch", interval, &args.poll)?),
        None => None,
    };
    let mut engine = engine(&args.http, &args.poll, args.watch.is_some())?;
    let Some(schedule) = schedule else {
        let mut any_failed = false;
        // A person reading a terminal does not read a long JSON line: failures are also said.
        let terminal = std::io::stdout().is_terminal();
        engine.fetch_all(targets, |snapshot| {
            any_failed |= !snapshot.ok;
            if terminal && !snapshot.ok {
                eprintln!(
                    "{}",
                    crate::render::describe::fetch_failure(&snapshot, None)
                );
            }
            out.record(&Record::Snapshot(Box::new(snapshot)))
        })?;
        out.flush()?;
        return Ok(if any_failed {
            Exit::Partial
        } else {
            Exit::Success
        });
    };
    let terminal = std::io::stdout().is_terminal();
    let stop = stop_flag()?;
    engine.cancel_on(Arc::clone(&stop));
    let mut poller = Poller::new(targets, engine, schedule);
    loop {
        poller.poll_due(|snapshot, next_poll| {
            if terminal && !snapshot.ok {
                let line = crate::render::describe::fetch_failure(&snapshot, Some(next_poll));
                eprintln!("{line}");
            }
            out.record(&Record::Snapshot(Box::new(snapshot)))?;
            out.flush()
        })?;
        if !wait_for_output(poller.next_due(), &stop, true) {
            return Ok(Exit::Success);
        }
    }
}
