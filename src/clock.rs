//! The clock, read only by the shell and handed to the pure parts as a value.
//!
//! `STATUSQ_NOW` (RFC 3339) fixes the time so tests and replays are deterministic. Adapters,
//! the diff engine and the renderers never call this: they take `now` as an argument.

use crate::model::Timestamp;
use time::OffsetDateTime;

/// The current time, or the time fixed by `STATUSQ_NOW`.
pub fn now() -> Timestamp {
    std::env::var("STATUSQ_NOW")
        .ok()
        .and_then(|text| Timestamp::parse(&text))
        .unwrap_or_else(|| {
            let now = OffsetDateTime::now_utc();
            // Millisecond precision, like the pages themselves.
            Timestamp::from(now.replace_millisecond(now.millisecond()).unwrap_or(now))
        })
}
