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
//! [`crate::pipeline::ledger::Ledger`] keeps the state (each cycle's events are written and
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
use crate::notify::run::Notifier;
use crate::notify::send::SendConfig;
use crate::pipeline::ledger::Ledger;
use crate::providers::{Catalog, Shard};
use crate::render;
use crate::state::default_state_path;
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

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
    let targets = Shard::select(
        args.shard,
        catalog.targets(&catalog.default_watch(&args.providers), false)?,
    );
    let path = match args.state.clone() {
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
    // Notify targets are resolved first: a config error stops before anything is polled. Only
    // the targets named are: without --notify, none is, and their secrets are never looked for.
    let notifier = Notifier {
        targets: if args.notify.is_empty() {
            Vec::new()
        } else {
            crate::notify::config::resolve_all(&args.notify, config)?
        },
        options: crate::notify::run::Options {
            dir: crate::notify::run::outbox_dir(None)?,
            wait: Duration::from_secs(60),
            forget: Duration::from_secs(30 * 86_400),
            revive: false,
        },
        send: SendConfig {
            timeout: args.http.timeout,
            retries: args.http.retries,
            backoff: Duration::from_millis(500),
        },
        max_time: NOTIFY_TIME,
    };
    let mut ledger = Ledger::open(&path, options)?;
    let stop = stop_flag()?;
    let mut engine = engine(&args.http, &args.poll, true)?;
    engine.cancel_on(Arc::clone(&stop));
    let interactive = std::io::stdout().is_terminal() && !args.quiet;
    let style = crate::terminal::style(&args.style, None, std::io::stdout().is_terminal());
    if std::io::stderr().is_terminal() && !args.quiet {
        eprintln!("{}", start_line(&targets, &args, &path));
    }
    // Events a previous run may have died before printing come first.
    let in_doubt = ledger.take_in_doubt();
    // Whether every notify target took everything due (for --once's exit status).
    let notified = std::cell::Cell::new(true);
    let print = |out: &mut Output, events: Vec<crate::model::Event>| -> Result<(), Error> {
        show(out, &events, format, &style)?;
        // Spooled in every target's outbox before this returns, so before the state is
        // committed clean.
        if !args.notify.is_empty() && !notifier.deliver(&events, crate::clock::now())? {
            notified.set(false);
        }
        Ok(())
    };
    ledger.deliver(in_doubt, |events| print(out, events))?;
    let mut poller = Poller::new(targets, engine, schedule(args.interval, &args.poll));
    // Providers polled at least once: the first sight of each is said in full on a terminal.
    let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
    loop {
        let mut any_failed = false;
        poller.poll_due(|snapshot| {
            any_failed |= !snapshot.ok;
            if seen.insert(snapshot.provider.clone()) {
                if !snapshot.ok && std::io::stderr().is_terminal() && !args.quiet {
                    // At once, on a terminal; the event waits for --fail-after as always.
                    let why = snapshot
                        .error
                        .as_ref()
                        .map(|e| crate::sanitize::one_line(&e.message))
                        .unwrap_or_default();
                    eprintln!(
                        "statusq: {} cannot be fetched: {why}",
                        crate::sanitize::one_line(&snapshot.name)
                    );
                }
                if interactive && snapshot.ok && format == render::RenderFormat::Text {
                    out.text(&render::text::board(&snapshot, &style))?;
                    out.flush()?;
                }
            }
            // Each provider's events are committed (in doubt) before they are printed.
            let events = ledger.apply(&snapshot);
            ledger.deliver(events, |events| print(out, events))
        })?;
        ledger.commit()?;
        // Held changes that came due, and what a target did not take before, go now.
        if !args.notify.is_empty() && !notifier.deliver(&[], crate::clock::now())? {
            notified.set(false);
        }
        if args.once {
            return Ok(if any_failed || !notified.get() {
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

/// Writes a poll's events: a digest in text and Markdown, records one by one otherwise.
fn show(
    out: &mut Output,
    events: &[crate::model::Event],
    format: render::RenderFormat,
    style: &render::Style,
) -> Result<(), Error> {
    // One poll's events of a provider as a digest, not a block per component.
    if let Some(digest) = render::digest(events, format, style) {
        out.text(&digest)?;
        return out.flush();
    }
    for event in events {
        let record = Record::Event(Box::new(event.clone()));
        out.text(&render::streaming(&record, format, style, false)?)?;
    }
    out.flush()
}

/// How long `watch` spends delivering to its notify targets after a poll.
const NOTIFY_TIME: Duration = Duration::from_secs(30);

/// What `watch` says on a terminal as it starts: what it watches, how often, where its state is.
fn start_line(targets: &[crate::providers::Target], args: &WatchArgs, state: &Path) -> String {
    let names: Vec<String> = targets
        .iter()
        .map(|t| crate::sanitize::one_line(t.name()))
        .collect();
    let shown = match names.len() {
        0..=5 => names.join(", "),
        n => format!("{}, … ({n} pages)", names[..4].join(", ")),
    };
    let every = humantime::format_duration(args.interval);
    let fast = args
        .poll
        .fast
        .map(|f| {
            format!(
                ", every {} while something is open",
                humantime::format_duration(f)
            )
        })
        .unwrap_or_default();
    format!(
        "statusq: watching {shown} every {every}{fast}; state {} (Ctrl-C stops)",
        state.display()
    )
}
