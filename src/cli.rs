//! Every clap type. The doc comments here are the `--help`, the man page and the completions.

pub use crate::gate::{Impact, Level, UnknownPolicy};
pub use crate::render::RenderFormat;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;
use std::time::Duration;

const EXIT_CODES: &str = "\
Exit status:
  0   success (also when the reader closes statusq's output early)
  1   the tested condition held (check found a breach, diff --exit-code wrote events,
      providers WORD matched nothing)
  2   usage or fatal error: bad arguments, unreadable config or input file, corrupt state
  3   partial: some providers failed to fetch or some input lines were skipped;
      everything else was processed and written
  75  another run holds the state lock (try again later)";

const FETCH_EXAMPLES: &str = "\
Examples:
  statusq fetch github openai
  statusq fetch https://www.cloudflarestatus.com | jq -r .status.indicator
  statusq fetch acme=saved-summary.json
  curl -s https://www.githubstatus.com/api/v2/summary.json | statusq fetch github=-
  statusq fetch --all --concurrency 128 > all.ndjson

Exit status:
  0   every provider was fetched and understood
  2   usage or config error (an unknown provider id, a bad flag)
  3   some providers failed: their snapshots have \"ok\":false and an error kind";

/// Watch public service status pages and turn them into JSON Lines.
///
/// statusq reads public status pages — Atlassian Statuspage, incident.io, history and vendor
/// feeds, Google Cloud, Slack, Instatus, Better Stack, status.io, AWS, Checkly, Datadog, Rootly;
/// 839 pages are built in, GitHub, OpenAI and Cloudflare among them — and writes normalised JSON
/// records for jq, cron, CI and
/// Prometheus: `fetch` snapshots, `diff` keeps only what is new, `render` turns it into text,
/// `check` gates CI, `watch` does it all in one process, `serve` exports metrics.
#[derive(Debug, Parser)]
#[command(
    name = "statusq",
    version,
    after_long_help = EXIT_CODES,
    after_help = "Run `statusq <command> --help` for details. Exit codes: 0 ok, 2 error, 3 partial.",
    max_term_width = 100
)]
pub struct Cli {
    /// Config file adding or overriding providers
    /// [default: $XDG_CONFIG_HOME/statusq/config.toml]
    #[arg(long, global = true, env = "STATUSQ_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Fetch(FetchArgs),
    Diff(DiffArgs),
    Render(RenderArgs),
    Check(CheckArgs),
    Watch(WatchArgs),
    Serve(ServeArgs),
    Providers(ProvidersArgs),
    Notify(NotifyArgs),
    Report(ReportArgs),
    Demo(DemoArgs),
    /// Write the man pages and shell completions (for packagers and the repository itself).
    #[command(hide = true)]
    Generate(GenerateArgs),
}

/// Fetch status pages and write one `snapshot` record per provider.
///
/// Providers are fetched concurrently and written in the order given. A provider that cannot be
/// fetched or understood is still written, as a snapshot with "ok":false and an error kind
/// (timeout, connect, dns, tls, http, parse, format, too_large, io); the others are unaffected
/// and the exit status is 3. On a terminal, each failed page is also named on stderr.
///
/// For a Statuspage or incident.io page, three documents are requested in parallel from its
/// /api/v2/: summary.json (banner and components), incidents.json (the last 50 incidents,
/// resolved ones included) and scheduled-maintenances.json (upcoming, running and completed
/// maintenances). A page that answers 404 for either list is read from its summary alone.
#[derive(Debug, Args)]
#[command(after_long_help = FETCH_EXAMPLES)]
pub struct FetchArgs {
    /// Providers to fetch: catalog ids (`github`), page URLs (`https://status.example.com`), one
    /// API document's URL (`…/api/v2/incidents/ID.json`), saved payload files, or `-` for stdin.
    /// Prefix `ID=` to choose the id the snapshot carries (`acme=summary.json`).
    #[arg(value_name = "PROVIDER", required_unless_present_any = ["all", "tags"])]
    pub providers: Vec<String>,

    /// Also every provider with this tag (`ai`, `cloud`, `payments`, `comms`, `data`, `ci`,
    /// `devtools`; `statusq providers --tags` lists them); repeatable
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the
    /// provider id, so N processes given the same list share it without overlap or
    /// coordination
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<crate::providers::Shard>,

    /// Fetch every provider in the catalog and config that this build can read
    #[arg(long)]
    pub all: bool,

    #[command(flatten)]
    pub http: HttpArgs,

    /// Poll forever, every INTERVAL (e.g. 60s, 5m), writing each provider's snapshot as it
    /// comes, until SIGINT, SIGTERM, SIGHUP or a closed output
    #[arg(long, value_name = "INTERVAL", value_parser = parse_duration)]
    pub watch: Option<Duration>,

    #[command(flatten)]
    pub poll: PollArgs,
}

/// How requests are made: shared by fetch, watch and serve.
#[derive(Debug, Args, Clone)]
pub struct HttpArgs {
    /// Most HTTP requests in flight at once
    #[arg(long, short = 'j', default_value_t = 192, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..=1024))]
    pub concurrency: u32,

    /// Overall deadline of one HTTP request, body included (e.g. 10s, 1500ms)
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = parse_timeout)]
    pub timeout: Duration,

    /// Retries of a request after a timeout or an HTTP 408, 429 or 5xx answer
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub retries: u32,

    /// Longest Retry-After wait (seconds, or an HTTP date) honoured before retrying; a server
    /// asking for longer fails the provider at once
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = parse_duration)]
    pub max_retry_after: Duration,

    /// Largest response body accepted, counted after decompression (e.g. 8MiB, 500k)
    #[arg(long, default_value = "8MiB", value_name = "SIZE", value_parser = parse_size)]
    pub max_body: u64,
}

impl HttpArgs {
    /// The HTTP client settings these flags describe.
    pub fn config(&self) -> crate::http::HttpConfig {
        crate::http::HttpConfig {
            timeout: self.timeout,
            max_body: self.max_body,
            retries: self.retries,
            max_retry_after: self.max_retry_after,
            ..crate::http::HttpConfig::default()
        }
    }
}

/// Adaptive polling and conditional HTTP: shared by fetch --watch, watch and serve.
#[derive(Debug, Args, Clone)]
pub struct PollArgs {
    /// While a provider has an unresolved incident or a running maintenance, poll it every
    /// INTERVAL instead (with --watch, watch, serve)
    #[arg(long, value_name = "INTERVAL", value_parser = parse_duration)]
    pub fast: Option<Duration>,

    /// Keep ETag/Last-Modified and the last body of every URL in DIR, so an unchanged page
    /// costs one 304 [default for watch, serve and fetch --watch: $XDG_CACHE_HOME/statusq]
    #[arg(long, value_name = "DIR")]
    pub cache: Option<PathBuf>,

    /// Make no conditional requests and keep no cache
    #[arg(long, conflicts_with = "cache")]
    pub no_cache: bool,

    /// Fetch a URL unconditionally at least every N polls (some servers never change their
    /// validators); a page answering in another format is looked for at its base URL at most
    /// once per N such failures
    #[arg(long, default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub refetch_every: u32,

    /// Accept an interval under 10 s and a --fast under 1 s (for tests against a local server;
    /// against a real status page they only hammer the vendor)
    #[arg(long)]
    pub allow_short_intervals: bool,
}

impl PollArgs {
    /// The shortest interval accepted without --allow-short-intervals.
    pub const MIN_INTERVAL: Duration = Duration::from_secs(10);
    /// The shortest --fast accepted without --allow-short-intervals.
    pub const MIN_FAST: Duration = Duration::from_secs(1);

    /// Refuses an interval (`what` names its flag) or a --fast below the floors, unless
    /// --allow-short-intervals: a zero interval sent thousands of requests a second.
    pub fn check_intervals(&self, what: &str, interval: Duration) -> Result<(), String> {
        if self.allow_short_intervals {
            return Ok(());
        }
        let floor = |flag: &str, value: Duration, min: Duration| {
            if value < min {
                Err(format!(
                    "{flag} {} is shorter than {}, which would hammer the status page; \
                     --allow-short-intervals accepts it (for a local test server)",
                    humantime::format_duration(value),
                    humantime::format_duration(min)
                ))
            } else {
                Ok(())
            }
        };
        floor(what, interval, Self::MIN_INTERVAL)?;
        match self.fast {
            Some(fast) => floor("--fast", fast, Self::MIN_FAST),
            None => Ok(()),
        }
    }
}

const DIFF_EXAMPLES: &str = "\
Examples:
  statusq fetch github openai | statusq diff
  statusq fetch --all | statusq diff --state ~/statusq.json --exit-code > new.ndjson
  statusq fetch github | statusq diff --replay --state /tmp/fresh.json | jq -r .id
  statusq diff --state /tmp/replay.json saved-monday.ndjson saved-tuesday.ndjson

Exit status:
  0   done (whether or not there were events)
  1   with --exit-code: at least one event was written
  2   usage error, an input file that cannot be opened, or the state file is unreadable,
      corrupt or of an unknown version
  3   some input lines were invalid and skipped (each is named on stderr); the rest was processed
  75  another statusq holds the state's lock; nothing was read or written";

/// Write only what is new since the last run, as `event` records.
///
/// Reads snapshot records (from `statusq fetch`) on standard input, compares each with what the
/// state file says was already seen, writes one event per new upstream fact, and records it in
/// the state: each incident update, resolution, maintenance step and component change exactly
/// once, across restarts. Event records on the input pass through untouched.
///
/// The first snapshot of a provider is a baseline: only what is live now comes out (open
/// incidents with their latest update, running or upcoming maintenance, components that are not
/// operational), not the page's whole history (use --replay for that). An incident is reported
/// resolved only when upstream says so, never because it disappeared; one upstream reopens is
/// incident.reopened, and its next resolution incident.resolved again. A failed fetch changes
/// nothing but the provider's health.
///
/// Events: incident.created, incident.updated, incident.resolved, incident.reopened,
/// maintenance.scheduled, maintenance.started, maintenance.updated, maintenance.completed,
/// component.changed, status.changed, provider.failed, provider.recovered, provider.moved (the
/// page answers in another platform's format: one event, and the new page is a silent
/// baseline, so a move never reads as incidents or component changes).
///
/// Delivery is write-ahead: the state is committed with the coming events marked in doubt, then
/// they are written and flushed; a run that finds events in doubt (the last one was killed, or
/// its output closed) writes them again first, with the same ids. A crash may repeat an event,
/// never lose one. Events are delivered whenever the input pauses, every 10,000 events and at
/// its end. SIGINT, SIGTERM and SIGHUP deliver and commit what was read, then exit. A sidecar
/// FILE.lock keeps two runs apart.
#[derive(Debug, Args)]
#[command(after_long_help = DIFF_EXAMPLES)]
pub struct DiffArgs {
    /// Files of records to read, one after the other (`-` is stdin) [default: stdin]
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The state file [default: $XDG_STATE_HOME/statusq/state.json]
    #[arg(long, env = "STATUSQ_STATE", value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// On first sight of a provider, emit its whole visible history instead of a baseline
    #[arg(long)]
    pub replay: bool,

    /// Exit with status 1 when at least one event was written (like `git diff --exit-code`)
    #[arg(long)]
    pub exit_code: bool,

    #[command(flatten)]
    pub ledger: LedgerArgs,

    /// Longest input line accepted; longer lines are reported and skipped
    #[arg(long, default_value = "32MiB", value_name = "SIZE", value_parser = parse_size_usize)]
    pub max_line: usize,
}

/// What the diff state remembers, and for how long: the same flags for `diff`, `watch` and
/// `serve`, which keep one kind of state.
#[derive(Debug, Args)]
pub struct LedgerArgs {
    /// Failed fetches in a row before `provider.failed` is emitted
    #[arg(long, default_value_t = 2, value_name = "N",
          value_parser = clap::value_parser!(u32).range(1..))]
    pub fail_after: u32,

    /// Forget incidents, maintenances, components and providers upstream has not shown for
    /// this long, so the state stays bounded (e.g. 30d, 12h)
    #[arg(long, default_value = "30d", value_name = "DURATION", value_parser = parse_duration)]
    pub forget_after: Duration,

    /// Remind of a scheduled maintenance when its start is this close, once per lead time
    /// (`24h,1h`): a `maintenance.reminder` event, never for one already started or completed
    #[arg(long, value_name = "LEADS", value_delimiter = ',', value_parser = parse_duration)]
    pub remind: Vec<Duration>,
}

const RENDER_EXAMPLES: &str = "\
Examples:
  statusq fetch github openai | statusq diff | statusq render
  statusq fetch --all | statusq render                      # a status board
  statusq fetch github | statusq diff | statusq render -f markdown
  statusq fetch --all | statusq render -f prometheus -o /var/lib/node_exporter/statusq.prom
  statusq fetch --all | statusq render -f html -o /var/www/status.html
  statusq fetch github | statusq diff | statusq render -f email --to oncall@example.com | sendmail -t
  statusq render --history saved.ndjson                     # every incident a page lists

Exit status:
  0   rendered (nothing at all is written for no input, or for email without events)
  2   usage error, an input file that cannot be opened, or the output file could not be written
  3   some input lines were invalid and skipped (each is named on stderr)";

/// Turn events and snapshots into text for people and programs.
///
/// Reads event records (from `statusq diff`) and snapshot records (from `statusq fetch`) on
/// standard input; both may arrive on one stream. With no input at all nothing is written, so
/// cron mails only when something happened.
///
/// Formats: text (the default; colour on a terminal: a digest — a block per incident or
/// maintenance update, and one block per provider and new status for the components of one
/// poll, "22 components now degraded performance", in time order; Markdown bodies as plain
/// text; a status board line per snapshot), markdown (chat, issues, mail), json (the records
/// again, compact or --pretty), prometheus (text exposition 0.0.4 from snapshots), html (one
/// self-contained page: board and timeline), atom (a feed of events), email (one RFC 5322
/// message for `sendmail -t`; nothing without events). text, markdown and json are written as
/// records arrive (text as soon as a poll's events are all in, or the input pauses); the others
/// once the input ends.
///
/// Everything from a status page is untrusted: control characters, escape sequences, bidi
/// overrides and zero-width characters are removed, and each format escapes the rest.
#[derive(Debug, Args)]
#[command(after_long_help = RENDER_EXAMPLES)]
pub struct RenderArgs {
    /// Files of records to read, one after the other (`-` is stdin) [default: stdin]
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    #[command(flatten)]
    pub style: StyleArgs,

    /// Wrap text at this many columns, at spaces only (a URL or a name is never cut) [default:
    /// the terminal's width, else $COLUMNS, else 80]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(20..))]
    pub width: Option<u16>,

    /// Pretty-print JSON (one record over several lines)
    #[arg(long)]
    pub pretty: bool,

    /// Snapshots as their whole history, not a board line: every incident and maintenance the
    /// page still lists, each with all its updates, newest first (text; no state is touched)
    #[arg(long)]
    pub history: bool,

    /// Write to FILE instead of standard output, atomically (a temp file renamed into place,
    /// mode 0644): safe for node_exporter's textfile collector and web servers
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Title of the HTML page and the Atom feed
    #[arg(long, default_value = "statusq", value_name = "TEXT")]
    pub title: String,

    /// Id of the Atom feed (distinct feeds need distinct ids)
    #[arg(long, default_value = "statusq", value_name = "ID")]
    pub feed_id: String,

    /// Recipient of the email (repeat for more); required with --format email
    #[arg(long, value_name = "ADDRESS")]
    pub to: Vec<String>,

    /// Sender of the email [default: left to sendmail]
    #[arg(long, value_name = "ADDRESS")]
    pub from: Option<String>,

    /// Add an HTML version to the email
    #[arg(long)]
    pub html: bool,

    /// Longest input line accepted; longer lines are reported and skipped
    #[arg(long, default_value = "32MiB", value_name = "SIZE", value_parser = parse_size_usize)]
    pub max_line: usize,

    /// Atom: the most entries the feed holds, the newest
    #[arg(long, default_value_t = crate::render::atom::MAX_ENTRIES, value_name = "N")]
    pub max_entries: usize,

    /// Atom: the URL the feed is published at, for its rel="self" link
    #[arg(long, value_name = "URL")]
    pub self_url: Option<String>,

    /// Prometheus: also publish another exporter's metric names (statuspage-exporter: the
    /// statuspage_* families of the Prometheus statuspage exporters)
    #[arg(long, value_enum, value_name = "EXPORTER")]
    pub compat: Option<crate::render::prometheus::Compat>,

    /// Prometheus: the most components of one provider given series of their own; past it,
    /// only those not operational (statusq_components_omitted counts the rest)
    #[arg(long, default_value_t = crate::render::prometheus::MAX_COMPONENTS, value_name = "N")]
    pub max_components_metrics: usize,
}

/// How human output looks: shared by render and watch.
#[derive(Debug, Args, Clone)]
pub struct StyleArgs {
    /// Output format (watch prints text, markdown or json)
    #[arg(long, short = 'f', value_enum, default_value_t = RenderFormat::Text)]
    pub format: RenderFormat,

    /// Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    pub color: ColorChoice,

    /// Show times in the local time zone instead of UTC
    #[arg(long)]
    pub local: bool,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

const CHECK_EXAMPLES: &str = "\
Examples:
  statusq fetch github | statusq check --component Actions --component 'Git Operations'
  statusq fetch github | statusq check --component 'Actions' --fail-on degraded_performance
  statusq fetch cloudflare openai | statusq check --fail-on-incident major --unknown pass
  statusq check snapshots.ndjson

Exit status:
  0   every watched component and page is below the level
  1   something is at or past the level (or --unknown fail and a page could not be read)
  2   usage error: no snapshots in the input, an input file that cannot be opened, or a
      --component glob matches no component (said before any verdict is printed)
  3   a page could not be fetched (choose with --unknown pass|fail)";

/// Gate CI on vendor health: exit 1 when a watched component is at or past a level.
///
/// Reads snapshot records (from `statusq fetch`) and prints one line per provider. With
/// --component, only the matching components are judged (a glob on the name or on
/// `Group/Name`, case-insensitive); without, the page's own indicator is (minor counts as
/// degraded_performance, major as partial_outage, critical as major_outage). Levels:
/// degraded_performance < partial_outage < major_outage. Maintenance counts only with
/// --include-maintenance; unresolved incidents only with --fail-on-incident.
#[derive(Debug, Args)]
#[command(after_long_help = CHECK_EXAMPLES)]
pub struct CheckArgs {
    /// Files of records to read, one after the other (`-` is stdin) [default: stdin]
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// Judge only these components: a glob on the name or `Group/Name` (repeatable)
    #[arg(long, short = 'c', value_name = "GLOB")]
    pub component: Vec<String>,

    /// The level at which to fail
    #[arg(long, value_enum, default_value_t = Level::PartialOutage, value_name = "LEVEL")]
    pub fail_on: Level,

    /// Also fail when a watched component (or the page) is under maintenance
    #[arg(long)]
    pub include_maintenance: bool,

    /// Also fail when a maintenance touching a watched component (any, when none is named) is
    /// in progress or starts within DURATION: a deploy freeze (`2h`)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with_all = ["since", "from"])]
    pub maintenance_within: Option<Duration>,

    /// Keep reading snapshots (`statusq fetch --watch 30s github | statusq check --wait 30m`)
    /// and exit 0 as soon as every page read passes as check judges it (--unknown and
    /// --maintenance-within too), 1 when DURATION passes first (saying what is still broken),
    /// 3 when the input ends before either
    #[arg(long, value_name = "DURATION", value_parser = parse_duration, conflicts_with_all = ["since", "from"])]
    pub wait: Option<Duration>,

    /// Also fail on an unresolved incident of at least this impact
    #[arg(long, value_enum, value_name = "IMPACT")]
    pub fail_on_incident: Option<Impact>,

    /// Judge the window up to --to instead of now: fail when a watched component (every
    /// component when none is named) was at or past --fail-on at any instant of it, from the
    /// pages' own incident history, by the timeline `report` uses (`45m`, `24h`)
    #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
    pub since: Option<Duration>,

    /// Start of the window instead of --since (RFC 3339, or a date)
    #[arg(long, value_name = "TIME", value_parser = parse_moment, conflicts_with = "since")]
    pub from: Option<crate::model::Timestamp>,

    /// End of the window [default: now]; with --since or --from only
    #[arg(long, value_name = "TIME", value_parser = parse_moment)]
    pub to: Option<crate::model::Timestamp>,

    /// What a page that could not be fetched means: pass (ignore it) or fail (exit 1)
    /// [default: neither: exit 3]
    #[arg(long, value_enum, value_name = "POLICY")]
    pub unknown: Option<UnknownPolicy>,

    /// Longest input line accepted; longer lines are reported and skipped
    #[arg(long, default_value = "32MiB", value_name = "SIZE", value_parser = parse_size_usize)]
    pub max_line: usize,
}

/// How reliable were they: incidents, time in each status and availability per provider and
/// component, from the pages' own history.
///
/// Reads snapshot records (from `statusq fetch`, or a saved log of them: the newest copy of each
/// incident counts, and incidents a page no longer lists are still known from older snapshots)
/// and, optionally, event records from `statusq diff`, whose component changes add what statusq
/// saw itself. Writes one report per provider over the window.
///
/// Component timelines come from the status each incident update gave each component, overlaps
/// counted once at the worst status. Availability = 1 − weighted outage minutes ÷ minutes
/// covered, by default a major outage fully, a partial outage at 30%, degraded performance and
/// maintenance not at all (Statuspage's convention). A page lists only its recent incidents: a
/// window older than the oldest one listed is reported as partial coverage ("history covers only
/// since …"), never as a flattering 100%. README: How report counts.
#[derive(Debug, Args)]
#[command(after_long_help = REPORT_EXAMPLES)]
pub struct ReportArgs {
    /// Files of snapshot and event records, one after the other (`-` is stdin) [default: stdin]
    #[arg(value_name = "FILE")]
    pub files: Vec<PathBuf>,

    /// The window: this long before --to (`30d`, `90d`, `1y`)
    #[arg(long, default_value = "30d", value_name = "DURATION", value_parser = parse_duration)]
    pub since: Duration,

    /// Start of the window instead (RFC 3339, or a date: 2026-11-01)
    #[arg(long, value_name = "TIME", value_parser = parse_moment, conflicts_with = "since")]
    pub from: Option<crate::model::Timestamp>,

    /// End of the window (RFC 3339, or a date) [default: now]
    #[arg(long, value_name = "TIME", value_parser = parse_moment)]
    pub to: Option<crate::model::Timestamp>,

    /// Output format
    #[arg(long, short = 'f', value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// How much a minute in each status counts against availability, 0 to 1
    #[arg(
        long,
        value_name = "WEIGHTS",
        default_value = "major=1,partial=0.3,degraded=0,maintenance=0",
        value_parser = crate::model::Weights::parse
    )]
    pub weights: crate::model::Weights,

    /// Write to FILE instead of standard output, atomically (a temp file renamed into place)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// Longest input line accepted; longer lines are reported and skipped
    #[arg(long, default_value = "32MiB", value_name = "SIZE", value_parser = parse_size_usize)]
    pub max_line: usize,
}

/// What `statusq report` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ReportFormat {
    /// A table per provider, for a terminal or cron mail
    Text,
    /// A section and table per provider, for a wiki
    Markdown,
    /// One `report` record per provider (JSON Lines)
    Json,
    /// A row per component
    Csv,
    /// Prometheus text format: availability, seconds per status, incidents (`window` label)
    Prometheus,
    /// A self-contained page: a bar per day per component
    Html,
}

const REPORT_EXAMPLES: &str = "\
Examples:
  statusq fetch github openai | statusq report                  # the last 30 days
  statusq fetch --all | statusq report --since 90d -f html -o vendors.html
  statusq report --from 2026-10-01 --to 2026-11-01 -f csv snapshots.ndjson > october.csv
  statusq report -f json snapshots.ndjson events.ndjson | jq '.components[] | {name, availability}'
  statusq report --weights partial=0.5,degraded=0.1 snapshots.ndjson

Exit status:
  0   the reports were written
  2   usage error, no snapshots in the input, an input file that cannot be opened, or an
      output file that cannot be written
  3   some input lines were invalid and skipped (reported as file:line); the rest was reported";

/// Parses an RFC 3339 time, or a date (midnight UTC).
fn parse_moment(text: &str) -> Result<crate::model::Timestamp, String> {
    let text = text.trim();
    crate::model::Timestamp::parse(text)
        .or_else(|| crate::model::Timestamp::parse(&format!("{text}T00:00:00Z")))
        .ok_or_else(|| format!("{text:?} is not an RFC 3339 time or a YYYY-MM-DD date"))
}

const WATCH_EXAMPLES: &str = "\
Examples:
  statusq watch                                   # the configured providers, or openai
  statusq watch github openai cloudflare --interval 2m --fast 30s
  statusq watch --once github openai              # one cycle, for cron: silent when nothing is new
  statusq watch -f json github | jq .

Exit status:
  0   stopped by SIGINT, SIGTERM or SIGHUP (what was printed is committed), or --once done
  2   usage error, or the state file is unreadable or corrupt
  3   with --once: some providers could not be fetched (their failures are events too)
  75  another statusq holds the state's lock";

/// The all-in-one tracker: poll, keep only what is new, print it.
///
/// fetch --watch, diff and render in one process: polls the providers (every --interval, every
/// --fast while one has an open incident or running maintenance; after failures the wait doubles
/// up to 8 × --interval, never past an hour), and prints each new incident
/// update, resolution, maintenance step and component change exactly once. The state (what was
/// already printed) and the HTTP cache live in the XDG state and cache directories, so a
/// restart never repeats an event. SIGINT, SIGTERM or SIGHUP stop it within a second — requests
/// still out are abandoned, what was printed is committed — and exit 0; a second signal ends it
/// at once. With no providers named, the config file's providers are watched, or `openai` when there
/// are none. On a terminal, a page that cannot be fetched is said on stderr at each failed poll,
/// with when it is tried again; with stdin a terminal too, keys: h the watched pages' history,
/// s the status board now, q quit, ? the keys (the terminal is restored on every way out).
#[derive(Debug, Args)]
#[command(after_long_help = WATCH_EXAMPLES)]
pub struct WatchArgs {
    /// Providers to watch (as for fetch)
    #[arg(value_name = "PROVIDER")]
    pub providers: Vec<String>,

    /// Also every provider with this tag (as for fetch); repeatable
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the
    /// provider id, so N processes given the same list share it without overlap or
    /// coordination
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<crate::providers::Shard>,

    /// Poll every INTERVAL
    #[arg(long, default_value = "60s", value_name = "INTERVAL", value_parser = parse_duration)]
    pub interval: Duration,

    /// One cycle only: fetch, print what is new, commit, exit (for cron)
    #[arg(long)]
    pub once: bool,

    /// Stop once every page has been polled N times (what `statusq demo` plays)
    #[arg(long, value_name = "N", hide = true, conflicts_with = "once")]
    pub polls: Option<u32>,

    /// Only what is new: no start line, no current state, no failure notes on a terminal
    #[arg(long, short = 'q')]
    pub quiet: bool,

    #[command(flatten)]
    pub style: StyleArgs,

    /// The state file [default: $XDG_STATE_HOME/statusq/state.json]
    #[arg(long, env = "STATUSQ_STATE", value_name = "FILE")]
    pub state: Option<PathBuf>,

    /// On first sight of a provider, print its whole visible history instead of a baseline
    #[arg(long)]
    pub replay: bool,

    #[command(flatten)]
    pub ledger: LedgerArgs,

    /// Also deliver each new event to this notify target (`[notify.NAME]` of the config file,
    /// or a webhook URL); repeatable. The state is committed only once every target has the
    /// events spooled in its outbox, so a crash never loses an alert; they are sent on a thread
    /// of their own with `notify`'s defaults, so a slow receiver never holds up polling
    #[arg(long, value_name = "TARGET")]
    pub notify: Vec<String>,

    #[command(flatten)]
    pub http: HttpArgs,

    #[command(flatten)]
    pub poll: PollArgs,
}

/// The default address of `statusq serve`.
/// See statusq watch at work, offline: a real incident's life, in under a minute.
///
/// Plays GitHub's outage of 29 June 2023 (eight updates, investigating to resolved, with the
/// components each update names) and a Claude maintenance (scheduled, in progress, verifying,
/// completed) from real payloads embedded in statusq, served by statusq itself as status pages
/// on 127.0.0.1 and watched by the real `statusq watch`: what it prints is what watch prints
/// for a real vendor. Nothing leaves the machine, nothing is kept (its state and cache are in
/// a temporary directory).
#[derive(Debug, Args)]
#[command(after_long_help = DEMO_EXAMPLES)]
pub struct DemoArgs {
    /// How fast to play: 1 is a poll every 2 seconds (about 20 s in all), 0.5 half as fast
    #[arg(long, default_value_t = 1.0, value_name = "FACTOR", value_parser = parse_speed)]
    pub speed: f64,

    #[command(flatten)]
    pub style: StyleArgs,
}

const DEMO_EXAMPLES: &str = "\
Examples:
  statusq demo                 # the demo at its normal pace
  statusq demo --speed 0.25    # four times slower, to read each step
  statusq demo -f markdown     # the same events as Markdown

Exit status:
  0   played to the end, or stopped by SIGINT, SIGTERM or SIGHUP
  2   usage error, or no temporary directory or loopback port to play on";

fn parse_speed(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(speed) if speed.is_finite() && (0.01..=100.0).contains(&speed) => Ok(speed),
        _ => Err(format!("{text:?} is not a speed from 0.01 to 100")),
    }
}

pub const DEFAULT_LISTEN: &str = "127.0.0.1:9759";

const SERVE_EXAMPLES: &str = "\
Examples:
  statusq serve github openai cloudflare
  statusq serve --all --listen :9759 --interval 2m          # every interface
  curl -s localhost:9759/metrics | grep statusq_up

Endpoints:
  GET /metrics   Prometheus text format: the render prometheus output, the report prometheus
                 output over --report-window (availability, window=\"30d\"), exporter metrics
  GET /healthz   200 ok once the first poll finished, 503 before
  GET /          the HTML status board and each provider's reliability, refreshing itself
  GET /events    recent events as JSON Lines
  GET /report    the report records over --report-window, as JSON Lines
  HEAD           any of them: the GET's headers, Content-Length included, without the body

Exit status:
  0   stopped by SIGINT, SIGTERM or SIGHUP (a second one ends it at once)
  2   usage error, the address cannot be bound, or the state directory is corrupt
  75  another statusq serve holds the state directory";

/// A Prometheus exporter and status board: poll in the background, answer from memory.
///
/// Polls the providers like watch (interval, fast, cache) and serves the results over HTTP.
/// Scrapes never trigger a fetch: they answer from memory in milliseconds. Slow or malicious
/// clients cannot stall the poller or other clients: each connection has a deadline to send
/// its request, request heads are capped at 8 KiB, and connections beyond --max-connections
/// are refused. Prints the bound address on standard output when it starts listening.
///
/// Keeps its diff state, recent events and incident history in a state directory, so a restart
/// goes on where it stopped: no fresh baseline, /events and the reliability figures continue.
#[derive(Debug, Args)]
#[command(after_long_help = SERVE_EXAMPLES)]
pub struct ServeArgs {
    /// Providers to serve (as for fetch)
    #[arg(value_name = "PROVIDER")]
    pub providers: Vec<String>,

    /// Also every provider with this tag (as for fetch); repeatable
    #[arg(long = "tag", value_name = "TAG")]
    pub tags: Vec<String>,

    /// Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the
    /// provider id, so N processes given the same list share it without overlap or
    /// coordination
    #[arg(long, value_name = "I/N", value_parser = parse_shard)]
    pub shard: Option<crate::providers::Shard>,

    /// Serve every provider in the catalog and config that this build can read
    #[arg(long)]
    pub all: bool,

    /// Address to listen on: HOST:PORT (`localhost:9759`, `0.0.0.0:9759`) or `:PORT` for every
    /// interface; port 0 picks a free port
    #[arg(long, default_value = DEFAULT_LISTEN, value_name = "ADDR")]
    pub listen: String,

    /// Poll every INTERVAL
    #[arg(long, default_value = "60s", value_name = "INTERVAL", value_parser = parse_duration)]
    pub interval: Duration,

    /// Most client connections served at once; more are refused
    #[arg(long, default_value_t = 512, value_name = "N")]
    pub max_connections: usize,

    #[command(flatten)]
    pub ledger: LedgerArgs,

    /// Title of the HTML board
    #[arg(long, default_value = "statusq", value_name = "TEXT")]
    pub title: String,

    /// Keep the diff state, the recent events and the incident history in DIR, so a restart
    /// goes on where it stopped: no fresh baseline, /events and the reliability figures continue
    /// [default: $XDG_STATE_HOME/statusq/serve/ADDRESS; nothing for a port picked at random]
    #[arg(long, value_name = "DIR", conflicts_with = "no_state")]
    pub state_dir: Option<PathBuf>,

    /// Keep nothing on disk: every start is a fresh baseline
    #[arg(long)]
    pub no_state: bool,

    /// The window of the board's reliability section, /report and the availability metrics
    #[arg(long, default_value = "30d", value_name = "DURATION", value_parser = parse_duration)]
    pub report_window: Duration,

    /// Also publish another exporter's metric names on /metrics (statuspage-exporter: the
    /// statuspage_* families of the Prometheus statuspage exporters, for their dashboards)
    #[arg(long, value_enum, value_name = "EXPORTER")]
    pub metrics_compat: Option<crate::render::prometheus::Compat>,

    /// The most components of one provider given series of their own on /metrics; past it,
    /// only those not operational (statusq_components_omitted counts the rest)
    #[arg(long, default_value_t = crate::render::prometheus::MAX_COMPONENTS, value_name = "N")]
    pub max_components_metrics: usize,

    #[command(flatten)]
    pub http: HttpArgs,

    #[command(flatten)]
    pub poll: PollArgs,
}

/// List the providers statusq knows: the built-in catalog and the config file.
///
/// Writes one `provider` record per line, or a table when standard output is a terminal.
/// Providers whose format this build cannot read yet are listed with "supported":false.
///
/// With --detect URL, probes the page (Statuspage/incident.io JSON, Instatus, Better Stack,
/// the history feed, common feed paths, then the URL itself) and prints the TOML entry for the
/// config file that reads it, ready to append (`>> config.toml`): an id with dots is a quoted
/// key, and a page the config already has prints nothing (a note on stderr).
#[derive(Debug, Args)]
#[command(after_long_help = PROVIDERS_EXAMPLES)]
pub struct ProvidersArgs {
    /// Show only providers one of these words finds in the id, the name or the page's host
    /// (case-insensitive), best match first: the id or name itself, then one starting with
    /// the word, then the host, then the word anywhere
    #[arg(value_name = "WORD")]
    pub filter: Vec<String>,

    /// Show only providers of this format (statuspage, incidentio, …)
    #[arg(long, value_name = "FORMAT")]
    pub format: Option<String>,

    /// Show only providers this build can fetch
    #[arg(long)]
    pub supported: bool,

    /// List the tags (`ai`, `cloud`, …) with how many providers have each, for `--tag`
    #[arg(long, conflicts_with_all = ["detect", "filter"])]
    pub tags: bool,

    /// Write JSON Lines even when standard output is a terminal
    #[arg(long)]
    pub json: bool,

    /// Probe URL for its status page format and print the config entry that reads it, named
    /// after the page's own name (and a slug of it for the id, when that id is free)
    #[arg(long, value_name = "URL", conflicts_with_all = ["filter", "format", "supported", "json"])]
    pub detect: Option<String>,

    /// Deadline of all the probes of --detect together
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = parse_timeout)]
    pub timeout: Duration,
}

const PROVIDERS_EXAMPLES: &str = "\
Examples:
  statusq providers                               # the catalog and the config, as a table
  statusq providers github openai                 # ids or names containing these words
  statusq providers --format incidentio --json | jq -r .id
  statusq providers --detect https://status.example.com >> ~/.config/statusq/config.toml

Exit status:
  0   listed (or --detect printed an entry, or found the page already configured)
  1   no provider matches the words given (the nearest ids are suggested on stderr)
  2   usage error, unreadable config, or --detect found no format it reads";

const NOTIFY_EXAMPLES: &str = "\
Examples:
  statusq fetch github openai | statusq diff | statusq notify ops pager
  statusq notify https://hooks.slack.com/services/T000/B000/XXXX --input events.ndjson
  statusq notify                    # retry what waits in every target's outbox
  statusq notify --dead-letters | jq -r '.why'
  statusq notify ops --retry-dead   # send ops's dead letters again, after fixing the cause
  statusq diff --replay --state /tmp/x.json saved.ndjson | statusq notify ops --dry-run

Config (in the config file; secrets from the environment):
  [notify.ops]
  url_env = \"SLACK_WEBHOOK_URL\"    # the kind is told by the host (or kind = \"…\": slack,
                                    # discord, teams, googlechat, mattermost, pagerduty,
                                    # opsgenie, ntfy, webhook)
  providers = [\"github\", \"openai\"]
  events = [\"incident.*\", \"component.changed\"]
  min_impact = \"major\"
  hold = \"10m\"

  [notify.pager]
  kind = \"pagerduty\"
  secret_env = \"PAGERDUTY_ROUTING_KEY\"

  [notify.incidents]                # a Slack bot: one thread per incident
  kind = \"slack\"
  token_env = \"SLACK_BOT_TOKEN\"
  channel = \"C0123456789\"

  [notify.genie]
  kind = \"opsgenie\"               # region = \"eu\" for api.eu.opsgenie.com
  secret_env = \"OPSGENIE_API_KEY\"

Exit status:
  0   everything due was delivered (changes held by `hold` wait without failing)
  2   usage or config error, or a target refused statusq (401, 403, 404: a wrong URL or key)
      or lacks a secret in the environment: its events are kept in its outbox
  3   a service did not take everything due (down, slow, throttled, or asking to wait past
      --max-time): kept in its outbox and sent first, in order, by the next run; or a
      message was refused for its content (400, 413, 422) and set aside as a dead letter
  75  another statusq notify held a target's outbox for --wait: its events are queued there";

/// Deliver events to Slack, Discord, Teams, Google Chat, Mattermost, PagerDuty, Opsgenie, ntfy
/// or webhooks, each once; one thread per incident on a Slack bot, Discord and Google Chat.
///
/// Reads events (stdin, or --input files) and delivers each to the targets that want it —
/// `[notify.NAME]` tables of the config file, or webhook URLs (the kind is told by the host) —
/// as they come: whenever the input pauses, and at its end.
/// Every event a target wants is first written to that target's outbox in the state directory
/// — every target's, before anything is sent to any — then sent in order; it leaves the
/// outbox only once the service accepted it, and the target remembers its id, so feeding the
/// same events again sends nothing and a crash or an outage loses nothing. A named target's
/// outbox is its name's; a URL's is its kind and whole URL, hashed. A service that is down,
/// slow or throttling (timeouts, 408, 429 with Retry-After, 5xx) is retried within
/// --max-time, and what it did not take waits for the next run. A message refused for its
/// content (400, 413, 422) is set aside as a dead letter, said once, and the target goes on;
/// any other 4xx stops the target as a configuration error. URLs and secrets (bot tokens,
/// GenieKeys, routing keys) appear in no message, error or dry run. A Slack bot (`token_env`,
/// `channel`), Discord with `thread = true` and Google Chat keep one thread per incident and
/// per maintenance, its root kept with the outbox so a restart continues it. --dry-run prints
/// the requests instead, and changes nothing. With no input piped in (a terminal), it only
/// retries the outboxes.
#[derive(Debug, Args)]
#[command(after_long_help = NOTIFY_EXAMPLES)]
pub struct NotifyArgs {
    /// Targets: names of `[notify.NAME]` in the config file, or webhook URLs
    /// [default: every target the config file names]
    #[arg(value_name = "TARGET")]
    pub targets: Vec<String>,

    /// Read events from FILE instead of stdin (repeatable; `-` is stdin)
    #[arg(long, short = 'i', value_name = "FILE")]
    pub input: Vec<PathBuf>,

    #[command(flatten)]
    pub delivery: DeliveryArgs,

    /// Longest input line accepted; longer lines are reported and skipped
    #[arg(long, default_value = "32MiB", value_name = "SIZE", value_parser = parse_size_usize)]
    pub max_line: usize,

    /// Print the targets' dead letters — messages a service refused for their content — as
    /// `dead_letter` records, and deliver nothing (no TARGET: every outbox's)
    #[arg(long, conflicts_with_all = ["retry_dead", "input"])]
    pub dead_letters: bool,

    /// Put the targets' dead letters back at the head of their outboxes and send them again
    #[arg(long)]
    pub retry_dead: bool,

    /// Print each request it would make, one `dry_run` JSON line each (target, kind, URL as
    /// scheme://host/…, headers, body, events, thread), and change nothing: no outbox, no
    /// delivered log, no request. Routes and holds apply as they would now, to the whole
    /// input (read to its end)
    #[arg(long, conflicts_with_all = ["dead_letters", "retry_dead"])]
    pub dry_run: bool,
}

/// How notify targets are delivered to: `notify`'s flags, and what `watch --notify` uses
/// (their defaults, through [`DeliveryArgs::defaults`]), so the two never disagree.
#[derive(Debug, Args)]
pub struct DeliveryArgs {
    /// Deadline of one request
    #[arg(long, default_value = "10s", value_name = "DURATION", value_parser = parse_timeout)]
    pub timeout: Duration,

    /// Retries of a request that timed out, could not connect, or got 408, 429 or 5xx
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub retries: u32,

    /// The longest a run spends delivering (Retry-After waits included); what is left waits
    /// in the outbox for the next run
    #[arg(long, default_value = "60s", value_name = "DURATION", value_parser = parse_duration)]
    pub max_time: Duration,

    /// How long to wait for another `statusq notify` using the same target
    #[arg(long, default_value = "5m", value_name = "DURATION", value_parser = parse_duration)]
    pub wait: Duration,

    /// Where the outboxes live [default: $XDG_STATE_HOME/statusq/notify]
    #[arg(long, env = "STATUSQ_OUTBOX", value_name = "DIR")]
    pub outbox: Option<PathBuf>,

    /// Forget the ids of delivered events after this long
    #[arg(long, default_value = "30d", value_name = "DURATION", value_parser = parse_duration)]
    pub forget_after: Duration,
}

/// Parses nothing but [`DeliveryArgs`], for its defaults.
#[derive(Parser)]
struct DeliveryDefaults {
    #[command(flatten)]
    delivery: DeliveryArgs,
}

impl DeliveryArgs {
    /// The flags' defaults, exactly as `statusq notify` would take them.
    pub fn defaults() -> DeliveryArgs {
        DeliveryDefaults::parse_from(["statusq"]).delivery
    }
}

#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// Directory to write `man/` and `completions/` into
    #[arg(default_value = ".", value_name = "DIR")]
    pub dir: PathBuf,
}

/// The longest duration any flag takes: longer ones are mistakes, and would overflow the clock
/// arithmetic of deadlines.
const MAX_DURATION: Duration = Duration::from_secs(10 * 366 * 24 * 3600);

fn parse_shard(text: &str) -> Result<crate::providers::Shard, String> {
    crate::providers::Shard::parse(text)
}

/// Parses `10s`, `1500ms`, `2m`, or a bare number of seconds, up to ten years.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let duration = match text.parse::<f64>() {
        Ok(seconds) => Duration::try_from_secs_f64(seconds)
            .map_err(|_| format!("{text:?} is not a usable number of seconds"))?,
        Err(_) => {
            humantime::parse_duration(text).map_err(|e| format!("{e} (try 10s, 1500ms, 2m)"))?
        }
    };
    if duration > MAX_DURATION {
        return Err(format!("{text:?} is longer than ten years"));
    }
    Ok(duration)
}

/// A deadline: a duration that is not zero (a zero deadline fails every request).
fn parse_timeout(text: &str) -> Result<Duration, String> {
    let duration = parse_duration(text)?;
    if duration.is_zero() {
        return Err(format!(
            "{:?} would fail every request: a timeout must be above zero",
            text.trim()
        ));
    }
    Ok(duration)
}

fn parse_size_usize(text: &str) -> Result<usize, String> {
    parse_size(text).and_then(|n| usize::try_from(n).map_err(|_| format!("{text:?} is too large")))
}

/// Parses a byte size: `8388608`, `500k`, `8M`, `8MiB`, `1g` (k/M/G are powers of 1024).
pub fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits_end = text
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(digits_end);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text:?} is not a size (try 8MiB, 500k, 1048576)"))?;
    let multiplier: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1 << 10,
        "m" | "mb" | "mib" => 1 << 20,
        "g" | "gb" | "gib" => 1 << 30,
        _ => return Err(format!("{text:?}: unknown unit {unit:?} (use k, M or G)")),
    };
    number
        .checked_mul(multiplier)
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("{text:?} is not a usable size"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_clap_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn durations_and_sizes_parse() {
        assert_eq!(
            parse_duration("1500ms").unwrap(),
            Duration::from_millis(1500)
        );
        assert_eq!(parse_duration("2").unwrap(), Duration::from_secs(2));
        assert!(parse_duration("soon").is_err());
        for absurd in ["1e30", "-1", "NaN", "inf", "1e15", "400years"] {
            assert!(parse_duration(absurd).is_err(), "{absurd}");
        }
        assert_eq!(parse_size("8MiB").unwrap(), 8 << 20);
        assert_eq!(parse_size("500k").unwrap(), 500 << 10);
        assert_eq!(parse_size("123").unwrap(), 123);
        assert!(parse_size("8 parsecs").is_err());
        assert!(parse_size("0").is_err());
    }
}
