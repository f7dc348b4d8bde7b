//! `statusq report`: how reliable each vendor has been, from its page's own history.
//!
//! Reads: `snapshot` records (and, optionally, `event` records) from the files named, or stdin.
//! Writes: one report per provider over the window, as text, Markdown, JSON Lines, CSV or HTML.
//!
//! ```text
//! $ statusq fetch github | statusq report --since 90d
//! GitHub (github) — 2026-09-01 to 2026-11-30
//!   12 incidents (4 major, 8 minor) · 31h 5m in all · median 1h 48m · …
//! ```
//!
//! The arithmetic is [`crate::report`]'s; the layouts are [`crate::render::report`]'s. This
//! shell reads the records, the clock and the flags, and writes the result.

use crate::cli::{ReportArgs, ReportFormat};
use crate::error::{Error, Exit};
use crate::model::Record;
use crate::ndjson::{Output, RecordReader};
use crate::render::report as layout;
use crate::report::{History, Window};

/// Runs `statusq report`.
pub fn run(args: ReportArgs, out: &mut Output) -> Result<Exit, Error> {
    let Window { from, to } = super::window(Some(args.since), args.from, args.to)?;
    let inputs = super::inputs(&args.files, args.max_line, "report", "snapshot records")?;
    let mut reader = RecordReader::new(inputs);
    let mut history = History::new();
    let mut snapshots = 0usize;
    while let Some(record) = reader.next_record()? {
        match record {
            Record::Snapshot(snapshot) => {
                snapshots += 1;
                history.add_snapshot(&snapshot);
            }
            Record::Event(event) => history.add_event(*event),
        }
    }
    if snapshots == 0 {
        return Err(Error::Usage(
            "nothing to report on: no snapshots in the input (pipe `statusq fetch …` into it, \
             or name a file of them)"
                .into(),
        ));
    }
    let reports = history.report(Window { from, to }, args.weights);
    let text = match args.format {
        ReportFormat::Text => layout::text(&reports),
        ReportFormat::Markdown => layout::markdown(&reports),
        ReportFormat::Csv => layout::csv(&reports),
        ReportFormat::Prometheus => layout::prometheus(&reports),
        ReportFormat::Html => layout::html(&reports),
        ReportFormat::Json => {
            let mut lines = String::new();
            for report in &reports {
                lines.push_str(&serde_json::to_string(report).map_err(anyhow::Error::from)?);
                lines.push('\n');
            }
            lines
        }
    };
    match &args.output {
        Some(path) => crate::fsutil::write_atomic(path, text.as_bytes(), Some(0o644))
            .map_err(|e| Error::io(path.display().to_string(), e))?,
        None => {
            out.text(&text)?;
            out.flush()?;
        }
    }
    Ok(if reader.skipped > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}
