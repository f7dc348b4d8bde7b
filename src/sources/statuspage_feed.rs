//! Statuspage history feeds (`/history.atom`, `/history.rss`): incidents and maintenances with
//! their whole update history, read out of each entry's HTML.
//!
//! An entry's content is a list of updates, newest first:
//!
//! ```html
//! <p><small>Aug <var data-var='date'>21</var>, <var data-var='time'>00:37</var> UTC</small><br>
//!    <strong>Resolved</strong> - This incident has been resolved.</p>
//! ```
//!
//! The quirks handled, all seen in real feeds: no year in update dates (inferred from the
//! entry's `updated`/`published`, wrapping December → January), zone abbreviations (UTC, PST,
//! PDT, …), leading spaces in days, the 2014 format without `<var>` tags, the label `Update`
//! meaning "status unchanged", an upcoming maintenance's "THIS IS A SCHEDULED EVENT" paragraph
//! (its window), `<strong>` inside bodies, updates out of time order, Postmortem updates, and a
//! `published` in the future for upcoming maintenance.
//!
//! Incident ids are the `/incidents/<code>` code of the entry link — the id the JSON API uses —
//! so a page read through its feed and through its JSON yields the same incidents. Update ids
//! are derived from the incident id, the update time and the label, never from position or
//! chance, so they are the same on every fetch.

use crate::model::{
    FetchError, Incident, IncidentStatus, Maintenance, MaintenanceStatus, Phase, RawStatus,
    Timestamp, Update,
};
use crate::sources::feed::{self, html_to_text, FeedEntry};
use crate::sources::parts::Parts;
use crate::sources::parts::{first, one_document, Body, Platform};
use time::{Date, Duration, PrimitiveDateTime};

/// Parses a Statuspage `history.atom` or `history.rss`.
pub fn parse(bytes: &[u8], page_url: &str) -> Result<Parts, FetchError> {
    let doc = feed::read(bytes)?;
    let mut incidents = Vec::new();
    let mut maintenances = Vec::new();
    for entry in &doc.entries {
        match item(entry) {
            Item::Incident(incident) => incidents.push(incident),
            Item::Maintenance(maintenance) => maintenances.push(maintenance),
            Item::Skip => {}
        }
    }
    incidents.sort_by(|a: &Incident, b| b.created_at.cmp(&a.created_at).then(a.id.cmp(&b.id)));
    maintenances.sort_by(|a: &Maintenance, b| {
        b.scheduled_for
            .cmp(&a.scheduled_for)
            .then(b.created_at.cmp(&a.created_at))
            .then(a.id.cmp(&b.id))
    });
    let page_name = doc.title.map(|t| {
        let t = html_to_text(&t);
        t.trim_end_matches(" - Incident History")
            .trim_end_matches(" Status")
            .to_string()
    });
    let _ = page_url;
    Ok(Parts {
        page_name,
        page_url: doc.link,
        detected_format: Some(&PLATFORM),
        status: None,
        components: None,
        incidents: Some(incidents),
        maintenances: Some(maintenances),
    })
}

enum Item {
    Incident(Incident),
    Maintenance(Maintenance),
    Skip,
}

/// One update as written: when (without a year), the label and the body.
struct RawUpdate {
    month: time::Month,
    day: u8,
    year: Option<i32>,
    hour: u8,
    minute: u8,
    offset: Option<time::UtcOffset>,
    label: String,
    body: String,
}

fn item(entry: &FeedEntry) -> Item {
    let Some(html) = entry.content.as_deref().or(entry.summary.as_deref()) else {
        return Item::Skip;
    };
    let id = entry_id(entry);
    let published = entry.published.as_deref().and_then(feed::parse_date);
    let updated = entry.updated.as_deref().and_then(feed::parse_date);
    // Updates are never later than the entry's last change; `published` of an upcoming
    // maintenance is its start, in the future, so `updated` is the better reference.
    let reference = updated.or(published);

    let (window_html, raw_updates) = split_updates(html);
    let window = window_html.and_then(|w| scheduled_window(&w, published.or(reference)));
    let dated = in_order(raw_updates, reference);
    let is_maintenance = window.is_some()
        || dated.iter().any(|(_, _, u)| {
            matches!(
                label_phase(&u.label),
                Some(Phase::Scheduled | Phase::InProgress | Phase::Verifying | Phase::Completed)
            )
        });
    let (updates, current) = updates_of(&id, dated, is_maintenance);
    let name = entry
        .title
        .as_deref()
        .map(html_to_text)
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| id.clone());
    let created_at = updates.iter().filter_map(|u| u.at).min().or(published);
    let last_at = updates.iter().filter_map(|u| u.at).max();
    let updated_at = last_at.max(updated);
    let url = entry.link.clone();
    if is_maintenance {
        let status = match current {
            // A maintenance entry labelled with an incident's closing word is over.
            Phase::Resolved | Phase::Postmortem => MaintenanceStatus::Completed,
            phase => phase
                .maintenance_status()
                .unwrap_or(MaintenanceStatus::Scheduled),
        };
        let (scheduled_for, scheduled_until) = window.unzip();
        return Item::Maintenance(Maintenance {
            id,
            name,
            status,
            raw_status: None,
            impact: Some(crate::model::Indicator::Maintenance),
            url,
            scheduled_for,
            scheduled_until: scheduled_until.flatten(),
            created_at,
            updated_at,
            components: None,
            updates,
        });
    }
    let status = current
        .incident_status()
        .unwrap_or(IncidentStatus::Investigating);
    let resolved_at = status
        .is_closed()
        .then(|| crate::model::resolved_at(&updates).or(last_at))
        .flatten();
    Item::Incident(Incident {
        id,
        name,
        status,
        raw_status: None,
        impact: None,
        url,
        created_at,
        updated_at,
        resolved_at,
        components: None,
        updates,
    })
}

/// An entry's id: the `/incidents/<code>` of its link or guid (what the JSON API calls it),
/// else its own id or guid, else a hash of its title.
fn entry_id(entry: &FeedEntry) -> String {
    entry
        .link
        .as_deref()
        .and_then(incident_code)
        .or_else(|| entry.guid.as_deref().and_then(incident_code))
        .or_else(|| entry.id.clone())
        .or_else(|| entry.guid.clone())
        .unwrap_or_else(|| crate::hash::stable_hash(&[entry.title.as_deref().unwrap_or("")]))
}

/// The entry's updates dated (against `reference`) and put oldest first, each with its place in
/// the feed (0: the one upstream shows on top).
fn in_order(
    raw_updates: Vec<RawUpdate>,
    reference: Option<Timestamp>,
) -> Vec<(Option<Timestamp>, usize, RawUpdate)> {
    let dated: Vec<(Option<Timestamp>, usize, RawUpdate)> = raw_updates
        .into_iter()
        .enumerate()
        .map(|(position, raw)| (date_of(&raw, reference), position, raw))
        .collect();
    // Oldest first by time; for equal times, the feed's order reversed (it lists newest first).
    // An undated update keeps its place after the older update listed below it: it sorts by
    // that one's time. A key, not a comparison of pairs: mixing "by time" and "by position"
    // pairwise is no total order (the fuzzer found a feed that made the sort panic).
    let mut carried = None;
    let mut keys = vec![None; dated.len()];
    for (key, (at, _, _)) in keys.iter_mut().zip(&dated).rev() {
        carried = at.or(carried);
        *key = carried;
    }
    let mut keyed: Vec<_> = keys.into_iter().zip(dated).collect();
    keyed.sort_by_key(|(key, (_, position, _))| (*key, std::cmp::Reverse(*position)));
    keyed.into_iter().map(|(_, entry)| entry).collect()
}

/// The updates of the entry `id`, oldest first, each with the status its label says (or the
/// one before it, for "Update" and words statusq does not know), and the entry's current
/// status: the feed's top update's, even when another carries a later time (seen in real
/// feeds).
fn updates_of(
    id: &str,
    dated: Vec<(Option<Timestamp>, usize, RawUpdate)>,
    is_maintenance: bool,
) -> (Vec<Update>, Phase) {
    let mut updates: Vec<Update> = Vec::with_capacity(dated.len());
    let mut ids = UpdateIds::default();
    let mut current = if is_maintenance {
        Phase::Scheduled
    } else {
        Phase::Investigating
    };
    let mut top: Option<Phase> = None;
    for (at, position, raw) in dated {
        let (status, raw_status) = match label_phase(&raw.label) {
            Some(phase) => (phase, None),
            // "Update" means the status did not change.
            None if raw.label.eq_ignore_ascii_case("update") => (current, None),
            None => (
                current,
                Some(RawStatus::from_word(raw.label.to_lowercase())),
            ),
        };
        current = status;
        if position == 0 {
            top = Some(status);
        }
        updates.push(Update {
            id: ids.next(id, at, &raw),
            status,
            raw_status,
            body: raw.body,
            at,
            components: None,
        });
    }
    (updates, top.unwrap_or(current))
}

/// Update ids made from the entry, the update's time and its label; the n-th repeat (upstream
/// repeats them) gets `-n`. Sets and counters, not scans: 6,000 identical updates stay linear.
#[derive(Default)]
struct UpdateIds {
    seen: std::collections::HashSet<String>,
    next_suffix: std::collections::HashMap<String, usize>,
}

impl UpdateIds {
    fn next(&mut self, id: &str, at: Option<Timestamp>, raw: &RawUpdate) -> String {
        let stamp = at.map_or_else(
            || {
                format!(
                    "{:?}{}-{:02}{:02}",
                    raw.month, raw.day, raw.hour, raw.minute
                )
            },
            |t| {
                t.datetime()
                    .format(&time::macros::format_description!(
                        "[year][month][day]T[hour][minute]"
                    ))
                    .unwrap_or_default()
            },
        );
        let slug: String = raw
            .label
            .to_lowercase()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        let base = format!("{id}-{stamp}-{slug}");
        let mut uid = base.clone();
        if self.seen.contains(&uid) {
            let n = self.next_suffix.entry(base.clone()).or_insert(2);
            loop {
                uid = format!("{base}-{n}");
                *n += 1;
                if !self.seen.contains(&uid) {
                    break;
                }
            }
        }
        self.seen.insert(uid.clone());
        uid
    }
}

/// `https://x/incidents/<code>` → `<code>`.
fn incident_code(url: &str) -> Option<String> {
    let path = url.split(['?', '#']).next()?;
    let at = path.find("/incidents/")?;
    let code = path[at + "/incidents/".len()..].trim_end_matches('/');
    (!code.is_empty() && !code.contains('/')).then(|| code.to_string())
}

fn label_phase(label: &str) -> Option<Phase> {
    Some(match label.trim().to_ascii_lowercase().as_str() {
        "investigating" => Phase::Investigating,
        "identified" => Phase::Identified,
        "monitoring" => Phase::Monitoring,
        "resolved" => Phase::Resolved,
        "postmortem" => Phase::Postmortem,
        "scheduled" => Phase::Scheduled,
        "in progress" | "in_progress" => Phase::InProgress,
        "verifying" => Phase::Verifying,
        "completed" => Phase::Completed,
        _ => return None,
    })
}

/// Splits an entry's HTML into the scheduled-event paragraph (if any) and the updates.
fn split_updates(html: &str) -> (Option<String>, Vec<RawUpdate>) {
    let starts: Vec<usize> = html.match_indices("<small>").map(|(i, _)| i).collect();
    let head = &html[..starts.first().copied().unwrap_or(html.len())];
    let window = head
        .contains("THIS IS A SCHEDULED EVENT")
        .then(|| html_to_text(head));
    let mut updates = Vec::new();
    for (n, &start) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(html.len());
        let chunk = &html[start + "<small>".len()..end];
        let Some(close) = chunk.find("</small>") else {
            continue;
        };
        let when = html_to_text(&chunk[..close]);
        let after = &chunk[close + "</small>".len()..];
        let (label, body_html) = match (after.find("<strong>"), after.find("</strong>")) {
            (Some(open), Some(shut)) if open < shut => (
                html_to_text(&after[open + "<strong>".len()..shut]),
                &after[shut + "</strong>".len()..],
            ),
            _ => (String::new(), after),
        };
        let body_html = body_html.trim_start();
        let body_html = body_html
            .strip_prefix("-")
            .or_else(|| body_html.strip_prefix("&ndash;"))
            .unwrap_or(body_html);
        let Some(mut raw) = parse_when(&when) else {
            continue;
        };
        raw.label = if label.is_empty() {
            "Update".into()
        } else {
            label
        };
        raw.body = html_to_text(body_html);
        updates.push(raw);
    }
    (window, updates)
}

/// `Aug 21, 00:37 UTC`, `Jan  1, 09:09 PST`, `Sep  8, 12:08 UTC`, or with a year.
fn parse_when(text: &str) -> Option<RawUpdate> {
    let cleaned = text.replace(',', " ");
    let mut words = cleaned.split_whitespace().peekable();
    // "Wednesday, Dec 3, 10:00 UTC": a weekday may come first.
    if words.peek().is_some_and(|w| is_weekday(w)) {
        words.next();
    }
    let month = feed::month_number(words.next()?)?;
    let day: u8 = words.next()?.parse().ok()?;
    let mut next = words.next()?;
    let mut year = None;
    if next.len() == 4 && next.bytes().all(|b| b.is_ascii_digit()) {
        year = next.parse().ok();
        next = words.next()?;
        if next == "-" {
            next = words.next()?;
        }
    }
    let (hour, minute) = next.split_once(':')?;
    let offset = words
        .next()
        .map_or(Some(time::UtcOffset::UTC), feed::zone_offset);
    Some(RawUpdate {
        month,
        day,
        year,
        hour: hour.parse().ok()?,
        minute: minute
            .trim_end_matches(|c: char| !c.is_ascii_digit())
            .parse()
            .ok()?,
        offset,
        label: String::new(),
        body: String::new(),
    })
}

fn is_weekday(word: &str) -> bool {
    let word = word.trim_end_matches('.').to_ascii_lowercase();
    word.len() >= 3
        && [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]
        .iter()
        .any(|day| day.starts_with(&word))
}

/// The zone word closing a window's part (`UTC`, `PST`), if it has one (it ends in a time when
/// it has none).
fn zone_word(text: &str) -> Option<&str> {
    text.split_whitespace()
        .last()
        .filter(|word| !word.contains(':') && !word.bytes().all(|b| b.is_ascii_digit()))
}

/// The end of a window on one day, written as a time only (`11:30 UTC`): on the start's date,
/// or the day after when it is earlier than the start (a window across midnight).
fn time_only(text: &str, start: Timestamp) -> Option<Timestamp> {
    let mut words = text.split_whitespace();
    let (hour, minute) = words.next()?.split_once(':')?;
    let offset = words
        .next()
        .map_or(Some(time::UtcOffset::UTC), feed::zone_offset)?;
    let time = time::Time::from_hms(hour.parse().ok()?, minute.parse().ok()?, 0).ok()?;
    let date = start.datetime().to_offset(offset).date();
    let end = Timestamp::from(PrimitiveDateTime::new(date, time).assume_offset(offset));
    if end >= start {
        Some(end)
    } else {
        Some(Timestamp::from(
            PrimitiveDateTime::new(date.next_day()?, time).assume_offset(offset),
        ))
    }
}

/// The update's time, its year taken from the reference: an update is never more than a day
/// after the entry's last change, so a date that would be is from the year before (December
/// updates of an entry changed in January).
fn date_of(raw: &RawUpdate, reference: Option<Timestamp>) -> Option<Timestamp> {
    let offset = raw.offset?;
    let at = |year: i32| -> Option<Timestamp> {
        let date = Date::from_calendar_date(year, raw.month, raw.day).ok()?;
        let time = time::Time::from_hms(raw.hour, raw.minute, 0).ok()?;
        Some(Timestamp::from(
            PrimitiveDateTime::new(date, time).assume_offset(offset),
        ))
    };
    if let Some(year) = raw.year {
        return at(year);
    }
    let reference = reference?;
    let year = reference.datetime().year();
    let candidate = at(year).or_else(|| at(year - 1))?;
    if candidate.datetime() > reference.datetime() + Duration::days(1) {
        at(year - 1)
    } else {
        Some(candidate)
    }
}

/// The window of "THIS IS A SCHEDULED EVENT May 28, 16:30 UTC - May 29, 16:30 UTC". The start
/// takes its year from the entry's `published` (which is the start); the end is the first such
/// date not before the start.
fn scheduled_window(
    text: &str,
    published: Option<Timestamp>,
) -> Option<(Timestamp, Option<Timestamp>)> {
    let rest = text.split("THIS IS A SCHEDULED EVENT").nth(1)?.trim();
    let (from, until) = match rest.split_once(" - ") {
        Some((from, until)) => (from, Some(until)),
        None => (rest, None),
    };
    let near = |raw: &RawUpdate, anchor: Timestamp| -> Option<Timestamp> {
        let base = anchor.datetime().year();
        [base - 1, base, base + 1]
            .into_iter()
            .filter_map(|year| {
                date_of(
                    &RawUpdate {
                        year: Some(year),
                        ..copy(raw)
                    },
                    None,
                )
            })
            .min_by_key(|t| (t.datetime() - anchor.datetime()).abs())
    };
    // "Dec 3, 10:00 - 11:30 PST": the zone is written once, after the end.
    let from = match (zone_word(from), until.and_then(zone_word)) {
        (None, Some(zone)) => format!("{from} {zone}"),
        _ => from.to_string(),
    };
    let start_raw = parse_when(&from)?;
    let start = match published {
        Some(anchor) => near(&start_raw, anchor)?,
        None => return None,
    };
    let end = until.and_then(|until| match parse_when(until) {
        Some(raw) => (0..2).find_map(|extra| {
            date_of(
                &RawUpdate {
                    year: Some(start.datetime().year() + extra),
                    ..copy(&raw)
                },
                None,
            )
            .filter(|end| *end >= start)
        }),
        // A window within one day names its date once.
        None => time_only(until, start),
    });
    Some((start, end))
}

fn copy(raw: &RawUpdate) -> RawUpdate {
    RawUpdate {
        month: raw.month,
        day: raw.day,
        year: raw.year,
        hour: raw.hour,
        minute: raw.minute,
        offset: raw.offset,
        label: String::new(),
        body: String::new(),
    }
}

/// A Statuspage page's `history.atom` / `history.rss`.
pub const PLATFORM: Platform = Platform {
    word: "statuspage-feed",
    describes: "a Statuspage history feed",
    default_api: Some("/history.atom"),
    probes: &["/history.atom"],
    documents: &[],
    requests: one_document,
    // Told by Statuspage's own update markup, never by a phrase ("incident history" is in
    // other vendors' feed descriptions too): the `<var data-var='date'>` of its dates, or, in
    // the 2014 format without them, each update's `<small>…</small><br><strong>Label</strong>`,
    // escaped or in CDATA.
    sniff: Some(|body| {
        let Body::Markup { head, text } = body else {
            return false;
        };
        let feed = head.contains("<feed") || head.contains("<rss") || head.contains("<rdf");
        feed && {
            let text = String::from_utf8_lossy(text);
            text.contains("data-var='date'")
                || text.contains("&lt;/small&gt;&lt;br&gt;&lt;strong&gt;")
                || text.contains("</small><br><strong>")
        }
    }),
    parse: Some(|bodies, page| parse(first(bodies), page.url)),
    summary_first: false,
    family: Some("feed"),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn update_dates_take_their_year_from_the_entry_and_wrap_at_new_year() {
        let reference = Timestamp::parse("2014-01-02T10:00:00Z");
        let december = parse_when("Dec 29, 12:20 PST").unwrap();
        assert_eq!(
            date_of(&december, reference).unwrap().to_string(),
            "2013-12-29T20:20:00Z"
        );
        let january = parse_when("Jan  1, 09:09 PST").unwrap();
        assert_eq!(
            date_of(&january, reference).unwrap().to_string(),
            "2014-01-01T17:09:00Z"
        );
    }

    #[test]
    fn incident_codes_come_from_links() {
        assert_eq!(
            incident_code("https://www.githubstatus.com/incidents/bhbcjn4n3jzp").as_deref(),
            Some("bhbcjn4n3jzp")
        );
        assert_eq!(incident_code("https://x/history"), None);
    }

    #[test]
    fn the_scheduled_event_paragraph_is_the_window() {
        let published = Timestamp::parse("2025-05-28T16:30:00Z");
        let (from, until) = scheduled_window(
            "THIS IS A SCHEDULED EVENT May 28, 16:30 UTC - May 29, 16:30 UTC",
            published,
        )
        .unwrap();
        assert_eq!(from.to_string(), "2025-05-28T16:30:00Z");
        assert_eq!(until.unwrap().to_string(), "2025-05-29T16:30:00Z");
    }

    #[test]
    fn a_window_within_one_day_keeps_its_end_with_or_without_weekday_and_year() {
        let published = Timestamp::parse("2025-11-28T16:30:00Z");
        for (text, from, until) in [
            (
                "Dec 3, 10:00 - 11:30 UTC",
                "2025-12-03T10:00:00Z",
                "2025-12-03T11:30:00Z",
            ),
            (
                "Dec 3, 2025 10:00 - 11:30 UTC",
                "2025-12-03T10:00:00Z",
                "2025-12-03T11:30:00Z",
            ),
            (
                "Wednesday, Dec 3, 10:00 - 11:30 UTC",
                "2025-12-03T10:00:00Z",
                "2025-12-03T11:30:00Z",
            ),
            // The zone is written once, after the end, and applies to both.
            (
                "Dec 3, 10:00 - 11:30 PST",
                "2025-12-03T18:00:00Z",
                "2025-12-03T19:30:00Z",
            ),
            // Across midnight.
            (
                "Dec 3, 23:00 - 01:00 UTC",
                "2025-12-03T23:00:00Z",
                "2025-12-04T01:00:00Z",
            ),
        ] {
            let (start, end) =
                scheduled_window(&format!("THIS IS A SCHEDULED EVENT {text}"), published)
                    .unwrap_or_else(|| panic!("{text}"));
            assert_eq!(start.to_string(), from, "{text}");
            assert_eq!(end.map(|e| e.to_string()).as_deref(), Some(until), "{text}");
        }
    }
}
