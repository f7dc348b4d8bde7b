//! `statusq watch`: the all-in-one tracker — poll, keep only what is new, print it.
//!
//! Reads: the network. Writes: events as text (or markdown, json); the state file and the HTTP
//! cache in the XDG directories.
//!
//! ```text
//! $ statusq watch github openai
//! 2026-11-22 03:12 UTC  GitHub: new incident, investigating [minor]
//! Incident with Actions
//!   We are investigating reports of degraded performance for Actions.
//! ```
//!
//! fetch --watch, diff and render in one process: [`crate::engine::poll`] polls,
//! [`crate::state::delivery::Ledger`] keeps the state (each cycle's events are written and
//! flushed before the state recording them is committed, as in `diff`), [`crate::render`]
//! prints. SIGINT, SIGTERM and SIGHUP cut the cycle short (the engine abandons requests still
//! out), commit what was printed, and exit 0.

use crate::cli::WatchArgs;
use crate::cmd::{engine, schedule};
use crate::diff::Options;
use crate::engine::poll::{stop_flag, wait_for_output, Poller};
use crate::error::{Error, Exit};
use crate::model::Record;
use crate::ndjson::Output;
use crate::providers::Catalog;
use crate::render;
use crate::state::default_state_path;
use crate::state::delivery::Ledger;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

/// Runs `statusq watch`.
pub fn run(args: WatchArgs, config: Option<&Path>, out: &mut Output) -> Result<Exit, Error> {
    let format = args.style.format;
    if !format.streams() {
        return Err(Error::Usage(
            "watch prints text, markdown or json; for other formats use \
             `statusq fetch --watch 60s | statusq diff | statusq render -f FORMAT`"
                .into(),
        ));
    }
    let catalog = Catalog::load(config)?;
    let targets = catalog.targets(&catalog.default_watch(&args.providers), false)?;
    let path = match args.state {
        Some(path) => path,
        None => default_state_path().ok_or_else(|| {
            Error::Usage("no state directory known for this user: pass --state FILE".into())
        })?,
    };
    let options = Options {
        replay: args.replay,
        fail_after: args.fail_after,
        ..Options::default()
    };
    let mut ledger = Ledger::open(&path, options)?;
    let stop = stop_flag()?;
    let mut engine = engine(&args.http, &args.poll, true)?;
    engine.cancel_on(Arc::clone(&stop));
    let style = crate::terminal::style(&args.style, None, std::io::stdout().is_terminal());
    // Events a previous run may have died before printing come first.
    let in_doubt = ledger.take_in_doubt();
    let print = |out: &mut Output, events: Vec<crate::model::Event>| -> Result<(), Error> {
        if format == render::RenderFormat::Text {
            // One poll's events of a provider as a digest, not a block per component.
            out.text(&render::text::digest(&events, &style))?;
            return out.flush();
        }
        for event in events {
            let record = Record::Event(Box::new(event));
            out.text(&render::streaming(&record, format, &style, false)?)?;
        }
        out.flush()
    };
    ledger.deliver(in_doubt, |events| print(out, events))?;
    let mut poller = Poller::new(targets, engine, schedule(args.interval, &args.poll));
    loop {
        let mut any_failed = false;
        poller.poll_due(|snapshot| {
            any_failed |= !snapshot.ok;
            // Each provider's events are committed (in doubt) before they are printed.
            let events = ledger.apply(&snapshot);
            ledger.deliver(events, |events| print(out, events))
        })?;
        ledger.commit()?;
        if args.once {
            return Ok(if any_failed {
                Exit::Partial
            } else {
                Exit::Success
            });
        }
        if !wait_for_output(poller.next_due(), &stop, true) {
            return Ok(Exit::Success);
        }
    }
}
