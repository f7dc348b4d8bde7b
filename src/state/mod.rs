//! The state file: the diff state ([`crate::diff::state::State`]) on disk, under its lock, read
//! and replaced atomically and durably ([`file`]). What the state holds is the diff engine's;
//! when it is committed (the delivery rule of DESIGN §4) is [`crate::pipeline`]'s.

pub mod file;
