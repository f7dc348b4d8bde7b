//! Untrusted text made safe for where it is going (DESIGN §6).
//!
//! Everything a status page says is untrusted: an incident title can carry terminal escape
//! sequences (to rewrite the screen or the window title), bidi overrides (to make text read
//! differently than it is), zero-width characters, CR/LF (to forge mail headers), `<script>`,
//! or a `javascript:` link. Every renderer passes upstream text through here: [`clean`] before a
//! terminal or any other output, [`one_line`] for titles and headers, [`http_url`] for links,
//! and the output format's own escaping after that.

use std::borrow::Cow;

/// Whether `c` must never reach an output: C0 controls but `\n` and `\t`, DEL, C1 controls,
/// bidi embeddings/overrides/isolates and marks, zero-width characters, and the two
/// noncharacters XML forbids.
fn is_dangerous(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}'..='\u{2069}'
        | '\u{061c}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}')
}

/// Removes control, bidi and zero-width characters; keeps `\n` and `\t`; `\r\n` and lone `\r`
/// become `\n`.
pub fn clean(text: &str) -> Cow<'_, str> {
    if !text.chars().any(|c| c == '\r' || is_dangerous(c)) {
        return Cow::Borrowed(text);
    }
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    Cow::Owned(text.chars().filter(|c| !is_dangerous(*c)).collect())
}

/// [`clean`], with every run of whitespace (newlines included) made one space: for titles, table
/// cells, labels and mail headers.
pub fn one_line(text: &str) -> String {
    clean(text).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// [`one_line`], escaped as HTML text: for upstream text in an HTML page (headings, cells).
pub fn html_text(text: &str) -> String {
    html_escape::encode_text(&one_line(text)).into_owned()
}

/// The link if it is an absolute http(s) URL with a host and nothing that could break out of
/// an attribute or a header; otherwise nothing.
pub fn http_url(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host_ok = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '[');
    let clean = url.chars().all(|c| {
        !c.is_whitespace() && !is_dangerous(c) && !matches!(c, '"' | '<' | '>' | '\\' | '`')
    });
    (host_ok && clean).then_some(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_bidi_and_zero_width_characters_are_removed() {
        let hostile = "ok\u{1b}[31mRED\u{1b}]0;pwned\u{7}\u{202e}gnp.exe\u{200b}\u{9b}2J\r\nnext";
        let cleaned = clean(hostile);
        assert_eq!(cleaned, "ok[31mRED]0;pwnedgnp.exe2J\nnext");
        assert!(!cleaned.contains('\u{1b}'));
        assert_eq!(clean("plain\ttext\n"), Cow::Borrowed("plain\ttext\n"));
    }

    #[test]
    fn one_line_folds_all_whitespace() {
        assert_eq!(one_line(" a\r\nBcc: x@y\n\tz "), "a Bcc: x@y z");
    }

    proptest::proptest! {
        #[test]
        fn cleaned_text_never_holds_a_control_bidi_or_zero_width_character(text in ".*") {
            let cleaned = clean(&text);
            proptest::prop_assert!(!cleaned.chars().any(|c| c == '\r' || is_dangerous(c)));
            let line = one_line(&text);
            proptest::prop_assert!(!line.chars().any(|c| c.is_control() || is_dangerous(c)));
        }

        #[test]
        fn accepted_links_are_plain_http(url in "(https?://)?[ -~\u{80}-\u{3000}]{0,40}") {
            if let Some(url) = http_url(&url) {
                proptest::prop_assert!(url.starts_with("http://") || url.starts_with("https://"));
                proptest::prop_assert!(!url.chars().any(|c| c.is_whitespace() || c.is_control() || c == '"' || c == '<'));
            }
        }
    }

    #[test]
    fn only_plain_http_links_survive() {
        assert_eq!(http_url("https://stspg.io/x"), Some("https://stspg.io/x"));
        assert_eq!(
            http_url("http://127.0.0.1:8/p"),
            Some("http://127.0.0.1:8/p")
        );
        for bad in [
            "javascript:alert(1)",
            "data:text/html,x",
            "https://x\" onmouseover=\"a",
            "https://x\r\nSet-Cookie: a",
            "https://",
            "ftp://x",
            "https:///x",
        ] {
            assert_eq!(http_url(bad), None, "{bad}");
        }
    }
}
