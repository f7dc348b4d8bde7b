//! `statusq diff`: write only what is new since the last run, as `event` records.
//!
//! Reads: `snapshot` records from the files named, or stdin (from `fetch`, or `fetch --watch`
//! over time); `event`
//! records pass through untouched, so `diff` can sit anywhere in a pipeline.
//! Writes: `event` records; updates the state file.
//!
//! ```text
//! $ statusq fetch github | statusq diff --state state.json | jq -r '.event + " " + .id'
//! incident.updated github/incident/gqx5l06jjxhp/update/x017628t2rl5
//! ```
//!
//! What is new is [`crate::diff`]'s to say; when the state is committed is
//! [`crate::pipeline`]'s. The lock on the state is held for the whole run.

use crate::cli::DiffArgs;
use crate::error::{Error, Exit};
use crate::ndjson::Output;
use crate::pipeline::stream::deliver_stream;
use crate::pipeline::Ledger;

/// Runs `statusq diff`.
pub fn run(args: DiffArgs, out: &mut Output) -> Result<Exit, Error> {
    let path = match args.state {
        Some(path) => path,
        None => crate::dirs::state_file().ok_or_else(|| {
            Error::Usage("no state directory known for this user: pass --state FILE".into())
        })?,
    };
    let options = super::diff_options(&args.ledger, args.replay, &[])?;
    let inputs = super::inputs(&args.files, args.max_line, "diff", "snapshot records")?;
    let mut ledger = Ledger::open(&path, options)?;
    let stop = crate::engine::poll::stop_flag()?;
    let delivered = deliver_stream(inputs, &mut ledger, out, &stop)?;
    Ok(if delivered.skipped > 0 {
        Exit::Partial
    } else if args.exit_code && delivered.events > 0 {
        Exit::Found
    } else {
        Exit::Success
    })
}
