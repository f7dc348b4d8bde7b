//! `statusq render`: events and snapshots → text, markdown, json, prometheus, html, atom, email.
//!
//! Reads: `event` and `snapshot` records from the files named, or stdin, in any mix.
//! Writes: the chosen format to stdout, or atomically to `--output FILE`.
//!
//! ```text
//! $ statusq fetch github | statusq diff | statusq render
//! 2026-11-22 03:12 UTC  GitHub: new incident, investigating [minor]
//! Incident with Actions
//!   We are investigating reports of degraded performance for Actions.
//!   https://stspg.io/…
//! ```
//!
//! The formats are [`crate::render`]'s; this shell reads the records, measures the terminal and
//! the clock, and writes.

use crate::cli::RenderArgs;
use crate::clock;
use crate::error::{Error, Exit};
use crate::model::{Event, Record};
use crate::ndjson::{Batched, Incoming, Output};
use crate::render::{self, email, Collected, DocumentOptions, RenderFormat, Style};
use std::io::IsTerminal;
use std::path::Path;

/// Writes the events held back as one digest.
fn flush_digest(
    pending: &mut Vec<Event>,
    format: RenderFormat,
    style: &Style,
    sink: &mut Sink,
) -> Result<(), Error> {
    if pending.is_empty() {
        return Ok(());
    }
    let text = render::digest(pending, format, style).unwrap_or_default();
    pending.clear();
    sink.write(&text)
}

/// Runs `statusq render`.
pub fn run(args: RenderArgs, out: &mut Output) -> Result<Exit, Error> {
    let format = args.style.format;
    if format == RenderFormat::Email && args.to.is_empty() {
        return Err(Error::Usage(
            "--format email needs at least one --to ADDRESS".into(),
        ));
    }
    for (flag, spec) in args
        .to
        .iter()
        .map(|t| ("--to", t))
        .chain(args.from.iter().map(|f| ("--from", f)))
    {
        email::mailbox(spec).map_err(|why| Error::Usage(format!("{flag}: {why}")))?;
    }
    if args.history && format != RenderFormat::Text {
        return Err(Error::Usage(
            "--history writes text; leave out --format (or use --format text)".into(),
        ));
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let style = crate::terminal::style(&args.style, args.width, to_terminal);

    let mut sink = Sink {
        out,
        file: args.output.as_ref().map(|_| Vec::new()),
    };
    let inputs = super::inputs(
        &args.files,
        args.max_line,
        "render",
        "event or snapshot records",
    )?;
    let mut records = Batched::records(inputs);
    let mut collected = Collected::default();
    // Text and Markdown: the events of one poll of one provider, held until the poll's last one
    // has come (another provider or poll, a snapshot, a pause in the input, or its end), then
    // written as one digest.
    let mut pending: Vec<Event> = Vec::new();
    let skipped = loop {
        let record = match records.next(None) {
            Incoming::Item(record) => record,
            Incoming::Quiet => {
                flush_digest(&mut pending, format, &style, &mut sink)?;
                continue;
            }
            Incoming::End(count) => break count,
            Incoming::Failed(error) => {
                flush_digest(&mut pending, format, &style, &mut sink)?;
                return Err(error);
            }
        };
        if matches!(format, RenderFormat::Text | RenderFormat::Markdown) {
            match record {
                Record::Event(event) => {
                    let same_poll = pending.first().is_some_and(|first| {
                        first.provider == event.provider && first.observed_at == event.observed_at
                    });
                    if !same_poll {
                        flush_digest(&mut pending, format, &style, &mut sink)?;
                    }
                    pending.push(*event);
                }
                Record::Snapshot(snapshot) => {
                    flush_digest(&mut pending, format, &style, &mut sink)?;
                    let text = if args.history {
                        render::text::history(&snapshot, &style)
                    } else {
                        render::streaming(&Record::Snapshot(snapshot), format, &style, false)?
                    };
                    sink.write(&text)?;
                }
            }
            continue;
        }
        if format.streams() {
            sink.write(&render::streaming(&record, format, &style, args.pretty)?)?;
            continue;
        }
        match record {
            Record::Snapshot(s) => collected.add_snapshot(*s),
            Record::Event(e) => collected.events.push(*e),
        }
    };
    flush_digest(&mut pending, format, &style, &mut sink)?;

    // A metrics file or a board replaced by an empty one hides every outage behind it (an
    // alert on statusq_up == 0 never fires): with nothing to show, the file is kept.
    if let Some(path) = &args.output {
        let empty = match format {
            RenderFormat::Prometheus => collected.snapshots.is_empty(),
            RenderFormat::Html => collected.snapshots.is_empty() && collected.events.is_empty(),
            _ => false,
        };
        if empty {
            return Err(Error::Other(anyhow::anyhow!(
                "no snapshots in the input: {} is left as it was (is the command before \
                 render fetching anything?)",
                path.display()
            )));
        }
    }
    let options = DocumentOptions {
        title: args.title,
        feed_id: args.feed_id,
        envelope: email::Envelope {
            to: args.to,
            from: args.from,
            html: args.html,
            nonce: crate::random::u128(),
        },
        now: clock::now(),
    };
    if let Some(document) = render::document(&collected, format, &style, &options) {
        sink.write(&document)?;
    }
    sink.finish(args.output.as_deref())?;
    Ok(if skipped > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// Where rendered text goes: stdout as it comes, or a buffer for an atomic `--output`.
struct Sink<'a> {
    out: &'a mut Output,
    file: Option<Vec<u8>>,
}

impl Sink<'_> {
    fn write(&mut self, text: &str) -> Result<(), Error> {
        match &mut self.file {
            Some(buffer) => {
                buffer.extend_from_slice(text.as_bytes());
                Ok(())
            }
            None => {
                self.out.text(text)?;
                self.out.flush()
            }
        }
    }

    fn finish(self, path: Option<&Path>) -> Result<(), Error> {
        match (self.file, path) {
            (Some(buffer), Some(path)) => crate::fsutil::write_atomic(path, &buffer, Some(0o644))
                .map_err(|e| Error::io(path.display().to_string(), e)),
            _ => self.out.flush(),
        }
    }
}
