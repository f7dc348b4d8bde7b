//! The one integration-test binary: the real `statusq` against loopback servers and files.

#[path = "../common/mod.rs"]
mod common;

mod architecture;
mod catalog;
mod check;
mod diff;
mod digests;
mod disk;
mod ecosystem;
mod edges;
mod feeds;
mod fetch;
mod fuzz_corpus;
mod generated;
mod habits;
mod hostile;
mod notify;
mod notify_faults;
mod open;
mod pipeline;
mod pipes;
mod platforms;
mod providers;
mod readme;
mod render;
mod report;
mod threads;
mod watch;
mod words;
