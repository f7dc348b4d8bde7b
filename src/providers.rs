//! The provider catalog (built in), the user's config file, and turning a command-line word into
//! something to fetch.
//!
//! The built-in catalog is `src/catalog.tsv`, a copy of the project's researched list of real
//! public status pages (id, name, page URL, platform, API endpoint, evidence). The config file
//! (TOML, `--config` or `$XDG_CONFIG_HOME/statusq/config.toml`) adds providers, overrides fields
//! of catalog ones, and can restrict a provider to some components:
//!
//! ```toml
//! [providers.acme]
//! name = "Acme Cloud"
//! url = "https://status.acme.example"
//! format = "statuspage"              # the default
//! api = "/api/v2/summary.json"       # the default for statuspage and incidentio
//!
//! [providers.github]
//! components = ["Actions", "Git Operations", "Codespaces/*"]
//! ```

use crate::config::Config;
use crate::error::Error;
use crate::sources::Format;
use std::path::{Path, PathBuf};

const CATALOG_TSV: &str = include_str!("catalog.tsv");

/// A status page statusq knows how to reach (its record on the wire is
/// [`crate::model::ProviderRecord`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Provider {
    /// Short id used on the command line and in every record (`github`).
    pub id: String,
    /// Human name (`GitHub`).
    pub name: String,
    /// The page a person opens.
    pub url: String,
    /// The platform the page runs on.
    pub format: Format,
    /// The absolute URL of the document `fetch` starts from (for Statuspage, `summary.json`).
    pub api: String,
    /// Component name globs (`Name` or `Group/Name`) to keep; empty keeps all.
    pub components: Vec<String>,
    /// Other hosts (`host` or `host:port`) its redirects may lead to; by default only the same
    /// host, and http to https.
    pub redirects: Vec<String>,
    /// Where the entry came from.
    pub origin: Origin,
    /// Whether the format must be found by probing first (a URL the user typed).
    pub detect: bool,
    /// Groups people watch together (`ai`, `cloud`, `payments`, …): `--tag` selects by them.
    pub tags: Vec<String>,
}

/// Where a provider entry came from (`catalog`, `config` or `url` in `statusq providers`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The built-in catalog.
    Catalog,
    /// The config file (a new entry, or a catalog entry it overrides).
    Config,
    /// A URL typed on the command line: its name comes from the page itself.
    Url,
}

impl Provider {
    /// The `provider` record `statusq providers` writes for this entry.
    pub fn record(&self) -> crate::model::ProviderRecord {
        crate::model::ProviderRecord {
            kind: "provider",
            v: crate::model::SCHEMA_VERSION,
            id: self.id.clone(),
            name: self.name.clone(),
            url: self.url.clone(),
            format: self.format.as_str().to_string(),
            api: self.api.clone(),
            components: self.components.clone(),
            redirects: self.redirects.clone(),
            origin: self.origin.as_str().to_string(),
            supported: self.format.is_supported(),
            tags: self.tags.clone(),
        }
    }
}

impl Origin {
    /// The record's word: `catalog`, `config` or `url`.
    pub fn as_str(self) -> &'static str {
        match self {
            Origin::Catalog => "catalog",
            Origin::Config => "config",
            Origin::Url => "url",
        }
    }
}

/// The catalog merged with the config file: every provider a run can name.
pub struct Catalog {
    providers: Vec<Provider>,
}

impl Catalog {
    /// The built-in catalog alone.
    pub fn builtin() -> Catalog {
        let providers = CATALOG_TSV
            .lines()
            .skip(1)
            .filter(|line| !line.trim().is_empty())
            .filter_map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                let [id, name, url, platform, endpoint, ..] = fields[..] else {
                    return None;
                };
                let tags = fields.get(6).map_or_else(Vec::new, |tags| {
                    tags.split(',')
                        .filter(|t| !t.is_empty())
                        .map(str::to_string)
                        .collect()
                });
                let format = Format::from_word(platform)?;
                Some(Provider {
                    id: id.to_string(),
                    name: name.to_string(),
                    url: url.trim_end_matches('/').to_string(),
                    format,
                    api: absolute(url, endpoint),
                    components: Vec::new(),
                    redirects: Vec::new(),
                    origin: Origin::Catalog,
                    detect: false,
                    tags,
                })
            })
            .collect();
        Catalog { providers }
    }

    /// The built-in catalog with the config file's `[providers.ID]` applied.
    pub fn load(config: &Config) -> Result<Catalog, Error> {
        let mut catalog = Catalog::builtin();
        catalog.apply_config(config)?;
        Ok(catalog)
    }

    fn apply_config(&mut self, config: &Config) -> Result<(), Error> {
        let bad = |why: String| config.error(why);
        for (id, entry) in config.providers.clone() {
            if !is_provider_id(&id) {
                return Err(bad(format!(
                    "provider id {id:?} must be lowercase letters, digits, '-' or '_'"
                )));
            }
            let format = match entry.format.as_deref() {
                None => None,
                Some(word) => Some(Format::from_word(word).ok_or_else(|| {
                    bad(format!(
                        "provider {id}: unknown format {word:?} (one of: {})",
                        Format::words()
                    ))
                })?),
            };
            if let Some(url) = &entry.url {
                if !is_http_url(url) {
                    return Err(bad(format!("provider {id}: url must be http(s): {url:?}")));
                }
            }
            for pattern in entry.components.iter().flatten() {
                if let Err(e) = glob::Pattern::new(pattern) {
                    return Err(bad(format!(
                        "provider {id}: bad component glob {pattern:?}: {e}"
                    )));
                }
            }
            let existing = self.providers.iter_mut().find(|p| p.id == id);
            match existing {
                Some(provider) => {
                    if let Some(name) = entry.name {
                        provider.name = name;
                    }
                    if let Some(url) = entry.url {
                        provider.url = url.trim_end_matches('/').to_string();
                        if entry.api.is_none() {
                            provider.api = absolute(&provider.url, &default_api(provider.format));
                        }
                    }
                    if let Some(format) = format {
                        provider.format = format;
                    }
                    if let Some(api) = entry.api {
                        provider.api = absolute(&provider.url, &api);
                    }
                    if let Some(components) = entry.components {
                        provider.components = components;
                    }
                    if let Some(redirects) = entry.redirects {
                        provider.redirects = redirects;
                    }
                    if let Some(tags) = entry.tags {
                        provider.tags = tags;
                    }
                    provider.origin = Origin::Config;
                }
                None => {
                    let url = entry
                        .url
                        .ok_or_else(|| bad(format!("provider {id}: a new provider needs a url")))?;
                    let url = url.trim_end_matches('/').to_string();
                    let format = format.unwrap_or(Format::STATUSPAGE);
                    let api = entry.api.unwrap_or_else(|| default_api(format));
                    self.providers.push(Provider {
                        name: entry.name.unwrap_or_else(|| id.clone()),
                        api: absolute(&url, &api),
                        url,
                        format,
                        components: entry.components.unwrap_or_default(),
                        redirects: entry.redirects.unwrap_or_default(),
                        origin: Origin::Config,
                        detect: false,
                        tags: entry.tags.unwrap_or_default(),
                        id,
                    });
                }
            }
        }
        Ok(())
    }

    /// Every provider, catalog order then config additions.
    pub fn all(&self) -> &[Provider] {
        &self.providers
    }

    /// The provider with this id; ids are case-insensitive (`GitHub` is `github`), an exact
    /// match first so a config id that differs only in case still wins.
    pub fn get(&self, id: &str) -> Option<&Provider> {
        self.providers.iter().find(|p| p.id == id).or_else(|| {
            self.providers
                .iter()
                .find(|p| p.id.eq_ignore_ascii_case(id))
        })
    }

    /// A typed page named after itself: `name` (the page's own, as its document says it) for
    /// the name, and a slug of it for the id when no provider has that id yet; otherwise the
    /// id made from the URL stays. A name that is empty once cleaned changes nothing.
    pub fn named(&self, mut provider: Provider, name: &str) -> Provider {
        let name = crate::sanitize::one_line(name);
        let name = name.trim();
        if name.is_empty() {
            return provider;
        }
        let id = slug(name);
        if is_provider_id(&id) && self.get(&id).is_none() {
            provider.id = id;
        }
        provider.name = name.to_string();
        provider
    }

    /// The providers `words` find, best first: each word is looked for in the id, the name and
    /// the page's host (`stripe`, `Stripe`, `stripestatus`), and a provider ranks by its best
    /// match — the id or the name itself, then one starting with the word, then the host, then
    /// the word anywhere in the id or name; ties keep the catalog's order. No words: all.
    pub fn search(&self, words: &[String]) -> Vec<&Provider> {
        if words.is_empty() {
            return self.providers.iter().collect();
        }
        let words: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
        let mut found: Vec<(u8, usize, &Provider)> = Vec::new();
        for (at, provider) in self.providers.iter().enumerate() {
            let name = provider.name.to_lowercase();
            let host = host_of(&provider.url);
            let rank = words
                .iter()
                .filter_map(|w| {
                    let w = w.as_str();
                    if provider.id == w || name == w {
                        Some(0)
                    } else if provider.id.starts_with(w) || name.starts_with(w) {
                        Some(1)
                    } else if host.contains(w) {
                        Some(2)
                    } else if provider.id.contains(w) || name.contains(w) {
                        Some(3)
                    } else {
                        None
                    }
                })
                .min();
            if let Some(rank) = rank {
                found.push((rank, at, provider));
            }
        }
        found.sort_by_key(|(rank, at, _)| (*rank, *at));
        found.into_iter().map(|(_, _, p)| p).collect()
    }

    /// `words` and the ids of every provider with one of `tags`, in catalog order after the
    /// words; a tag no provider has is a usage error naming the tags there are.
    pub fn with_tags(&self, words: &[String], tags: &[String]) -> Result<Vec<String>, Error> {
        let mut out = words.to_vec();
        for tag in tags {
            let tag = tag.to_lowercase();
            let before = out.len();
            for provider in self.providers.iter().filter(|p| p.tags.contains(&tag)) {
                if !out.contains(&provider.id) {
                    out.push(provider.id.clone());
                }
            }
            if out.len() == before && !self.providers.iter().any(|p| p.tags.contains(&tag)) {
                let known: Vec<String> = self.tags().into_iter().map(|(t, _)| t).collect();
                return Err(Error::Usage(format!(
                    "no provider has the tag {tag:?} (tags: {}; statusq providers --tags)",
                    known.join(", ")
                )));
            }
        }
        Ok(out)
    }

    /// Every tag with how many providers have it, by name.
    pub fn tags(&self) -> Vec<(String, usize)> {
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for tag in self.providers.iter().flat_map(|p| &p.tags) {
            *counts.entry(tag).or_default() += 1;
        }
        counts
            .into_iter()
            .map(|(t, n)| (t.to_string(), n))
            .collect()
    }

    /// Ids that look like a mistyped `word`, for the error message.
    pub fn similar(&self, word: &str) -> Vec<&str> {
        let word = word.to_lowercase();
        self.providers
            .iter()
            .filter(|p| {
                p.id.contains(&word)
                    || (word.len() >= 3 && word.contains(&p.id))
                    || strsim::levenshtein(&p.id, &word) <= 2
            })
            .map(|p| p.id.as_str())
            .take(5)
            .collect()
    }
}

/// The host of a page URL, lower-cased (`https://www.githubstatus.com/x` → `www.githubstatus.com`).
fn host_of(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.split(['/', '?', '#'])
        .next()
        .unwrap_or("")
        .to_lowercase()
}

impl Catalog {
    /// Resolves command-line words (and `--all`) into targets; a format this build cannot read
    /// is a usage error.
    pub fn targets(&self, words: &[String], all: bool) -> Result<Vec<Target>, Error> {
        let mut targets: Vec<Target> = Vec::new();
        if all {
            targets.extend(
                self.all()
                    .iter()
                    .filter(|p| p.format.is_supported())
                    .cloned()
                    .map(Target::Remote),
            );
        }
        for word in words {
            let target = resolve(word, self)?;
            if let Target::Remote(provider) = &target {
                if !provider.format.is_supported() {
                    return Err(Error::Usage(format!(
                        "{}: its page uses the {} format, which this build cannot read yet",
                        provider.id,
                        provider.format.as_str()
                    )));
                }
            }
            targets.push(target);
        }
        if targets.is_empty() {
            return Err(Error::Usage(
                "nothing to fetch: name providers or use --all (see `statusq providers`)".into(),
            ));
        }
        refuse_shared_ids(&targets)?;
        Ok(targets)
    }

    /// What `watch` and `serve` poll: the providers named, else the config file's, else
    /// `openai`.
    pub fn default_watch(&self, words: &[String]) -> Vec<String> {
        if !words.is_empty() {
            return words.to_vec();
        }
        let configured: Vec<String> = self
            .all()
            .iter()
            .filter(|p| p.origin == Origin::Config)
            .map(|p| p.id.clone())
            .collect();
        if configured.is_empty() {
            vec!["openai".to_string()]
        } else {
            configured
        }
    }
}

/// One id for two different sources (`a=url1 a=url2`, or two saved `summary.json` files) would
/// share one state in `diff` and report changes that never happened: refused, naming both. The
/// same source named twice is only fetched twice.
fn refuse_shared_ids(targets: &[Target]) -> Result<(), Error> {
    let source = |target: &Target| match target {
        Target::Remote(p) => p.api.clone(),
        Target::File {
            path: Some(path), ..
        } => path.display().to_string(),
        Target::File { path: None, .. } => "-".to_string(),
    };
    let mut seen: std::collections::HashMap<&str, String> = std::collections::HashMap::new();
    for target in targets {
        let (id, this) = match target {
            Target::Remote(p) => (p.id.as_str(), source(target)),
            Target::File { id, .. } => (id.as_str(), source(target)),
        };
        match seen.get(id) {
            Some(first) if *first != this => {
                return Err(Error::Usage(format!(
                    "provider id {id:?} names two sources, {first} and {this}: give each its \
                     own with ID=SOURCE"
                )))
            }
            Some(_) => {}
            None => {
                seen.insert(id, this);
            }
        }
    }
    Ok(())
}

/// What a command-line word names.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A page on the network.
    Remote(Provider),
    /// A saved payload on disk (`path`) or on stdin (`None`), replayed offline.
    File { id: String, path: Option<PathBuf> },
}

impl Target {
    /// What a person calls it: the provider's name, or the file's id.
    pub fn name(&self) -> &str {
        match self {
            Target::Remote(p) => &p.name,
            Target::File { id, .. } => id,
        }
    }

    /// The provider id this target reports as.
    pub fn id(&self) -> &str {
        match self {
            Target::Remote(p) => &p.id,
            Target::File { id, .. } => id,
        }
    }
}

/// One of N shares of a provider list (`--shard I/N`): provider ids are split by a stable hash,
/// so N processes given the same list take disjoint shares that together cover it, with no
/// coordination and the same split on every machine and run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Shard {
    /// 1-based.
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Parses `I/N` with 1 ≤ I ≤ N.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("{text:?}: a shard is I/N, 1 ≤ I ≤ N (e.g. 2/4)");
        let (index, count) = text.split_once('/').ok_or_else(bad)?;
        let index: u32 = index.trim().parse().map_err(|_| bad())?;
        let count: u32 = count.trim().parse().map_err(|_| bad())?;
        if index == 0 || count == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }

    /// Whether the provider `id` is in this shard.
    pub fn holds(&self, id: &str) -> bool {
        crate::hash::spread(&[id]) % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// The targets of this shard, in their order.
    pub fn select(shard: Option<Shard>, targets: Vec<Target>) -> Vec<Target> {
        match shard {
            Some(shard) => targets
                .into_iter()
                .filter(|t| shard.holds(t.id()))
                .collect(),
            None => targets,
        }
    }
}

/// Resolves a command-line word: `ID=SOURCE` names any source; then a catalog or config id, a
/// URL (`https://status.example.com`, or one API document ending in `.json`), `-` for stdin, a
/// file path, or a bare host name.
pub fn resolve(word: &str, catalog: &Catalog) -> Result<Target, Error> {
    if let Some((alias, source)) = word.split_once('=') {
        if is_provider_id(alias) && !source.is_empty() {
            let mut target = resolve(source, catalog)?;
            match &mut target {
                Target::Remote(p) => p.id = alias.to_string(),
                Target::File { id, .. } => *id = alias.to_string(),
            }
            return Ok(target);
        }
    }
    if let Some(provider) = catalog.get(word) {
        return Ok(Target::Remote(provider.clone()));
    }
    if word == "-" {
        return Ok(Target::File {
            id: "stdin".into(),
            path: None,
        });
    }
    if word.contains("://") {
        return from_url(word, catalog).map(Target::Remote);
    }
    let path = Path::new(word);
    if path.exists() {
        let stem = path
            .file_stem()
            .map(|s| slug(&s.to_string_lossy()))
            .filter(|s| !s.is_empty())
            .unwrap_or_else(|| "file".into());
        return Ok(Target::File {
            id: stem,
            path: Some(path.to_path_buf()),
        });
    }
    let looks_like_file = word.contains('/')
        || [".json", ".atom", ".rss", ".xml"]
            .iter()
            .any(|ext| word.ends_with(ext));
    if !looks_like_file && word.contains('.') && !word.contains(char::is_whitespace) {
        return from_url(&format!("https://{word}"), catalog).map(Target::Remote);
    }
    if looks_like_file {
        return Err(Error::Usage(format!("{word}: no such file")));
    }
    let similar = catalog.similar(word);
    let hint = if similar.is_empty() {
        "list them with `statusq providers`".to_string()
    } else {
        format!("did you mean {}?", similar.join(", "))
    };
    Err(Error::Usage(format!(
        "unknown provider {word:?}: not a catalog id, URL or file ({hint})"
    )))
}

/// A provider for a URL the user typed. A catalog page's URL resolves to the catalog entry, so
/// `https://www.githubstatus.com` gets id `github` and its known format.
fn from_url(url: &str, catalog: &Catalog) -> Result<Provider, Error> {
    if !is_http_url(url) {
        return Err(Error::Usage(format!(
            "{url}: only http:// and https:// URLs can be fetched"
        )));
    }
    let trimmed = url.trim_end_matches('/');
    let after_scheme = &trimmed[trimmed.find("://").map_or(0, |i| i + 3)..];
    let host_and_path = after_scheme
        .split(['?', '#'])
        .next()
        .unwrap_or(after_scheme);
    if host_and_path.is_empty() {
        return Err(Error::Usage(format!("{url}: no host in URL")));
    }
    // The page a person opens: for a URL of one API document, what comes before `/api/v2/`.
    let page = match host_and_path.find("/api/v2/") {
        Some(at) => {
            let scheme_len = trimmed.len() - after_scheme.len();
            trimmed[..scheme_len + at].to_string()
        }
        None => trimmed.to_string(),
    };
    // A page already known — by its page URL, its API document, or the page of the API URL
    // typed — is that provider, not a new one.
    if let Some(known) = catalog
        .all()
        .iter()
        .find(|p| p.url == trimmed || p.api == trimmed || p.url == page)
    {
        return Ok(known.clone());
    }
    let page_host = page[page.find("://").map_or(0, |i| i + 3)..].to_string();
    Ok(Provider {
        id: slug(page_host.trim_start_matches("www.")),
        name: page_host,
        url: page,
        // Found by probing before the fetch; see `sources::detect`.
        format: Format::STATUSPAGE,
        api: trimmed.to_string(),
        tags: Vec::new(),
        components: Vec::new(),
        redirects: Vec::new(),
        origin: Origin::Url,
        detect: true,
    })
}

/// Where a format's API document is for a page, as its platform says (none: the entry must).
fn default_api(format: Format) -> String {
    format
        .platform()
        .default_api
        .unwrap_or_default()
        .to_string()
}

/// An endpoint from the catalog or config: absolute, or relative to the page URL.
fn absolute(page: &str, endpoint: &str) -> String {
    if is_http_url(endpoint) {
        endpoint.to_string()
    } else {
        format!("{}{}", page.trim_end_matches('/'), endpoint)
    }
}

fn is_http_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// Provider ids: lowercase ASCII letters, digits, `-`, `_`, `.`.
pub fn is_provider_id(word: &str) -> bool {
    !word.is_empty()
        && word
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

/// A provider id made from free text: lowercase, runs of anything else become one `-`.
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '.' || c == '_' {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_ids_disjointly_and_evenly_and_always_alike() {
        let ids: Vec<String> = (0..3000).map(|n| format!("provider-{n}")).collect();
        let shards: Vec<Shard> = (1..=4)
            .map(|i| Shard::parse(&format!("{i}/4")).unwrap())
            .collect();
        for id in &ids {
            assert_eq!(shards.iter().filter(|s| s.holds(id)).count(), 1, "{id}");
        }
        for shard in &shards {
            let share = ids.iter().filter(|id| shard.holds(id)).count();
            assert!((600..=900).contains(&share), "{shard:?}: {share} of 3000");
        }
        // Fixed forever: a fleet's split must not move between versions or machines.
        assert!(
            Shard::parse("1/2").unwrap().holds("github")
                != Shard::parse("2/2").unwrap().holds("github")
        );
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", "-1/2"] {
            assert!(Shard::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn the_builtin_catalog_has_every_researched_page() {
        let catalog = Catalog::builtin();
        assert!(catalog.all().len() >= 190, "{}", catalog.all().len());
        let github = catalog.get("github").unwrap();
        assert_eq!(
            github.api,
            "https://www.githubstatus.com/api/v2/summary.json"
        );
        assert_eq!(catalog.get("openai").unwrap().format.as_str(), "incidentio");
        let supported = catalog
            .all()
            .iter()
            .filter(|p| p.format.is_supported())
            .count();
        assert!(supported >= 100, "{supported}");
    }

    impl Catalog {
        /// Applies a config file's text, as `Catalog::load` applies the parsed file.
        fn apply_config_text(&mut self, text: &str) -> Result<(), Error> {
            let config = Config::parse(text, Path::new("c.toml"))?;
            self.apply_config(&config)
        }
    }

    #[test]
    fn config_adds_overrides_and_restricts() {
        let mut catalog = Catalog::builtin();
        catalog
            .apply_config_text(
                r#"
[providers.acme]
url = "http://127.0.0.1:9/acme/"
[providers.github]
components = ["Actions"]
"#,
            )
            .unwrap();
        let acme = catalog.get("acme").unwrap();
        assert_eq!(acme.api, "http://127.0.0.1:9/acme/api/v2/summary.json");
        assert_eq!(acme.format, Format::STATUSPAGE);
        assert_eq!(catalog.get("github").unwrap().components, ["Actions"]);
    }

    #[test]
    fn config_errors_name_the_problem() {
        let mut catalog = Catalog::builtin();
        let err = catalog
            .apply_config_text("[providers.new]\nname = \"x\"\n")
            .unwrap_err();
        assert!(err.to_string().contains("needs a url"), "{err}");
        let err = catalog
            .apply_config_text("[providers.x]\nurl = \"ftp://x\"\n")
            .unwrap_err();
        assert!(err.to_string().contains("http(s)"), "{err}");
        let err = catalog.apply_config_text("[providers.x\n").unwrap_err();
        assert!(err.to_string().contains("c.toml"), "{err}");
    }

    #[test]
    fn words_resolve_to_catalog_urls_files_and_aliases() {
        let catalog = Catalog::builtin();
        assert_eq!(resolve("github", &catalog).unwrap().id(), "github");
        assert_eq!(
            resolve("https://www.githubstatus.com/", &catalog)
                .unwrap()
                .id(),
            "github"
        );
        let Target::Remote(p) = resolve("https://status.example.com", &catalog).unwrap() else {
            panic!()
        };
        assert_eq!(p.id, "status.example.com");
        assert_eq!(p.api, "https://status.example.com");
        assert!(p.detect, "a typed URL is probed for its format");
        let Target::Remote(p) =
            resolve("x=http://127.0.0.1:8/p/api/v2/incidents.json", &catalog).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            (p.id.as_str(), p.url.as_str()),
            ("x", "http://127.0.0.1:8/p")
        );
        assert_eq!(resolve("-", &catalog).unwrap().id(), "stdin");
        assert!(resolve("githib", &catalog)
            .unwrap_err()
            .to_string()
            .contains("github"));
        assert!(resolve("ftp://x", &catalog).is_err());
        assert!(resolve("missing.json", &catalog)
            .unwrap_err()
            .to_string()
            .contains("no such file"));
    }
}
