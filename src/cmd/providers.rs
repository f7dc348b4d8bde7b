//! `statusq providers`: list the built-in catalog and the config file's providers.
//!
//! Reads: the built-in catalog and the config file. Writes: one `provider` record per line, or
//! an aligned table when stdout is a terminal (`--json` forces records).
//!
//! ```text
//! $ statusq providers --format incidentio | jq -r .id
//! aiven
//! …
//! ```

use crate::cli::ProvidersArgs;
use crate::config::Config;
use crate::error::{Error, Exit};
use crate::ndjson::Output;
use crate::providers::{Catalog, Provider};
use crate::sources::Format;
use std::io::IsTerminal;
use std::path::Path;

/// Runs `statusq providers`.
pub fn run(args: ProvidersArgs, config: Option<&Path>, out: &mut Output) -> Result<Exit, Error> {
    let catalog = Catalog::load(&Config::load(config)?)?;
    if let Some(url) = &args.detect {
        return detect(url, &args, &catalog, out);
    }
    if args.tags {
        // A tag and its count a line: `ai	13`.
        let text: String = catalog
            .tags()
            .iter()
            .map(|(tag, count)| format!("{tag}\t{count}\n"))
            .collect();
        out.text(&text)?;
        out.flush()?;
        return Ok(Exit::Success);
    }
    if let Some(word) = &args.format {
        if Format::from_word(word).is_none() {
            return Err(Error::Usage(format!(
                "unknown format {word:?} (one of: {})",
                Format::words()
            )));
        }
    }
    let words: Vec<String> = args.filter.iter().map(|w| w.to_lowercase()).collect();
    let selected: Vec<&Provider> = catalog
        .search(&words)
        .into_iter()
        .filter(|p| {
            args.format
                .as_deref()
                .is_none_or(|f| p.format.as_str() == f)
        })
        .filter(|p| !args.supported || p.format.is_supported())
        .collect();

    if selected.is_empty() && !words.is_empty() {
        // Like grep: nothing found is exit 1, with the nearest ids to try.
        let mut near: Vec<&str> = words.iter().flat_map(|w| catalog.similar(w)).collect();
        near.dedup();
        let hint = match near.as_slice() {
            [] => String::new(),
            ids => format!("; did you mean {}?", ids.join(", ")),
        };
        eprintln!(
            "statusq: no provider matches {}{hint} (statusq providers lists them all)",
            args.filter.join(" ")
        );
        return Ok(Exit::Found);
    }
    if !args.json && std::io::stdout().is_terminal() {
        write_table(&selected, out)?;
    } else {
        for provider in selected {
            out.record(&provider.record())?;
        }
    }
    out.flush()?;
    Ok(Exit::Success)
}

/// `statusq providers --detect URL`: the config entry that reads the page at URL.
fn detect(
    url: &str,
    args: &ProvidersArgs,
    catalog: &Catalog,
    out: &mut Output,
) -> Result<Exit, Error> {
    let target = crate::providers::resolve(url, catalog)?;
    let crate::providers::Target::Remote(provider) = target else {
        return Err(Error::Usage(format!("{url}: --detect takes a URL")));
    };
    if provider.origin == crate::providers::Origin::Config {
        // `providers --detect URL >> config.toml` must not append a second table for it.
        eprintln!(
            "statusq: {url} is already in the config as [providers.{}]; nothing to add",
            toml_key(&provider.id)
        );
        return Ok(Exit::Success);
    }
    let client = crate::http::Client::new(crate::http::HttpConfig {
        timeout: args.timeout,
        retries: 0,
        ..crate::http::HttpConfig::default()
    });
    let probe_url = if provider.detect {
        provider.api.clone()
    } else {
        provider.url.clone()
    };
    let until = crate::http::after(client.budget());
    let (format, api, body) = crate::engine::detect::detect_within(&client, &probe_url, until)
        .map_err(|error| Error::Other(anyhow::anyhow!("{}", error.message)))?;
    // Named after the page itself ("Intercom"), not after its URL.
    let page = crate::sources::Page {
        url: &provider.url,
        now: crate::clock::now(),
    };
    let parts = format.parse(&[&body], page).ok();
    let format = parts
        .as_ref()
        .and_then(|p| p.detected_format)
        .map_or(format, Format::of);
    let provider = match parts.and_then(|p| p.page_name) {
        Some(name) => catalog.named(provider, &name),
        None => provider,
    };
    let api = api
        .strip_prefix(provider.url.as_str())
        .filter(|rest| rest.starts_with('/'))
        .map_or(api.clone(), str::to_string);
    let quote = |s: &str| format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""));
    out.text(&format!(
        "[providers.{}]\nname = {}\nurl = {}\nformat = {}\napi = {}\n",
        toml_key(&provider.id),
        quote(&provider.name),
        quote(&provider.url),
        quote(format.as_str()),
        quote(&api)
    ))?;
    out.flush()?;
    Ok(Exit::Success)
}

/// A TOML key: bare when it can be (letters, digits, `-`, `_`), quoted otherwise — an id with
/// dots (`127.0.0.1-8765-gh`) written bare would be a dotted key and break the file.
fn toml_key(id: &str) -> String {
    let bare = !id.is_empty()
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if bare {
        id.to_string()
    } else {
        format!("\"{}\"", id.replace('\\', "\\\\").replace('"', "\\\""))
    }
}

fn write_table(providers: &[&Provider], out: &mut Output) -> Result<(), Error> {
    let id_width = providers
        .iter()
        .map(|p| p.id.len())
        .max()
        .unwrap_or(2)
        .max(2);
    let format_width = providers
        .iter()
        .map(|p| p.format.as_str().len() + if p.format.is_supported() { 0 } else { 1 })
        .max()
        .unwrap_or(6)
        .max(6);
    out.text(&format!(
        "{:id_width$}  {:format_width$}  {}\n",
        "ID", "FORMAT", "NAME (URL)"
    ))?;
    for p in providers {
        let format = if p.format.is_supported() {
            p.format.as_str().to_string()
        } else {
            format!("{}*", p.format.as_str())
        };
        out.text(&format!(
            "{:id_width$}  {:format_width$}  {} ({})\n",
            p.id, format, p.name, p.url
        ))?;
    }
    if providers.iter().any(|p| !p.format.is_supported()) {
        out.text("* this build cannot read this format yet\n")?;
    }
    Ok(())
}
