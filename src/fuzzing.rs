//! Entry points shared by the fuzz targets (`fuzz/`) and the stable corpus replay test, so both
//! exercise exactly the same code. Each takes arbitrary bytes and must return without panicking.

use crate::model::Timestamp;
use crate::ndjson::{parse_record, LineReader};
use crate::sources::{detect, Format, Page};

/// A fixed time: fuzzing must not depend on the clock.
fn page(url: &str) -> Page<'_> {
    Page {
        url,
        now: Timestamp::from(time::macros::datetime!(2026-11-22 00:00 UTC)),
    }
}

/// Every adapter, and format detection, on one body.
pub fn adapters(data: &[u8]) {
    let _ = detect::sniff(data);
    for format in Format::ALL {
        let _ = format.parse(&[data], page("https://status.example.com"));
        let _ = format.parse(&[data, data, data], page(""));
    }
}

/// The line reader with a small cap, and every line through the record parser.
pub fn ndjson(data: &[u8]) {
    let mut reader = LineReader::new(data, 512);
    while let Ok(Some((_, line))) = reader.next_line() {
        if let Ok(text) = line {
            let _ = parse_record(&text);
        }
    }
}

/// Arbitrary text as the HTML content of a Statuspage history entry.
pub fn feed_html(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let escaped = html_escape::encode_text(&text);
    let feed = format!(
        "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>X - Incident History</title><entry>\
         <id>tag:x,2005:Incident/1</id><published>2024-01-02T03:04:05Z</published>\
         <updated>2024-01-02T03:04:05Z</updated>\
         <link rel=\"alternate\" href=\"https://x.example/incidents/abc\"/><title>t</title>\
         <content type=\"html\">{escaped}</content></entry></feed>"
    );
    let _ = Format::StatuspageFeed.parse(&[feed.as_bytes()], page(""));
}

/// Whatever the adapters make of the bytes, and the bytes read as records, through `report`'s
/// arithmetic and every one of its layouts.
pub fn report(data: &[u8]) {
    use crate::model::{Record, SnapshotMeta};
    use crate::render::report as layout;
    use crate::report::{History, Weights, Window};
    let now = Timestamp::from(time::macros::datetime!(2026-11-22 00:00 UTC));
    let mut history = History::new();
    for format in Format::ALL {
        if let Ok(parts) = format.parse(&[data], page("https://status.example.com")) {
            history.add_snapshot(&parts.into_snapshot(SnapshotMeta {
                provider: format.as_str().to_string(),
                name: String::new(),
                url: String::new(),
                format: format.as_str().to_string(),
                fetched_at: now,
                elapsed_ms: 0,
            }));
        }
    }
    let mut reader = LineReader::new(data, 1 << 20);
    while let Ok(Some((_, line))) = reader.next_line() {
        match line.map(|text| parse_record(&text)) {
            Ok(Ok(Record::Snapshot(snapshot))) => history.add_snapshot(&snapshot),
            Ok(Ok(Record::Event(event))) => history.add_event(*event),
            _ => {}
        }
    }
    let from = Timestamp::from(time::macros::datetime!(2016-01-01 00:00 UTC));
    let reports = history.report(Window { from, to: now }, Weights::default());
    let _ = layout::text(&reports);
    let _ = layout::markdown(&reports);
    let _ = layout::csv(&reports);
    let _ = layout::html(&reports);
    let _ = layout::prometheus(&reports);
    let _ = layout::board_section(&reports, "30d");
    let _ = serde_json::to_string(&reports);
    history.prune(now, 10);
    let _ = history.snapshots();
}
