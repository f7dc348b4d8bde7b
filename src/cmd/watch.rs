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
//! fetch --watch, diff and render in one process, on [`crate::pipeline`]'s path: the poller
//! polls, the ledger keeps the state (each provider's events are committed in doubt before
//! they are printed, as in `diff`), this file's printer is the sink, and with `--notify` the
//! printer also spools the events for the [`Courier`], which sends them on a thread of its own.
//! SIGINT, SIGTERM and SIGHUP cut the cycle short (the engine abandons requests still out),
//! commit what was printed, and exit 0.

use crate::cli::{DeliveryArgs, WatchArgs};
use crate::cmd::{engine, schedule};
use crate::config::Config;
use crate::engine::poll::{stop_flag, wait_for_output, Poller};
use crate::error::{Error, Exit};
use crate::ndjson::Output;
use crate::pipeline::courier::Courier;
use crate::pipeline::printer::Printer;
use crate::pipeline::{poll_cycle, resume, Batch, Ledger};
use crate::providers::{Catalog, Shard};
use crate::terminal::Waited;
use std::collections::{HashMap, HashSet};
use std::io::IsTerminal;
use std::path::Path;
use std::sync::Arc;

/// Runs `statusq watch`.
pub fn run(args: WatchArgs, config_path: Option<&Path>, out: &mut Output) -> Result<Exit, Error> {
    let format = args.style.format;
    if !format.streams() {
        return Err(Error::Usage(
            "watch prints text, markdown or json; for other formats use \
             `statusq fetch --watch 60s | statusq diff | statusq render -f FORMAT`"
                .into(),
        ));
    }
    let config = Config::load(config_path)?;
    let catalog = Catalog::load(&config)?;
    let targets = Shard::select(
        args.shard,
        catalog.targets(
            &catalog.default_watch(&catalog.with_tags(&args.providers, &args.tags)?),
            false,
        )?,
    );
    let path = match args.state.clone() {
        Some(path) => path,
        None => crate::dirs::state_file().ok_or_else(|| {
            Error::Usage("no state directory known for this user: pass --state FILE".into())
        })?,
    };
    let options = super::diff_options(&args.ledger, args.replay, &config.remind)?;
    let schedule = schedule("--interval", args.interval, &args.poll)?;
    let stop = stop_flag()?;
    // Notify targets are resolved first: a config error stops before anything is polled. Only
    // the targets named are: without --notify, none is, and their secrets are never looked for.
    let courier = if args.notify.is_empty() {
        None
    } else {
        let targets = crate::notify::config::resolve_all(&args.notify, &config)?;
        let settings = super::notify_settings(&DeliveryArgs::defaults(), false)?;
        Some(Courier::start(targets, settings, Arc::clone(&stop))?)
    };
    let mut ledger = Ledger::open(&path, options)?;
    let mut engine = engine(&args.http, &args.poll, true)?;
    engine.cancel_on(Arc::clone(&stop));
    let terminal = std::io::stderr().is_terminal() && !args.quiet;
    let style = crate::terminal::style(&args.style, None, std::io::stdout().is_terminal());
    if terminal {
        eprintln!("{}", start_line(&targets, &args, &path));
    }
    let mut printer = Printer {
        out,
        format,
        style: &style,
        courier: courier.as_ref(),
        boards: std::io::stdout().is_terminal() && !args.quiet,
        terminal,
        seen: HashSet::new(),
        unresolved: 0,
        polls: HashMap::new(),
        boarded: None,
        keep_latest: false,
        latest: Vec::new(),
    };
    // Events a previous run may have died before printing come first.
    resume(&mut ledger, &mut printer)?;
    // Keys only with a person at a terminal, and never with --once; `q`, a signal or a
    // panic gives the terminal back as it was (Keys' drop).
    let keys = (!args.once && args.polls.is_none())
        .then(crate::terminal::Keys::start)
        .flatten();
    if keys.is_some() && terminal {
        eprintln!("statusq: {}", crate::terminal::KEYS_HELP);
    }
    printer.keep_latest = keys.is_some();
    let mut poller = Poller::new(targets, engine, schedule);
    let mut cycles = 0;
    loop {
        let cycle = poll_cycle(&mut poller, &mut ledger, &mut printer, Batch::EachSnapshot)?;
        cycles += 1;
        if cycles == 1 && cycle.polled > 0 && printer.terminal && printer.unresolved == cycle.polled
        {
            eprintln!("statusq: no network? `statusq demo` shows what this looks like, offline");
        }
        let played = |polls: u32| {
            printer.polls.len() == poller.len() && printer.polls.values().all(|&n| n >= polls)
        };
        if args.polls.is_some_and(played) {
            return Ok(Exit::Success);
        }
        if args.once {
            // The round that decides the exit status: everything spooled, sent or kept.
            let notified = courier.as_ref().is_none_or(Courier::deliver_now);
            return Ok(if cycle.failed > 0 || !notified {
                Exit::Partial
            } else {
                Exit::Success
            });
        }
        // Held changes that came due, and what a target did not take before, go now.
        if let Some(courier) = &courier {
            courier.wake();
        }
        let Some(keys) = &keys else {
            if !wait_for_output(poller.next_due(), &stop, true) {
                return Ok(Exit::Success);
            }
            continue;
        };
        loop {
            match keys.wait(poller.next_due(), &stop) {
                Waited::Due => break,
                Waited::Stopped | Waited::Key(b'q' | b'Q') => return Ok(Exit::Success),
                Waited::Key(key) => printer.key(key)?,
            }
        }
    }
}

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
