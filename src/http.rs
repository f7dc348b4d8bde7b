//! HTTP: one shared ureq agent, bounded bodies, retries with backoff, errors sorted into kinds.
//!
//! Every request has an overall deadline (`--timeout`, connect to last body byte, redirects
//! included) and a body cap counted after decompression (`--max-body`), so neither a stalled nor
//! a gzip-bombing server can hold statusq up or blow its memory. Only timeouts and 408/429/5xx
//! are retried, with exponential backoff and jitter, honouring `Retry-After` up to a cap.

use crate::model::{ErrorKind, FetchError};
use std::io::Read;
use std::time::{Duration, Instant};

/// How requests are made. Defaults are DESIGN §5's.
#[derive(Clone, Debug)]
pub struct HttpConfig {
    /// Overall deadline of one request, body included.
    pub timeout: Duration,
    /// Largest body accepted, after decompression.
    pub max_body: u64,
    /// Retries after the first attempt, for timeouts and 408/429/5xx only.
    pub retries: u32,
    /// The longest `Retry-After` honoured; longer ones are cut to this.
    pub max_retry_after: Duration,
    /// The first backoff delay; each retry doubles it.
    pub backoff: Duration,
}

impl HttpConfig {
    /// The longest one request may take, retries and their waits included:
    /// `(retries + 1) × timeout + retries × max_retry_after` (a wait, `Retry-After` or backoff,
    /// is never longer than `max_retry_after`). It is also a provider's whole budget: its
    /// documents, fetched in parallel, and their parsing must be done within it (DESIGN §5).
    pub fn budget(&self) -> Duration {
        let retries = self.retries.min(100);
        self.timeout
            .saturating_mul(retries + 1)
            .saturating_add(self.max_retry_after.saturating_mul(retries))
    }
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(10),
            max_body: 8 * 1024 * 1024,
            retries: 2,
            max_retry_after: Duration::from_secs(10),
            backoff: Duration::from_millis(500),
        }
    }
}

/// The instant `wait` from now (or a century from now, if `wait` is longer than that).
pub fn after(wait: Duration) -> Instant {
    const CENTURY: Duration = Duration::from_secs(100 * 365 * 86_400);
    Instant::now() + wait.min(CENTURY)
}

/// How long a response asks the client to wait before trying again: its `Retry-After`, read
/// by [`retry_after`] from its own `Date`, or none.
pub fn asked_wait(headers: &ureq::http::HeaderMap) -> Option<Duration> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    retry_after(
        header("retry-after")?,
        header("date"),
        time::OffsetDateTime::now_utc(),
    )
}

/// How long a `Retry-After` header asks to wait (RFC 9110 §10.2.3): delay-seconds, or an
/// HTTP-date, measured from the response's own `Date` when it has one (so a skewed local clock
/// does not matter) and from `now` otherwise; a date already past is no wait. A number too
/// large for any clock is the longest wait there is, never "no wait"; a negative or unreadable
/// value is none, and the caller's own backoff applies.
pub fn retry_after(value: &str, date: Option<&str>, now: time::OffsetDateTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return Some(value.parse().map_or(Duration::MAX, Duration::from_secs));
    }
    if let Ok(seconds) = value.parse::<f64>() {
        // Not RFC 9110's form, but servers send "1.5"; "-1", "NaN" and "inf" are nonsense.
        return (seconds.is_finite() && seconds >= 0.0)
            .then(|| Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX));
    }
    let at = http_date(value)?;
    let from = date.and_then(http_date).unwrap_or(now);
    Some(Duration::try_from(at - from).unwrap_or(Duration::ZERO))
}

/// An HTTP-date in any of the three forms RFC 9110 §5.6.7 says a recipient must read:
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`)
/// and asctime (`Sun Nov  6 08:49:37 1994`).
pub fn http_date(text: &str) -> Option<time::OffsetDateTime> {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
    let (mut day, mut month, mut year, mut clock) = (None, None, None, None);
    for token in text
        .split(|c: char| c.is_ascii_whitespace() || c == ',' || c == '-')
        .filter(|t| !t.is_empty())
    {
        let lower = token.to_ascii_lowercase();
        if let Some(index) = MONTHS.iter().position(|m| lower == *m) {
            month = Some(index as u8 + 1);
        } else if token.contains(':') {
            let mut parts = token.split(':').map(|p| p.parse::<u8>().ok());
            match (parts.next(), parts.next(), parts.next(), parts.next()) {
                (Some(Some(h)), Some(Some(m)), Some(Some(s)), None) => clock = Some((h, m, s)),
                _ => return None,
            }
        } else if token.bytes().all(|b| b.is_ascii_digit()) {
            let number: u16 = token.parse().ok()?;
            match token.len() {
                1 | 2 if day.is_none() => day = Some(number as u8),
                // RFC 850's two-digit year: this century's until it would be far ahead.
                2 => {
                    year = Some(if number < 70 {
                        2000 + number
                    } else {
                        1900 + number
                    })
                }
                4 => year = Some(number),
                _ => return None,
            }
        } else if !(lower == "gmt" || lower == "utc" || DAYS.iter().any(|d| lower.starts_with(d))) {
            return None;
        }
    }
    let month = time::Month::try_from(month?).ok()?;
    let date = time::Date::from_calendar_date(i32::from(year?), month, day?).ok()?;
    let (h, m, s) = clock?;
    let time = time::Time::from_hms(h, m, s).ok()?;
    Some(time::PrimitiveDateTime::new(date, time).assume_utc())
}

/// The largest response header read (status line and all fields); a bigger one is an `http`
/// error. Real status pages send 1–5 KiB.
pub const MAX_HEADER: usize = 15 * 1024;

/// The `User-Agent` statusq sends.
pub const USER_AGENT: &str = concat!("statusq/", env!("CARGO_PKG_VERSION"));

/// A shared HTTP client; cheap to share between threads by reference.
pub struct Client {
    agent: ureq::Agent,
    config: HttpConfig,
    cache: Option<Cache>,
    /// The proxy the environment names (`ALL_PROXY`, `HTTPS_PROXY`, `HTTP_PROXY`, with
    /// `NO_PROXY`), as ureq reads it: kept to name it when it is what failed.
    proxy: Option<ureq::Proxy>,
}

/// Conditional HTTP: ETag and Last-Modified per URL, the last body on disk, so an unchanged page
/// costs one `304 Not Modified`. Every `refetch_every` polls a URL is fetched unconditionally,
/// because some servers never change their validators.
pub struct Cache {
    dir: std::path::PathBuf,
    refetch_every: u32,
    entries: std::sync::Mutex<std::collections::HashMap<String, CacheEntry>>,
}

#[derive(Clone, Default, serde::Serialize, serde::Deserialize)]
struct CacheEntry {
    url: String,
    etag: Option<String>,
    last_modified: Option<String>,
    /// Conditional polls since the last full fetch (kept on disk, so it holds across runs).
    #[serde(default)]
    conditional_polls: u32,
}

impl Cache {
    /// A cache in `dir` (created if needed).
    pub fn open(dir: &std::path::Path, refetch_every: u32) -> std::io::Result<Cache> {
        std::fs::create_dir_all(dir)?;
        Ok(Cache {
            dir: dir.to_path_buf(),
            refetch_every: refetch_every.max(1),
            entries: std::sync::Mutex::new(std::collections::HashMap::new()),
        })
    }

    fn paths(&self, url: &str) -> (std::path::PathBuf, std::path::PathBuf) {
        let key = crate::hash::stable_hash(&[url]);
        (
            self.dir.join(format!("{key}.meta")),
            self.dir.join(format!("{key}.body")),
        )
    }

    /// The validators to send for `url`, if a conditional request is due.
    fn validators(&self, url: &str) -> Option<CacheEntry> {
        let mut entries = self.entries.lock().ok()?;
        if !entries.contains_key(url) {
            let (meta, body) = self.paths(url);
            let loaded: CacheEntry = serde_json::from_slice(&std::fs::read(meta).ok()?).ok()?;
            if loaded.url != url || !body.exists() {
                return None;
            }
            entries.insert(url.to_string(), loaded);
        }
        let entry = entries.get(url)?;
        (entry.conditional_polls < self.refetch_every
            && (entry.etag.is_some() || entry.last_modified.is_some()))
        .then(|| entry.clone())
    }

    /// Whether `url`'s last body is kept and a conditional request (not a periodic full one)
    /// would be due: its body may stand in for a request this poll.
    fn reusable(&self, url: &str) -> bool {
        self.validators(url).is_some()
    }

    fn not_modified(&self, url: &str) -> Option<Body> {
        let (meta, body_path) = self.paths(url);
        let body = Body::kept(std::fs::read(body_path).ok()?);
        if let Ok(mut entries) = self.entries.lock() {
            if let Some(entry) = entries.get_mut(url) {
                entry.conditional_polls += 1;
                let json = serde_json::to_vec(&*entry).unwrap_or_default();
                let _ = crate::fsutil::replace(&meta, &json);
            }
        }
        Some(body)
    }

    /// Drops what is kept of `url`, so its next request is unconditional.
    fn forget(&self, url: &str) {
        let (meta, body) = self.paths(url);
        let _ = std::fs::remove_file(meta);
        let _ = std::fs::remove_file(body);
        if let Ok(mut entries) = self.entries.lock() {
            entries.remove(url);
        }
    }

    /// Keeps `body` as it came (a gzip body stays compressed: [`Body::kept`] knows it again).
    fn store(&self, url: &str, etag: Option<String>, last_modified: Option<String>, body: &[u8]) {
        let entry = CacheEntry {
            url: url.to_string(),
            etag,
            last_modified,
            conditional_polls: 0,
        };
        let (meta, body_path) = self.paths(url);
        if entry.etag.is_none() && entry.last_modified.is_none() {
            let _ = std::fs::remove_file(meta);
            if let Ok(mut entries) = self.entries.lock() {
                entries.remove(url);
            }
            return;
        }
        // A cache that cannot be written only costs bandwidth: never an error.
        // Not synced: a cache write lost to a crash costs one full request later.
        let written = crate::fsutil::replace(&body_path, body).and_then(|()| {
            let json = serde_json::to_vec(&entry).unwrap_or_default();
            crate::fsutil::replace(&meta, &json)
        });
        if written.is_ok() {
            if let Ok(mut entries) = self.entries.lock() {
                entries.insert(url.to_string(), entry);
            }
        }
    }
}

impl Client {
    /// Builds the one agent a run uses (its connection pool is shared by all workers).
    pub fn new(config: HttpConfig) -> Client {
        Client::with_cache(config, None)
    }

    /// A client that makes conditional requests through `cache`.
    pub fn with_cache(config: HttpConfig, cache: Option<Cache>) -> Client {
        let proxy = ureq::Proxy::try_from_env();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .proxy(proxy.clone())
            .timeout_global(Some(config.timeout))
            .http_status_as_error(false)
            // Redirects are followed by hand (Client::get_once_as), host by host.
            .max_redirects(0)
            .user_agent(USER_AGENT)
            // Small buffers: statusq only sends GETs, and with 128 requests in flight the
            // default 128 KiB each way would be most of the process's memory (BENCHMARKS.md).
            // The input buffer must hold a whole response header: a little more than the cap,
            // so a bigger header is reported as such.
            .input_buffer_size(MAX_HEADER + 1024)
            .output_buffer_size(4 * 1024)
            .max_response_header_size(MAX_HEADER)
            .max_idle_connections(256)
            .max_idle_connections_per_host(64)
            .build()
            .into();
        Client {
            agent,
            config,
            cache,
            proxy,
        }
    }

    /// A failure to reach `url` names the proxy the request went through, if one did: a dead
    /// proxy is not the vendor refusing. The proxy's credentials are never shown.
    fn through_proxy(&self, url: &str, mut error: FetchError) -> FetchError {
        let transport = matches!(
            error.kind,
            ErrorKind::Connect
                | ErrorKind::Dns
                | ErrorKind::Timeout
                | ErrorKind::Tls
                | ErrorKind::Io
        );
        let Some(proxy) = self.proxy.as_ref().filter(|_| transport) else {
            return error;
        };
        if url
            .parse::<ureq::http::Uri>()
            .is_ok_and(|uri| proxy.is_no_proxy(&uri))
        {
            return error;
        }
        let scheme = proxy.uri().scheme_str().unwrap_or("http");
        let prefix = format!("GET {url}: ");
        let why = error
            .message
            .strip_prefix(&prefix)
            .unwrap_or(&error.message);
        error.message = format!(
            "{prefix}via proxy {scheme}://{}:{}: {why}",
            proxy.host(),
            proxy.port()
        );
        error
    }

    /// Whether `url` could be answered from the cache this poll (see [`Client::reuse`]).
    pub fn reusable(&self, url: &str) -> bool {
        self.cache.as_ref().is_some_and(|c| c.reusable(url))
    }

    /// `url`'s kept body, counted as a conditional poll (so its periodic full refetch still
    /// comes), without a request: for a document whose page said it is unchanged.
    pub fn reuse(&self, url: &str) -> Option<Body> {
        let cache = self.cache.as_ref()?;
        cache.validators(url)?;
        cache.not_modified(url)
    }

    /// [`Client::get_within`], the body as it came (still compressed, for whoever reads it
    /// to inflate: [`Body::open`]), also saying whether the server answered `304 Not
    /// Modified`.
    pub fn get_checked(
        &self,
        url: &str,
        hosts: &[String],
        until: Instant,
    ) -> Result<(Body, bool), FetchError> {
        let mut attempt = 0;
        loop {
            match self.get_once_as(url, true, hosts, until) {
                Ok(answer) => return Ok(answer),
                Err(failure) => self.before_retry(failure, &mut attempt, until)?,
            }
        }
    }

    /// `url` fetched afresh: what the cache kept of it is forgotten first (a kept body that
    /// does not read — emptied, cut short, overwritten — must not stand in for the page until
    /// the next periodic refetch), so the request is unconditional.
    pub fn refetch(&self, url: &str, hosts: &[String], until: Instant) -> Result<Body, FetchError> {
        if let Some(cache) = &self.cache {
            cache.forget(url);
        }
        self.get_checked(url, hosts, until).map(|(body, _)| body)
    }

    /// The longest one request may take ([`HttpConfig::budget`]).
    pub fn budget(&self) -> Duration {
        self.config.budget()
    }

    /// GETs `url`, retrying transient failures, and returns the decoded body. Redirects are
    /// followed within the same host (and from http to https), and to the hosts in `hosts`
    /// (`host` or `host:port`: a provider's `redirects` in the config file). Done — retries and
    /// their waits included — by `until`: no attempt runs past it, and a retry that could not
    /// start before it is not waited for.
    pub fn get_within(
        &self,
        url: &str,
        hosts: &[String],
        until: Instant,
    ) -> Result<Vec<u8>, FetchError> {
        let (body, _) = self.get_checked(url, hosts, until)?;
        body.open(url, self.config.max_body)
    }

    /// After a failed attempt: waits for the retry and counts it, or gives the error up when it
    /// is not worth retrying or there is no time left.
    fn before_retry(
        &self,
        failure: Failure,
        attempt: &mut u32,
        until: Instant,
    ) -> Result<(), FetchError> {
        let mut error = failure.error;
        error.retry_after = failure.retry_after.map(|wait| wait.as_secs());
        let retryable = error.kind == ErrorKind::Timeout
            || matches!(error.http_status, Some(408 | 429 | 500..=599));
        if !retryable || *attempt >= self.config.retries {
            return Err(error);
        }
        let delay = match failure.retry_after {
            // Asked to come back later than we are willing to wait: waiting out a
            // shortened delay only to be refused again helps nobody.
            Some(wait) if wait > self.config.max_retry_after => {
                error.message = format!(
                    "{}; the server asks to retry after {} s, longer than \
                         --max-retry-after",
                    error.message,
                    wait.as_secs()
                );
                return Err(error);
            }
            Some(wait) => wait,
            None => jittered(self.config.backoff * 2u32.saturating_pow(*attempt))
                .min(self.config.max_retry_after),
        };
        if after(delay) >= until {
            // The retry could not finish in the provider's time: say so now.
            error.message = format!(
                "{}; no time left to retry within {} s (--timeout × attempts)",
                error.message,
                self.config.budget().as_secs()
            );
            return Err(error);
        }
        std::thread::sleep(delay);
        *attempt += 1;
        Ok(())
    }

    /// One attempt, redirects included, within one `--timeout`; `conditional` sends the cached
    /// validators, if any.
    fn get_once_as(
        &self,
        url: &str,
        conditional: bool,
        hosts: &[String],
        until: Instant,
    ) -> Result<(Body, bool), Failure> {
        let validators = match &self.cache {
            Some(cache) if conditional => cache.validators(url),
            _ => None,
        };
        let deadline = after(self.config.timeout).min(until);
        let mut response = self.follow(url, validators.as_ref(), hosts, deadline)?;
        let status = response.status().as_u16();
        if status == 304 && validators.is_some() {
            if let Some(cache) = &self.cache {
                match cache.not_modified(url) {
                    Some(body) => return Ok((body, true)),
                    // The cached body is gone (a cleaner, a full disk): what "not modified"
                    // refers to is lost, so ask again for the whole page.
                    None => {
                        cache.forget(url);
                        return self.get_once_as(url, false, hosts, until);
                    }
                }
            }
        }
        if status >= 400 || status == 304 {
            let retry_after = asked_wait(response.headers());
            let reason = response.status().canonical_reason().unwrap_or("");
            return Err(Failure {
                error: FetchError {
                    kind: ErrorKind::Http,
                    message: format!("GET {url}: HTTP {status} {reason}")
                        .trim_end()
                        .to_string(),
                    http_status: Some(status),
                    retry_after: None,
                },
                retry_after,
            });
        }
        self.read_body(url, &mut response).map(|body| (body, false))
    }

    /// The answer to `GET url` (conditional on `validators`), redirects followed — at most
    /// [`MAX_REDIRECTS`], on the same host unless `hosts` allows another — by `deadline`.
    fn follow(
        &self,
        url: &str,
        validators: Option<&CacheEntry>,
        hosts: &[String],
        deadline: Instant,
    ) -> Result<ureq::http::Response<ureq::Body>, Failure> {
        let mut current = url.to_string();
        let mut hops = 0;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(fail(ErrorKind::Timeout, url, "timed out following redirects").into());
            }
            let mut request = self.agent.get(&current);
            if let Some(entry) = validators {
                if let Some(etag) = &entry.etag {
                    request = request.header("If-None-Match", etag);
                }
                if let Some(modified) = &entry.last_modified {
                    request = request.header("If-Modified-Since", modified);
                }
            }
            let response = request
                .config()
                .timeout_global(Some(left))
                .build()
                .header("Accept", "application/json, application/atom+xml, application/rss+xml, text/xml;q=0.9, */*;q=0.1")
                .header("Accept-Encoding", "gzip")
                .call()
                .map_err(|e| {
                    Failure::from(self.through_proxy(&current, classify(&current, &e, &self.config)))
                })?;
            let status = response.status().as_u16();
            let location = response
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            let (true, Some(location)) = (matches!(status, 301 | 302 | 303 | 307 | 308), location)
            else {
                return Ok(response);
            };
            hops += 1;
            if hops > MAX_REDIRECTS {
                let why = format!("more than {MAX_REDIRECTS} redirects");
                return Err(http_error(url, status, why).into());
            }
            current = redirect_target(&current, &location, hosts).map_err(|refusal| {
                let mut error = http_error(url, status, refusal.why);
                if refusal.moved {
                    // A page sent to another host has moved (or gone): a matter for the
                    // config, never an outage of the page.
                    error.kind = ErrorKind::Format;
                }
                Failure::from(error)
            })?;
        }
    }

    /// A successful answer's body, capped at `max_body` on the wire and stored in the cache.
    ///
    /// Gzip is not decoded here, nor by ureq (whose decoder put a 53 KB frame on the stack of
    /// every request worker, gzip or not): the body is kept as sent, sized to its declared
    /// length and trimmed, so a body waiting for its page's other documents is small and holds
    /// no slack. Whoever reads it inflates it ([`Body::open`]), capped at `max_body` again: the
    /// fetch engine's parsers, a thread per core.
    fn read_body(
        &self,
        url: &str,
        response: &mut ureq::http::Response<ureq::Body>,
    ) -> Result<Body, Failure> {
        let status = response.status().as_u16();
        let cap = self.config.max_body;
        let declared = response
            .headers()
            .get("content-length")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|len| len > cap) {
            return Err(too_large(url, cap).into());
        }
        let gzip = gzipped(url, status, response.headers())?;
        let mut body = Vec::with_capacity(declared.map_or(0, |length| length.min(cap) as usize));
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        };
        let (etag, last_modified) = (header("etag"), header("last-modified"));
        let reader = response.body_mut().with_config().limit(cap).reader();
        match reader.take(cap + 1).read_to_end(&mut body) {
            Ok(_) if body.len() as u64 > cap => Err(too_large(url, cap).into()),
            Ok(_) => {
                body.shrink_to_fit();
                if let Some(cache) = &self.cache {
                    cache.store(url, etag, last_modified, &body);
                }
                Ok(Body {
                    bytes: body,
                    gzip,
                    kept: false,
                })
            }
            // Once the answer has begun, a broken connection is an I/O failure, not a failure
            // to connect.
            Err(e) => Err(match classify_io(url, &e, &self.config) {
                error if error.kind == ErrorKind::Connect => FetchError {
                    kind: ErrorKind::Io,
                    message: format!("GET {url}: connection broken mid-body: {e}"),
                    http_status: None,
                    retry_after: None,
                },
                error => error,
            }
            .into()),
        }
    }
}

/// Whether a body is gzip, as its `Content-Encoding` says; an encoding statusq did not ask for
/// (it asks for gzip only) is an `http` error.
fn gzipped(url: &str, status: u16, headers: &ureq::http::HeaderMap) -> Result<bool, FetchError> {
    match headers.get("content-encoding").map(|v| v.to_str()) {
        None => Ok(false),
        Some(Ok(value)) => match value.trim().to_ascii_lowercase().as_str() {
            "" | "identity" => Ok(false),
            "gzip" | "x-gzip" => Ok(true),
            other => Err(http_error(
                url,
                status,
                format!("Content-Encoding {other:?} was not asked for (only gzip)"),
            )),
        },
        Some(Err(_)) => Err(http_error(url, status, "unreadable Content-Encoding")),
    }
}

/// A body as it came over the wire: gzip-compressed or not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Body {
    pub bytes: Vec<u8>,
    /// Whether `bytes` are gzip, to be inflated by [`Body::open`].
    pub gzip: bool,
    /// Whether it is the body kept in the cache (a 304, or a document its page said is
    /// unchanged), not one that just came over the wire: one that does not read is forgotten
    /// ([`Client::refetch`]).
    pub kept: bool,
}

impl Body {
    /// A body that is not compressed.
    pub fn plain(bytes: Vec<u8>) -> Body {
        Body {
            bytes,
            gzip: false,
            kept: false,
        }
    }

    /// A body kept in the cache, as it came: gzip when it starts with gzip's magic number,
    /// which no JSON, XML or UTF-16 document does.
    fn kept(bytes: Vec<u8>) -> Body {
        let gzip = bytes.starts_with(&[0x1f, 0x8b]);
        Body {
            bytes,
            gzip,
            kept: true,
        }
    }

    /// The document: the bytes, inflated when they are gzip, at most `cap` of them (more is a
    /// `too_large` error: a gzip bomb). `url` is for the error message.
    pub fn open(self, url: &str, cap: u64) -> Result<Vec<u8>, FetchError> {
        if self.gzip {
            gunzip(url, &self.bytes, cap)
        } else {
            Ok(self.bytes)
        }
    }
}

/// Inflates a gzip body (all its members), at most `cap` bytes of it.
fn gunzip(url: &str, compressed: &[u8], cap: u64) -> Result<Vec<u8>, FetchError> {
    // The gzip trailer states the inflated length (modulo 4 GiB) of the last member: sized
    // to it, the body is allocated once. A lying trailer gets at most what deflate can
    // inflate to (1,032 to 1) and at most the cap, and only as address space: pages that are
    // never written are never resident.
    let stated = match compressed.len() {
        n if n >= 18 => u32::from_le_bytes(compressed[n - 4..].try_into().unwrap_or([0; 4])),
        _ => 0,
    };
    let most = (compressed.len() as u64).saturating_mul(1032).min(cap + 1);
    let mut body = Vec::with_capacity(u64::from(stated).min(most) as usize);
    let decoder = flate2::bufread::MultiGzDecoder::new(compressed);
    match decoder.take(cap + 1).read_to_end(&mut body) {
        Ok(_) if body.len() as u64 > cap => Err(too_large(url, cap)),
        Ok(_) => Ok(body),
        Err(e) => Err(FetchError {
            kind: ErrorKind::Http,
            message: format!("GET {url}: the gzip body does not decode: {e}"),
            http_status: None,
            retry_after: None,
        }),
    }
}

/// Redirects followed for one request.
const MAX_REDIRECTS: u32 = 5;

fn http_error(url: &str, status: u16, why: impl std::fmt::Display) -> FetchError {
    FetchError {
        kind: ErrorKind::Http,
        message: format!("GET {url}: HTTP {status}: {why}"),
        http_status: Some(status),
        retry_after: None,
    }
}

/// Why a redirect was not followed, and whether it points at another host (the page moved).
struct Refusal {
    why: String,
    moved: bool,
}

impl From<String> for Refusal {
    fn from(why: String) -> Refusal {
        Refusal { why, moved: false }
    }
}

/// Where a redirect from `from` to `location` leads, if it may be followed: http or https only,
/// on the same host and port (or from http to https on that host), or to one of `hosts`. A
/// status page redirecting to a metadata address or a local admin port is not followed.
fn redirect_target(from: &str, location: &str, hosts: &[String]) -> Result<String, Refusal> {
    let base = url::Url::parse(from).map_err(|e| format!("bad URL: {e}"))?;
    let next = base
        .join(location.trim())
        .map_err(|e| format!("bad redirect {location:?}: {e}"))?;
    if !matches!(next.scheme(), "http" | "https") {
        return Err(format!(
            "redirected to {}, which is not http or https: not followed",
            crate::sanitize::one_line(next.as_str())
        )
        .into());
    }
    let same_host = next.host_str() == base.host_str();
    let same_origin = same_host
        && next.scheme() == base.scheme()
        && next.port_or_known_default() == base.port_or_known_default();
    let upgrade = same_host
        && base.scheme() == "http"
        && next.scheme() == "https"
        && next.port_or_known_default() == Some(443);
    let host = next.host_str().unwrap_or("");
    let with_port = match next.port() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_string(),
    };
    let allowed = hosts
        .iter()
        .any(|h| h.eq_ignore_ascii_case(host) || h.eq_ignore_ascii_case(&with_port));
    if same_origin || upgrade || allowed {
        Ok(next.into())
    } else {
        Err(Refusal {
            why: format!(
                "redirected to another host, {}: not followed; the page may have moved \
                 (statusq providers --detect URL), or allow it with redirects = \
                 [\"{with_port}\"] for this provider in the config file",
                crate::sanitize::one_line(next.as_str())
            ),
            moved: true,
        })
    }
}

struct Failure {
    error: FetchError,
    retry_after: Option<Duration>,
}

impl From<FetchError> for Failure {
    fn from(error: FetchError) -> Failure {
        Failure {
            error,
            retry_after: None,
        }
    }
}

fn too_large(url: &str, cap: u64) -> FetchError {
    FetchError {
        kind: ErrorKind::TooLarge,
        message: format!("GET {url}: body larger than the {cap}-byte cap (--max-body)"),
        http_status: None,
        retry_after: None,
    }
}

fn fail(kind: ErrorKind, url: &str, why: impl std::fmt::Display) -> FetchError {
    FetchError {
        kind,
        message: format!("GET {url}: {why}"),
        http_status: None,
        retry_after: None,
    }
}

fn classify(url: &str, error: &ureq::Error, config: &HttpConfig) -> FetchError {
    use ureq::Error as E;
    match error {
        E::Timeout(_) => fail(
            ErrorKind::Timeout,
            url,
            format_args!("no complete answer within {:?} (--timeout)", config.timeout),
        ),
        E::HostNotFound => fail(ErrorKind::Dns, url, "host name not found"),
        E::ConnectionFailed => fail(ErrorKind::Connect, url, "connection failed"),
        E::Io(io) => classify_io(url, io, config),
        E::Tls(_) | E::Pem(_) | E::Rustls(_) => fail(ErrorKind::Tls, url, error),
        E::BodyExceedsLimit(_) => too_large(url, config.max_body),
        E::StatusCode(code) => FetchError {
            kind: ErrorKind::Http,
            message: format!("GET {url}: HTTP {code}"),
            http_status: Some(*code),
            retry_after: None,
        },
        E::TooManyRedirects | E::RedirectFailed => fail(ErrorKind::Http, url, error),
        E::LargeResponseHeader(..) => fail(
            ErrorKind::Http,
            url,
            format_args!("response header larger than {} KiB", MAX_HEADER / 1024),
        ),
        // statusq checks its own URLs before asking; a bad one now came from a redirect.
        E::BadUri(why) => fail(
            ErrorKind::Http,
            url,
            format_args!("redirected to a URL statusq does not follow ({why})"),
        ),
        _ => fail(ErrorKind::Io, url, error),
    }
}

fn classify_io(url: &str, error: &std::io::Error, config: &HttpConfig) -> FetchError {
    use std::io::ErrorKind as K;
    if let Some(inner) = error
        .get_ref()
        .and_then(|e| e.downcast_ref::<ureq::Error>())
    {
        return classify(url, inner, config);
    }
    // std reports a failed getaddrinfo as an uncategorised error; its text is the only signal.
    if error.to_string().starts_with("failed to lookup address") {
        return fail(ErrorKind::Dns, url, error);
    }
    match error.kind() {
        K::TimedOut | K::WouldBlock => fail(
            ErrorKind::Timeout,
            url,
            format_args!("no complete answer within {:?} (--timeout)", config.timeout),
        ),
        K::ConnectionRefused
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::NotConnected
        | K::AddrNotAvailable
        | K::HostUnreachable
        | K::NetworkUnreachable => fail(ErrorKind::Connect, url, error),
        K::UnexpectedEof => fail(
            ErrorKind::Io,
            url,
            "connection closed before the body was complete",
        ),
        _ => fail(ErrorKind::Io, url, error),
    }
}

/// `delay` scaled by a random factor in [0.5, 1.5), so many providers backing off together do
/// not retry in lockstep. Randomness comes from std's hasher keys: no RNG crate for this.
fn jittered(delay: Duration) -> Duration {
    let random = crate::random::u64();
    let factor = 0.5 + (random % 1000) as f64 / 1000.0;
    delay.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_reads_seconds_and_the_three_http_date_forms() {
        let now = time::macros::datetime!(1994-11-06 08:49:00 UTC);
        let wait = |value: &str, date: Option<&str>| retry_after(value, date, now);
        assert_eq!(wait("120", None), Some(Duration::from_secs(120)));
        assert_eq!(wait(" 0 ", None), Some(Duration::ZERO));
        assert_eq!(wait("1.5", None), Some(Duration::from_millis(1500)));
        // Too large for a clock is the longest wait, not none (which would retry at once).
        assert_eq!(
            wait("9999999999999999999", None),
            Some(Duration::from_secs(9_999_999_999_999_999_999))
        );
        assert_eq!(wait("99999999999999999999999", None), Some(Duration::MAX));
        for nonsense in [
            "-5",
            "NaN",
            "inf",
            "soon",
            "",
            "Sun, 32 Nov 1994 08:49:37 GMT",
        ] {
            assert_eq!(wait(nonsense, None), None, "{nonsense:?}");
        }
        for form in [
            "Sun, 06 Nov 1994 08:49:37 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            "Sun Nov  6 08:49:37 1994",
        ] {
            assert_eq!(wait(form, None), Some(Duration::from_secs(37)), "{form}");
        }
        // Measured from the response's own Date, whatever the local clock says.
        assert_eq!(
            wait(
                "Sun, 06 Nov 1994 08:49:37 GMT",
                Some("Sun, 06 Nov 1994 08:49:30 GMT")
            ),
            Some(Duration::from_secs(7))
        );
        // A date already past is no wait.
        assert_eq!(
            wait("Sat, 05 Nov 1994 08:49:37 GMT", None),
            Some(Duration::ZERO)
        );
    }

    #[test]
    fn jitter_stays_within_half_and_one_and_a_half() {
        for _ in 0..100 {
            let d = jittered(Duration::from_millis(1000));
            assert!(d >= Duration::from_millis(500) && d < Duration::from_millis(1500));
        }
    }

    #[test]
    fn io_errors_are_sorted_into_kinds() {
        let config = HttpConfig::default();
        let kind = |e: std::io::Error| classify_io("http://x/", &e, &config).kind;
        let lookup = std::io::Error::other(
            "failed to lookup address information: Name or service not known",
        );
        assert_eq!(kind(lookup), ErrorKind::Dns);
        assert_eq!(
            kind(std::io::ErrorKind::ConnectionRefused.into()),
            ErrorKind::Connect
        );
        assert_eq!(
            kind(std::io::ErrorKind::TimedOut.into()),
            ErrorKind::Timeout
        );
        assert_eq!(
            kind(std::io::ErrorKind::UnexpectedEof.into()),
            ErrorKind::Io
        );
        let wrapped = std::io::Error::other(ureq::Error::BodyExceedsLimit(5));
        assert_eq!(kind(wrapped), ErrorKind::TooLarge);
    }

    #[test]
    fn user_agent_names_statusq_and_its_version() {
        assert_eq!(USER_AGENT, format!("statusq/{}", env!("CARGO_PKG_VERSION")));
    }
}
