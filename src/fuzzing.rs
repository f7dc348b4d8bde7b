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
    let Some(format) = Format::from_word("statuspage-feed") else {
        return;
    };
    let _ = format.parse(&[feed.as_bytes()], page(""));
}

/// Whatever the adapters make of the bytes, and the bytes read as records, through `report`'s
/// arithmetic and every one of its layouts.
pub fn report(data: &[u8]) {
    use crate::model::Weights;
    use crate::model::{Record, SnapshotMeta};
    use crate::render::report as layout;
    use crate::report::{History, Window};
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

/// Events read from the bytes, and events whose provider name, title, body and id are the
/// bytes' first four lines (the body made long), through every notify payload builder: every
/// message must keep its service's limits, measured as it will be sent.
pub fn notify(data: &[u8]) {
    use crate::model::{Event, Record};
    use crate::notify::payload::request::{plan, Root};
    use crate::notify::payload::{messages, within_limits};
    use crate::notify::{Endpoint, Kind, Secret};
    let mut events: Vec<Event> = Vec::new();
    let mut reader = LineReader::new(data, 1 << 20);
    while let Ok(Some((_, line))) = reader.next_line() {
        if let Ok(Ok(Record::Event(event))) = line.map(|text| parse_record(&text)) {
            events.push(*event);
        }
    }
    let text = String::from_utf8_lossy(data);
    let parts: Vec<&str> = text.splitn(4, '\n').collect();
    let part = |i: usize| parts.get(i).copied().unwrap_or("");
    // Long enough to pass every limit once escaped (Teams: 10,000 punctuation marks are 30 KB).
    let body = part(2).repeat(1 + 10_000 / (part(2).len() + 1));
    let kinds = [
        "incident.created",
        "incident.resolved",
        "component.changed",
        "component.changed",
        "maintenance.started",
    ];
    for (n, kind) in kinds.iter().enumerate() {
        let item = serde_json::json!({
            "id": part(3), "name": part(1), "status": "identified", "impact": "critical",
            "url": format!("https://status.example.com/{}", part(3)),
        });
        let value = serde_json::json!({
            "type": "event", "v": 1, "event": kind,
            "id": format!("{}/{n}/{}", part(0), part(3)),
            "provider": part(0), "name": part(0), "url": "https://status.example.com",
            "at": "2026-11-22T03:30:00Z", "observed_at": "2026-11-22T03:30:00Z",
            "incident": if kind.starts_with("incident") { item.clone() } else { serde_json::Value::Null },
            "maintenance": if kind.starts_with("maintenance") { item } else { serde_json::Value::Null },
            "update": {"id": "u", "status": "identified", "body": body, "at": "2026-11-22T03:30:00Z",
                       "components": [{"id": part(3), "name": part(1), "status": "major_outage"}]},
            "component": {"id": format!("{}{n}", part(3)), "name": part(1), "group": part(0),
                          "qualified_name": part(1), "status": "major_outage"},
            "from": "operational", "to": "major_outage", "error": null,
        });
        if let Ok(event) = serde_json::from_value::<Event>(value) {
            events.push(event);
        }
    }
    for kind in Kind::ALL {
        for threads in [false, true] {
            let endpoint = Endpoint {
                kind,
                url: Secret::new("https://example.com/hook"),
                secret: Some(Secret::new("R0UTING-KEY")),
                channel: Some("C0".into()),
                threads,
                ..Endpoint::default()
            };
            let mut carried = 0;
            let mut roots = std::collections::HashMap::new();
            for message in messages(&endpoint, &events) {
                carried += message.ids.len();
                let Some(body) = &message.body else { continue };
                if let Err(why) = within_limits(kind, body) {
                    panic!("{} message past its limits: {why}", kind.as_str());
                }
                // What a thread sends after its root: an edit of it, its rewrite when it ends.
                let key = message.step.as_ref().map(|s| s.key.clone());
                let plan = plan(&endpoint, &message, key.as_ref().and_then(|k| roots.get(k)));
                if let Some((key, body)) = plan.opens {
                    let at = Timestamp::parse("2026-11-22T03:30:00Z").unwrap();
                    let id = "1".to_string();
                    roots.insert(
                        key.clone(),
                        Root {
                            key,
                            id,
                            channel: None,
                            body,
                            at,
                        },
                    );
                }
                for request in std::iter::once(&plan.request).chain(&plan.then) {
                    if let Ok(sent) = serde_json::from_slice::<serde_json::Value>(&request.body) {
                        if let Err(why) = within_limits(kind, &sent) {
                            panic!("{} request past its limits: {why}", kind.as_str());
                        }
                    }
                }
            }
            assert_eq!(
                carried,
                events.len(),
                "{}: an event in no message",
                kind.as_str()
            );
        }
    }
}
