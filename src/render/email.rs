//! One RFC 5322 message of events, for `sendmail -t`: a Subject that says which providers and
//! how many events, a plain-text body (the text renderer's), and optionally an HTML part. No
//! events, no message. Header values are single lines (CR/LF stripped) and RFC 2047-encoded when
//! not ASCII; bodies are quoted-printable, so any upstream text travels safely.

use crate::model::Timestamp;
use crate::render::collected::Collected;
use crate::render::describe::describe;
use crate::render::html;
use crate::render::style::Style;
use crate::render::text;
use crate::sanitize::one_line;

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

    let nonce = envelope.nonce;
    let mut out = String::new();
    if let Some(from) = &envelope.from {
        header(&mut out, "From", &one_line(from));
    }
    let to: Vec<String> = envelope.to.iter().map(|t| one_line(t)).collect();
    header(&mut out, "To", &to.join(", "));
    header(&mut out, "Subject", &encode_word(&subject(collected)));
    header(&mut out, "Date", &rfc2822(now));
    header(
        &mut out,
        "Message-ID",
        &format!("<statusq.{nonce:032x}@statusq.invalid>"),
    );
    header(&mut out, "Auto-Submitted", "auto-generated");
    header(&mut out, "MIME-Version", "1.0");
    if envelope.html {
        // Random, and impossible in a part by construction: every part is quoted-printable,
        // which always writes `=` as `=3D`, so no line of a part can start with `--=_`.
        let boundary = format!("=_statusq_{nonce:032x}");
        header(
            &mut out,
            "Content-Type",
            &format!("multipart/alternative; boundary=\"{boundary}\""),
        );
        out.push('\n');
        out.push_str("This is a MIME message with a text and an HTML version.\n\n");
        out.push_str(&format!("--{boundary}\n"));
        part(&mut out, "text/plain", &body);
        out.push_str(&format!("\n--{boundary}\n"));
        let mut events_only = Collected::default();
        events_only.events = collected.events.clone();
        part(
            &mut out,
            "text/html",
            &html::document(&events_only, style, &subject(collected), now),
        );
        out.push_str(&format!("\n--{boundary}--\n"));
    } else {
        header(&mut out, "Content-Type", "text/plain; charset=utf-8");
        header(&mut out, "Content-Transfer-Encoding", "quoted-printable");
        out.push('\n');
        out.push_str(&quoted_printable(&body));
    }
    Some(out)
}

fn header(out: &mut String, name: &str, value: &str) {
    // Belt and braces: nothing may end a header early.
    let value: String = value.chars().filter(|c| *c != '\r' && *c != '\n').collect();
    out.push_str(name);
    out.push_str(": ");
    out.push_str(&value);
    out.push('\n');
}

fn part(out: &mut String, mime: &str, content: &str) {
    header(out, "Content-Type", &format!("{mime}; charset=utf-8"));
    header(out, "Content-Transfer-Encoding", "quoted-printable");
    out.push('\n');
    out.push_str(&quoted_printable(content));
}

/// `[statusq] GitHub: incident resolved — Title` for one event;
/// `[statusq] 5 events: GitHub (3), OpenAI (2)` for more.
pub fn subject(collected: &Collected) -> String {
    let events = &collected.events;
    let subject = if let [event] = events.as_slice() {
        let d = describe(event);
        if d.title.is_empty() {
            format!("[statusq] {}: {}", d.provider, d.what)
        } else {
            format!("[statusq] {}: {} — {}", d.provider, d.what, d.title)
        }
    } else {
        let mut counts: Vec<(String, usize)> = Vec::new();
        for event in events {
            let name = one_line(&event.name);
            match counts.iter_mut().find(|(n, _)| *n == name) {
                Some((_, count)) => *count += 1,
                None => counts.push((name, 1)),
            }
        }
        let list: Vec<String> = counts.iter().map(|(n, c)| format!("{n} ({c})")).collect();
        format!("[statusq] {} events: {}", events.len(), list.join(", "))
    };
    let subject = one_line(&subject);
    if subject.chars().count() > 150 {
        let cut: String = subject.chars().take(149).collect();
        format!("{cut}…")
    } else {
        subject
    }
}

/// RFC 2047 `=?UTF-8?B?…?=` words for a non-ASCII header value, split so no encoded word is
/// longer than 75 characters; ASCII is left as it is.
fn encode_word(value: &str) -> String {
    if value.is_ascii() {
        return value.to_string();
    }
    let mut words = Vec::new();
    let mut chunk = String::new();
    for c in value.chars() {
        // 45 bytes of UTF-8 make 60 base64 characters: with the 12 of `=?UTF-8?B??=`, 72.
        if chunk.len() + c.len_utf8() > 45 {
            words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
            chunk.clear();
        }
        chunk.push(c);
    }
    if !chunk.is_empty() {
        words.push(format!("=?UTF-8?B?{}?=", base64(chunk.as_bytes())));
    }
    words.join("\n ")
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Quoted-printable (RFC 2045): lines of at most 76 characters, `=XX` for `=`, non-ASCII and
/// control bytes, and for spaces at the end of a line.
fn quoted_printable(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for line in text.split('\n') {
        let bytes = line.as_bytes();
        let mut width = 0;
        for (i, &byte) in bytes.iter().enumerate() {
            let last = i + 1 == bytes.len();
            let literal = (byte.is_ascii_graphic() && byte != b'=')
                || ((byte == b' ' || byte == b'\t') && !last);
            let piece = if literal {
                (byte as char).to_string()
            } else {
                format!("={byte:02X}")
            };
            if width + piece.len() > 75 {
                out.push_str("=\n");
                width = 0;
            }
            out.push_str(&piece);
            width += piece.len();
        }
        out.push('\n');
    }
    out.pop();
    out
}

/// `Sun, 22 Nov 2026 03:30:00 +0000`.
fn rfc2822(at: Timestamp) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] +0000"
    );
    at.datetime().format(&format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_examples() {
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(b"fooba"), "Zm9vYmE=");
        assert_eq!(base64(b"foob"), "Zm9vYg==");
    }

    #[test]
    fn quoted_printable_keeps_lines_short_and_escapes_what_it_must() {
        let encoded = quoted_printable(&format!("a=b café \n{}", "x".repeat(200)));
        assert!(encoded.starts_with("a=3Db caf=C3=A9=20\n"));
        assert!(encoded.lines().all(|l| l.len() <= 76), "{encoded}");
        let decoded: String = encoded.replace("=\n", "");
        assert!(decoded.ends_with(&"x".repeat(200)));
    }

    #[test]
    fn non_ascii_subjects_are_encoded_words() {
        let encoded = encode_word("[statusq] Zoom: incident résolu — ünïcode");
        assert!(encoded.starts_with("=?UTF-8?B?"));
        assert!(encoded.is_ascii());
        assert!(encoded.split("\n ").all(|w| w.len() <= 75));
        assert_eq!(encode_word("plain"), "plain");
    }

    #[test]
    fn dates_are_rfc_2822() {
        let at = Timestamp::parse("2026-11-22T03:30:00Z").unwrap();
        assert_eq!(rfc2822(at), "Sun, 22 Nov 2026 03:30:00 +0000");
    }
}
