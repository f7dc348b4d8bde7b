//! statusq: watch public service status pages and turn them into JSON Lines.
//!
//! Data flows one way — bytes → [`model::Snapshot`] → [`model::Event`] → text — through pure
//! layers and a thin shell around them (DESIGN.md §1, §7):
//!
//! | layer | modules | pure? |
//! |---|---|---|
//! | commands | `cmd` (one thin file per subcommand), `cli` (every flag) | shell |
//! | engine | `engine` (fetch plan, pool and writer, detection, polling), `http` | shell |
//! | sources | [`sources`] (one file per platform, registered once) | yes |
//! | model | [`model`] (every wire record, and what "open" means) | yes |
//! | diff | `diff` (what is new, and the state's types) | yes |
//! | state | `state` (the state file: lock, atomic commit) | shell |
//! | pipeline | `pipeline` (the ledger, the sinks, the notify courier: `diff`, `watch`, `serve`) | shell |
//! | render | `render` (text, markdown, json, prometheus, html, atom, email), `gate` (`check`) | yes |
//! | report | [`report`] (availability and incident history from the pages' own history) | yes |
//! | server | `server` (`serve`'s exporter and board) | shell |
//! | notify | `notify` (targets, outbox, sending; its `route`, `hold` and `payload` are pure) | partly |
//! | config | `config` (the config file, parsed once), `dirs` (the XDG directories), `providers` | shell |
//! | demo | `demo` (what `statusq demo` plays, from embedded real payloads) | yes |
//!
//! Pure layers read no clock, files, network or environment: the shell passes them bytes and
//! `now`. Library modules never import a command.

// The public surface: what the binary (`cli`, `cmd`, `error`, `Output`), the benchmarks
// (`model`, `sources`), the fuzz targets (`fuzzing`) and the tests (`is_busy`) use.
pub mod cli;
#[doc(hidden)]
pub mod cmd;
pub mod error;
pub mod fuzzing;
pub mod model;
pub mod report;
pub mod sources;

pub use engine::poll::is_busy;
pub use ndjson::Output;

pub(crate) mod clock;
pub(crate) mod config;
pub(crate) mod demo;
pub(crate) mod diff;
pub(crate) mod dirs;
pub(crate) mod engine;
pub(crate) mod fault;
pub(crate) mod fsutil;
pub(crate) mod gate;
pub(crate) mod hash;
pub(crate) mod http;
pub(crate) mod ndjson;
pub(crate) mod notify;
pub(crate) mod pipeline;
pub(crate) mod providers;
pub(crate) mod random;
pub(crate) mod render;
pub(crate) mod sanitize;
pub(crate) mod select;
pub(crate) mod server;
pub(crate) mod state;
pub(crate) mod terminal;
