//! Renderers: events and snapshots → text for people and programs.
//!
//! Every renderer is pure: records and the time in, `String` out — no clock, no terminal, no
//! files (the shell measures the terminal into a [`Style`] and passes `now`). Upstream text
//! reaches them only through [`describe`] and [`Board`], which pass it through
//! [`crate::sanitize`] first; each format then applies its own escaping (HTML, XML, Markdown,
//! mail headers) on top. Whether an incident or maintenance is open is the model's word
//! ([`crate::model::Incident::is_open`]), never a renderer's.
//!
//! Layout: [`style`] (colour, width, severity, times), [`describe`] (records said in words),
//! [`collected`] (the input of the document formats), one module per format, and here the
//! dispatch by format.
//!
//! Streaming formats (`text`, `markdown`, `json`) render one record at a time, so
//! `fetch --watch | diff | render` prints each event as it happens. Document formats
//! (`prometheus`, `html`, `atom`, `email`) need the whole input and render once at the end.

pub mod atom;
pub mod collected;
pub mod describe;
pub mod digest;
pub mod email;
pub mod html;
pub mod markdown;
pub mod plain;
pub mod prometheus;
pub mod report;
pub mod style;
pub mod text;

pub use collected::Collected;
pub use style::Style;

use crate::error::Error;
use crate::model::{Record, Timestamp};

/// The formats `render` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderFormat {
    Text,
    Markdown,
    Json,
    Prometheus,
    Html,
    Atom,
    Email,
}

impl RenderFormat {
    /// Whether records are rendered one at a time as they arrive (text, markdown, json), rather
    /// than once the input ends.
    pub fn streams(self) -> bool {
        matches!(
            self,
            RenderFormat::Text | RenderFormat::Markdown | RenderFormat::Json
        )
    }
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

/// A batch of events (one poll of one provider, or whatever arrived together) as one digest in
/// a streaming format for people: `None` for the others, which take events one by one.
pub fn digest(
    events: &[crate::model::Event],
    format: RenderFormat,
    style: &Style,
) -> Option<String> {
    match format {
        RenderFormat::Text => Some(text::digest(events, style)),
        RenderFormat::Markdown => Some(markdown::digest(events, style)),
        _ => None,
    }
}

/// What a document format needs besides the records.
#[derive(Clone, Debug)]
pub struct DocumentOptions {
    /// Title of the HTML page and the Atom feed.
    pub title: String,
    /// Id of the Atom feed.
    pub feed_id: String,
    /// The email's envelope.
    pub envelope: email::Envelope,
    /// When the document is made (the HTML page's "generated" line, the mail's date).
    pub now: Timestamp,
    /// The Atom feed's `rel="self"` and its most entries.
    pub self_url: Option<String>,
    pub max_entries: usize,
    /// How the Prometheus exposition is made.
    pub metrics: prometheus::Options,
}

/// The whole input in a document format (prometheus, html, atom, email); `None` for a
/// streaming format, and for an email without events (cron mails nothing).
pub fn document(
    collected: &Collected,
    format: RenderFormat,
    style: &Style,
    options: &DocumentOptions,
) -> Option<String> {
    match format {
        RenderFormat::Text | RenderFormat::Markdown | RenderFormat::Json => None,
        RenderFormat::Prometheus => Some(prometheus::document(collected, &options.metrics)),
        RenderFormat::Html => Some(html::document(
            collected,
            style,
            &options.title,
            options.now,
        )),
        RenderFormat::Atom => Some(atom::document(
            collected,
            style,
            &atom::Feed {
                id: options.feed_id.clone(),
                title: options.title.clone(),
                self_url: options.self_url.clone(),
                max_entries: options.max_entries,
            },
            options.now,
        )),
        RenderFormat::Email => email::message(collected, style, &options.envelope, options.now),
    }
}
