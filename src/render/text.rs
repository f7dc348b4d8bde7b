//! Plain text for terminals and cron mail: a block per event, a status board per snapshot.
//!
//! ```text
//! 2026-10-07 21:44 UTC  Claude: incident monitoring [major]
//! Elevated errors on platform.claude.com
//!   We've mitigated the errors loading usage data on platform.claude.com and in the
//!   Admin API usage report.
//!   Affected: Claude Console (platform.claude.com) degraded_performance
//!   https://stspg.io/sjkw7njwf0mt
//! ```

use crate::model::{Event, Indicator, Snapshot};
use crate::render::describe::{describe, Board};
use crate::render::style::{clock, Severity, Style};

const RESET: &str = "\x1b[0m";

fn paint(text: &str, severity: Severity, style: &Style) -> String {
    if !style.color {
        return text.to_string();
    }
    let code = match severity {
        Severity::Good => "\x1b[32m",
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
        let options = textwrap::Options::new(width)
            .initial_indent("  ")
            .subsequent_indent("  ");
        out.push_str(&textwrap::fill(line, options));
        out.push('\n');
    }
    // At most one blank line in a row, none at the end.
    while out.ends_with("\n\n") {
        out.pop();
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
        out.push_str(&d.title);
        out.push('\n');
    }
    if !d.body.is_empty() {
        out.push_str(&indented(&d.body, style));
    }
    if !d.affected.is_empty() {
        let list: Vec<String> = d
            .affected
            .iter()
            .map(|(name, status)| format!("{name} {status}"))
            .collect();
        out.push_str(&indented(&format!("Affected: {}", list.join(", ")), style));
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
    let state = match (&b.error, b.indicator) {
        (Some(_), _) => "unreachable".to_string(),
        (None, Some(indicator)) => indicator.to_string(),
        (None, None) => "unknown".to_string(),
    };
    let detail = b.error.clone().unwrap_or_else(|| b.description.clone());
    let mut out = format!(
        "{:<24} {} {}\n",
        b.name,
        paint(&format!("{state:<11}"), b.severity, style),
        detail
    );
    for (name, status) in &b.components {
        out.push_str(&format!(
            "  - {name}: {}\n",
            paint(status.as_str(), Severity::of_component(*status), style)
        ));
    }
    for incident in &b.incidents {
        let impact = incident
            .impact
            .map(|i| format!(", {i}"))
            .unwrap_or_default();
        out.push_str(&format!(
            "  - incident: {} ({}{impact})\n",
            incident.name, incident.status
        ));
        if let Some(link) = &incident.link {
            out.push_str(&format!("    {}\n", dim(link, style)));
        }
    }
    for maintenance in &b.maintenances {
        let window = if maintenance.window.is_empty() {
            String::new()
        } else {
            format!(", {}", maintenance.window)
        };
        out.push_str(&format!(
            "  - maintenance: {} ({}{window})\n",
            maintenance.name, maintenance.status
        ));
    }
    out
}
