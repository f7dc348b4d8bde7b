//! Upstream Markdown (incident.io bodies, Statuspage postmortems) as readable plain text for a
//! terminal or a mail: links become `text <url>` (or just the URL when the text is the URL or
//! the address of a `mailto:`), emphasis markers go, paragraphs stay apart, list items keep a
//! `- ` or `1. `, code keeps its text. Parsed with pulldown-cmark, never with patterns, so
//! nested and odd Markdown comes out as words rather than half-stripped syntax.
//!
//! The input has already passed [`crate::sanitize`]; nothing here adds control characters.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

/// A link being read: where it goes and where its text starts in the output.
struct OpenLink {
    url: String,
    text_start: usize,
}

/// Markdown as plain text. Text with no Markdown in it comes back as it was (line breaks kept:
/// upstream writes plain text with single newlines and means them).
pub fn plain(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    // The list counters of the lists we are in (None: a bullet list).
    let mut lists: Vec<Option<u64>> = Vec::new();
    let mut links: Vec<OpenLink> = Vec::new();
    let parser = Parser::new_ext(markdown, Options::ENABLE_STRIKETHROUGH);
    for event in parser {
        match event {
            Event::Start(Tag::Paragraph) | Event::Start(Tag::Heading { .. }) => {
                block_break(&mut out);
            }
            Event::End(TagEnd::Paragraph) | Event::End(TagEnd::Heading(_)) => {
                out.push('\n');
            }
            Event::Start(Tag::BlockQuote(_)) | Event::Start(Tag::CodeBlock(_)) => {
                block_break(&mut out);
            }
            Event::Start(Tag::List(first)) => {
                if lists.is_empty() {
                    block_break(&mut out);
                }
                lists.push(first);
            }
            Event::End(TagEnd::List(_)) => {
                lists.pop();
            }
            Event::Start(Tag::Item) => {
                if !out.is_empty() && !out.ends_with('\n') {
                    out.push('\n');
                }
                let depth = lists.len().saturating_sub(1);
                out.push_str(&"  ".repeat(depth));
                match lists.last_mut() {
                    Some(Some(n)) => {
                        out.push_str(&format!("{n}. "));
                        *n += 1;
                    }
                    _ => out.push_str("- "),
                }
            }
            Event::End(TagEnd::Item) if !out.ends_with('\n') => out.push('\n'),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(OpenLink {
                url: dest_url.into_string(),
                text_start: out.len(),
            }),
            Event::End(TagEnd::Link) => {
                if let Some(link) = links.pop() {
                    let text = out[link.text_start..].trim().to_string();
                    let target = link.url.trim();
                    let same = target == text
                        || target.strip_prefix("mailto:") == Some(text.as_str())
                        || target.trim_end_matches('/') == text.trim_end_matches('/');
                    if target.is_empty() || same {
                        // The text says it all.
                    } else if text.is_empty() {
                        out.push_str(target);
                    } else {
                        out.push_str(&format!(" <{target}>"));
                    }
                }
            }
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push('\n'),
            Event::Rule => {
                block_break(&mut out);
                out.push_str("---\n");
            }
            Event::Html(html) | Event::InlineHtml(html) => out.push_str(&html),
            Event::FootnoteReference(name) => out.push_str(&format!("[{name}]")),
            Event::TaskListMarker(done) => out.push_str(if done { "[x] " } else { "[ ] " }),
            // Emphasis, strong, strikethrough, images (their alt text comes as Text), tables:
            // the markers go, the words stay.
            _ => {}
        }
    }
    tidy(&out)
}

/// Ends the current block with a blank line before the next one starts.
fn block_break(out: &mut String) {
    if out.is_empty() {
        return;
    }
    while !out.ends_with("\n\n") {
        out.push('\n');
    }
}

/// No trailing spaces, at most one blank line in a row, none at either end.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank = 0;
    for line in text.lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank > 0 { "\n\n" } else { "\n" });
        }
        blank = 0;
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_become_text_and_url_or_just_the_url() {
        // OpenAI's real body (tests/fixtures/incidentio/openai-api-v2-summary.json).
        let body = "Our Help Center and support chat are currently unavailable. If you need assistance, you can still reach our support team by emailing [support@openai.com](mailto:support@openai.com \"support@openai.com\").\n\nWe apologize for the inconvenience.";
        assert_eq!(
            plain(body),
            "Our Help Center and support chat are currently unavailable. If you need assistance, you can still reach our support team by emailing support@openai.com.\n\nWe apologize for the inconvenience."
        );
        assert_eq!(
            plain("See [the docs](https://example.com/docs) now"),
            "See the docs <https://example.com/docs> now"
        );
        assert_eq!(
            plain("<https://example.com>"),
            "https://example.com",
            "an autolink is its URL"
        );
    }

    #[test]
    fn emphasis_goes_lists_and_paragraphs_stay() {
        let text = plain("**Impact:** _some_ users\n\n* one\n* two\n\n1. first\n2. second\n\n# Title\n\n`code` here");
        assert_eq!(
            text,
            "Impact: some users\n\n- one\n- two\n\n1. first\n2. second\n\nTitle\n\ncode here"
        );
        assert!(!text.contains('*') && !text.contains('_') && !text.contains('`'));
    }

    #[test]
    fn plain_text_keeps_its_lines() {
        assert_eq!(plain("line one\nline two"), "line one\nline two");
        assert_eq!(plain(""), "");
        assert_eq!(plain("a  \n\n\n\nb"), "a\n\nb");
    }
}
