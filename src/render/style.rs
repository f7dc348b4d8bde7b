//! How output looks — colour, width, time zone — and the words every format shares for
//! severity and time.

use crate::model::{ComponentStatus, Indicator, Timestamp};

/// How output looks; the `render` flags.
#[derive(Clone, Debug)]
pub struct Style {
    /// ANSI colours (text only).
    pub color: bool,
    /// Wrap width for text bodies; [`UNWRAPPED`] for text a chat service wraps itself.
    pub width: usize,
    /// Show times in the local zone instead of UTC.
    pub local: bool,
}

/// The width that means "do not wrap": lines are left whole, and no wrapping work is done.
pub const UNWRAPPED: usize = usize::MAX / 2;

impl Default for Style {
    fn default() -> Self {
        Style {
            color: false,
            width: 80,
            local: false,
        }
    }
}

/// How bad something is, for colours and ordering.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Back to normal: resolved, completed, recovered, operational.
    Good,
    /// Not known: a page that states no status and lists nothing to judge it by. Never drawn
    /// in the healthy colour.
    Unknown,
    /// Planned work.
    Maintenance,
    /// Worth knowing: minor impact, degraded performance.
    Minor,
    /// Partial outage, major impact.
    Major,
    /// Major outage, critical impact, a provider that cannot be fetched.
    Critical,
}

impl Severity {
    pub fn of_component(status: ComponentStatus) -> Severity {
        match status {
            ComponentStatus::Operational => Severity::Good,
            ComponentStatus::UnderMaintenance => Severity::Maintenance,
            ComponentStatus::DegradedPerformance => Severity::Minor,
            ComponentStatus::PartialOutage => Severity::Major,
            ComponentStatus::MajorOutage => Severity::Critical,
        }
    }

    pub fn of_indicator(indicator: Indicator) -> Severity {
        match indicator {
            Indicator::None => Severity::Good,
            Indicator::Maintenance => Severity::Maintenance,
            Indicator::Minor => Severity::Minor,
            Indicator::Major => Severity::Major,
            Indicator::Critical => Severity::Critical,
        }
    }

    /// A lowercase word for CSS classes and plain-text tags.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Good => "good",
            Severity::Unknown => "unknown",
            Severity::Maintenance => "maintenance",
            Severity::Minor => "minor",
            Severity::Major => "major",
            Severity::Critical => "critical",
        }
    }
}

/// `2026-11-23 02:00 → 04:00 UTC`, or empty when upstream gave no window.
pub fn window(from: Option<Timestamp>, until: Option<Timestamp>) -> String {
    match (from, until) {
        (Some(from), Some(until)) => {
            let start = clock(from, false);
            let end = clock(until, false);
            let same_day = start.get(..10) == end.get(..10);
            let end = if same_day { end[11..].to_string() } else { end };
            format!("{} → {}", start.trim_end_matches(" UTC"), end)
        }
        (Some(from), None) => format!("from {}", clock(from, false)),
        (None, Some(until)) => format!("until {}", clock(until, false)),
        (None, None) => String::new(),
    }
}

/// `2026-10-07 21:44 UTC`, or in the local zone with its offset (`2026-10-07 14:44 -07:00`).
pub fn clock(at: Timestamp, local: bool) -> String {
    let utc = at.datetime();
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    if local {
        if let Ok(offset) = time::UtcOffset::local_offset_at(utc) {
            let there = utc.to_offset(offset);
            let zone =
                time::macros::format_description!("[offset_hour sign:mandatory]:[offset_minute]");
            return format!(
                "{} {}",
                there.format(&format).unwrap_or_default(),
                there.format(&zone).unwrap_or_default()
            );
        }
    }
    format!("{} UTC", utc.format(&format).unwrap_or_default())
}
