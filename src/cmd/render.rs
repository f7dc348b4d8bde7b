//! `statusq render`: events and snapshots → text, markdown, json, prometheus, html, atom, email.
//!
//! Reads: `event` and `snapshot` records on stdin, in any mix.
//! Writes: the chosen format to stdout, or atomically to `--output FILE`.
//!
//! ```text
//! $ statusq fetch github | statusq diff | statusq render
//! 2026-11-22 03:12 UTC  GitHub: new incident, investigating [minor]
//! Incident with Actions
//!   We are investigating reports of degraded performance for Actions.
//!   https://stspg.io/…
//! ```

use crate::cli::{ColorChoice, RenderArgs, RenderFormat};
use crate::error::{Error, Exit};
use crate::model::Record;
use crate::ndjson::{Output, RecordReader};
use crate::render::{atom, email, html, markdown, prometheus, text, Collected, Style};
use std::io::IsTerminal;

/// Runs `statusq render`.
pub fn run(args: RenderArgs, out: &mut Output) -> Result<Exit, Error> {
    if args.format == RenderFormat::Email && args.to.is_empty() {
        return Err(Error::Usage(
            "--format email needs at least one --to ADDRESS".into(),
        ));
    }
    let to_terminal = args.output.is_none() && std::io::stdout().is_terminal();
    let style = style(args.color, args.width, args.local, to_terminal);

    let mut sink = Sink {
        out,
        file: args.output.as_ref().map(|_| Vec::new()),
    };
    let mut reader = RecordReader::new(std::io::stdin().lock(), args.max_line);
    let mut collected = Collected::default();
    let streams = matches!(
        args.format,
        RenderFormat::Text | RenderFormat::Markdown | RenderFormat::Json
    );
    while let Some(record) = reader.next_record()? {
        if !streams {
            match record {
                Record::Snapshot(s) => collected.add_snapshot(*s),
                Record::Event(e) => collected.events.push(*e),
            }
            continue;
        }
        let rendered = streaming(&record, args.format, &style, args.pretty)?;
        sink.write(&rendered)?;
    }

    let document = match args.format {
        RenderFormat::Text | RenderFormat::Markdown | RenderFormat::Json => None,
        RenderFormat::Prometheus => Some(prometheus::document(&collected)),
        RenderFormat::Html => Some(html::document(&collected, &style, &args.title)),
        RenderFormat::Atom => Some(atom::document(
            &collected,
            &style,
            &args.feed_id,
            &args.title,
        )),
        RenderFormat::Email => email::message(
            &collected,
            &style,
            &email::Envelope {
                to: args.to.clone(),
                from: args.from.clone(),
                html: args.html,
            },
        ),
    };
    if let Some(document) = document {
        sink.write(&document)?;
    }
    sink.finish(args.output.as_deref())?;
    Ok(if reader.skipped > 0 {
        Exit::Partial
    } else {
        Exit::Success
    })
}

/// One record in a streaming format (text, markdown, json); other formats render nothing here.
pub fn streaming(
    record: &Record,
    format: RenderFormat,
    style: &Style,
    pretty: bool,
) -> Result<String, Error> {
    Ok(match (record, format) {
        (_, RenderFormat::Json) => {
            let json = if pretty {
                serde_json::to_string_pretty(record)
            } else {
                serde_json::to_string(record)
            };
            json.map_err(|e| Error::Other(anyhow::anyhow!("cannot serialize: {e}")))? + "\n"
        }
        (Record::Event(e), RenderFormat::Markdown) => markdown::event(e, style),
        (Record::Snapshot(s), RenderFormat::Markdown) => markdown::board(s, style),
        (Record::Event(e), RenderFormat::Text) => text::event(e, style),
        (Record::Snapshot(s), RenderFormat::Text) => text::board(s, style),
        _ => String::new(),
    })
}

/// The text style for a terminal or not, from the colour choice, `NO_COLOR` and the width.
pub fn style(color: ColorChoice, width: Option<u16>, local: bool, to_terminal: bool) -> Style {
    Style {
        color: match color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                to_terminal && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        },
        width: width.map_or_else(|| default_width(to_terminal), usize::from),
        local,
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

    fn finish(self, path: Option<&std::path::Path>) -> Result<(), Error> {
        match (self.file, path) {
            (Some(buffer), Some(path)) => crate::fsutil::write_atomic(path, &buffer, Some(0o644))
                .map_err(|e| Error::io(path.display().to_string(), e)),
            _ => self.out.flush(),
        }
    }
}

/// The terminal's width when writing to one, else `$COLUMNS`, else 80.
fn default_width(to_terminal: bool) -> usize {
    if to_terminal {
        if let Some((terminal_size::Width(width), _)) = terminal_size::terminal_size() {
            return usize::from(width).max(20);
        }
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse::<usize>().ok())
        .filter(|c| *c >= 20)
        .unwrap_or(80)
}
