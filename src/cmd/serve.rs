//! `statusq serve`: a Prometheus exporter and HTML status board.
//!
//! Reads: the network, in a background poller (interval, fast, cache: as `watch`).
//! Writes: HTTP answers from memory — `/metrics`, `/healthz`, `/`, `/events`, `/report` — and
//! its bound address on stdout when it starts; its state (through [`crate::pipeline`]'s ledger,
//! as `diff` and `watch` keep theirs), recent events and incident history to its state
//! directory after each poll. The server itself is [`crate::server`].
//!
//! ```text
//! $ statusq serve github openai --listen 127.0.0.1:9759
//! statusq serve: listening on http://127.0.0.1:9759
//! ```

use crate::cli::ServeArgs;
use crate::cmd::{engine, schedule};
use crate::config::Config;
use crate::engine::poll::{stop_flag, Poller};
use crate::error::{Error, Exit};
use crate::ndjson::Output;
use crate::pipeline::Ledger;
use crate::providers::{Catalog, Shard};
use crate::server::{self, Board};
use std::path::Path;
use std::sync::Arc;

/// Runs `statusq serve`.
pub fn run(args: ServeArgs, config: Option<&Path>, out: &mut Output) -> Result<Exit, Error> {
    let config = Config::load(config)?;
    let catalog = Catalog::load(&config)?;
    let targets = Shard::select(args.shard, {
        if args.all {
            catalog.targets(&args.providers, true)?
        } else {
            catalog.targets(
                &catalog.default_watch(&catalog.with_tags(&args.providers, &args.tags)?),
                false,
            )?
        }
    });
    // The state directory: held under a lock for the life of the process.
    let dir = match (&args.state_dir, args.no_state) {
        (_, true) => None,
        (Some(dir), _) => Some(dir.clone()),
        // A port picked at random names no instance a restart could find again.
        (None, false) if args.listen.ends_with(":0") => None,
        (None, false) => crate::dirs::state_dir().map(|state| {
            let base = state.join("serve");
            let mut name: String = args
                .listen
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                        c
                    } else {
                        '_'
                    }
                })
                .collect();
            if let Some(shard) = args.shard {
                name.push_str(&format!("-shard-{}of{}", shard.index, shard.count));
            }
            base.join(name)
        }),
    };
    let options = super::diff_options(&args.ledger, false, &config.remind)?;
    let schedule = schedule("--interval", args.interval, &args.poll)?;
    // The state and what goes with it, held under a lock for the life of the process; without
    // a directory the state lives in memory only.
    let (ledger, store) = match dir.as_deref() {
        Some(dir) => {
            let (ledger, store) = server::Store::open(dir, options)?;
            (ledger, Some(store))
        }
        None => (Ledger::in_memory(options), None),
    };
    let stop = stop_flag()?;
    let mut engine = engine(&args.http, &args.poll, true)?;
    engine.cancel_on(Arc::clone(&stop));
    let listener = server::bind(&args.listen)
        .map_err(|e| Error::Usage(format!("cannot listen on {}: {e}", args.listen)))?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::io("listener", e))?;
    out.text(&format!("statusq serve: listening on http://{address}\n"))?;
    out.flush()?;

    // Typed URLs are probed on the poller's thread, after the accept loop has started.
    let poller = move || Poller::new(targets, engine, schedule);
    let board = Board {
        title: args.title,
        refresh: args.interval.as_secs().clamp(10, 300),
        max_connections: args.max_connections,
        report_window: args.report_window,
        metrics: crate::render::prometheus::Options {
            compat: args.metrics_compat,
            max_components: args.max_components_metrics,
        },
    };
    server::run(listener, poller, board, ledger, store, &stop);
    Ok(Exit::Success)
}
