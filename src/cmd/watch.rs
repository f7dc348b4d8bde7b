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
//! Each cycle's events are written and flushed before the state recording them is committed, as
//! in `diff`; SIGINT and SIGTERM let the cycle finish, commit, and exit 0.

use crate::cli::{RenderFormat, WatchArgs};
use crate::cmd::{fetch, render};
use crate::diff::{self, Options};
use crate::error::{Error, Exit};
use crate::model::{Record, Timestamp};
use crate::ndjson::Output;
use crate::poll::{stop_flag, wait_until, Poller, Schedule};
use crate::providers::Catalog;
use crate::state::{default_state_path, StateFile};
use std::io::IsTerminal;
use std::path::Path;

/// Runs `statusq watch`.
pub fn run(args: WatchArgs, config: Option<&Path>, out: &mut Output) -> Result<Exit, Error> {
    if !matches!(
        args.format,
        RenderFormat::Text | RenderFormat::Markdown | RenderFormat::Json
    ) {
        return Err(Error::Usage(
            "watch prints text, markdown or json; for other formats use \
             `statusq fetch --watch 60s | statusq diff | statusq render -f FORMAT`"
                .into(),
        ));
    }
    let catalog = Catalog::load(config)?;
    let words = default_providers(&args.providers, &catalog);
    let targets = fetch::targets(&words, false, &catalog)?;
    let path = match args.state {
        Some(path) => path,
        None => default_state_path().ok_or_else(|| {
            Error::Usage("no state directory known for this user: pass --state FILE".into())
        })?,
    };
    let file = StateFile::lock(&path)?;
    let mut state = file.load()?;
    let client = fetch::client(&args.http, &args.poll, true)?;
    let stop = stop_flag()?;
    let style = render::style(
        args.color,
        None,
        args.local,
        std::io::stdout().is_terminal(),
    );
    let options = Options {
        replay: args.replay,
        fail_after: args.fail_after,
        ..Options::default()
    };
    let schedule = Schedule {
        interval: args.interval,
        fast: args.poll.fast,
    };
    let mut poller = Poller::new(
        targets,
        client,
        args.http.max_body,
        args.http.concurrency as usize,
        schedule,
    );
    loop {
        let mut latest: Option<Timestamp> = None;
        let mut any_failed = false;
        poller.poll_due(|snapshot| {
            any_failed |= !snapshot.ok;
            latest = latest.max(Some(snapshot.fetched_at));
            for event in diff::apply(&mut state, &snapshot, &options) {
                let record = Record::Event(Box::new(event));
                out.text(&render::streaming(&record, args.format, &style, false)?)?;
            }
            out.flush()
        })?;
        if let Some(now) = latest {
            diff::forget_providers(&mut state, now, &options);
            file.commit(&state)?;
        }
        if args.once {
            return Ok(if any_failed {
                Exit::Partial
            } else {
                Exit::Success
            });
        }
        if !wait_until(poller.next_due(), &stop) {
            return Ok(Exit::Success);
        }
    }
}

/// The providers named, else the config file's, else `openai`.
pub fn default_providers(words: &[String], catalog: &Catalog) -> Vec<String> {
    if !words.is_empty() {
        return words.to_vec();
    }
    let configured: Vec<String> = catalog
        .all()
        .iter()
        .filter(|p| p.origin == "config")
        .map(|p| p.id.clone())
        .collect();
    if configured.is_empty() {
        vec!["openai".to_string()]
    } else {
        configured
    }
}
