//! Markdown for chat, issues and mail bodies: the same content as text, with upstream text
//! escaped so it can neither format nor inject HTML (GitHub and most chat renderers pass raw
//! HTML through).

use crate::model::{Event, Indicator, Snapshot};
use crate::render::describe::{describe, Board};
use crate::render::digest::{blocks, Block, Components};
use crate::render::plain::plain;
use crate::render::style::{clock, Style};

/// Escapes text for Markdown: HTML-significant characters become entities, Markdown
/// punctuation is backslash-escaped, and line-start markers (lists, headings, quotes) are
/// neutralised.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        out.push_str(indent);
        for (j, c) in trimmed.chars().enumerate() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                '\\' | '`' | '*' | '_' | '[' | ']' | '(' | ')' | '#' | '|' | '~' | '!' => {
                    out.push('\\');
                    out.push(c);
                }
                '-' | '+' | '=' | '.' if j == 0 || (c == '.' && starts_numbered(trimmed, j)) => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
        }
    }
    out
}

/// Whether the `.` at `at` ends a leading number (`1.`), which would start a list.
fn starts_numbered(line: &str, at: usize) -> bool {
    at > 0 && line.chars().take(at).all(|c| c.is_ascii_digit())
}

/// A link whose target cannot break out of the `(…)`.
fn link(text: &str, url: &str) -> String {
    let target = url.replace('(', "%28").replace(')', "%29");
    format!("[{}]({target})", escape(text))
}

/// One event as a Markdown section ending in a rule.
pub fn event(event: &Event, style: &Style) -> String {
    let d = describe(event);
    let mut out = format!("**{}**: {}", escape(&d.provider), escape(&d.what));
    // Impact only where it says something: not "none", not maintenance's own.
    if let Some(impact) = d
        .impact
        .filter(|i| !matches!(i, Indicator::None | Indicator::Maintenance))
    {
        out.push_str(&format!(" · impact {}", escape(impact.as_str())));
    }
    out.push_str("  \n");
    if !d.title.is_empty() {
        out.push_str(&format!("**{}**  \n", escape(&d.title)));
    }
    out.push_str(&format!("*{}*\n\n", escape(&clock(d.at, style.local))));
    if !d.body.is_empty() {
        // Upstream Markdown (incident.io) is read as plain text first, then escaped: a link
        // shows as `text <url>`, not as escaped brackets, and can still inject nothing.
        for line in escape(&plain(&d.body)).lines() {
            out.push_str(if line.is_empty() { ">" } else { "> " });
            out.push_str(line);
            out.push('\n');
        }
        out.push('\n');
    }
    if !d.affected.is_empty() {
        let list: Vec<String> = d
            .affected
            .iter()
            .map(|(name, status)| {
                format!("{} — {}", escape(name), escape(&status.replace('_', " ")))
            })
            .collect();
        out.push_str(&format!("Affected: {}\n\n", list.join("; ")));
    }
    if let Some(url) = &d.link {
        out.push_str(&link(url, url));
        out.push_str("\n\n");
    }
    out.push_str("---\n\n");
    out
}

/// Events as a digest ([`crate::render::digest`]): the same blocks as the text digest, in
/// Markdown, so 22 components degraded in one poll are one section, not 22.
pub fn digest(events: &[Event], style: &Style) -> String {
    let mut out = String::new();
    for block in blocks(events) {
        match &block {
            Block::Event(step) => {
                let mut text = event(step.event, style);
                if let Some(page) = step.page_status() {
                    while text.ends_with('\n') {
                        text.pop();
                    }
                    text.push_str(&format!("  \n{}\n\n", escape(&page)));
                }
                out.push_str(&text);
            }
            Block::Components(group) => {
                let Components {
                    events,
                    status,
                    during,
                    at,
                } = group;
                let d = describe(events[0]);
                out.push_str(&format!(
                    "**{}**: {} components now {}  \n*{}*\n\n",
                    escape(&d.provider),
                    events.len(),
                    escape(&status.as_str().replace('_', " ")),
                    escape(&clock(*at, style.local))
                ));
                let (names, more) = group.names_shown();
                let names: Vec<String> = names.iter().map(|n| escape(n)).collect();
                out.push_str(&names.join(", "));
                if more > 0 {
                    out.push_str(&format!(" and {more} more"));
                }
                out.push_str("\n\n");
                if !during.is_empty() {
                    let during: Vec<String> = during.iter().map(|n| escape(n)).collect();
                    out.push_str(&format!("During: {}\n\n", during.join("; ")));
                }
                if let Some(url) = &d.link {
                    out.push_str(&link(url, url));
                    out.push_str("\n\n");
                }
                out.push_str("---\n\n");
            }
        }
    }
    out
}

/// One snapshot as a list item with nested details.
pub fn board(snapshot: &Snapshot, _style: &Style) -> String {
    let b = Board::of(snapshot);
    let name = match &b.link {
        Some(url) => link(&b.name, url),
        None => escape(&b.name),
    };
    let mut out = match (&b.error, b.indicator) {
        (Some(error), _) => format!("- **{name}**: unreachable: {}\n", escape(error)),
        (None, Some(indicator)) => {
            format!("- **{name}**: {} — {}\n", indicator, escape(&b.description))
        }
        (None, None) => format!("- **{name}**: unknown\n"),
    };
    for (component, status) in &b.components {
        out.push_str(&format!(
            "  - {}: {}\n",
            escape(component),
            escape(status.as_str())
        ));
    }
    for incident in &b.incidents {
        let name = match &incident.link {
            Some(url) => link(&incident.name, url),
            None => escape(&incident.name),
        };
        out.push_str(&format!(
            "  - incident: {name} ({})\n",
            escape(&incident.status)
        ));
    }
    for maintenance in &b.maintenances {
        out.push_str(&format!(
            "  - maintenance: {} ({}{})\n",
            escape(&maintenance.name),
            escape(&maintenance.status),
            if maintenance.window.is_empty() {
                String::new()
            } else {
                format!(", {}", escape(&maintenance.window))
            }
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_and_html_in_upstream_text_are_inert() {
        assert_eq!(
            escape("<script>alert(1)</script> *bold* [x](javascript:y)"),
            "&lt;script&gt;alert\\(1\\)&lt;/script&gt; \\*bold\\* \\[x\\]\\(javascript:y\\)"
        );
        assert_eq!(
            escape("# title\n- item\n1. one\n> quote"),
            "\\# title\n\\- item\n1\\. one\n&gt; quote"
        );
        assert_eq!(escape("v1.2 is out - today"), "v1.2 is out - today");
    }

    #[test]
    fn links_cannot_break_out() {
        assert_eq!(link("x", "https://a/b(c)"), "[x](https://a/b%28c%29)");
    }
}
