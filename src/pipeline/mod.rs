//! The one path every command that remembers takes: snapshots → diff → ledger → sinks.
//!
//! - [`ledger`]: the diff state under its lock with DESIGN §4's delivery rule built in — the
//!   state that produced a batch of events is committed with them in doubt, the events go to
//!   the sinks, the next commit drops them — and forgetting.
pub mod ledger;
