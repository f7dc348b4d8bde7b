//! `statusq report`'s outputs: a text table, Markdown, CSV, Prometheus metrics and a
//! self-contained HTML page with a bar per day per component. (JSON Lines are the
//! [`ProviderReport`] records themselves.)
//!
//! Pure: reports in, a string out. Names come from status pages and are untrusted: text has its
//! control characters removed, Markdown its table syntax escaped, HTML is escaped, and a CSV
//! cell that a spreadsheet would read as a formula is prefixed with `'`.

use crate::model::ComponentStatus;
use crate::model::{ComponentReport, Coverage, ProviderReport};
use crate::render::style::Severity;
use crate::sanitize::html_text as esc;
use crate::sanitize::one_line;
use std::fmt::Write as _;

/// `7h 32m`, `45m`, `3d 4h`; `—` for nothing.
pub fn duration(minutes: f64) -> String {
    let total = minutes.round() as i64;
    if total <= 0 {
        return if minutes > 0.0 {
            "<1m".into()
        } else {
            "—".into()
        };
    }
    let (days, hours, mins) = (total / 1440, total % 1440 / 60, total % 60);
    match (days, hours) {
        (0, 0) => format!("{mins}m"),
        (0, _) => format!("{hours}h {mins}m"),
        _ => format!("{days}d {hours}h"),
    }
}

/// `99.93%`; `—` without coverage. Never rounded up to 100% when anything was lost.
pub fn percent(availability: Option<f64>) -> String {
    match availability {
        None => "—".into(),
        Some(a) if a >= 1.0 => "100%".into(),
        Some(a) => {
            let floored = (a * 10_000.0).floor() / 100.0;
            format!("{floored:.2}%")
        }
    }
}

fn date(at: crate::model::Timestamp) -> String {
    at.datetime().date().to_string()
}

fn coverage_note(report: &ProviderReport) -> String {
    match (report.coverage, report.covered_from) {
        (Coverage::Full, _) => String::new(),
        (Coverage::Partial, Some(from)) => format!(
            "history covers only since {} UTC (the oldest incident the page lists)",
            from.datetime()
                .format(time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute]"
                ))
                .unwrap_or_else(|_| date(from))
        ),
        _ => "the page lists no incident in or before this window: nothing to measure".into(),
    }
}

fn incident_line(report: &ProviderReport) -> String {
    let stats = &report.incidents;
    let carried = match stats.ongoing {
        0 => None,
        1 => Some("1 carried over from before the window".to_string()),
        n => Some(format!("{n} carried over from before the window")),
    };
    if stats.count == 0 {
        return match carried {
            Some(carried) => format!("no new incidents · {carried}"),
            None => "no incidents".into(),
        };
    }
    let mut parts = vec![format!(
        "{} incident{}",
        stats.count,
        if stats.count == 1 { "" } else { "s" }
    )];
    let by: Vec<String> = ["critical", "major", "minor", "none", "unknown"]
        .iter()
        .filter_map(|impact| {
            stats
                .by_impact
                .get(*impact)
                .map(|n| format!("{n} {impact}"))
        })
        .collect();
    parts[0] = format!("{} ({})", parts[0], by.join(", "));
    if stats.open > 0 {
        parts.push(format!("{} open", stats.open));
    }
    parts.push(format!("{} in all", duration(stats.total_minutes)));
    if let Some(median) = stats.median_minutes {
        parts.push(format!("median {}", duration(median)));
    }
    match stats.median_first_update_minutes {
        Some(first) if first < 1.0 => parts.push("first update within a minute (median)".into()),
        Some(first) => parts.push(format!("first update after {} (median)", duration(first))),
        None => {}
    }
    if stats.reopened > 0 {
        parts.push(format!("{} reopened", stats.reopened));
    }
    parts.extend(carried);
    parts.join(" · ")
}

fn qualified(component: &ComponentReport) -> String {
    match &component.group {
        Some(group) => format!("{}/{}", one_line(group), one_line(&component.name)),
        None => one_line(&component.name),
    }
}

/// The text table: a block per provider, a row per component.
pub fn text(reports: &[ProviderReport]) -> String {
    let mut out = String::new();
    for (i, report) in reports.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(
            out,
            "{} ({}) — {} to {}",
            one_line(&report.name),
            report.provider,
            date(report.from),
            date(report.to)
        );
        let note = coverage_note(report);
        if !note.is_empty() {
            let _ = writeln!(out, "  {note}");
        }
        let _ = writeln!(out, "  {}", incident_line(report));
        if report.maintenance.count > 0 {
            let _ = writeln!(
                out,
                "  {} maintenance{}, {}",
                report.maintenance.count,
                if report.maintenance.count == 1 {
                    ""
                } else {
                    "s"
                },
                duration(report.maintenance.minutes)
            );
        }
        if report.failed_snapshots > 0 {
            let _ = writeln!(
                out,
                "  {} of {} fetches failed (not counted as outages)",
                report.failed_snapshots, report.snapshots
            );
        }
        if report.components.is_empty() {
            continue;
        }
        let names: Vec<String> = report.components.iter().map(qualified).collect();
        let width = names
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0)
            .clamp(9, 40);
        let _ = writeln!(
            out,
            "  {:<width$}  {:>9}  {:>8}  {:>8}  {:>8}  {:>8}  {:>9}",
            "component", "available", "major", "partial", "degraded", "maint.", "incidents"
        );
        for (component, name) in report.components.iter().zip(names) {
            let name: String = if name.chars().count() > width {
                name.chars().take(width - 1).chain(['…']).collect()
            } else {
                name
            };
            let m = &component.minutes;
            let _ = writeln!(
                out,
                "  {:<width$}  {:>9}  {:>8}  {:>8}  {:>8}  {:>8}  {:>9}",
                name,
                percent(component.availability),
                duration(m.major_outage),
                duration(m.partial_outage),
                duration(m.degraded_performance),
                duration(m.under_maintenance),
                component.incidents
            );
        }
    }
    if let Some(weights) = weights(reports) {
        let _ = writeln!(out, "\nAvailability weights: {weights} (--weights).");
    }
    out
}

/// `major outage 1, partial outage 0.3, degraded performance 0, maintenance 0`.
fn weights(reports: &[ProviderReport]) -> Option<String> {
    let w = reports.first()?.weights;
    Some(format!(
        "major outage {}, partial outage {}, degraded performance {}, maintenance {}",
        w.major_outage, w.partial_outage, w.degraded_performance, w.under_maintenance
    ))
}

fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in one_line(text).chars() {
        if matches!(
            c,
            '|' | '\\' | '*' | '_' | '`' | '[' | ']' | '<' | '>' | '#'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Markdown: a section per provider with a table of its components.
pub fn markdown(reports: &[ProviderReport]) -> String {
    let mut out = String::new();
    for report in reports {
        let _ = writeln!(
            out,
            "## {} — {} to {}\n",
            md(&report.name),
            date(report.from),
            date(report.to)
        );
        let note = coverage_note(report);
        if !note.is_empty() {
            let _ = writeln!(out, "*{}*\n", md(&note));
        }
        let _ = writeln!(out, "{}\n", md(&incident_line(report)));
        if report.maintenance.count > 0 {
            let _ = writeln!(
                out,
                "Maintenance: {}, {}\n",
                report.maintenance.count,
                duration(report.maintenance.minutes)
            );
        }
        if report.components.is_empty() {
            continue;
        }
        out.push_str("| Component | Available | Major outage | Partial outage | Degraded | Maintenance | Incidents |\n");
        out.push_str("|---|---:|---:|---:|---:|---:|---:|\n");
        for component in &report.components {
            let m = &component.minutes;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                md(&qualified(component)),
                percent(component.availability),
                duration(m.major_outage),
                duration(m.partial_outage),
                duration(m.degraded_performance),
                duration(m.under_maintenance),
                component.incidents
            );
        }
        out.push('\n');
    }
    if let Some(weights) = weights(reports) {
        let _ = writeln!(out, "Availability weights: {weights}.");
    }
    out
}

fn csv_cell(value: &str) -> String {
    let value = one_line(value);
    // A cell a spreadsheet would run as a formula is made text.
    let value = if value.starts_with(['=', '+', '-', '@']) {
        format!("'{value}")
    } else {
        value
    };
    if value.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// CSV: a header, then a row per component of every provider.
pub fn csv(reports: &[ProviderReport]) -> String {
    let mut out = String::from(
        "provider,provider_name,component_id,component,group,from,to,coverage,covered_from,\
         availability,major_outage_minutes,partial_outage_minutes,\
         degraded_performance_minutes,under_maintenance_minutes,incidents\n",
    );
    for report in reports {
        for component in &report.components {
            let m = &component.minutes;
            let row = [
                csv_cell(&report.provider),
                csv_cell(&report.name),
                csv_cell(&component.id),
                csv_cell(&component.name),
                csv_cell(component.group.as_deref().unwrap_or("")),
                report.from.to_string(),
                report.to.to_string(),
                format!("{:?}", report.coverage).to_lowercase(),
                report
                    .covered_from
                    .map(|t| t.to_string())
                    .unwrap_or_default(),
                component
                    .availability
                    .map(|a| format!("{a}"))
                    .unwrap_or_default(),
                format!("{}", m.major_outage),
                format!("{}", m.partial_outage),
                format!("{}", m.degraded_performance),
                format!("{}", m.under_maintenance),
                component.incidents.to_string(),
            ];
            out.push_str(&row.join(","));
            out.push('\n');
        }
    }
    out
}

const DAY_MS: i64 = 86_400_000;
/// The most bars a component's row has: a year, a bar a day.
const MAX_BARS: i64 = 366;

fn day_number(at: crate::model::Timestamp) -> i64 {
    at.datetime().unix_timestamp().div_euclid(86_400)
}

/// The HTML page: every provider, a row per component with its availability and one bar per
/// day of the window coloured by that day's worst status (grey where the page's history does
/// not reach).
pub fn html(reports: &[ProviderReport]) -> String {
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
         <title>statusq report</title><style>\n\
         :root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1d2330;--muted:#667085;--line:#e4e7ec;\
         --good:#12805c;--unknown:#c9ced6;--maintenance:#2563eb;--minor:#d69e2e;--major:#dd6b20;--critical:#c53030}\n\
         @media (prefers-color-scheme:dark){:root{--bg:#0f1217;--card:#181c24;--fg:#e6e9ef;--muted:#98a2b3;--line:#2a303c;--unknown:#3a4150}}\n\
         body{margin:0;padding:16px;background:var(--bg);color:var(--fg);font:14px/1.4 system-ui,sans-serif}\n\
         h1{font-size:20px;margin:0 0 12px}section{background:var(--card);border:1px solid var(--line);border-radius:8px;padding:12px 16px;margin:0 0 16px}\n\
         h2{font-size:16px;margin:0 0 4px}\n",
    );
    out.push_str(&ROW_CSS.replace("{S}", ""));
    out.push_str("</style></head><body>\n<h1>How reliable were they</h1>\n");
    for report in reports {
        let _ = writeln!(
            out,
            "<section data-provider=\"{}\"><h2>{} <span class=\"note\">{} to {}</span></h2>",
            html_escape::encode_double_quoted_attribute(&report.provider),
            esc(&report.name),
            date(report.from),
            date(report.to)
        );
        let note = coverage_note(report);
        if !note.is_empty() {
            let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(&note));
        }
        let _ = writeln!(
            out,
            "<p class=\"stats\">{}</p>",
            esc(&incident_line(report))
        );
        rows(&mut out, report, |_| true);
        out.push_str("</section>\n");
    }
    legend(&mut out, reports);
    out.push_str("</body></html>\n");
    out
}

/// The rows and bars of a report, scoped by `{S}` (empty on the report page, `.reliability `
/// inside `serve`'s board, whose own styles they must not touch).
const ROW_CSS: &str = "{S}.note,{S}.stats{color:var(--muted);margin:0 0 8px}\n\
    {S}.row{display:grid;grid-template-columns:minmax(120px,220px) 70px 1fr;gap:8px;align-items:center;margin:2px 0}\n\
    {S}.name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}{S}.pct{text-align:right;font-variant-numeric:tabular-nums}\n\
    {S}.bars{display:flex;gap:1px;height:22px;min-width:0}{S}.bars i{flex:1 1 0;min-width:0;border-radius:1px;background:var(--good)}\n\
    @media (max-width:640px){{S}.row{grid-template-columns:1fr auto}{S}.bars{grid-column:1/-1;gap:0}{S}.bars i{border-radius:0}}\n\
    {S}.bars i.none{background:var(--unknown)}{S}.bars i.maintenance{background:var(--maintenance)}{S}.bars i.minor{background:var(--minor)}\n\
    {S}.bars i.major{background:var(--major)}{S}.bars i.critical{background:var(--critical)}\n\
    {S}.legend{color:var(--muted);font-size:12px}{S}.legend b{display:inline-block;width:10px;height:10px;margin:0 4px 0 10px;border-radius:2px}\n";

/// The section `serve`'s board ends with: each provider's components, availability and a bar
/// per day over `window` (its label: `30d`).
pub fn board_section(reports: &[ProviderReport], window: &str) -> String {
    let mut out = format!(
        "<h2>Reliability, last {}</h2>\n<style>{}</style>\n<div class=\"reliability\">\n",
        esc(window),
        ROW_CSS.replace("{S}", ".reliability ")
    );
    for report in reports {
        let _ = writeln!(
            out,
            "<h3 data-provider=\"{}\">{}</h3>",
            html_escape::encode_double_quoted_attribute(&report.provider),
            esc(&report.name)
        );
        let note = coverage_note(report);
        let stats = if note.is_empty() {
            incident_line(report)
        } else {
            format!("{} · {note}", incident_line(report))
        };
        let _ = writeln!(out, "<p class=\"stats\">{}</p>", esc(&stats));
        // On the board, only the components that had trouble get a row: a page of hundreds
        // of healthy components stays a few lines.
        let quiet = rows(&mut out, report, |c| !c.days.is_empty());
        if quiet > 0 {
            let _ = writeln!(
                out,
                "<p class=\"stats\">{quiet} {} without trouble in this window.</p>",
                if quiet == 1 {
                    "component"
                } else {
                    "components"
                }
            );
        }
    }
    legend(&mut out, reports);
    out.push_str("</div>\n");
    out
}

/// A row per component `shown` picks: name, availability, a bar per day. Returns how many
/// were left out.
fn rows(
    out: &mut String,
    report: &ProviderReport,
    shown: impl Fn(&ComponentReport) -> bool,
) -> usize {
    // The window's last day is the one its last instant falls in: today, for a window that
    // ends now (a window ending at midnight ends the day before).
    let last_instant = report.to.datetime() - time::Duration::milliseconds(1);
    let (first, last) = (
        day_number(report.from),
        day_number(crate::model::Timestamp::from(last_instant)),
    );
    let covered = report.covered_from.map(day_number);
    let mut left_out = 0;
    for component in &report.components {
        if !shown(component) {
            left_out += 1;
            continue;
        }
        let _ = write!(
                out,
                "<div class=\"row\"><span class=\"name\" title=\"{0}\">{0}</span><span class=\"pct\">{1}</span><span class=\"bars\">",
                esc(&qualified(component)),
                percent(component.availability)
            );
        // A bar a day; a window longer than MAX_BARS days gets a bar per few days, each
        // the worst of its days, so the page stays a few MB for hundreds of components.
        let bucket = ((last.max(first) - first + MAX_BARS) / MAX_BARS).max(1);
        let mut bad = component.days.iter().peekable();
        let mut day = first;
        while day <= last.max(first) {
            let end = (day + bucket - 1).min(last.max(first));
            let (from, to) = (
                crate::report::date_string(day * DAY_MS),
                crate::report::date_string(end * DAY_MS),
            );
            let mut worst: Option<ComponentStatus> = None;
            while let Some(d) = bad.peek().filter(|d| d.date <= to) {
                if d.date >= from
                    && worst
                        .is_none_or(|w| Severity::of_component(d.worst) > Severity::of_component(w))
                {
                    worst = Some(d.worst);
                }
                bad.next();
            }
            let label = if bucket == 1 {
                from
            } else {
                format!("{from} to {to}")
            };
            let (class, what) = match worst {
                Some(status) => (
                    Severity::of_component(status).as_str(),
                    status.as_str().replace('_', " "),
                ),
                None if covered.is_none_or(|c| end < c) => ("none", "no history".into()),
                None => ("good", ComponentStatus::Operational.as_str().into()),
            };
            let _ = write!(out, "<i class=\"{class}\" title=\"{label}: {what}\"></i>");
            day = end + 1;
        }
        out.push_str("</span></div>\n");
    }
    left_out
}

fn legend(out: &mut String, reports: &[ProviderReport]) {
    out.push_str(
        "<p class=\"legend\">Each bar is a day (UTC), coloured by the component's worst status that day:\
         <b style=\"background:var(--good)\"></b>operational<b style=\"background:var(--minor)\"></b>degraded\
         <b style=\"background:var(--major)\"></b>partial outage<b style=\"background:var(--critical)\"></b>major outage\
         <b style=\"background:var(--maintenance)\"></b>maintenance<b style=\"background:var(--unknown)\"></b>before the page's history</p>\n",
    );
    if let Some(weights) = weights(reports) {
        let _ = writeln!(
            out,
            "<p class=\"legend\">Availability = 1 − weighted outage minutes ÷ minutes covered; weights: {weights}.</p>"
        );
    }
}

/// The window's length as a Prometheus label: `30d`, `12h`, `90s`.
pub fn window_label(report: &ProviderReport) -> String {
    seconds_label(report.to.unix_seconds() - report.from.unix_seconds())
}

/// A duration as a label: `30d`, `12h`, `90s`.
pub fn duration_label(duration: std::time::Duration) -> String {
    seconds_label(i64::try_from(duration.as_secs()).unwrap_or(i64::MAX))
}

fn seconds_label(seconds: i64) -> String {
    match seconds {
        s if s % 86_400 == 0 => format!("{}d", s / 86_400),
        s if s % 3_600 == 0 => format!("{}h", s / 3_600),
        s => format!("{s}s"),
    }
}

/// Prometheus text format: availability, seconds per status, incidents and coverage over the
/// window, each series labelled with it (`window="30d"`). These are gauges: a count over a
/// window falls as incidents age out of it, which a counter may not.
pub fn prometheus(reports: &[ProviderReport]) -> String {
    use crate::render::prometheus::Family;
    let mut availability = Family::new(
        "statusq_component_availability_ratio",
        "Availability of a component over the window: 1 - weighted outage time / time covered (README: How report counts).",
    );
    let mut status = Family::new(
        "statusq_component_status_seconds",
        "Seconds a component spent in each non-operational status within the window (overlaps counted once).",
    );
    let mut incidents = Family::new(
        "statusq_report_incidents",
        "Incidents created within the window, by upstream impact.",
    );
    let mut open = Family::new(
        "statusq_report_open_incidents",
        "Incidents created within the window and still open at its end.",
    );
    let mut incident_seconds = Family::new(
        "statusq_report_incident_seconds",
        "Total duration of the incidents created within the window (creation to resolution).",
    );
    let mut maintenance = Family::new(
        "statusq_report_maintenance_seconds",
        "Seconds with at least one maintenance running within the window.",
    );
    let mut coverage = Family::new(
        "statusq_report_coverage_ratio",
        "Share of the window the page's listed history covers (1: all of it).",
    );
    for report in reports {
        let window = window_label(report);
        let provider = report.provider.as_str();
        for component in &report.components {
            let group = component.group.as_deref().unwrap_or("");
            let base = [
                ("provider", provider),
                ("component", component.name.as_str()),
                ("group", group),
                ("window", window.as_str()),
            ];
            if let Some(ratio) = component.availability {
                availability.add(&base, ratio);
            }
            for (word, minutes) in [
                (
                    "degraded_performance",
                    component.minutes.degraded_performance,
                ),
                ("partial_outage", component.minutes.partial_outage),
                ("major_outage", component.minutes.major_outage),
                ("under_maintenance", component.minutes.under_maintenance),
            ] {
                let mut pairs = base.to_vec();
                pairs.insert(3, ("status", word));
                status.add(&pairs, (minutes * 60.0).round());
            }
        }
        let pairs = [("provider", provider), ("window", window.as_str())];
        for impact in ["none", "minor", "major", "critical", "unknown"] {
            let count = report.incidents.by_impact.get(impact).copied().unwrap_or(0);
            incidents.add(
                &[
                    ("provider", provider),
                    ("impact", impact),
                    ("window", window.as_str()),
                ],
                count as f64,
            );
        }
        open.add(&pairs, report.incidents.open as f64);
        incident_seconds.add(&pairs, (report.incidents.total_minutes * 60.0).round());
        maintenance.add(&pairs, (report.maintenance.minutes * 60.0).round());
        let span = (report.to.unix_seconds() - report.from.unix_seconds()) as f64;
        let covered = match (report.coverage, report.covered_from) {
            (Coverage::Full, _) => 1.0,
            (Coverage::Partial, Some(from)) if span > 0.0 => {
                ((report.to.unix_seconds() - from.unix_seconds()) as f64 / span).clamp(0.0, 1.0)
            }
            _ => 0.0,
        };
        coverage.add(&pairs, (covered * 1e6).round() / 1e6);
    }
    let mut out = String::new();
    for family in [
        &availability,
        &status,
        &incidents,
        &open,
        &incident_seconds,
        &maintenance,
        &coverage,
    ] {
        family.write(&mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_percentages_read_well_and_never_round_up() {
        assert_eq!(duration(0.0), "—");
        assert_eq!(duration(0.2), "<1m");
        assert_eq!(duration(45.0), "45m");
        assert_eq!(duration(452.4), "7h 32m");
        assert_eq!(duration(3000.0), "2d 2h");
        assert_eq!(percent(Some(0.99999)), "99.99%");
        assert_eq!(percent(Some(1.0)), "100%");
        assert_eq!(percent(None), "—");
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        assert_eq!(csv_cell("plain"), "plain");
    }
}
