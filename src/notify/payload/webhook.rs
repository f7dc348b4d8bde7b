//! Webhook: `{"v":1,"events":[…]}`, the event records as `diff` writes them (`"type":"event"`
//! included), at most [`BATCH`] a request. Escaping: none — the receiver gets JSON and is
//! the one to treat its strings as untrusted, as the README says.

use super::parts::Message;
use crate::model::{Event, Record};
use serde_json::json;

/// Events a request carries.
pub const BATCH: usize = 100;

pub fn messages(events: &[Event]) -> Vec<Message> {
    events
        .chunks(BATCH)
        .map(|chunk| Message {
            body: Some(json!({
                "v": 1,
                "events": chunk
                    .iter()
                    .map(|e| Record::Event(Box::new(e.clone())))
                    .collect::<Vec<_>>(),
            })),
            ids: chunk.iter().map(|e| e.id.clone()).collect(),
            ..Message::default()
        })
        .collect()
}
