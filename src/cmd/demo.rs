//! `statusq demo`: `watch` at work with no network — real payloads ([`crate::demo`]) served on
//! 127.0.0.1 by statusq's own HTTP server and watched by the real `watch`.
//!
//! Reads: nothing outside the binary. Writes: the events as text (or markdown, json); a
//! temporary directory for the config, state and cache, removed at the end.
//!
//! Each page moves one step every time all three of its documents have been asked for, so a
//! step is exactly one poll, whatever order the requests come in.

use crate::cli::{Cli, Command, DemoArgs};
use crate::error::{Error, Exit};
use crate::ndjson::Output;
use crate::server::{accept_forever, Answer, Route};
use clap::{Parser, ValueEnum};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Documents each page is asked for in a poll.
const DOCUMENTS: usize = 3;

/// Runs `statusq demo`.
pub fn run(args: DemoArgs, out: &mut Output) -> Result<Exit, Error> {
    let dir = tempfile::tempdir().map_err(|e| Error::io("a temporary directory", e))?;
    let listener = std::net::TcpListener::bind("127.0.0.1:0")
        .map_err(|e| Error::io("127.0.0.1 (the demo's page)", e))?;
    let address = listener
        .local_addr()
        .map_err(|e| Error::io("127.0.0.1 (the demo's page)", e))?;
    let route = pages();
    std::thread::spawn(move || accept_forever(&listener, &route, 16));

    let mut config = String::new();
    for (id, name) in crate::demo::PAGES {
        config.push_str(&format!(
            "[providers.{id}]\nname = \"{name}\"\nurl = \"http://{address}/{id}\"\nformat = \"statuspage\"\n\n"
        ));
    }
    let config_path = dir.path().join("demo.toml");
    std::fs::write(&config_path, config)
        .map_err(|e| Error::io(config_path.display().to_string(), e))?;
    let interval = format!("{}ms", (2000.0 / args.speed).round() as u64);
    let state = dir.path().join("state.json");
    let format = args
        .style
        .format
        .to_possible_value()
        .map_or_else(|| "text".to_string(), |v| v.get_name().to_string());
    let color = args
        .style
        .color
        .to_possible_value()
        .map_or_else(|| "auto".to_string(), |v| v.get_name().to_string());
    let mut argv: Vec<String> = ["statusq", "watch", "github", "claude", "--no-cache"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    argv.extend([
        "--allow-short-intervals".into(),
        "--interval".into(),
        interval,
        "--polls".into(),
        crate::demo::steps().to_string(),
        "--state".into(),
        state.display().to_string(),
        "--format".into(),
        format,
        "--color".into(),
        color,
    ]);
    if args.style.local {
        argv.push("--local".into());
    }
    let Command::Watch(watch) = Cli::try_parse_from(&argv)
        .map_err(|e| Error::Usage(format!("the demo's watch: {e}")))?
        .command
    else {
        return Err(Error::Usage(
            "the demo's watch did not parse as watch".into(),
        ));
    };
    eprintln!(
        "statusq demo: GitHub's outage of 29 June 2023 and a Claude maintenance, replayed from \
         real payloads by pages on {address}; nothing leaves this machine"
    );
    let exit = crate::cmd::watch::run(watch, Some(&config_path), out)?;
    eprintln!(
        "statusq demo: that is what `statusq watch github` prints when GitHub has an incident"
    );
    Ok(exit)
}

/// The demo's pages: each path's document at the step its page has reached, its times ending
/// when the demo began.
fn pages() -> Route {
    // One clock reading for the whole play: every document dates its events alike.
    let now = crate::clock::now();
    let asked: Mutex<HashMap<String, usize>> = Mutex::new(HashMap::new());
    Arc::new(move |path: &str| {
        let page = path
            .trim_start_matches('/')
            .split('/')
            .next()
            .unwrap_or("")
            .to_string();
        let step = match asked.lock() {
            Ok(mut asked) => {
                let count = asked.entry(page).or_insert(0);
                *count += 1;
                (*count - 1) / DOCUMENTS
            }
            Err(_) => 0,
        };
        match crate::demo::document(path, step, now) {
            Some(body) => Answer {
                status: "200 OK",
                kind: "application/json",
                body,
            },
            None => Answer {
                status: "404 Not Found",
                kind: "text/plain",
                body: b"not a page of the demo\n".to_vec(),
            },
        }
    })
}
