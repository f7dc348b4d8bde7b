//! `watch`'s sink: what a person watching reads. Each provider's events are printed (a digest
//! in text and Markdown, records one by one otherwise) and flushed, then spooled for the
//! notify courier; on a terminal, a provider's first sight is its board (and its events are
//! not said again), a page that cannot be fetched is said with when it is tried again, and
//! the keys of [`crate::terminal::Keys`] show the history or the board now.

use crate::error::Error;
use crate::model::{Event, Record, Snapshot};
use crate::ndjson::Output;
use crate::pipeline::courier::Courier;
use crate::pipeline::Sink;
use crate::render;
use std::collections::{HashMap, HashSet};
use std::time::Duration;

/// `watch`'s sink: each provider's events printed (a digest in text and Markdown, records one
/// by one otherwise) and flushed, then spooled for the courier; a provider's first sight said
/// in full on a terminal.
pub struct Printer<'a> {
    pub out: &'a mut Output,
    pub format: render::RenderFormat,
    pub style: &'a render::Style,
    pub courier: Option<&'a Courier>,
    /// Whether stdout is a terminal a person reads: the first sight of a page is its board.
    pub boards: bool,
    /// Whether stderr is one: a page that cannot be fetched is said at once.
    pub terminal: bool,
    /// Providers polled at least once.
    pub seen: HashSet<String>,
    /// Snapshots that failed because a name did not resolve (`dns`).
    pub unresolved: usize,
    /// Polls of each provider so far (`--polls`).
    pub polls: HashMap<String, u32>,
    /// The provider and poll whose first-sight board was just printed.
    pub boarded: Option<(String, crate::model::Timestamp)>,
    /// With keys: each provider's latest snapshot, in the order first seen.
    pub keep_latest: bool,
    pub latest: Vec<Snapshot>,
}

impl Printer<'_> {
    /// What a key shows: `h` every watched page's history, `s` the board now, anything else
    /// the keys.
    pub fn key(&mut self, key: u8) -> Result<(), Error> {
        let text: String = match key {
            b'h' | b'H' => self
                .latest
                .iter()
                .map(|s| render::text::history(s, self.style))
                .collect(),
            b's' | b'S' => self
                .latest
                .iter()
                .map(|s| render::text::board(s, self.style))
                .collect(),
            _ => format!("{}\n", crate::terminal::KEYS_HELP),
        };
        self.out.text(&text)?;
        self.out.flush()
    }
}

impl Sink for Printer<'_> {
    fn observe(&mut self, snapshot: Snapshot, next_poll: Duration) -> Result<(), Error> {
        if snapshot
            .error
            .as_ref()
            .is_some_and(|e| e.kind == crate::model::ErrorKind::Dns)
        {
            self.unresolved += 1;
        }
        *self.polls.entry(snapshot.provider.clone()).or_insert(0) += 1;
        if !snapshot.ok && self.terminal {
            // At once, each time, with when it is tried again; the event waits for
            // --fail-after as always.
            eprintln!(
                "{}",
                render::describe::fetch_failure(&snapshot, Some(next_poll))
            );
        }
        if self.keep_latest {
            match self
                .latest
                .iter_mut()
                .find(|s| s.provider == snapshot.provider)
            {
                Some(kept) => *kept = snapshot.clone(),
                None => self.latest.push(snapshot.clone()),
            }
        }
        if !self.seen.insert(snapshot.provider.clone()) {
            return Ok(());
        }
        if self.boards && snapshot.ok && self.format == render::RenderFormat::Text {
            self.out.text(&render::text::board(&snapshot, self.style))?;
            self.out.flush()?;
            self.boarded = Some((snapshot.provider.clone(), snapshot.fetched_at));
        }
        Ok(())
    }

    fn take(&mut self, events: &[Event]) -> Result<(), Error> {
        // The board just printed says what the first sight's events would say again: each
        // fact once. They are still spooled and committed like any other.
        let boarded = self.boarded.take();
        let said = |e: &Event| {
            boarded
                .as_ref()
                .is_some_and(|(provider, at)| e.provider == *provider && e.observed_at == *at)
        };
        let repeats_the_board = !events.is_empty() && events.iter().all(said);
        if repeats_the_board {
            // Nothing to print.
        } else if let Some(digest) = render::digest(events, self.format, self.style) {
            self.out.text(&digest)?;
        } else {
            for event in events {
                let record = Record::Event(Box::new(event.clone()));
                self.out
                    .text(&render::streaming(&record, self.format, self.style, false)?)?;
            }
        }
        self.out.flush()?;
        // In every target's outbox before the state is committed clean.
        match self.courier {
            Some(courier) => courier.spool(events),
            None => Ok(()),
        }
    }
}
