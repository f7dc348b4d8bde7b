//! JSON Lines in and out: a buffered record writer and a line reader with a length cap.
//!
//! The writer is line-buffered when stdout is a terminal or the command streams (a person or a
//! downstream `diff` should see each record as it happens) and block-buffered otherwise (a pipe
//! to a file gets big writes). The reader takes one line at a time with a cap, so one bad or
//! enormous line is reported and skipped instead of ending the stream, which serde_json's
//! stream deserializer would do.

use crate::error::Error;
use crate::model::{Event, Record, Snapshot, SCHEMA_VERSION};
use serde::{Deserialize, Serialize};
use std::collections::VecDeque;
use std::fmt;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Write};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// Where records go.
pub struct Output {
    inner: BufWriter<Box<dyn Write>>,
    flush_each_line: bool,
}

impl Output {
    /// Standard output, flushed per line when it is a terminal or when `streaming`.
    pub fn stdout(streaming: bool) -> Output {
        let stdout = io::stdout();
        let terminal = stdout.is_terminal();
        Output::new(Box::new(stdout), terminal || streaming)
    }

    /// Any writer (used by tests).
    pub fn new(writer: Box<dyn Write>, flush_each_line: bool) -> Output {
        Output {
            inner: BufWriter::with_capacity(64 * 1024, writer),
            flush_each_line,
        }
    }

    /// Writes one record as one line.
    pub fn record<T: Serialize>(&mut self, record: &T) -> Result<(), Error> {
        serde_json::to_writer(&mut self.inner, record).map_err(|e| match e.io_error_kind() {
            Some(kind) => Error::io("stdout", io::Error::from(kind)),
            None => Error::Other(anyhow::anyhow!("cannot serialize a record: {e}")),
        })?;
        self.end_line()
    }

    /// Writes text that already holds one complete line (without its newline).
    pub fn line(&mut self, text: &str) -> Result<(), Error> {
        self.inner
            .write_all(text.as_bytes())
            .map_err(|e| Error::io("stdout", e))?;
        self.end_line()
    }

    fn end_line(&mut self) -> Result<(), Error> {
        self.inner
            .write_all(b"\n")
            .map_err(|e| Error::io("stdout", e))?;
        if self.flush_each_line {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes raw text (for human formats).
    pub fn text(&mut self, text: &str) -> Result<(), Error> {
        self.inner
            .write_all(text.as_bytes())
            .map_err(|e| Error::io("stdout", e))
    }

    /// Flushes everything written so far.
    pub fn flush(&mut self) -> Result<(), Error> {
        self.inner.flush().map_err(|e| Error::io("stdout", e))
    }
}

/// Why one input line was skipped.
#[derive(Debug, PartialEq)]
pub enum LineError {
    /// Longer than the cap; the rest of the line was discarded.
    TooLong(usize),
    /// Not UTF-8.
    NotUtf8,
}

/// A line's 1-based number and its bytes, or why it was skipped.
pub type RawLine = (usize, Result<Vec<u8>, LineError>);

/// Reads lines of at most `cap` bytes. Blank lines are skipped; line numbers count them.
pub struct LineReader<R> {
    inner: R,
    cap: usize,
    number: usize,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R, cap: usize) -> LineReader<R> {
        LineReader {
            inner,
            cap,
            number: 0,
        }
    }

    /// The next non-blank line with its 1-based number, `None` at the end of input.
    pub fn next_line(&mut self) -> io::Result<Option<(usize, Result<String, LineError>)>> {
        Ok(self.next_bytes()?.map(|(number, line)| {
            (
                number,
                line.and_then(|bytes| String::from_utf8(bytes).map_err(|_| LineError::NotUtf8)),
            )
        }))
    }

    /// The next non-blank line as bytes, whatever they are, with its 1-based number.
    pub fn next_bytes(&mut self) -> io::Result<Option<RawLine>> {
        loop {
            let mut buf = Vec::new();
            let mut overflow = false;
            let mut saw_any = false;
            loop {
                let chunk = match self.inner.fill_buf() {
                    Ok(chunk) => chunk,
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                };
                if chunk.is_empty() {
                    break;
                }
                saw_any = true;
                let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
                    Some(i) => (i, true),
                    None => (chunk.len(), false),
                };
                if !overflow {
                    if buf.len() + take > self.cap {
                        overflow = true;
                        buf = Vec::new();
                    } else {
                        buf.extend_from_slice(&chunk[..take]);
                    }
                }
                self.inner.consume(if done { take + 1 } else { take });
                if done {
                    break;
                }
            }
            if !saw_any {
                return Ok(None);
            }
            self.number += 1;
            if overflow {
                return Ok(Some((self.number, Err(LineError::TooLong(self.cap)))));
            }
            if buf.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Ok(Some((self.number, Ok(buf))));
        }
    }
}

/// What a valid input line holds, known from its header before the body is built.
pub enum Kind {
    Snapshot,
    Event,
}

/// The two fields that say what a line is; the rest is skipped without being built.
#[derive(Deserialize)]
struct Header {
    #[serde(rename = "type")]
    kind: Option<String>,
    v: Option<serde_json::Value>,
}

/// Says what kind of record `line` is, or why it is not one statusq can read.
pub fn classify(line: &str) -> Result<Kind, String> {
    let header: Header = serde_json::from_str(line).map_err(|e| {
        if e.is_data() {
            "not a JSON object".to_string()
        } else {
            format!("not JSON: {e}")
        }
    })?;
    let kind = header.kind.ok_or("no \"type\" field")?;
    match header.v.as_ref().map(|v| (v.as_u64(), v)) {
        Some((Some(v), _)) if v == u64::from(SCHEMA_VERSION) => {}
        Some((Some(v), _)) => {
            return Err(format!(
                "schema version {v} is not supported (this statusq reads 1)"
            ))
        }
        Some((None, v)) if v.is_number() => {
            return Err(format!(
                "schema version {v} is not a whole number (this statusq reads \"v\":1)"
            ))
        }
        Some((None, v)) => return Err(format!("\"v\" is {v}, not a number")),
        None => return Err("no \"v\" field".into()),
    }
    match kind.as_str() {
        "snapshot" => Ok(Kind::Snapshot),
        "event" => Ok(Kind::Event),
        other => Err(format!("unknown record type {other:?}")),
    }
}

/// Parses a line into a record, or says why it cannot.
pub fn parse_record(line: &str) -> Result<Record, String> {
    match classify(line)? {
        Kind::Snapshot => serde_json::from_str::<Snapshot>(line)
            .map(|s| Record::Snapshot(Box::new(s)))
            .map_err(|e| format!("invalid snapshot: {e}")),
        Kind::Event => serde_json::from_str::<Event>(line)
            .map(|e| Record::Event(Box::new(e)))
            .map_err(|e| format!("invalid event: {e}")),
    }
}

/// Reports a skipped input line on stderr as `statusq: stdin:N: why; skipped` (or the file's
/// name in place of `stdin`).
pub fn report_skipped(place: &Place, why: &str) {
    // If stderr is gone there is nobody to tell; the exit status still says 3.
    let _ = writeln!(io::stderr().lock(), "statusq: {place}: {why}; skipped");
}

/// Where a line came from: its input (a file's name, or `stdin`) and its 1-based number there.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    pub input: Arc<str>,
    pub line: usize,
}

impl fmt::Display for Place {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.input, self.line)
    }
}

/// A line's text, or why it could not be read.
pub type Line = Result<String, LineError>;

/// One input, boxed so that files and stdin read alike (and on another thread).
type Source = Box<dyn BufRead + Send>;

/// The record inputs of `diff`, `render` and `check`: the files named on the command line, read
/// one after the other like `cat` (`-` is stdin), or stdin when none is named. Each file's lines
/// are numbered from 1 under its own name, so a skipped line is reported where it is.
pub struct Inputs {
    current: Option<(Arc<str>, LineReader<Source>)>,
    rest: VecDeque<(Arc<str>, Source)>,
    cap: usize,
    stdin_is_terminal: bool,
}

impl Inputs {
    /// Opens every file now, so a missing one fails before anything is read or written.
    pub fn open(paths: &[PathBuf], cap: usize) -> Result<Inputs, Error> {
        let mut rest: VecDeque<(Arc<str>, Source)> = VecDeque::new();
        let mut stdin_is_terminal = false;
        let stdin = || -> (Arc<str>, Source) {
            (
                Arc::from("stdin"),
                Box::new(BufReader::with_capacity(64 * 1024, io::stdin())),
            )
        };
        if paths.is_empty() {
            rest.push_back(stdin());
            stdin_is_terminal = io::stdin().is_terminal();
        }
        for path in paths {
            if path.as_os_str() == "-" {
                rest.push_back(stdin());
                stdin_is_terminal = io::stdin().is_terminal();
                continue;
            }
            let name = path.display().to_string();
            let file = std::fs::File::open(path).map_err(|e| Error::io(name.clone(), e))?;
            if file.metadata().is_ok_and(|m| m.is_dir()) {
                return Err(Error::Usage(format!("{name}: is a directory")));
            }
            rest.push_back((
                Arc::from(name),
                Box::new(BufReader::with_capacity(64 * 1024, file)),
            ));
        }
        Ok(Inputs {
            current: None,
            rest,
            cap,
            stdin_is_terminal,
        })
    }

    /// Inputs over any readers, each with its name (for tests).
    #[cfg(test)]
    fn from_readers(readers: Vec<(String, Source)>, cap: usize) -> Inputs {
        Inputs {
            current: None,
            rest: readers
                .into_iter()
                .map(|(name, reader)| (Arc::from(name), reader))
                .collect(),
            cap,
            stdin_is_terminal: false,
        }
    }

    /// Whether stdin is among the inputs and is a terminal: nothing is piped in, and a person
    /// should be told what is expected rather than be left waiting.
    pub fn reads_terminal(&self) -> bool {
        self.stdin_is_terminal
    }

    /// The next non-blank line and where it is, `None` at the end of the last input. A read
    /// error names the input.
    pub fn next_line(&mut self) -> Result<Option<(Place, Line)>, Error> {
        loop {
            if self.current.is_none() {
                match self.rest.pop_front() {
                    Some((name, reader)) => {
                        self.current = Some((name, LineReader::new(reader, self.cap)));
                    }
                    None => return Ok(None),
                }
            }
            let Some((name, reader)) = self.current.as_mut() else {
                continue;
            };
            match reader.next_line() {
                Ok(Some((line, text))) => {
                    let place = Place {
                        input: name.clone(),
                        line,
                    };
                    return Ok(Some((place, text)));
                }
                Ok(None) => self.current = None,
                Err(e) => return Err(Error::io(name.to_string(), e)),
            }
        }
    }
}

/// The why of a line that could not be read.
pub fn line_error(error: &LineError) -> String {
    match error {
        LineError::TooLong(cap) => format!("line longer than {cap} bytes (--max-line)"),
        LineError::NotUtf8 => "not UTF-8".into(),
    }
}

/// Reads records from the inputs, reporting and counting the lines it has to skip.
pub struct RecordReader {
    lines: Inputs,
    /// How many lines were skipped so far.
    pub skipped: usize,
}

impl RecordReader {
    pub fn new(inputs: Inputs) -> RecordReader {
        RecordReader {
            lines: inputs,
            skipped: 0,
        }
    }

    /// The next valid record, `None` at the end of input.
    pub fn next_record(&mut self) -> Result<Option<Record>, Error> {
        loop {
            let Some((place, line)) = self.lines.next_line()? else {
                return Ok(None);
            };
            let parsed = line
                .map_err(|e| line_error(&e))
                .and_then(|text| parse_record(&text));
            match parsed {
                Ok(record) => return Ok(Some(record)),
                Err(why) => {
                    report_skipped(&place, &why);
                    self.skipped += 1;
                }
            }
        }
    }
}

/// How long the input must be quiet before a command acts on what has come: `diff` delivers
/// and commits, `render` writes its digest, `notify` sends. One value for all of them: long
/// enough that a burst of records (a `fetch` of many pages, written as each finishes) is one
/// batch, short enough that a poll of `fetch --watch` is acted on as it comes.
pub const QUIET: Duration = Duration::from_millis(100);

/// What a [`Batched`] reader hands over.
pub enum Incoming<T> {
    Item(T),
    /// The input has been quiet for [`QUIET`] since the last item: act on what has come. Said
    /// once a pause.
    Quiet,
    /// The input ended — with how many lines were skipped, for a record reader — or the stop
    /// flag was set while it was quiet.
    End(usize),
    /// The input could not be read; what came before is to be acted on first.
    Failed(Error),
}

/// The input read on a thread of its own, so a pause in it can be told from a slow line: the
/// one way `diff`, `render` and `notify` take their input in batches.
pub struct Batched<T> {
    receiver: std::sync::mpsc::Receiver<Incoming<T>>,
    /// Whether an item came since the last [`Incoming::Quiet`].
    unsettled: bool,
}

impl Batched<Record> {
    /// Valid records; an invalid line is reported `file:line` and skipped, and counted in the
    /// [`Incoming::End`].
    pub fn records(inputs: Inputs) -> Batched<Record> {
        let mut reader = RecordReader::new(inputs);
        Batched::spawn(move || match reader.next_record() {
            Ok(Some(record)) => Incoming::Item(record),
            Ok(None) => Incoming::End(reader.skipped),
            Err(error) => Incoming::Failed(error),
        })
    }
}

impl Batched<(Place, Result<String, LineError>)> {
    /// Lines as they are, for a command that passes some through untouched (`diff`).
    pub fn lines(mut inputs: Inputs) -> Batched<(Place, Result<String, LineError>)> {
        Batched::spawn(move || match inputs.next_line() {
            Ok(Some(line)) => Incoming::Item(line),
            Ok(None) => Incoming::End(0),
            Err(error) => Incoming::Failed(error),
        })
    }
}

impl<T: Send + 'static> Batched<T> {
    fn spawn(mut produce: impl FnMut() -> Incoming<T> + Send + 'static) -> Batched<T> {
        // A few lines ahead: enough to keep the reader busy, few enough that megabyte-long
        // snapshots waiting in the channel cost little.
        let (sender, receiver) = std::sync::mpsc::sync_channel(16);
        std::thread::spawn(move || loop {
            let incoming = produce();
            let last = !matches!(incoming, Incoming::Item(_));
            if sender.send(incoming).is_err() || last {
                return;
            }
        });
        Batched {
            receiver,
            unsettled: false,
        }
    }

    /// The next item, or [`Incoming::Quiet`] once the input has paused for [`QUIET`] after one;
    /// while it stays quiet, waits, ending when `stop` (if given) is set.
    pub fn next(&mut self, stop: Option<&std::sync::atomic::AtomicBool>) -> Incoming<T> {
        use std::sync::mpsc::RecvTimeoutError;
        loop {
            let wait = if self.unsettled {
                QUIET
            } else {
                Duration::from_millis(100)
            };
            match self.receiver.recv_timeout(wait) {
                Ok(Incoming::Item(item)) => {
                    self.unsettled = true;
                    return Incoming::Item(item);
                }
                Ok(other) => return other,
                Err(RecvTimeoutError::Timeout) if self.unsettled => {
                    self.unsettled = false;
                    return Incoming::Quiet;
                }
                Err(RecvTimeoutError::Timeout) => {
                    if stop.is_some_and(|s| s.load(std::sync::atomic::Ordering::SeqCst)) {
                        return Incoming::End(0);
                    }
                }
                Err(RecvTimeoutError::Disconnected) => return Incoming::End(0),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_classified_with_a_reason() {
        let reason = |line: &str| parse_record(line).err().unwrap_or_default();
        assert!(reason("{not json").starts_with("not JSON"));
        assert_eq!(reason("[1,2]"), "not a JSON object");
        assert_eq!(reason("{\"v\":1}"), "no \"type\" field");
        assert!(reason("{\"type\":\"snapshot\",\"v\":2}").contains("version 2"));
        assert!(reason("{\"type\":\"gossip\",\"v\":1}").contains("unknown record type"));
        assert!(reason("{\"type\":\"snapshot\",\"v\":1}").starts_with("invalid snapshot"));
        assert!(matches!(
            classify("{\"type\":\"event\",\"v\":1,\"anything\":[1]}"),
            Ok(Kind::Event)
        ));
    }

    #[test]
    fn lines_over_the_cap_are_reported_and_the_next_line_still_reads() {
        let input = format!("{}\nshort\n\n\nlast", "x".repeat(100));
        let mut reader = LineReader::new(io::BufReader::with_capacity(8, input.as_bytes()), 10);
        assert_eq!(
            reader.next_line().unwrap(),
            Some((1, Err(LineError::TooLong(10))))
        );
        assert_eq!(reader.next_line().unwrap(), Some((2, Ok("short".into()))));
        assert_eq!(reader.next_line().unwrap(), Some((5, Ok("last".into()))));
        assert_eq!(reader.next_line().unwrap(), None);
    }

    #[test]
    fn inputs_are_read_in_order_each_numbered_under_its_name() {
        let reader = |text: &'static str| -> Source { Box::new(text.as_bytes()) };
        let mut inputs = Inputs::from_readers(
            vec![
                ("a.ndjson".into(), reader("one\n\ntwo")),
                ("empty".into(), reader("")),
                ("stdin".into(), reader("three\n")),
            ],
            100,
        );
        let mut seen = Vec::new();
        while let Some((place, line)) = inputs.next_line().unwrap() {
            seen.push(format!("{place} {}", line.unwrap()));
        }
        // A file without a final newline does not run into the next one.
        assert_eq!(seen, ["a.ndjson:1 one", "a.ndjson:3 two", "stdin:1 three"]);
    }

    #[test]
    fn invalid_utf8_is_reported_per_line() {
        let input: &[u8] = b"\xff\xfe\nok\n";
        let mut reader = LineReader::new(input, 100);
        assert_eq!(
            reader.next_line().unwrap(),
            Some((1, Err(LineError::NotUtf8)))
        );
        assert_eq!(reader.next_line().unwrap(), Some((2, Ok("ok".into()))));
    }

    #[test]
    fn records_are_one_line_each() {
        let shared = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        struct Sink(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);
        impl Write for Sink {
            fn write(&mut self, b: &[u8]) -> io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(b);
                Ok(b.len())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let mut out = Output::new(Box::new(Sink(shared.clone())), true);
        out.record(&serde_json::json!({"a": "line\nbreak"}))
            .unwrap();
        assert_eq!(&*shared.lock().unwrap(), b"{\"a\":\"line\\nbreak\"}\n");
    }

    #[test]
    fn a_closed_pipe_is_a_broken_pipe_error() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::Error::from(io::ErrorKind::BrokenPipe))
            }
            fn flush(&mut self) -> io::Result<()> {
                Err(io::Error::from(io::ErrorKind::BrokenPipe))
            }
        }
        let mut out = Output::new(Box::new(Closed), true);
        assert!(matches!(out.line("x"), Err(Error::BrokenPipe)));
    }
}
