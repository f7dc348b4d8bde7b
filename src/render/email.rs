//! One RFC 5322 message of events, for `sendmail -t`: a Subject that names the news, a
//! plain-text body (the text digest), and optionally an HTML part. No events, no message.
//!
//! The MIME is mail-builder's: headers folded per RFC 5322 and encoded per RFC 2047 when not
//! ASCII, bodies in 7bit, quoted-printable or base64 as their bytes need. The boundary and the
//! Message-ID carry random bits the shell passes in, so no status page can predict them. Lines
//! end in LF, as `sendmail -t` reads them.

use crate::model::{ComponentStatus, Event, EventKind, Timestamp};
use crate::render::collected::Collected;
use crate::render::describe::{describe, Described};
use crate::render::html;
use crate::render::style::Style;
use crate::render::text;
use crate::sanitize::one_line;
use mail_builder::headers::address::Address;
use mail_builder::headers::content_type::ContentType;
use mail_builder::headers::text::Text;
use mail_builder::mime::MimePart;
use mail_builder::MessageBuilder;
use std::collections::HashMap;

/// Who the message is from and to, and whether to add an HTML part.
#[derive(Clone, Debug, Default)]
pub struct Envelope {
    pub to: Vec<String>,
    pub from: Option<String>,
    pub html: bool,
    /// Random bits from the shell, for the MIME boundary and the Message-ID: nothing a status
    /// page writes can predict them.
    pub nonce: u128,
}

/// A mailbox as given on the command line, `ops@example.com` or `Ops <ops@example.com>`:
/// (display name, address), or why it is not one.
pub fn mailbox(spec: &str) -> Result<(Option<String>, String), String> {
    let spec = spec.trim();
    let (name, address) = match spec.rfind('<') {
        Some(open) if spec.ends_with('>') => (
            spec[..open].trim().trim_matches('"').trim(),
            spec[open + 1..spec.len() - 1].trim(),
        ),
        _ => ("", spec),
    };
    let valid_part = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_graphic() && !"<>()[]\\,;:\"@".contains(c))
    };
    match address.split_once('@') {
        Some((local, domain)) if valid_part(local) && valid_part(domain) => {}
        _ => return Err(format!("{spec:?} is not an email address (user@host)")),
    }
    if name.chars().any(char::is_control) {
        return Err(format!("{spec:?}: the name holds control characters"));
    }
    let name = (!name.is_empty()).then(|| name.to_string());
    Ok((name, address.to_string()))
}

fn address(spec: &str) -> Address<'static> {
    // The shell has checked each with `mailbox`; anything else is sent as one cleaned line.
    match mailbox(spec) {
        Ok((name, address)) => Address::new_address(name, address),
        Err(_) => Address::new_address(None::<String>, one_line(spec)),
    }
}

/// The whole message, dated `now`, or `None` when there are no events.
pub fn message(
    collected: &Collected,
    style: &Style,
    envelope: &Envelope,
    now: Timestamp,
) -> Option<String> {
    if collected.events.is_empty() {
        return None;
    }
    let plain = Style {
        color: false,
        width: 76,
        ..style.clone()
    };
    let body = text::digest(&collected.events, &plain);
    let subject = subject(collected);

    let nonce = envelope.nonce;
    // The Message-ID's right side is the sender's domain when there is one (RFC 5322 §3.6.4).
    let domain = envelope
        .from
        .as_deref()
        .and_then(|from| mailbox(from).ok())
        .and_then(|(_, address)| address.split_once('@').map(|(_, d)| d.to_string()))
        .unwrap_or_else(|| "statusq.invalid".into());
    let mut builder = MessageBuilder::new();
    if let Some(from) = &envelope.from {
        builder = builder.from(address(from));
    }
    builder = builder
        .to(Address::new_list(
            envelope.to.iter().map(|t| address(t)).collect(),
        ))
        .subject(Text::new(subject.clone()))
        .date(now.unix_seconds())
        .message_id(format!("statusq.{nonce:032x}@{domain}"))
        .header("Auto-Submitted", Text::new("auto-generated"));
    let text_part = MimePart::new("text/plain", body);
    let content = if envelope.html {
        let mut events_only = Collected::default();
        events_only.events = collected.events.clone();
        let page = html::document(&events_only, style, &subject, now);
        // `=_` cannot begin a line of a quoted-printable part, and the rest is random.
        let boundary = format!("=_statusq_{nonce:032x}");
        MimePart::new(
            ContentType::new("multipart/alternative").attribute("boundary", boundary),
            vec![text_part, MimePart::new("text/html", page)],
        )
    } else {
        text_part
    };
    let wire = builder.body(content).write_to_string().ok()?;
    Some(wire.replace("\r\n", "\n"))
}

/// What a subject can hold before the rest is counted: a mail client shows about this much.
const SUBJECT_ROOM: usize = 160;

/// The news, per provider in the order they first appear: `GitHub: Incident with Actions —
/// identified; OpenAI: 22 components degraded`. Each incident or maintenance is named once with
/// its latest status; component changes are counted per new status; the page's own status and
/// fetch failures are said when there is nothing else. Providers that do not fit are counted.
pub fn subject(collected: &Collected) -> String {
    let news = News::of(&collected.events);
    // Each provider's news in full; where that is too long for a subject, providers with more
    // than one incident or maintenance have them counted; and what still does not fit, counted.
    let full: Vec<String> = news.iter().map(|n| n.line(false)).collect();
    let fits = |lines: &[String]| {
        lines.iter().map(|l| l.chars().count() + 2).sum::<usize>() <= SUBJECT_ROOM
    };
    let lines = if fits(&full) {
        full
    } else {
        news.iter().map(|n| n.line(true)).collect()
    };
    let mut said: Vec<String> = Vec::new();
    let mut length = 0;
    for (index, line) in lines.iter().enumerate() {
        if !said.is_empty() && length + line.chars().count() > SUBJECT_ROOM {
            said.push(format!("and {} more", lines.len() - index));
            break;
        }
        length += line.chars().count() + 2;
        said.push(line.clone());
    }
    let subject = one_line(&said.join("; "));
    // One provider's news alone can still be long: cut it where a client would.
    if subject.chars().count() > SUBJECT_ROOM {
        let cut: String = subject.chars().take(SUBJECT_ROOM - 1).collect();
        format!("{cut}…")
    } else {
        subject
    }
}

/// One provider's news, as a subject says it.
struct News {
    provider: String,
    /// Incidents and maintenances: (kind and id, title, latest status, its time).
    items: Vec<(String, String, String, Timestamp)>,
    /// Where each item's key is in `items`.
    item_at: HashMap<String, usize>,
    components: Vec<(ComponentStatus, Vec<String>)>,
    other: Vec<String>,
}

impl News {
    /// The events' news, a provider at a time in the order providers first appear. Indexed,
    /// so a long input stays linear.
    fn of(events: &[Event]) -> Vec<News> {
        let mut news: Vec<News> = Vec::new();
        let mut news_at: HashMap<String, usize> = HashMap::new();
        for event in events {
            let described = describe(event);
            let index = *news_at
                .entry(described.provider.clone())
                .or_insert_with(|| {
                    news.push(News {
                        provider: described.provider.clone(),
                        items: Vec::new(),
                        item_at: HashMap::new(),
                        components: Vec::new(),
                        other: Vec::new(),
                    });
                    news.len() - 1
                });
            news[index].add(event, described);
        }
        news
    }

    fn add(&mut self, event: &Event, described: Described) {
        let item = event
            .incident
            .as_ref()
            .map(|i| ("incident", i))
            .or(event.maintenance.as_ref().map(|m| ("maintenance", m)));
        if let Some((kind, item)) = item {
            let status = match event.event {
                EventKind::IncidentResolved => "resolved".to_string(),
                EventKind::IncidentReopened => "reopened".to_string(),
                EventKind::MaintenanceScheduled => "scheduled".to_string(),
                EventKind::MaintenanceStarted => "in progress".to_string(),
                EventKind::MaintenanceReminder => "starting soon".to_string(),
                EventKind::MaintenanceCompleted => "completed".to_string(),
                _ => one_line(
                    event
                        .update
                        .as_ref()
                        .map_or(item.status.as_str(), |u| u.status.as_str()),
                )
                .replace('_', " "),
            };
            let key = format!("{kind}/{}", item.id);
            match self.item_at.get(&key) {
                Some(&at) => {
                    let existing = &mut self.items[at];
                    if existing.3 <= event.at {
                        existing.2 = status;
                        existing.3 = event.at;
                    }
                }
                None => {
                    self.item_at.insert(key.clone(), self.items.len());
                    self.items.push((key, described.title, status, event.at));
                }
            }
            return;
        }
        match (event.event, &event.component) {
            (EventKind::ComponentChanged, Some(component)) => {
                let to = component.status;
                match self.components.iter_mut().find(|(s, _)| *s == to) {
                    Some((_, names)) => names.push(described.title),
                    None => self.components.push((to, vec![described.title])),
                }
            }
            _ => {
                if !self.other.contains(&described.what) {
                    self.other.push(described.what);
                }
            }
        }
    }

    /// `Provider: news, news`; `compact` counts the incidents and maintenances of a provider
    /// with more than one.
    fn line(&self, compact: bool) -> String {
        let mut parts: Vec<String> = Vec::new();
        let incidents = self
            .items
            .iter()
            .filter(|(k, ..)| k.starts_with("incident/"))
            .count();
        let maintenances = self.items.len() - incidents;
        if compact && self.items.len() > 1 {
            for (count, word) in [(incidents, "incident"), (maintenances, "maintenance")] {
                match count {
                    0 => {}
                    1 => parts.push(format!("1 {word}")),
                    n => parts.push(format!("{n} {word}s")),
                }
            }
        } else {
            parts.extend(self.items.iter().map(|(_, title, status, _)| {
                if title.is_empty() {
                    status.clone()
                } else {
                    format!("{title} — {status}")
                }
            }));
        }
        for (status, names) in &self.components {
            let word = short_status(*status);
            parts.push(match names.as_slice() {
                [one] => format!("{one} {word}"),
                many => format!("{} components {word}", many.len()),
            });
        }
        // The page's own status and fetch trouble, when there is nothing more specific.
        if parts.is_empty() {
            parts.extend(self.other.iter().cloned());
        }
        format!("{}: {}", self.provider, parts.join(", "))
    }
}

/// A component status as a subject says it, briefly.
fn short_status(status: ComponentStatus) -> &'static str {
    match status {
        ComponentStatus::Operational => "operational",
        ComponentStatus::DegradedPerformance => "degraded",
        ComponentStatus::PartialOutage => "partial outage",
        ComponentStatus::MajorOutage => "major outage",
        ComponentStatus::UnderMaintenance => "under maintenance",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailboxes_are_addresses_with_an_optional_name() {
        assert_eq!(
            mailbox("Ops <ops@example.com>"),
            Ok((Some("Ops".into()), "ops@example.com".into()))
        );
        assert_eq!(mailbox(" a@b.example "), Ok((None, "a@b.example".into())));
        for bad in [
            "ops",
            "@b",
            "a@",
            "a b@c",
            "ops@example.com\r\nBcc: x@y",
            "<a@b>,c@d",
        ] {
            assert!(mailbox(bad).is_err(), "{bad:?}");
        }
    }
}
