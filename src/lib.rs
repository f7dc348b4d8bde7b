//! statusq: watch public service status pages and turn them into JSON Lines.
//!
//! Data flows one way — bytes → [`model::Snapshot`] → text — through pure parts (the source
//! adapters, the model) and a thin shell (HTTP, files, stdout). See `DESIGN.md`.

pub mod cli;
pub mod cmd;
pub mod diff;
pub mod error;
pub mod fsutil;
pub mod fuzzing;
pub mod http;
pub mod model;
pub mod ndjson;
pub mod poll;
pub mod providers;
pub mod render;
pub mod sanitize;
pub mod sources;
pub mod state;
