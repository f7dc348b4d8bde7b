//! Atom and RSS: a small streaming reader, and the adapter for any vendor's feed.
//!
//! The reader is quick-xml's pull parser walked by hand rather than a DOM: it keeps only the
//! fields a status feed has, runs at hundreds of MB/s, and is safe by construction — documents
//! nested deeper than [`MAX_DEPTH`] are refused, entity declarations are refused and unknown
//! entities are an error (so a "billion laughs" document expands nothing), and nothing is
//! invented: an entry without an id has none, and the adapter derives a stable one.
//!
//! The generic adapter ([`parse_generic`]) turns entries of any feed (AWS, Azure, Google's
//! product dashboards, a vendor's own) into incidents keyed by guid or id, then link, then a
//! hash of title and date. A feed rarely says whether an incident is over; the status is read
//! only where the text states it (`[RESOLVED]`, `Resolved:`…), otherwise it is `investigating`
//! with `raw_status: "unknown"`, which `diff` does not treat as live on a baseline.

use crate::hash::stable_hash;
use crate::model::{Incident, IncidentStatus, Phase, RawStatus, Timestamp, Update};
use crate::sources::parts::{first, one_document, Body, Platform};
use crate::sources::parts::{one_per_id, parse_error, plain_text, Parts};
use quick_xml::events::Event as XmlEvent;
use quick_xml::Reader;

/// Deeper documents are refused: real feeds nest five or six levels.
pub const MAX_DEPTH: usize = 64;

/// Which feed dialect a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedKind {
    Atom,
    Rss,
}

/// The parts of a feed statusq reads.
#[derive(Debug, Default)]
pub struct FeedDoc {
    pub kind: Option<FeedKind>,
    pub title: Option<String>,
    /// The site the feed is about (Atom `link rel=alternate`, RSS `channel/link`).
    pub link: Option<String>,
    pub entries: Vec<FeedEntry>,
}

/// One Atom entry or RSS item, fields as written (text unescaped once).
#[derive(Debug, Default, Clone)]
pub struct FeedEntry {
    /// Atom `id`.
    pub id: Option<String>,
    /// RSS `guid`.
    pub guid: Option<String>,
    pub title: Option<String>,
    pub link: Option<String>,
    /// Atom `published`, RSS `pubDate` / `dc:date`.
    pub published: Option<String>,
    /// Atom `updated`.
    pub updated: Option<String>,
    /// Atom `content`, RSS `content:encoded` or `description`: usually HTML.
    pub content: Option<String>,
    /// Atom `summary`.
    pub summary: Option<String>,
    /// RSS `category` texts and Atom `category` terms (some feeds state the status there:
    /// `<category>resolved</category>`).
    pub categories: Vec<String>,
}

/// Which field of an entry (or of the feed) text is being collected for.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Field {
    Id,
    Guid,
    Title,
    Link,
    Published,
    Updated,
    Content,
    Summary,
    Category,
    FeedTitle,
    FeedLink,
}

/// Reads an Atom or RSS document.
pub fn read(bytes: &[u8]) -> Result<FeedDoc, crate::model::FetchError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        parse_error(format!(
            "the feed is not UTF-8 (byte {} is invalid); only UTF-8 feeds are read",
            e.valid_up_to()
        ))
    })?;
    let mut reader = Reader::from_str(text);
    reader.config_mut().expand_empty_elements = false;
    let mut state = Reading::default();
    loop {
        let event = reader.read_event().map_err(|e| {
            parse_error(format!(
                "malformed XML at byte {}: {e}",
                reader.error_position()
            ))
        })?;
        match event {
            XmlEvent::Start(start) => state.start(&start, false)?,
            XmlEvent::Empty(start) => state.start(&start, true)?,
            XmlEvent::End(_) => state.end(),
            // Text is decoded only where it is kept: elsewhere it is not looked at.
            XmlEvent::Text(text) if state.collecting.is_some() => {
                let decoded = text
                    .decode()
                    .map_err(|e| parse_error(format!("undecodable text: {e}")))?;
                state.text(&decoded);
            }
            XmlEvent::CData(data) if state.collecting.is_some() => {
                let decoded = data
                    .decode()
                    .map_err(|e| parse_error(format!("undecodable CDATA: {e}")))?;
                state.text(&decoded);
            }
            XmlEvent::GeneralRef(reference) => state.text(&entity(&reference)?),
            XmlEvent::DocType(doctype)
                if String::from_utf8_lossy(doctype.as_ref()).contains("<!ENTITY") =>
            {
                return Err(parse_error(
                    "the XML declares entities (<!ENTITY>); statusq does not expand them",
                ));
            }
            XmlEvent::Eof => break,
            _ => {}
        }
    }
    if state.doc.kind.is_none() {
        return Err(parse_error("empty document where a feed was expected"));
    }
    if !state.path.is_empty() {
        return Err(parse_error(
            "the feed ends before its elements are closed (truncated)",
        ));
    }
    Ok(state.doc)
}

/// Where the reader is in a feed, and what it has kept.
#[derive(Default)]
struct Reading {
    doc: FeedDoc,
    /// The open elements' names.
    path: Vec<String>,
    /// The entry being read, with the depth of its element.
    entry: Option<(usize, FeedEntry)>,
    /// The field being collected, the depth of its element, and the text so far.
    collecting: Option<(Field, usize, String)>,
}

impl Reading {
    /// An element opens (`empty`: and closes at once).
    fn start(
        &mut self,
        start: &quick_xml::events::BytesStart,
        empty: bool,
    ) -> Result<(), crate::model::FetchError> {
        let name = String::from_utf8_lossy(start.local_name().as_ref()).to_lowercase();
        if self.path.is_empty() && self.doc.kind.is_none() {
            self.doc.kind = Some(root_kind(&name)?);
        }
        let depth = self.path.len() + 1;
        if depth > MAX_DEPTH {
            return Err(parse_error(format!(
                "XML nested deeper than {MAX_DEPTH} levels; not a feed"
            )));
        }
        let in_entry = self.entry.is_some();
        if !in_entry && (name == "entry" || name == "item") {
            self.entry = Some((depth, FeedEntry::default()));
        } else if self.collecting.is_none() {
            let field = field_for(in_entry, &name, depth);
            // An Atom category is its term.
            if field == Some(Field::Category) {
                if let Some(term) = attribute(start, b"term") {
                    store(&mut self.doc, &mut self.entry, Field::Category, term);
                }
            }
            // Atom links carry the URL in href; only the alternate (or unnamed) one.
            let href = if matches!(field, Some(Field::Link | Field::FeedLink)) {
                attribute(start, b"href").map(|href| {
                    (
                        href,
                        attribute(start, b"rel").unwrap_or_else(|| "alternate".into()),
                    )
                })
            } else {
                None
            };
            match (field, href) {
                (Some(field), Some((href, rel))) if rel == "alternate" => {
                    store(&mut self.doc, &mut self.entry, field, href);
                }
                // Another kind of link (`rel="self"`, …): not the page's.
                (Some(_), Some(_)) => {}
                (field, _) if !empty => {
                    self.collecting = field.map(|f| (f, depth, String::new()));
                }
                _ => {}
            }
        }
        if !empty {
            self.path.push(name);
        }
        Ok(())
    }

    /// The innermost open element closes.
    fn end(&mut self) {
        let depth = self.path.len();
        if self
            .collecting
            .as_ref()
            .is_some_and(|(_, at, _)| *at == depth)
        {
            if let Some((field, _, text)) = self.collecting.take() {
                store(&mut self.doc, &mut self.entry, field, text);
            }
        }
        if self.entry.as_ref().is_some_and(|(at, _)| *at == depth) {
            if let Some((_, finished)) = self.entry.take() {
                self.doc.entries.push(finished);
            }
        }
        self.path.pop();
    }

    /// Text (or CDATA, or a resolved reference) inside the field being collected, if any.
    fn text(&mut self, text: &str) {
        if let Some((_, _, buffer)) = &mut self.collecting {
            buffer.push_str(text);
        }
    }
}

/// What a feed is, by its root element.
fn root_kind(name: &str) -> Result<FeedKind, crate::model::FetchError> {
    match name {
        "feed" => Ok(FeedKind::Atom),
        "rss" | "rdf" => Ok(FeedKind::Rss),
        "html" => Err(parse_error("got an HTML page, not a feed")),
        other => Err(parse_error(format!(
            "XML whose root is <{other}>, not an Atom or RSS feed"
        ))),
    }
}

/// The field an element holds, inside an entry or in the feed's head.
fn field_for(in_entry: bool, name: &str, depth: usize) -> Option<Field> {
    match (in_entry, name) {
        (true, "id") => Some(Field::Id),
        (true, "guid") => Some(Field::Guid),
        (true, "title") => Some(Field::Title),
        (true, "link") => Some(Field::Link),
        (true, "published" | "pubdate" | "date" | "issued") => Some(Field::Published),
        (true, "updated" | "modified") => Some(Field::Updated),
        (true, "content" | "encoded") => Some(Field::Content),
        (true, "description" | "summary") => Some(Field::Summary),
        (true, "category") => Some(Field::Category),
        (false, "title") if depth <= 3 => Some(Field::FeedTitle),
        (false, "link") if depth <= 3 => Some(Field::FeedLink),
        _ => None,
    }
}

/// An attribute's value, unescaped.
fn attribute(start: &quick_xml::events::BytesStart, key: &[u8]) -> Option<String> {
    start
        .try_get_attribute(key)
        .ok()
        .flatten()
        .and_then(|a| a.unescape_value().ok().map(|v| v.into_owned()))
}

/// A character or entity reference as the text it stands for: a character reference, or one of
/// XML's five entities. Any other entity is an error: entities are not expanded.
fn entity(reference: &quick_xml::events::BytesRef) -> Result<String, crate::model::FetchError> {
    match reference.resolve_char_ref() {
        Ok(Some(c)) => Ok(c.to_string()),
        Ok(None) => {
            let name = reference.decode().unwrap_or_default();
            match name.as_ref() {
                "amp" => Ok("&".into()),
                "lt" => Ok("<".into()),
                "gt" => Ok(">".into()),
                "quot" => Ok("\"".into()),
                "apos" => Ok("'".into()),
                other => Err(parse_error(format!(
                    "unknown XML entity &{other}; (entities are not expanded)"
                ))),
            }
        }
        Err(e) => Err(parse_error(format!("bad character reference: {e}"))),
    }
}

fn store(doc: &mut FeedDoc, entry: &mut Option<(usize, FeedEntry)>, field: Field, text: String) {
    let value = Some(text.trim().to_string()).filter(|t| !t.is_empty());
    match (entry.as_mut(), field) {
        (_, Field::FeedTitle) => doc.title = doc.title.take().or(value),
        (_, Field::FeedLink) => doc.link = doc.link.take().or(value),
        (Some((_, e)), Field::Id) => e.id = e.id.take().or(value),
        (Some((_, e)), Field::Guid) => e.guid = e.guid.take().or(value),
        (Some((_, e)), Field::Title) => e.title = e.title.take().or(value),
        (Some((_, e)), Field::Link) => e.link = e.link.take().or(value),
        (Some((_, e)), Field::Published) => e.published = e.published.take().or(value),
        (Some((_, e)), Field::Updated) => e.updated = e.updated.take().or(value),
        (Some((_, e)), Field::Content) => e.content = value.or(e.content.take()),
        (Some((_, e)), Field::Summary) => e.summary = e.summary.take().or(value),
        // A feed's categories are few; a hostile one's are bounded by its size.
        (Some((_, e)), Field::Category) => e.categories.extend(value),
        (None, _) => {}
    }
}

/// Parses a feed date: RFC 3339 (Atom) or RFC 822/2822 (RSS), leniently: day names optional,
/// seconds optional, zones as offsets or the usual abbreviations.
pub fn parse_date(text: &str) -> Option<Timestamp> {
    let text = text.trim();
    if let Some(t) = Timestamp::parse(text) {
        return Some(t);
    }
    let text = match text.find(',') {
        Some(at) if at <= 10 => &text[at + 1..],
        _ => text,
    };
    let mut parts = text.split_whitespace();
    let day: u8 = parts.next()?.parse().ok()?;
    let month = month_number(parts.next()?)?;
    let year: i32 = match parts.next()?.parse::<i32>().ok()? {
        y if y < 100 => 2000 + y,
        y => y,
    };
    let clock = parts.next()?;
    let mut hms = clock.split(':').map(|p| p.parse::<u8>().ok());
    let (hour, minute) = (hms.next()??, hms.next()??);
    let second = hms.next().flatten().unwrap_or(0);
    let offset = zone_offset(parts.next().unwrap_or("UTC"))?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let time = time::Time::from_hms(hour, minute, second).ok()?;
    Some(Timestamp::from(
        time::PrimitiveDateTime::new(date, time).assume_offset(offset),
    ))
}

/// `Jan`…`Dec` (or full names), case-insensitive.
pub fn month_number(word: &str) -> Option<time::Month> {
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let index = months.iter().position(|m| word.starts_with(m))?;
    time::Month::try_from(index as u8 + 1).ok()
}

/// A zone as an offset: `+0530`, `-08:00`, `Z`, or an abbreviation status pages use.
pub fn zone_offset(zone: &str) -> Option<time::UtcOffset> {
    let zone = zone.trim();
    let minutes: i32 = match zone.to_ascii_uppercase().as_str() {
        "Z" | "UT" | "UTC" | "GMT" | "WET" => 0,
        "BST" | "CET" | "WEST" | "IST-IE" => 60,
        "CEST" | "EET" | "SAST" => 120,
        "EEST" | "MSK" => 180,
        "IST" => 330,
        "WIB" | "ICT" => 420,
        "SGT" | "HKT" | "AWST" | "CST-CN" => 480,
        "JST" | "KST" => 540,
        "ACST" => 570,
        "AEST" => 600,
        "ACDT" => 630,
        "AEDT" => 660,
        "NZST" => 720,
        "NZDT" => 780,
        "BRT" | "ART" => -180,
        "EDT" => -240,
        "EST" | "CDT" => -300,
        "CST" | "MDT" => -360,
        "MST" | "PDT" => -420,
        "PST" | "AKDT" => -480,
        "AKST" => -540,
        "HST" => -600,
        other => {
            let other = other.trim_start_matches("UTC").trim_start_matches("GMT");
            let (sign, digits) = match other.as_bytes().first()? {
                b'+' => (1, &other[1..]),
                b'-' => (-1, &other[1..]),
                _ => return None,
            };
            let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
            let (h, m) = match digits.len() {
                1 | 2 => (digits.parse::<i32>().ok()?, 0),
                4 => (
                    digits[..2].parse::<i32>().ok()?,
                    digits[2..].parse::<i32>().ok()?,
                ),
                _ => return None,
            };
            sign * (h * 60 + m)
        }
    };
    time::UtcOffset::from_whole_seconds(minutes * 60).ok()
}

/// HTML to plain text: `<br>` and block ends become line breaks, tags go, entities are decoded,
/// whitespace is normalised. Markdown-looking text is left as it is.
pub fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let is_tag = rest[1..]
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '/' || c == '!');
        let end = if is_tag { tag_end(rest) } else { None };
        let Some(end) = end else {
            out.push('<');
            rest = &rest[1..];
            continue;
        };
        let tag = rest[1..end].trim_start_matches('/').to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        match name.as_str() {
            "br" => out.push('\n'),
            "p" | "div" | "ul" | "ol" | "table" | "tr" | "h1" | "h2" | "h3" | "h4" => {
                out.push_str("\n\n")
            }
            "li" if !rest[1..].starts_with('/') => out.push_str("\n- "),
            _ => {}
        }
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    let decoded = html_escape::decode_html_entities(&out).replace('\u{a0}', " ");
    let lines: Vec<String> = decoded
        .lines()
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    plain_text(&lines.join("\n"))
}

/// The index of the `>` closing the tag that starts `text`, skipping quoted attribute values.
fn tag_end(text: &str) -> Option<usize> {
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices().skip(1) {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// The status a free-text title or summary states, if it states one (`[RESOLVED]`,
/// `Resolved: …`, `… (resolved)`, `Status: RESOLVED`).
fn stated_status(text: &str) -> Option<(IncidentStatus, &'static str)> {
    let lower = text.to_ascii_lowercase();
    status_said(|word| {
        lower.starts_with(&format!("[{word}]"))
            || lower.starts_with(&format!("{word}:"))
            || lower.starts_with(&format!("{word} -"))
            || lower.contains(&format!("[{word}]"))
            || lower.ends_with(&format!("({word})"))
            || lower.contains(&format!("status: {word}"))
    })
}

/// The status an entry's categories state, if one of them is a status word
/// (`<category>resolved</category>`).
fn category_status(categories: &[String]) -> Option<(IncidentStatus, &'static str)> {
    status_said(|word| {
        categories
            .iter()
            .any(|c| c.trim().eq_ignore_ascii_case(word))
    })
}

/// The first status `says` finds, the resolving words first.
fn status_said(says: impl Fn(&str) -> bool) -> Option<(IncidentStatus, &'static str)> {
    if says("resolved") || says("closed") || says("completed") {
        Some((IncidentStatus::Resolved, "resolved"))
    } else if says("monitoring") {
        Some((IncidentStatus::Monitoring, "monitoring"))
    } else if says("identified") {
        Some((IncidentStatus::Identified, "identified"))
    } else if says("investigating") {
        Some((IncidentStatus::Investigating, "investigating"))
    } else {
        None
    }
}

/// Any Atom or RSS feed as incidents, one update per entry (a changed entry is a new update).
pub fn parse_generic(bytes: &[u8], page_url: &str) -> Result<Parts, crate::model::FetchError> {
    let doc = read(bytes)?;
    let mut all: Vec<Incident> = Vec::new();
    for entry in &doc.entries {
        let title = entry.title.as_deref().map(html_to_text).unwrap_or_default();
        let published = entry.published.as_deref().and_then(parse_date);
        let updated = entry.updated.as_deref().and_then(parse_date).or(published);
        let key = entry
            .guid
            .clone()
            .or_else(|| entry.id.clone())
            .or_else(|| entry.link.clone())
            .unwrap_or_else(|| {
                let date = entry
                    .published
                    .as_deref()
                    .or(entry.updated.as_deref())
                    .unwrap_or("");
                stable_hash(&[&title, date])
            });
        let body_html = entry
            .content
            .as_deref()
            .or(entry.summary.as_deref())
            .unwrap_or("");
        let body = html_to_text(body_html);
        let stated = category_status(&entry.categories)
            .or_else(|| stated_status(&title))
            .or_else(|| stated_status(&body));
        let status = stated.map_or(IncidentStatus::Unstated, |(status, _)| status);
        let phase = Phase::from(status);
        let stamp = updated.map(|t| t.to_string()).unwrap_or_default();
        let update = Update {
            id: stable_hash(&[&key, &stamp, &body]),
            status: phase,
            raw_status: (!status.is_stated()).then_some(RawStatus::Unstated),
            body: if body.is_empty() { title.clone() } else { body },
            at: updated,
            components: None,
        };
        let url = entry
            .link
            .clone()
            .filter(|l| l.starts_with("http://") || l.starts_with("https://"));
        let incident = Incident {
            id: key,
            name: if title.is_empty() {
                "(untitled)".into()
            } else {
                title
            },
            status,
            raw_status: None,
            impact: None,
            url,
            created_at: published.or(updated),
            updated_at: updated,
            resolved_at: (status == IncidentStatus::Resolved)
                .then_some(updated)
                .flatten(),
            components: None,
            updates: vec![update],
        };
        all.push(incident);
    }
    // An entry seen again (a feed listing one incident per update) is one incident: the
    // copy updated last.
    let mut incidents = one_per_id(all, |i| &i.id, |kept, new| kept.updated_at < new.updated_at);
    incidents.sort_by(|a, b| {
        b.created_at
            .cmp(&a.created_at)
            .then_with(|| a.id.cmp(&b.id))
    });
    let _ = page_url;
    Ok(Parts {
        page_name: doc.title.map(|t| html_to_text(&t)),
        page_url: doc.link,
        detected_format: Some(&PLATFORM),
        status: None,
        components: None,
        incidents: Some(incidents),
        maintenances: Some(Vec::new()),
    })
}

/// A vendor's own Atom or RSS feed. Registered after the feeds that have markers of their own
/// (a Statuspage history feed), it claims any other feed.
pub const PLATFORM: Platform = Platform {
    word: "custom-feed",
    describes: "an Atom/RSS feed",
    default_api: None,
    probes: &["/feed.atom", "/feed.rss", "/rss"],
    documents: &[],
    requests: one_document,
    sniff: Some(|body| {
        matches!(body, Body::Markup { head, .. }
            if head.contains("<feed") || head.contains("<rss") || head.contains("<rdf"))
    }),
    parse: Some(|bodies, page| parse_generic(first(bodies), page.url)),
    summary_first: false,
    family: Some("feed"),
};

/// Azure's status feed: a feed, named apart in the catalog.
pub const AZURE: Platform = Platform {
    word: "azure",
    probes: &[],
    sniff: None,
    ..PLATFORM
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rss_and_atom_dates_parse_to_utc() {
        let t = |s: &str| parse_date(s).map(|t| t.to_string());
        assert_eq!(
            t("Wed, 01 Jan 2014 09:09:00 -0800").as_deref(),
            Some("2014-01-01T17:09:00Z")
        );
        assert_eq!(
            t("Tue, 21 Jan 2020 21:00:29 +0000").as_deref(),
            Some("2020-01-21T21:00:29Z")
        );
        assert_eq!(
            t("21 Jan 2020 21:00 GMT").as_deref(),
            Some("2020-01-21T21:00:00Z")
        );
        assert_eq!(
            t("2019-11-20T18:35:28-08:00").as_deref(),
            Some("2019-11-21T02:35:28Z")
        );
        assert_eq!(t("yesterday"), None);
    }

    #[test]
    fn html_becomes_plain_text() {
        assert_eq!(
            html_to_text("Line one<br />Line&nbsp;two &amp; more<br><br>x &lt; y <b>bold</b>"),
            "Line one\nLine two & more\n\nx < y bold"
        );
        assert_eq!(html_to_text("a < b and c > d"), "a < b and c > d");
        assert_eq!(html_to_text("<p>one</p><p>two</p>"), "one\n\ntwo");
    }

    #[test]
    fn hostile_xml_is_refused_cleanly() {
        let laughs = br#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title></item></channel></rss>"#;
        assert!(read(laughs).unwrap_err().message.contains("entities"));
        let deep = format!(
            "<rss>{}{}</rss>",
            "<a>".repeat(100_000),
            "</a>".repeat(100_000)
        );
        assert!(read(deep.as_bytes())
            .unwrap_err()
            .message
            .contains("deeper"));
        assert!(read(b"<rss><channel><item>")
            .unwrap_err()
            .message
            .contains("truncated"));
        assert!(read(b"\xff\xfe<rss/>")
            .unwrap_err()
            .message
            .contains("UTF-8"));
        assert!(read(b"<html><body>hi</body></html>")
            .unwrap_err()
            .message
            .contains("HTML"));
        assert!(read(b"<rss><channel><title>&bogus;</title></channel></rss>").is_err());
        assert!(read(b"").is_err());
        let empty =
            read(b"<feed xmlns='http://www.w3.org/2005/Atom'><title>t</title></feed>").unwrap();
        assert!(empty.entries.is_empty());
    }

    #[test]
    fn statuses_stated_in_categories_and_status_lines_are_read() {
        let feed = br#"<feed xmlns='http://www.w3.org/2005/Atom'><title>V</title>
            <entry><id>a</id><title>Slow</title><updated>2026-01-01T00:00:00Z</updated>
              <category term="Resolved"/><summary>All good.</summary></entry>
            <entry><id>b</id><title>Down</title><updated>2026-01-01T00:00:00Z</updated>
              <summary>&lt;h3&gt;Status: MONITORING&lt;/h3&gt;</summary></entry>
            <entry><id>c</id><title>Odd</title><updated>2026-01-01T00:00:00Z</updated>
              <category term="outage"/><summary>Looking.</summary></entry></feed>"#;
        let incidents = parse_generic(feed, "https://v.example")
            .unwrap()
            .incidents
            .unwrap();
        let status = |id: &str| incidents.iter().find(|i| i.id == id).unwrap().status;
        assert_eq!(status("a"), IncidentStatus::Resolved);
        assert_eq!(status("b"), IncidentStatus::Monitoring);
        assert_eq!(status("c"), IncidentStatus::Unstated);
    }

    #[test]
    fn generic_entries_without_ids_get_stable_ones_and_stated_statuses() {
        let feed = br#"<rss><channel><title>Vendor</title><link>https://v.example</link>
            <item><title>[RESOLVED] Slow API</title><pubDate>Tue, 21 Jan 2020 21:00:29 +0000</pubDate><description>Fixed.</description></item>
            <item><title>Dashboard errors</title><pubDate>Tue, 21 Jan 2020 20:00:00 +0000</pubDate></item>
            </channel></rss>"#;
        let parts = parse_generic(feed, "").unwrap();
        let incidents = parts.incidents.unwrap();
        assert_eq!(incidents.len(), 2);
        assert_eq!(incidents[0].status, IncidentStatus::Resolved);
        assert_eq!(incidents[1].status, IncidentStatus::Unstated);
        assert!(!incidents[1].is_open());
        // On the wire as before: the placeholder status, and raw_status "unknown".
        let wire = serde_json::to_value(&incidents[1]).unwrap();
        assert_eq!(wire["status"], "investigating");
        assert_eq!(wire["raw_status"], "unknown");
        let back: Incident = serde_json::from_value(wire).unwrap();
        assert_eq!(back, incidents[1]);
        let again = parse_generic(feed, "").unwrap().incidents.unwrap();
        assert_eq!(incidents[0].id, again[0].id);
        assert_eq!(incidents[0].id.len(), 16);
        assert_eq!(parts.page_name.as_deref(), Some("Vendor"));
    }
}
