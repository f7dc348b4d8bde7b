//! What every adapter is given, says of itself and builds, and the small helpers they share:
//! [`Page`] and [`Body`] in, its [`Platform`] description, [`Parts`] out; the parse error, the
//! JSON guard and the text normaliser. Adapters import this file and nothing of the registry
//! ([`crate::sources::format`]), which imports them.

use crate::model::{
    Component, ErrorKind, FetchError, Incident, Indicator, Maintenance, PageStatus, Snapshot,
    SnapshotMeta, Timestamp, SCHEMA_VERSION,
};

/// Where and when a page is read: what an adapter may know besides the bodies.
#[derive(Clone, Copy, Debug)]
pub struct Page<'a> {
    /// The page a person would open (links are made absolute against it).
    pub url: &'a str,
    /// The time of the fetch, for formats that state only planned windows (Better Stack).
    pub now: Timestamp,
}

/// A body as the platforms' sniff rules see it: a JSON value, or the opening of a markup
/// document (HTML is told apart before any platform is asked).
pub enum Body<'a> {
    Json(&'a serde_json::Value),
    Markup {
        /// The first 4 KiB, lower-cased.
        head: &'a str,
        /// The whole document.
        text: &'a [u8],
    },
}

/// How an adapter reads the bodies of the documents its platform requests.
pub type Reader = fn(&[&[u8]], Page) -> Result<Parts, FetchError>;

/// Everything statusq knows of a platform, said by its adapter.
pub struct Platform {
    /// The word in the catalog, the config file and a snapshot's `format` field.
    pub word: &'static str,
    /// What a person calls a document of it, for messages (`a Statuspage API document`).
    pub describes: &'static str,
    /// Where a page's API document is, relative to the page's URL (or absolute); `None` when
    /// the catalog must say (one page of its kind, or a platform this build does not read).
    pub default_api: Option<&'static str>,
    /// Paths (relative to a typed URL) that detection probes for this platform, in order.
    pub probes: &'static [&'static str],
    /// URL endings that name one of its documents outright (read directly, never probed).
    pub documents: &'static [&'static str],
    /// The documents a fetch requests for a page whose API document is `api`, each with whether
    /// the page may lack it.
    pub requests: fn(api: &str) -> Vec<(String, bool)>,
    /// Whether a body is one of its documents; `None`: its bodies cannot be told apart.
    pub sniff: Option<fn(&Body) -> bool>,
    /// Reads the bodies of the requested documents; `None`: this build does not read it.
    pub parse: Option<Reader>,
    /// Whether an unchanged first document means the others are unchanged too (a Statuspage
    /// summary changes whenever an incident or maintenance does).
    pub summary_first: bool,
    /// Platforms of one family read each other's pages (incident.io serves the Statuspage API;
    /// a Statuspage history feed is a feed).
    pub family: Option<&'static str>,
}

/// The documents a page of most platforms needs: its API document alone.
pub fn one_document(api: &str) -> Vec<(String, bool)> {
    vec![(api.to_string(), true)]
}

impl std::fmt::Debug for Platform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.word)
    }
}

/// The first body of several (the API document), or none.
pub fn first<'a>(bodies: &[&'a [u8]]) -> &'a [u8] {
    bodies.first().copied().unwrap_or_default()
}

/// What an adapter read from a page: everything in a snapshot that comes from upstream.
#[derive(Debug, Default)]
pub struct Parts {
    /// The page's own name, when the document says it.
    pub page_name: Option<String>,
    /// The page's own URL, when the document says it.
    pub page_url: Option<String>,
    /// The platform the document turned out to be, when it can tell (incident.io vs Statuspage).
    pub detected_format: Option<&'static Platform>,
    pub status: Option<PageStatus>,
    pub components: Option<Vec<Component>>,
    pub incidents: Option<Vec<Incident>>,
    pub maintenances: Option<Vec<Maintenance>>,
}

impl Parts {
    /// Keeps only the components `patterns` select (see [`crate::select::component_selected`])
    /// and the incidents and maintenances that touch one of them or do not say what they touch.
    pub fn restrict(&mut self, patterns: &[String]) {
        if patterns.is_empty() {
            return;
        }
        let Some(components) = self.components.as_mut() else {
            return;
        };
        components
            .retain(|c| crate::select::component_selected(patterns, &c.name, c.group.as_deref()));
        let kept: std::collections::HashSet<&str> =
            components.iter().map(|c| c.id.as_str()).collect();
        let touches_kept = |ids: &Option<Vec<String>>| match ids {
            Some(ids) if !ids.is_empty() => ids.iter().any(|id| kept.contains(id.as_str())),
            _ => true,
        };
        if let Some(incidents) = self.incidents.as_mut() {
            incidents.retain(|i| touches_kept(&i.components));
        }
        if let Some(maintenances) = self.maintenances.as_mut() {
            maintenances.retain(|m| touches_kept(&m.components));
        }
    }

    /// Makes component ids unique: a page that repeats one (or Slack services whose names differ
    /// only in case, which slug alike) would otherwise flip `component.changed` on every poll
    /// and give Prometheus duplicate series. The second `x` becomes `x~2`, the third `x~3`, in
    /// page order, which is stable from poll to poll.
    pub fn unique_component_ids(&mut self) {
        let Some(components) = self.components.as_mut() else {
            return;
        };
        let mut taken: std::collections::HashSet<String> =
            components.iter().map(|c| c.id.clone()).collect();
        if taken.len() == components.len() {
            return;
        }
        let mut first: std::collections::HashSet<String> = std::collections::HashSet::new();
        // The next suffix to try per id, so a thousand repeats stay linear.
        let mut next: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
        for component in components.iter_mut() {
            if first.insert(component.id.clone()) {
                continue;
            }
            let n = next.entry(component.id.clone()).or_insert(2);
            let unique = loop {
                let candidate = format!("{}~{n}", component.id);
                *n += 1;
                if !taken.contains(&candidate) {
                    break candidate;
                }
            };
            taken.insert(unique.clone());
            component.id = unique;
        }
    }

    /// A successful snapshot of these parts.
    pub fn into_snapshot(self, meta: SnapshotMeta) -> Snapshot {
        Snapshot {
            v: SCHEMA_VERSION,
            provider: meta.provider,
            name: meta.name,
            url: meta.url,
            format: meta.format,
            fetched_at: meta.fetched_at,
            elapsed_ms: meta.elapsed_ms,
            ok: true,
            error: None,
            status: self.status,
            components: self.components,
            incidents: self.incidents,
            maintenances: self.maintenances,
        }
    }
}

/// One item per id, in the order ids first appear; where an id repeats, `replaces(kept, new)`
/// says whether the new copy takes the place of the one kept. Linear in the number of items
/// (a map from id to position), however many repeat: pages are untrusted.
pub fn one_per_id<T>(
    items: impl IntoIterator<Item = T>,
    id: impl Fn(&T) -> &str,
    replaces: impl Fn(&T, &T) -> bool,
) -> Vec<T> {
    let mut kept: Vec<T> = Vec::new();
    let mut position: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for item in items {
        match position.get(id(&item)) {
            Some(&at) => {
                if replaces(&kept[at], &item) {
                    kept[at] = item;
                }
            }
            None => {
                position.insert(id(&item).to_string(), kept.len());
                kept.push(item);
            }
        }
    }
    kept
}

/// A `parse` error with a message.
pub fn parse_error(message: impl Into<String>) -> FetchError {
    FetchError {
        kind: ErrorKind::Parse,
        message: message.into(),
        http_status: None,
        retry_after: None,
    }
}

/// Rejects bodies that cannot be JSON before a JSON parser says something obscure about them:
/// an empty body, or an HTML page (a login wall, a CDN error page, a page that moved platform).
pub fn expect_json(body: &[u8]) -> Result<(), FetchError> {
    let start = body.iter().position(|b| !b.is_ascii_whitespace());
    match start.map(|i| &body[i..]) {
        None => Err(parse_error("empty body where JSON was expected")),
        Some(rest) if rest.starts_with(b"<") => {
            let what = if rest.len() > 5 && rest[..5].eq_ignore_ascii_case(b"<?xml") {
                "XML"
            } else {
                "HTML"
            };
            Err(parse_error(format!("got {what} where JSON was expected")))
        }
        Some(_) => Ok(()),
    }
}

/// A body as UTF-8: UTF-16 with a byte-order mark (AWS serves its health documents so) is
/// decoded, a UTF-8 byte-order mark dropped; anything else is returned as it is. Invalid UTF-16
/// is an error that says UTF-16, so nobody hunts for a JSON mistake that is not there.
pub fn utf8_body(body: &[u8]) -> Result<std::borrow::Cow<'_, [u8]>, FetchError> {
    let (big_endian, rest) = match body {
        [0xfe, 0xff, rest @ ..] => (true, rest),
        [0xff, 0xfe, rest @ ..] => (false, rest),
        [0xef, 0xbb, 0xbf, rest @ ..] => return Ok(std::borrow::Cow::Borrowed(rest)),
        _ => return Ok(std::borrow::Cow::Borrowed(body)),
    };
    let order = if big_endian { "big" } else { "little" };
    if rest.len() % 2 != 0 {
        return Err(parse_error(format!(
            "invalid UTF-16 ({order}-endian, from its byte-order mark): an odd number of bytes \
             ({}), the body may be truncated",
            rest.len() + 2
        )));
    }
    let units = rest.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut out = String::with_capacity(rest.len() / 2);
    for (at, unit) in char::decode_utf16(units).enumerate() {
        match unit {
            Ok(c) => out.push(c),
            Err(e) => {
                return Err(parse_error(format!(
                    "invalid UTF-16 ({order}-endian, from its byte-order mark): an unpaired \
                     surrogate {:#06x} at code unit {at}",
                    e.unpaired_surrogate()
                )))
            }
        }
    }
    Ok(std::borrow::Cow::Owned(out.into_bytes()))
}

/// Normalises upstream text: line endings to `\n`, no trailing spaces on a line, at most one
/// blank line in a row, no leading or trailing blank space. Markdown survives as written.
pub fn plain_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut blank_run = 0;
    for line in text.replace("\r\n", "\n").replace('\r', "\n").lines() {
        let line = line.trim_end();
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        blank_run = 0;
        out.push_str(line);
    }
    out
}

/// What a JSON body is, for an error naming what a document was (`keys "incidents",
/// "services"`, `an array of 3 objects with keys "name", "slug"`); "invalid JSON" when it is
/// not JSON.
pub fn top_level_keys(body: &[u8]) -> String {
    serde_json::from_slice::<serde_json::Value>(body)
        .map_or_else(|_| "invalid JSON".to_string(), |value| json_shape(&value))
}

/// The shape of a JSON value in a few words: an object's keys (at most eight), an array's
/// length and its first element's keys, or the kind of a scalar.
pub fn json_shape(value: &serde_json::Value) -> String {
    use serde_json::Value;
    fn keys(map: &serde_json::Map<String, Value>) -> String {
        let mut keys: Vec<String> = map
            .keys()
            .take(8)
            .map(|k| format!("\"{}\"", crate::sanitize::one_line(k)))
            .collect();
        if map.len() > 8 {
            keys.push(format!("… ({} in all)", map.len()));
        }
        format!("keys {}", keys.join(", "))
    }
    match value {
        Value::Object(map) if map.is_empty() => "an empty object".to_string(),
        Value::Object(map) => keys(map),
        Value::Array(items) => match items.first() {
            None => "an empty array".to_string(),
            Some(Value::Object(first)) if !first.is_empty() => format!(
                "an array of {} object{} with {}",
                items.len(),
                if items.len() == 1 { "" } else { "s" },
                keys(first)
            ),
            Some(_) => format!("an array of {} values", items.len()),
        },
        Value::String(_) => "a string".to_string(),
        Value::Number(_) => "a number".to_string(),
        Value::Bool(_) => "a boolean".to_string(),
        Value::Null => "null".to_string(),
    }
}

/// A page that states no status of its own, judged by its open incidents: the worst open
/// impact, and "No open events" / "1 open event" / "3 open events" (with `noun` "event").
pub fn open_summary(incidents: &[Incident], noun: &str) -> (Indicator, String) {
    let open: Vec<&Incident> = incidents.iter().filter(|i| i.is_open()).collect();
    let indicator = open
        .iter()
        .filter_map(|i| i.impact)
        .fold(Indicator::None, Indicator::worst);
    let description = match open.len() {
        0 => format!("No open {noun}s"),
        1 => format!("1 open {noun}"),
        n => format!("{n} open {noun}s"),
    };
    (indicator, description)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_normalises_line_endings_and_blank_runs() {
        assert_eq!(plain_text("  a  \r\n\r\n\r\n\nb\rc \n"), "  a\n\nb\nc");
        assert_eq!(plain_text("\n\n"), "");
    }

    #[test]
    fn utf16_bodies_are_decoded_and_bad_ones_say_utf16() {
        let text = "[{\"summary\":\"é ✓ 𝄞\"}]";
        let be: Vec<u8> = [0xfe, 0xff]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        let le: Vec<u8> = [0xff, 0xfe]
            .into_iter()
            .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(&*utf8_body(&be).unwrap(), text.as_bytes());
        assert_eq!(&*utf8_body(&le).unwrap(), text.as_bytes());
        assert_eq!(&*utf8_body(b"\xef\xbb\xbf{}").unwrap(), b"{}");
        assert_eq!(&*utf8_body(b"{}").unwrap(), b"{}");
        let odd = utf8_body(&be[..be.len() - 1]).unwrap_err().message;
        assert!(
            odd.contains("UTF-16") && odd.contains("big-endian"),
            "{odd}"
        );
        let lone = utf8_body(&[0xfe, 0xff, 0xd8, 0x00, 0x00, 0x41])
            .unwrap_err()
            .message;
        assert!(
            lone.contains("UTF-16") && lone.contains("surrogate"),
            "{lone}"
        );
    }

    #[test]
    fn html_and_empty_bodies_are_named_as_such() {
        assert!(expect_json(b"  <!DOCTYPE html><html>")
            .unwrap_err()
            .message
            .contains("HTML"));
        assert!(expect_json(b" \n").unwrap_err().message.contains("empty"));
        assert!(expect_json(b"{}").is_ok());
    }
}
