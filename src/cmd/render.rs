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

/// Runs `statusq render`.
pub fn run(args: RenderArgs, out: &mut Output) -> Result<Exit, Error> {
    check(&args)?;
    let format = args.style.format;
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let style = crate::terminal::style(&args.style, args.width, to_terminal);
    let inputs = super::inputs(
        &args.files,
        args.max_line,
        "render",
        "event or snapshot records",
    )?;
    let mut records = Batched::records(inputs);
    let mut renderer = Renderer {
        format,
        style: &style,
        history: args.history,
        pretty: args.pretty,
        pending: Vec::new(),
        collected: Collected::default(),
        sink: Sink {
            out,
            file: args.output.as_ref().map(|_| Vec::new()),
        },
    };
    let skipped = loop {
        match records.next(None) {
            Incoming::Item(record) => renderer.take(record)?,
            Incoming::Quiet => renderer.flush_digest()?,
            Incoming::End(count) => break count,
            Incoming::Failed(error) => {
                renderer.flush_digest()?;
                return Err(error);
            }
        }
    };
    renderer.flush_digest()?;
    let Renderer {
        collected,
        mut sink,
        ..
    } = renderer;
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
        self_url: args.self_url,
        max_entries: args.max_entries,
        metrics: crate::render::prometheus::Options {
            compat: args.compat,
            max_components: args.max_components_metrics,
        },
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

/// The flags that do not go together, said before anything is read.
fn check(args: &RenderArgs) -> Result<(), Error> {
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
    Ok(())
}

/// What the records become as they come: text and Markdown write a digest per poll of a
/// provider (the events held until the poll's last one has come: another provider or poll, a
/// snapshot, a pause in the input, or its end); streaming formats write each record; documents
/// collect everything for the end.
struct Renderer<'a, 'o> {
    format: RenderFormat,
    style: &'a Style,
    history: bool,
    pretty: bool,
    pending: Vec<Event>,
    collected: Collected,
    sink: Sink<'o>,
}

impl Renderer<'_, '_> {
    fn take(&mut self, record: Record) -> Result<(), Error> {
        if matches!(self.format, RenderFormat::Text | RenderFormat::Markdown) {
            match record {
                Record::Event(event) => {
                    let same_poll = self.pending.first().is_some_and(|first| {
                        first.provider == event.provider && first.observed_at == event.observed_at
                    });
                    if !same_poll {
                        self.flush_digest()?;
                    }
                    self.pending.push(*event);
                }
                Record::Snapshot(snapshot) => {
                    self.flush_digest()?;
                    let text = if self.history {
                        render::text::history(&snapshot, self.style)
                    } else {
                        render::streaming(
                            &Record::Snapshot(snapshot),
                            self.format,
                            self.style,
                            false,
                        )?
                    };
                    self.sink.write(&text)?;
                }
            }
            return Ok(());
        }
        if self.format.streams() {
            let text = render::streaming(&record, self.format, self.style, self.pretty)?;
            return self.sink.write(&text);
        }
        match record {
            Record::Snapshot(s) => self.collected.add_snapshot(*s),
            Record::Event(e) => self.collected.events.push(*e),
        }
        Ok(())
    }

    /// Writes the events held back as one digest.
    fn flush_digest(&mut self) -> Result<(), Error> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let text = render::digest(&self.pending, self.format, self.style).unwrap_or_default();
        self.pending.clear();
        self.sink.write(&text)
    }
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
