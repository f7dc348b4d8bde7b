//! A single self-contained HTML page: a status board of every provider (from snapshots) and a
//! timeline of events, readable on a phone. No scripts, no external assets; a Content Security
//! Policy forbids both even if something slipped through. All upstream text is escaped.

use crate::model::Indicator;
use crate::model::Timestamp;
use crate::render::collected::Collected;
use crate::render::describe::{describe, Board, Described};
use crate::render::digest::{blocks, Block, Components};
use crate::render::plain::plain;
use crate::render::style::{clock, Severity, Style};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};
use std::fmt::Write;

const CSS: &str = r#"
:root{color-scheme:light dark;--bg:#f6f7f9;--card:#fff;--fg:#1d2330;--muted:#667085;--line:#e4e7ec;
--good:#12805c;--unknown:#8a94a6;--maintenance:#2563eb;--minor:#b7791f;--major:#dd6b20;--critical:#c53030}
@media (prefers-color-scheme:dark){:root{--bg:#0f1217;--card:#181c24;--fg:#e6e9ef;--muted:#98a2b3;--line:#2a303c}}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header,main{max-width:960px;margin:0 auto;padding:16px}
header h1{margin:0 0 4px;font-size:22px}
header p{margin:0;color:var(--muted)}
h2{font-size:17px;margin:24px 0 8px}
.board{display:grid;grid-template-columns:repeat(auto-fill,minmax(280px,1fr));gap:12px;align-items:start}
.card{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--sev,var(--good));border-radius:10px;padding:12px 14px;overflow-wrap:anywhere}
.card h3{margin:0;font-size:16px}
.card .state{margin:2px 0 6px;color:var(--muted)}
.card ul{margin:6px 0 0;padding-left:18px}
.card li{margin:2px 0}
.card details{margin:2px 0;color:var(--muted);font-size:13px}
.card summary{cursor:pointer;color:var(--fg);font-size:15px}
.badge{display:inline-block;font-size:12px;font-weight:600;border-radius:999px;padding:1px 8px;color:#fff;background:var(--sev,var(--good));vertical-align:1px}
.sev-good{--sev:var(--good)}.sev-unknown{--sev:var(--unknown)}.sev-maintenance{--sev:var(--maintenance)}.sev-minor{--sev:var(--minor)}
.sev-major{--sev:var(--major)}.sev-critical{--sev:var(--critical)}
.timeline{list-style:none;margin:0;padding:0}
.timeline li{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--sev,var(--good));border-radius:10px;padding:10px 14px;margin:0 0 10px;overflow-wrap:anywhere}
.timeline time,.muted{color:var(--muted);font-size:13px}
.timeline .title{font-weight:600;margin-top:2px}
.timeline .body{white-space:pre-wrap;margin:6px 0 0}
.timeline .names{margin:6px 0 0}
a{color:inherit}
footer{max-width:960px;margin:0 auto;padding:8px 16px 24px;color:var(--muted);font-size:13px}
"#;

fn link(label: &str, url: Option<&str>) -> String {
    match url {
        Some(url) => format!(
            "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
            attr(url),
            text(label)
        ),
        None => text(label).into_owned(),
    }
}

/// The whole page, made at `now`.
pub fn document(collected: &Collected, style: &Style, title: &str, now: Timestamp) -> String {
    page(collected, style, title, None, now)
}

/// The page, reloading itself every `refresh` seconds when given (for `serve`).
pub fn page(
    collected: &Collected,
    style: &Style,
    title: &str,
    refresh: Option<u64>,
    now: Timestamp,
) -> String {
    let mut boards: Vec<Board> = collected.snapshots.iter().map(Board::of).collect();
    // Worst first, otherwise in the order given.
    boards.sort_by_key(|b| std::cmp::Reverse(b.severity));
    let troubled = boards
        .iter()
        .filter(|b| b.severity > Severity::Maintenance)
        .count();
    let generated = clock(now, style.local);

    let mut out = String::with_capacity(16 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         <meta name=\"generator\" content=\"statusq {}\">\n{}<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n",
        env!("CARGO_PKG_VERSION"),
        refresh.map_or(String::new(), |s| format!("<meta http-equiv=\"refresh\" content=\"{s}\">\n")),
        text(title),
        CSS
    );
    let summary = match (boards.len(), collected.events.len()) {
        (0, events) => format!("{events} events"),
        (providers, _) => format!(
            "{providers} providers, {troubled} with problems, {} events",
            collected.events.len()
        ),
    };
    let _ = write!(
        out,
        "<header>\n<h1>{}</h1>\n<p>{} · generated {}</p>\n</header>\n<main>\n",
        text(title),
        text(&summary),
        text(&generated)
    );

    if !boards.is_empty() {
        out.push_str("<h2>Providers</h2>\n<section class=\"board\">\n");
        for board in &boards {
            board_card(&mut out, board, style);
        }
        out.push_str("</section>\n");
    }
    if !collected.events.is_empty() {
        out.push_str("<h2>Events</h2>\n<ol class=\"timeline\">\n");
        // The digest's blocks (a poll's component changes to one status are one entry), newest
        // first; entries of one moment keep the providers' order.
        let mut blocks = blocks(&collected.events);
        blocks.sort_by_key(|b| std::cmp::Reverse(b.at()));
        for block in &blocks {
            match block {
                Block::Event(step) => {
                    timeline_event(&mut out, &describe(step.event), style);
                    if let (Some(page), Some(end)) = (step.page_status(), out.rfind("</li>")) {
                        out.insert_str(end, &format!("<div class=\"muted\">{}</div>", text(&page)));
                    }
                }
                Block::Components(group) => timeline_components(&mut out, group, style),
            }
        }
        out.push_str("</ol>\n");
    }
    out.push_str("</main>\n<footer>Made by statusq from public status pages. Times in ");
    out.push_str(if style.local { "local time" } else { "UTC" });
    out.push_str(".</footer>\n</body>\n</html>\n");
    out
}

/// One event on the timeline.
fn timeline_event(out: &mut String, d: &Described, style: &Style) {
    let _ = write!(
        out,
        "<li class=\"sev-{}\"><time datetime=\"{}\">{}</time> · <strong>{}</strong> \
         <span class=\"badge sev-{}\">{}</span>",
        d.severity.as_str(),
        d.at,
        text(&clock(d.at, style.local)),
        text(&d.provider),
        d.severity.as_str(),
        text(&d.what)
    );
    if !d.title.is_empty() {
        let _ = write!(
            out,
            "<div class=\"title\">{}</div>",
            link(&d.title, d.link.as_deref())
        );
    }
    if !d.body.is_empty() {
        let _ = write!(out, "<p class=\"body\">{}</p>", text(&plain(&d.body)));
    }
    if !d.affected.is_empty() {
        let list: Vec<String> = d
            .affected
            .iter()
            .map(|(name, status)| format!("{} — {}", text(name), text(&status.replace('_', " "))))
            .collect();
        let _ = write!(
            out,
            "<div class=\"muted\">Affected: {}</div>",
            list.join("; ")
        );
    }
    out.push_str("</li>\n");
}

/// Several components of one provider that one poll found changed to one status: one entry
/// naming them all (a page is read, not scrolled past 22 entries).
fn timeline_components(out: &mut String, group: &Components, style: &Style) {
    let Components {
        events,
        status,
        during,
        at,
    } = group;
    let d = describe(events[0]);
    let severity = Severity::of_component(*status).as_str();
    let _ = write!(
        out,
        "<li class=\"sev-{severity}\"><time datetime=\"{at}\">{}</time> · <strong>{}</strong> \
         <span class=\"badge sev-{severity}\">{} components now {}</span>",
        text(&clock(*at, style.local)),
        text(&d.provider),
        events.len(),
        text(&status.as_str().replace('_', " "))
    );
    let names: Vec<String> = group.names().iter().map(|n| text(n).into_owned()).collect();
    let _ = write!(out, "<p class=\"names\">{}</p>", names.join(", "));
    if !during.is_empty() {
        let during: Vec<String> = during.iter().map(|n| text(n).into_owned()).collect();
        let _ = write!(
            out,
            "<div class=\"muted\">During: {}</div>",
            during.join("; ")
        );
    }
    out.push_str("</li>\n");
}

/// Names of components in view on a card at most; the rest are in a `<details>`.
const NAMES_VISIBLE: usize = 20;
/// A group with more members than this in one status is folded to its count.
const GROUP_FOLDED: usize = 5;
/// Scheduled maintenances listed before they are folded to their count.
const SCHEDULED_VISIBLE: usize = 3;

/// The names of one status's components (`Group/Name` where grouped), by group: a group of
/// more than [`GROUP_FOLDED`] as `<details>` with its count ("Latin America & the Caribbean:
/// 26 in partial outage"), the others by name while `visible` is under [`NAMES_VISIBLE`].
fn grouped_names(names: &[&str], words: &str, visible: &mut usize) -> String {
    let mut groups: Vec<(&str, Vec<&str>)> = Vec::new();
    for name in names {
        let (group, member) = name.rsplit_once('/').unwrap_or(("", name));
        match groups.iter_mut().find(|(g, _)| *g == group) {
            Some((_, members)) => members.push(member),
            None => groups.push((group, vec![member])),
        }
    }
    let mut shown: Vec<String> = Vec::new();
    let mut folded: Vec<String> = Vec::new();
    let details = |summary: String, members: &[&str]| {
        let list: Vec<String> = members.iter().map(|m| text(m).into_owned()).collect();
        format!(
            "<details><summary>{}</summary>{}</details>",
            text(&summary),
            list.join(", ")
        )
    };
    for (group, members) in &groups {
        if !group.is_empty() && members.len() > GROUP_FOLDED {
            folded.push(details(
                format!("{group}: {} in {words}", members.len()),
                members,
            ));
            continue;
        }
        // A small group's members after its name once ("Europe: API, Web"), while in view.
        let mut in_view: Vec<String> = Vec::new();
        for member in members {
            if *visible < NAMES_VISIBLE {
                *visible += 1;
                in_view.push(text(member).into_owned());
            } else if group.is_empty() {
                folded.push(text(member).into_owned());
            } else {
                folded.push(text(&format!("{group}/{member}")).into_owned());
            }
        }
        if in_view.is_empty() {
            continue;
        }
        shown.push(if group.is_empty() {
            in_view.join(", ")
        } else {
            format!("{}: {}", text(group), in_view.join(", "))
        });
    }
    let mut out = format!("<div class=\"muted\">{}</div>", shown.join("; "));
    let (groups_folded, names_folded): (Vec<String>, Vec<String>) =
        folded.into_iter().partition(|f| f.starts_with("<details>"));
    for group in groups_folded {
        out.push_str(&group);
    }
    if !names_folded.is_empty() {
        let _ = write!(
            out,
            "<details><summary>{} more</summary>{}</details>",
            names_folded.len(),
            names_folded.join(", ")
        );
    }
    out
}

fn board_card(out: &mut String, board: &Board, style: &Style) {
    let state = match (&board.error, board.indicator) {
        (Some(_), _) => "unreachable".to_string(),
        (None, Some(Indicator::None)) => "operational".to_string(),
        (None, Some(indicator)) => indicator.to_string(),
        (None, None) if board.severity == Severity::Unknown => "unknown".to_string(),
        // Read through its feed: no page status, its incidents are what it says.
        (None, None) => "feed".to_string(),
    };
    let detail = match (&board.error, board.indicator) {
        (Some(error), _) => error.clone(),
        (None, Some(_)) => board.description.clone(),
        // A feed states no page status: say what it does say.
        (None, None) if board.severity != Severity::Unknown => match board.incidents.len() {
            0 => "no open incident".to_string(),
            1 => "1 open incident".to_string(),
            n => format!("{n} open incidents"),
        },
        (None, None) => "the page states no status".to_string(),
    };
    let _ = write!(
        out,
        "<article class=\"card sev-{}\"><h3>{} <span class=\"badge\">{}</span></h3>\
         <p class=\"state\">{}</p>",
        board.severity.as_str(),
        link(&board.name, board.link.as_deref()),
        text(&state),
        text(&detail)
    );
    let mut items = Vec::new();
    // Components not operational, one line per status (as on the text board): a page with 22
    // degraded components is one line, not a card as tall as the screen. Within a status,
    // components are listed by their group, a big group folded to its count; at most
    // NAMES_VISIBLE names a card are in view, the rest one click away.
    let mut visible = 0;
    for (status, names) in board.components_by_status() {
        let words = status.as_str().replace('_', " ");
        let badge = format!(
            "<span class=\"badge sev-{}\">{}</span>",
            Severity::of_component(status).as_str(),
            text(&words)
        );
        items.push(match names.as_slice() {
            [one] => {
                visible += 1;
                format!("<li>{} {badge}</li>", text(one))
            }
            many => format!(
                "<li>{} components {badge}{}</li>",
                many.len(),
                grouped_names(many, &words, &mut visible)
            ),
        });
    }
    for incident in &board.incidents {
        items.push(format!(
            "<li>Incident: {} <span class=\"muted\">({})</span></li>",
            link(&incident.name, incident.link.as_deref()),
            text(&incident.status)
        ));
    }
    // Running maintenances in view; beyond a few, the scheduled ones folded to their count.
    let (running, scheduled): (Vec<_>, Vec<_>) = board
        .maintenances
        .iter()
        .partition(|m| m.status != "scheduled");
    let item = |maintenance: &&crate::render::describe::BoardItem| {
        let window = if maintenance.window.is_empty() {
            String::new()
        } else {
            format!(", {}", maintenance.window)
        };
        format!(
            "<li>Maintenance: {} <span class=\"muted\">({}{})</span></li>",
            link(&maintenance.name, maintenance.link.as_deref()),
            text(&maintenance.status),
            text(&window)
        )
    };
    items.extend(running.iter().map(item));
    if scheduled.len() <= SCHEDULED_VISIBLE {
        items.extend(scheduled.iter().map(item));
    } else {
        let list: String = scheduled.iter().map(item).collect();
        let more = if running.is_empty() { "" } else { " more" };
        items.push(format!(
            "<li><details><summary>{}{more} scheduled</summary><ul>{list}</ul></details></li>",
            scheduled.len()
        ));
    }
    if !items.is_empty() {
        let _ = write!(out, "<ul>{}</ul>", items.join(""));
    }
    let _ = writeln!(
        out,
        "<div class=\"muted\">checked {}</div></article>",
        text(&clock(board.fetched_at, style.local))
    );
}
