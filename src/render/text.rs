//! Plain text for terminals and cron mail: a digest of events, a status board per snapshot.
//!
//! ```text
//! 2026-10-07 21:44 UTC  Claude: incident monitoring [major]
//! Elevated errors on platform.claude.com
//!   We've mitigated the errors loading usage data on platform.claude.com and in the
//!   Admin API usage report.
//!   Affected: Claude Console (platform.claude.com) — degraded performance
//!   https://stspg.io/sjkw7njwf0mt
//! ```
//!
//! A digest ([`digest`]) is one block per incident or maintenance update, and one block per
//! provider and new status for its component changes ("OpenAI: 22 components now degraded
//! performance"), in time order per provider, providers in the order they came. Markdown bodies
//! come out as plain text ([`crate::render::plain`]).

use crate::model::{Event, Indicator, Snapshot};
use crate::render::describe::{describe, Board};
use crate::render::digest::{blocks, Block, Components, NAMES_SHOWN};
use crate::render::style::{clock, Severity, Style};

const RESET: &str = "\x1b[0m";

fn paint(text: &str, severity: Severity, style: &Style) -> String {
    if !style.color {
        return text.to_string();
    }
    let code = match severity {
        Severity::Good => "\x1b[32m",
        Severity::Unknown => "\x1b[2m",
        Severity::Maintenance => "\x1b[34m",
        Severity::Minor => "\x1b[33m",
        Severity::Major => "\x1b[31m",
        Severity::Critical => "\x1b[1;31m",
    };
    format!("{code}{text}{RESET}")
}

fn dim(text: &str, style: &Style) -> String {
    if style.color {
        format!("\x1b[2m{text}{RESET}")
    } else {
        text.to_string()
    }
}

/// Wraps every line of `body` to the width, indented by two spaces; blank lines are kept.
fn indented(body: &str, style: &Style) -> String {
    let width = style.width.max(20);
    let mut out = String::new();
    for line in body.lines() {
        if line.trim().is_empty() {
            out.push('\n');
            continue;
        }
        let options = wrapping(width).initial_indent("  ").subsequent_indent("  ");
        out.push_str(&fill(line, options));
        out.push('\n');
    }
    // At most one blank line in a row, none at the end.
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

/// How text wraps at `width`: at spaces only, never inside a word — a URL or a word longer
/// than the line stays whole on a line of its own (a terminal shows the rest; a URL cut in two
/// no longer opens), and never at a hyphen (`notification-available`). A no-break space binds
/// what must stay together (a component's name and its status).
fn wrapping(width: usize) -> textwrap::Options<'static> {
    textwrap::Options::new(width)
        .break_words(false)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
}

/// A name that must not be wrapped inside (`Image Generation`): its spaces bound together for
/// [`fill`], which gives them back as spaces.
fn whole(name: &str) -> String {
    name.replace(' ', "\u{a0}")
}

/// `textwrap::fill` with [`wrapping`]'s rules, the no-break spaces given back as spaces; but at
/// [`UNWRAPPED`](crate::render::style::UNWRAPPED) each line is kept whole with no wrapping
/// work: the optimal-fit wrap of a long body is most of what building a chat message costs.
fn fill(text: &str, options: textwrap::Options) -> String {
    if options.width < crate::render::style::UNWRAPPED {
        return textwrap::fill(text, options).replace('\u{a0}', " ");
    }
    let mut out = String::with_capacity(text.len() + options.initial_indent.len());
    for (index, line) in text.split('\n').enumerate() {
        if index > 0 {
            out.push('\n');
            out.push_str(options.subsequent_indent);
        } else {
            out.push_str(options.initial_indent);
        }
        out.push_str(&line.trim_end().replace('\u{a0}', " "));
    }
    out
}

/// One event as a block ending in a blank line.
pub fn event(event: &Event, style: &Style) -> String {
    let d = describe(event);
    let mut head = format!("{}: {}", d.provider, d.what);
    if let Some(impact) = d
        .impact
        .filter(|i| !matches!(i, Indicator::None | Indicator::Maintenance))
    {
        if matches!(
            event.event,
            crate::model::EventKind::IncidentCreated
                | crate::model::EventKind::IncidentUpdated
                | crate::model::EventKind::IncidentReopened
        ) {
            head.push_str(&format!(" [{impact}]"));
        }
    }
    let mut out = format!(
        "{}  {}\n",
        dim(&clock(d.at, style.local), style),
        paint(&head, d.severity, style)
    );
    if !d.title.is_empty() {
        // Long titles (GitHub names every component in them) wrap like the body.
        out.push_str(&fill(&d.title, wrapping(style.width.max(20))));
        out.push('\n');
    }
    if !d.body.is_empty() {
        out.push_str(&indented(&crate::render::plain::plain(&d.body), style));
    }
    if !d.affected.is_empty() {
        let list: Vec<String> = d
            .affected
            .iter()
            // No break inside "— degraded performance", nor between it and the name's last
            // word: a wrapped list still reads as pairs.
            .map(|(name, status)| {
                format!(
                    "{}\u{a0}—\u{a0}{}",
                    whole(name),
                    status.replace('_', "\u{a0}")
                )
            })
            .collect();
        out.push_str(&indented(&format!("Affected: {}", list.join("; ")), style));
    }
    if let Some(link) = &d.link {
        out.push_str(&format!("  {}\n", dim(link, style)));
    }
    out.push('\n');
    out
}

/// How many past incidents the board of a feed-only page lists.
const RECENT_SHOWN: usize = 3;

/// Events as a digest ([`crate::render::digest`]): per provider (in the order providers first
/// appear), its blocks in time order; the component changes of a provider's poll to one status
/// are one block, naming the incidents among the same events that explain them.
pub fn digest(events: &[Event], style: &Style) -> String {
    blocks(events).iter().map(|b| block(b, style)).collect()
}

/// One block of a digest, ending in a blank line.
pub fn block(block: &Block, style: &Style) -> String {
    match block {
        Block::Event(step) => {
            let mut out = self::event(step.event, style);
            if let Some(page) = step.page_status() {
                // Inside the block, before the blank line that ends it.
                out.pop();
                out.push_str(&format!("  {page}\n\n"));
            }
            out
        }
        Block::Components(group) => components_block(group, style),
    }
}

/// Several components of one provider that changed to one status, as one block.
fn components_block(group: &Components, style: &Style) -> String {
    let Components {
        events,
        status,
        during,
        at,
    } = group;
    let d = describe(events[0]);
    let words = status.as_str().replace('_', " ");
    let head = format!("{}: {} components now {words}", d.provider, events.len());
    let mut out = format!(
        "{}  {}\n",
        dim(&clock(*at, style.local), style),
        paint(&head, Severity::of_component(*status), style)
    );
    let (names, more) = group.names_shown();
    let mut shown = names
        .iter()
        .map(|n| whole(n))
        .collect::<Vec<_>>()
        .join(", ");
    if more > 0 {
        shown.push_str(&format!(" and {more} more"));
    }
    out.push_str(&indented(&shown, style));
    if !during.is_empty() {
        out.push_str(&indented(&format!("During: {}", during.join("; ")), style));
    }
    if let Some(link) = &d.link {
        out.push_str(&format!("  {}\n", dim(link, style)));
    }
    out.push('\n');
    out
}

/// One snapshot as a status board entry: the banner line, then what is not fine.
pub fn board(snapshot: &Snapshot, style: &Style) -> String {
    let b = Board::of(snapshot);
    // A page read through its feed states no page status: say what the feed does say.
    let feed_only = snapshot.ok && snapshot.status.is_none() && snapshot.incidents.is_some();
    let state = match (&b.error, b.indicator) {
        (Some(_), _) => "unreachable".to_string(),
        (None, None) if feed_only => "feed".to_string(),
        (None, Some(Indicator::None)) => "operational".to_string(),
        (None, Some(indicator)) => indicator.to_string(),
        (None, None) => "unknown".to_string(),
    };
    let detail = match (&b.error, feed_only) {
        (Some(error), _) => error.clone(),
        (None, true) => match b.incidents.len() {
            0 => "no open incident in its feed".to_string(),
            1 => "1 open incident in its feed".to_string(),
            n => format!("{n} open incidents in its feed"),
        },
        (None, false) => b.description.clone(),
    };
    let mut out = format!(
        "{:<24} {} {}",
        b.name,
        paint(&format!("{state:<11}"), b.severity, style),
        detail
    );
    // No trailing blanks when there is no detail to follow the padding.
    while out.ends_with(' ') {
        out.pop();
    }
    out.push('\n');
    // Components not operational, one line per status: "3 components partial outage: A, B, C".
    for (status, names) in b.components_by_status() {
        let words = status.as_str().replace('_', " ");
        let line = match names.as_slice() {
            [one] => format!("{}: {words}", whole(one)),
            many => {
                let mut shown = many
                    .iter()
                    .take(NAMES_SHOWN)
                    .map(|name| whole(name))
                    .collect::<Vec<_>>()
                    .join(", ");
                if many.len() > NAMES_SHOWN {
                    shown.push_str(&format!(" and {} more", many.len() - NAMES_SHOWN));
                }
                format!("{} components {words}: {shown}", many.len())
            }
        };
        let options = wrapping(style.width.max(20))
            .initial_indent("  - ")
            .subsequent_indent("    ");
        let wrapped = fill(&line, options);
        out.push_str(&paint(&wrapped, Severity::of_component(status), style));
        out.push('\n');
    }
    for incident in &b.incidents {
        let impact = incident
            .impact
            .map(|i| format!(", {i}"))
            .unwrap_or_default();
        out.push_str(&item(
            &format!("incident: {} ({}{impact})", incident.name, incident.status),
            style,
        ));
        if let Some(link) = &incident.link {
            out.push_str(&format!("    {}\n", dim(link, style)));
        }
    }
    if feed_only {
        // The most recent ones the feed still lists that are over, newest first.
        let mut recent: Vec<&crate::model::Incident> = snapshot
            .incidents
            .iter()
            .flatten()
            .filter(|i| !i.is_open())
            .collect();
        recent.sort_by_key(|i| std::cmp::Reverse(i.created_at));
        for incident in recent.into_iter().take(RECENT_SHOWN) {
            let when = incident
                .resolved_at
                .or(incident.created_at)
                .map(|t| format!(", {}", clock(t, style.local)))
                .unwrap_or_default();
            out.push_str(&item(
                &format!(
                    "recent: {} ({}{when})",
                    crate::sanitize::one_line(&incident.name),
                    incident.status.as_str().replace('_', " ")
                ),
                style,
            ));
        }
    }
    for maintenance in &b.maintenances {
        let window = if maintenance.window.is_empty() {
            String::new()
        } else {
            format!(", {}", maintenance.window)
        };
        out.push_str(&item(
            &format!(
                "maintenance: {} ({}{window})",
                maintenance.name, maintenance.status
            ),
            style,
        ));
    }
    out
}

/// One item of a board's list (`  - incident: …`), wrapped under itself.
fn item(text: &str, style: &Style) -> String {
    let options = wrapping(style.width.max(20))
        .initial_indent("  - ")
        .subsequent_indent("    ");
    format!("{}\n", fill(text, options))
}

/// A snapshot's whole history: every incident and maintenance the page still lists, newest
/// first, each with all its updates, newest first — the "full log" of a status page.
pub fn history(snapshot: &Snapshot, style: &Style) -> String {
    use crate::sanitize::{clean, http_url, one_line};
    let mut out = String::new();
    if !snapshot.ok {
        return board(snapshot, style);
    }
    // (when it started, its block) for incidents and maintenances alike.
    let mut items: Vec<(Option<crate::model::Timestamp>, String)> = Vec::new();
    let block = |name: &str,
                 status: &str,
                 created: Option<crate::model::Timestamp>,
                 url: Option<&str>,
                 updates: &[crate::model::Update]| {
        let when = created.map_or_else(|| "(no date)".to_string(), |t| clock(t, style.local));
        // The heading wrapped like the rest (dimming added after, so it does not count).
        let heading = fill(
            &format!("{when}  {} ({})", one_line(name), status.replace('_', " ")),
            wrapping(style.width.max(20)).subsequent_indent("  "),
        );
        let mut text = match heading.strip_prefix(when.as_str()) {
            Some(rest) => format!("{}{rest}\n", dim(&when, style)),
            None => format!("{heading}\n"),
        };
        let mut updates: Vec<&crate::model::Update> = updates.iter().collect();
        updates.sort_by_key(|u| std::cmp::Reverse(u.at));
        for update in updates {
            let at = update
                .at
                .map_or_else(String::new, |t| clock(t, style.local));
            text.push_str(&format!(
                "  {}  {}\n",
                dim(&at, style),
                update.status.as_str().replace('_', " ")
            ));
            let body = crate::render::plain::plain(&clean(&update.body));
            if !body.is_empty() {
                let narrow = Style {
                    width: style.width.saturating_sub(2),
                    ..style.clone()
                };
                let indented_body: String = indented(&body, &narrow)
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect();
                text.push_str(&indented_body);
            }
        }
        if let Some(link) = url.and_then(http_url) {
            text.push_str(&format!("  {}\n", dim(link, style)));
        }
        text.push('\n');
        text
    };
    let incidents = snapshot.incidents.as_deref().unwrap_or_default();
    let maintenances = snapshot.maintenances.as_deref().unwrap_or_default();
    for incident in incidents {
        // A feed entry that does not say its status is not guessed at.
        let status = if !incident.status_is_stated() {
            "status not stated".to_string()
        } else {
            incident.status.as_str().to_string()
        };
        items.push((
            incident.created_at,
            block(
                &incident.name,
                &status,
                incident.created_at,
                incident.url.as_deref(),
                &incident.updates,
            ),
        ));
    }
    for maintenance in maintenances {
        let started = maintenance.scheduled_for.or(maintenance.created_at);
        items.push((
            started,
            block(
                &format!("Maintenance: {}", maintenance.name),
                maintenance.status.as_str(),
                started,
                maintenance.url.as_deref(),
                &maintenance.updates,
            ),
        ));
    }
    items.sort_by_key(|item| std::cmp::Reverse(item.0));
    out.push_str(&format!(
        "{} — {} incidents, {} maintenances listed\n\n",
        one_line(&snapshot.name),
        incidents.len(),
        maintenances.len()
    ));
    for (_, text) in items {
        out.push_str(&text);
    }
    out
}
