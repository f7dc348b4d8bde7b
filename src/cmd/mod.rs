//! The commands: one thin shell per subcommand, each with `run(args, …) -> Result<Exit, Error>`
//! — arguments in, the engine, the pipeline or renderers called, records out. The work itself
//! lives in the library modules ([`crate::engine`], [`crate::pipeline`], [`crate::diff`],
//! [`crate::render`], [`crate::server`], [`crate::notify`], [`crate::gate`]), which never
//! import a command. This file turns the flags several commands share into those parts, once.

pub mod check;
pub mod demo;
pub mod diff;
pub mod fetch;
pub mod generate;
pub mod notify;
pub mod providers;
pub mod render;
pub mod report;
pub mod serve;
pub mod watch;

use crate::cli::{DeliveryArgs, HttpArgs, LedgerArgs, PollArgs};
use crate::engine::poll::Schedule;
use crate::engine::{Engine, Settings};
use crate::error::Error;
use crate::ndjson::Inputs;
use std::path::PathBuf;
use std::time::Duration;

/// The fetch engine the HTTP and polling flags describe. Long-running commands keep a
/// conditional-request cache unless told not to.
fn engine(http: &HttpArgs, poll: &PollArgs, cache_by_default: bool) -> Result<Engine, Error> {
    let cache = match (&poll.cache, poll.no_cache, cache_by_default) {
        (_, true, _) => None,
        (Some(dir), _, _) => Some(dir.clone()),
        (None, _, true) => crate::dirs::cache_dir(),
        (None, _, false) => None,
    };
    // What format detection found is remembered beside the cache (or in the default cache
    // directory when there is no cache), unless --no-cache.
    let memory = match (&poll.cache, poll.no_cache) {
        (_, true) => None,
        (Some(dir), _) => Some(dir.clone()),
        (None, false) => crate::dirs::cache_dir(),
    };
    Engine::open(Settings {
        http: http.config(),
        memory,
        cache,
        refetch_every: poll.refetch_every,
        concurrency: http.concurrency as usize,
    })
}

/// What the diff state remembers, from the flags `diff`, `watch` and `serve` share.
/// The diff rules from the shared flags; `--remind` falls back to the config file's `remind`
/// (`watch` and `serve`, which read it) when not given.
fn diff_options(
    ledger: &LedgerArgs,
    replay: bool,
    config_remind: &[Duration],
) -> Result<crate::diff::Options, Error> {
    let remind = if ledger.remind.is_empty() {
        config_remind
    } else {
        &ledger.remind
    };
    Ok(crate::diff::Options {
        replay,
        fail_after: ledger.fail_after,
        forget_after: time::Duration::try_from(ledger.forget_after)
            .map_err(|_| Error::Usage("--forget-after is too long".into()))?,
        remind: remind
            .iter()
            .map(|lead| {
                time::Duration::try_from(*lead)
                    .map_err(|_| Error::Usage("--remind is too long".into()))
            })
            .collect::<Result<_, _>>()?,
    })
}

/// How notify targets are delivered to, from the flags `notify` has and `watch --notify` takes
/// the defaults of.
fn notify_settings(
    delivery: &DeliveryArgs,
    revive: bool,
) -> Result<crate::notify::run::Settings, Error> {
    Ok(crate::notify::run::Settings {
        dir: crate::notify::run::outbox_dir(delivery.outbox.clone())?,
        wait: delivery.wait,
        forget: delivery.forget_after,
        revive,
        send: crate::notify::send::SendConfig {
            timeout: delivery.timeout,
            retries: delivery.retries,
            backoff: Duration::from_millis(500),
        },
        max_time: delivery.max_time,
    })
}

/// When to poll: every `interval` (given by the flag `flag`), or `--fast` while a provider is
/// busy; below the floors only with --allow-short-intervals.
fn schedule(flag: &str, interval: Duration, poll: &PollArgs) -> Result<Schedule, Error> {
    poll.check_intervals(flag, interval).map_err(Error::Usage)?;
    Ok(Schedule {
        interval,
        fast: poll.fast,
    })
}

/// Opens the record inputs a command names (none: stdin). On a terminal with nothing piped in,
/// says on stderr what it expects rather than waiting silently, and still reads what is typed.
fn inputs(
    files: &[PathBuf],
    max_line: usize,
    command: &str,
    expects: &str,
) -> Result<Inputs, Error> {
    let inputs = Inputs::open(files, max_line)?;
    if inputs.reads_terminal() {
        eprintln!(
            "statusq {command}: reading {expects} from the terminal: pipe `statusq fetch …` \
             into it or name files (Ctrl-D ends the input)"
        );
    }
    Ok(inputs)
}

/// The window `report` and `check --since` judge: `[from, to)`, `to` now unless given, `from`
/// given or `since` before `to`; an empty one is a usage error.
pub(crate) fn window(
    since: Option<std::time::Duration>,
    from: Option<crate::model::Timestamp>,
    to: Option<crate::model::Timestamp>,
) -> Result<crate::report::Window, Error> {
    use crate::model::Timestamp;
    let to = to.unwrap_or_else(crate::clock::now);
    let from = match (from, since) {
        (Some(from), _) => from,
        (None, since) => {
            let since = time::Duration::try_from(since.unwrap_or_default())
                .map_err(|_| Error::Usage("--since is too long".into()))?;
            to.datetime()
                .checked_sub(since)
                .map(Timestamp::from)
                .ok_or_else(|| Error::Usage("--since reaches before the year -9999".into()))?
        }
    };
    if from >= to {
        return Err(Error::Usage(format!(
            "the window is empty: --from {from} is not before --to {to}"
        )));
    }
    Ok(crate::report::Window { from, to })
}
