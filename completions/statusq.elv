
use builtin;
use str;

set edit:completion:arg-completer[statusq] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'statusq'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'statusq'= {
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand fetch 'Fetch status pages and write one `snapshot` record per provider'
            cand diff 'Write only what is new since the last run, as `event` records'
            cand render 'Turn events and snapshots into text for people and programs'
            cand check 'Gate CI on vendor health: exit 1 when a watched component is at or past a level'
            cand watch 'The all-in-one tracker: poll, keep only what is new, print it'
            cand serve 'A Prometheus exporter and status board: poll in the background, answer from memory'
            cand providers 'List the providers statusq knows: the built-in catalog and the config file'
            cand notify 'Deliver events to Slack, Discord, Teams, Google Chat, Mattermost, PagerDuty, Opsgenie, ntfy or webhooks, each once; one thread per incident on a Slack bot, Discord and Google Chat'
            cand report 'How reliable were they: incidents, time in each status and availability per provider and component, from the pages'' own history'
            cand demo 'The default address of `statusq serve`. See statusq watch at work, offline: a real incident''s life, in under a minute'
            cand generate 'Write the man pages and shell completions (for packagers and the repository itself)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'statusq;fetch'= {
            cand --tag 'Also every provider with this tag (`ai`, `cloud`, `payments`, `comms`, `data`, `ci`, `devtools`; `statusq providers --tags` lists them); repeatable'
            cand --shard 'Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the provider id, so N processes given the same list share it without overlap or coordination'
            cand -j 'Most HTTP requests in flight at once'
            cand --concurrency 'Most HTTP requests in flight at once'
            cand --timeout 'Overall deadline of one HTTP request, body included (e.g. 10s, 1500ms)'
            cand --retries 'Retries of a request after a timeout or an HTTP 408, 429 or 5xx answer'
            cand --max-retry-after 'Longest Retry-After wait (seconds, or an HTTP date) honoured before retrying; a server asking for longer fails the provider at once'
            cand --max-body 'Largest response body accepted, counted after decompression (e.g. 8MiB, 500k)'
            cand --watch 'Poll forever, every INTERVAL (e.g. 60s, 5m), writing each provider''s snapshot as it comes, until SIGINT, SIGTERM, SIGHUP or a closed output'
            cand --fast 'While a provider has an unresolved incident or a running maintenance, poll it every INTERVAL instead (with --watch, watch, serve)'
            cand --cache 'Keep ETag/Last-Modified and the last body of every URL in DIR, so an unchanged page costs one 304 [default for watch, serve and fetch --watch: $XDG_CACHE_HOME/statusq]'
            cand --refetch-every 'Fetch a URL unconditionally at least every N polls (some servers never change their validators); a page answering in another format is looked for at its base URL at most once per N such failures'
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand --all 'Fetch every provider in the catalog and config that this build can read'
            cand --no-cache 'Make no conditional requests and keep no cache'
            cand --allow-short-intervals 'Accept an interval under 10 s and a --fast under 1 s (for tests against a local server; against a real status page they only hammer the vendor)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'statusq;diff'= {
            cand --state 'The state file [default: $XDG_STATE_HOME/statusq/state.json]'
            cand --fail-after 'Failed fetches in a row before `provider.failed` is emitted'
            cand --forget-after 'Forget incidents, maintenances, components and providers upstream has not shown for this long, so the state stays bounded (e.g. 30d, 12h)'
            cand --remind 'Remind of a scheduled maintenance when its start is this close, once per lead time (`24h,1h`): a `maintenance.reminder` event, never for one already started or completed'
            cand --max-line 'Longest input line accepted; longer lines are reported and skipped'
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand --replay 'On first sight of a provider, emit its whole visible history instead of a baseline'
            cand --exit-code 'Exit with status 1 when at least one event was written (like `git diff --exit-code`)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'statusq;render'= {
            cand -f 'Output format (watch prints text, markdown or json)'
            cand --format 'Output format (watch prints text, markdown or json)'
            cand --color 'Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --width 'Wrap text at this many columns, at spaces only (a URL or a name is never cut) [default: the terminal''s width, else $COLUMNS, else 80]'
            cand -o 'Write to FILE instead of standard output, atomically (a temp file renamed into place, mode 0644): safe for node_exporter''s textfile collector and web servers'
            cand --output 'Write to FILE instead of standard output, atomically (a temp file renamed into place, mode 0644): safe for node_exporter''s textfile collector and web servers'
            cand --title 'Title of the HTML page and the Atom feed'
            cand --feed-id 'Id of the Atom feed (distinct feeds need distinct ids)'
            cand --to 'Recipient of the email (repeat for more); required with --format email'
            cand --from 'Sender of the email [default: left to sendmail]'
            cand --max-line 'Longest input line accepted; longer lines are reported and skipped'
            cand --max-entries 'Atom: the most entries the feed holds, the newest'
            cand --self-url 'Atom: the URL the feed is published at, for its rel="self" link'
            cand --compat 'Prometheus: also publish another exporter''s metric names (statuspage-exporter: the statuspage_* families of the Prometheus statuspage exporters)'
            cand --max-components-metrics 'Prometheus: the most components of one provider given series of their own; past it, only those not operational (statusq_components_omitted counts the rest)'
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand --local 'Show times in the local time zone instead of UTC'
            cand --pretty 'Pretty-print JSON (one record over several lines)'
            cand --history 'Snapshots as their whole history, not a board line: every incident and maintenance the page still lists, each with all its updates, newest first (text; no state is touched)'
            cand --html 'Add an HTML version to the email'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'statusq;check'= {
            cand -c 'Judge only these components: a glob on the name or `Group/Name` (repeatable)'
            cand --component 'Judge only these components: a glob on the name or `Group/Name` (repeatable)'
            cand --fail-on 'The level at which to fail'
            cand --maintenance-within 'Also fail when a maintenance touching a watched component (any, when none is named) is in progress or starts within DURATION: a deploy freeze (`2h`)'
            cand --wait 'Keep reading snapshots (`statusq fetch --watch 30s github | statusq check --wait 30m`) and exit 0 as soon as every page read passes as check judges it (--unknown and --maintenance-within too), 1 when DURATION passes first (saying what is still broken), 3 when the input ends before either'
            cand --fail-on-incident 'Also fail on an unresolved incident of at least this impact'
            cand --since 'Judge the window up to --to instead of now: fail when a watched component (every component when none is named) was at or past --fail-on at any instant of it, from the pages'' own incident history, by the timeline `report` uses (`45m`, `24h`)'
            cand --from 'Start of the window instead of --since (RFC 3339, or a date)'
            cand --to 'End of the window [default: now]; with --since or --from only'
            cand --unknown 'What a page that could not be fetched means: pass (ignore it) or fail (exit 1) [default: neither: exit 3]'
            cand --max-line 'Longest input line accepted; longer lines are reported and skipped'
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand --include-maintenance 'Also fail when a watched component (or the page) is under maintenance'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'statusq;watch'= {
            cand --tag 'Also every provider with this tag (as for fetch); repeatable'
            cand --shard 'Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the provider id, so N processes given the same list share it without overlap or coordination'
            cand --interval 'Poll every INTERVAL'
            cand --polls 'Stop once every page has been polled N times (what `statusq demo` plays)'
            cand -f 'Output format (watch prints text, markdown or json)'
            cand --format 'Output format (watch prints text, markdown or json)'
            cand --color 'Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --state 'The state file [default: $XDG_STATE_HOME/statusq/state.json]'
            cand --fail-after 'Failed fetches in a row before `provider.failed` is emitted'
            cand --forget-after 'Forget incidents, maintenances, components and providers upstream has not shown for this long, so the state stays bounded (e.g. 30d, 12h)'
            cand --remind 'Remind of a scheduled maintenance when its start is this close, once per lead time (`24h,1h`): a `maintenance.reminder` event, never for one already started or completed'
            cand --notify 'Also deliver each new event to this notify target (`[notify.NAME]` of the config file, or a webhook URL); repeatable. The state is committed only once every target has the events spooled in its outbox, so a crash never loses an alert; they are sent on a thread of their own with `notify`''s defaults, so a slow receiver never holds up polling'
            cand -j 'Most HTTP requests in flight at once'
            cand --concurrency 'Most HTTP requests in flight at once'
            cand --timeout 'Overall deadline of one HTTP request, body included (e.g. 10s, 1500ms)'
            cand --retries 'Retries of a request after a timeout or an HTTP 408, 429 or 5xx answer'
            cand --max-retry-after 'Longest Retry-After wait (seconds, or an HTTP date) honoured before retrying; a server asking for longer fails the provider at once'
            cand --max-body 'Largest response body accepted, counted after decompression (e.g. 8MiB, 500k)'
            cand --fast 'While a provider has an unresolved incident or a running maintenance, poll it every INTERVAL instead (with --watch, watch, serve)'
            cand --cache 'Keep ETag/Last-Modified and the last body of every URL in DIR, so an unchanged page costs one 304 [default for watch, serve and fetch --watch: $XDG_CACHE_HOME/statusq]'
            cand --refetch-every 'Fetch a URL unconditionally at least every N polls (some servers never change their validators); a page answering in another format is looked for at its base URL at most once per N such failures'
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand --once 'One cycle only: fetch, print what is new, commit, exit (for cron)'
            cand -q 'Only what is new: no start line, no current state, no failure notes on a terminal'
            cand --quiet 'Only what is new: no start line, no current state, no failure notes on a terminal'
            cand --local 'Show times in the local time zone instead of UTC'
            cand --replay 'On first sight of a provider, print its whole visible history instead of a baseline'
            cand --no-cache 'Make no conditional requests and keep no cache'
            cand --allow-short-intervals 'Accept an interval under 10 s and a --fast under 1 s (for tests against a local server; against a real status page they only hammer the vendor)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'statusq;serve'= {
            cand --tag 'Also every provider with this tag (as for fetch); repeatable'
            cand --shard 'Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the provider id, so N processes given the same list share it without overlap or coordination'
            cand --listen 'Address to listen on: HOST:PORT (`localhost:9759`, `0.0.0.0:9759`) or `:PORT` for every interface; port 0 picks a free port'
            cand --interval 'Poll every INTERVAL'
            cand --max-connections 'Most client connections served at once; more are refused'
            cand --fail-after 'Failed fetches in a row before `provider.failed` is emitted'
            cand --forget-after 'Forget incidents, maintenances, components and providers upstream has not shown for this long, so the state stays bounded (e.g. 30d, 12h)'
            cand --remind 'Remind of a scheduled maintenance when its start is this close, once per lead time (`24h,1h`): a `maintenance.reminder` event, never for one already started or completed'
            cand --title 'Title of the HTML board'
            cand --state-dir 'Keep the diff state, the recent events and the incident history in DIR, so a restart goes on where it stopped: no fresh baseline, /events and the reliability figures continue [default: $XDG_STATE_HOME/statusq/serve/ADDRESS; nothing for a port picked at random]'
            cand --report-window 'The window of the board''s reliability section, /report and the availability metrics'
            cand --metrics-compat 'Also publish another exporter''s metric names on /metrics (statuspage-exporter: the statuspage_* families of the Prometheus statuspage exporters, for their dashboards)'
            cand --max-components-metrics 'The most components of one provider given series of their own on /metrics; past it, only those not operational (statusq_components_omitted counts the rest)'
            cand -j 'Most HTTP requests in flight at once'
            cand --concurrency 'Most HTTP requests in flight at once'
            cand --timeout 'Overall deadline of one HTTP request, body included (e.g. 10s, 1500ms)'
            cand --retries 'Retries of a request after a timeout or an HTTP 408, 429 or 5xx answer'
            cand --max-retry-after 'Longest Retry-After wait (seconds, or an HTTP date) honoured before retrying; a server asking for longer fails the provider at once'
            cand --max-body 'Largest response body accepted, counted after decompression (e.g. 8MiB, 500k)'
            cand --fast 'While a provider has an unresolved incident or a running maintenance, poll it every INTERVAL instead (with --watch, watch, serve)'
            cand --cache 'Keep ETag/Last-Modified and the last body of every URL in DIR, so an unchanged page costs one 304 [default for watch, serve and fetch --watch: $XDG_CACHE_HOME/statusq]'
            cand --refetch-every 'Fetch a URL unconditionally at least every N polls (some servers never change their validators); a page answering in another format is looked for at its base URL at most once per N such failures'
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand --all 'Serve every provider in the catalog and config that this build can read'
            cand --no-state 'Keep nothing on disk: every start is a fresh baseline'
            cand --no-cache 'Make no conditional requests and keep no cache'
            cand --allow-short-intervals 'Accept an interval under 10 s and a --fast under 1 s (for tests against a local server; against a real status page they only hammer the vendor)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'statusq;providers'= {
            cand --format 'Show only providers of this format (statuspage, incidentio, …)'
            cand --detect 'Probe URL for its status page format and print the config entry that reads it, named after the page''s own name (and a slug of it for the id, when that id is free)'
            cand --timeout 'Deadline of all the probes of --detect together'
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand --supported 'Show only providers this build can fetch'
            cand --tags 'List the tags (`ai`, `cloud`, …) with how many providers have each, for `--tag`'
            cand --json 'Write JSON Lines even when standard output is a terminal'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'statusq;notify'= {
            cand -i 'Read events from FILE instead of stdin (repeatable; `-` is stdin)'
            cand --input 'Read events from FILE instead of stdin (repeatable; `-` is stdin)'
            cand --timeout 'Deadline of one request'
            cand --retries 'Retries of a request that timed out, could not connect, or got 408, 429 or 5xx'
            cand --max-time 'The longest a run spends delivering (Retry-After waits included); what is left waits in the outbox for the next run'
            cand --wait 'How long to wait for another `statusq notify` using the same target'
            cand --outbox 'Where the outboxes live [default: $XDG_STATE_HOME/statusq/notify]'
            cand --forget-after 'Forget the ids of delivered events after this long'
            cand --max-line 'Longest input line accepted; longer lines are reported and skipped'
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand --dead-letters 'Print the targets'' dead letters — messages a service refused for their content — as `dead_letter` records, and deliver nothing (no TARGET: every outbox''s)'
            cand --retry-dead 'Put the targets'' dead letters back at the head of their outboxes and send them again'
            cand --dry-run 'Print each request it would make, one `dry_run` JSON line each (target, kind, URL as scheme://host/…, headers, body, events, thread), and change nothing: no outbox, no delivered log, no request. Routes and holds apply as they would now, to the whole input (read to its end)'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'statusq;report'= {
            cand --since 'The window: this long before --to (`30d`, `90d`, `1y`)'
            cand --from 'Start of the window instead (RFC 3339, or a date: 2026-11-01)'
            cand --to 'End of the window (RFC 3339, or a date) [default: now]'
            cand -f 'Output format'
            cand --format 'Output format'
            cand --weights 'How much a minute in each status counts against availability, 0 to 1'
            cand -o 'Write to FILE instead of standard output, atomically (a temp file renamed into place)'
            cand --output 'Write to FILE instead of standard output, atomically (a temp file renamed into place)'
            cand --max-line 'Longest input line accepted; longer lines are reported and skipped'
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'statusq;demo'= {
            cand --speed 'How fast to play: 1 is a poll every 2 seconds (about 20 s in all), 0.5 half as fast'
            cand -f 'Output format (watch prints text, markdown or json)'
            cand --format 'Output format (watch prints text, markdown or json)'
            cand --color 'Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never'
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand --local 'Show times in the local time zone instead of UTC'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'statusq;generate'= {
            cand --config 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]'
            cand -h 'Print help'
            cand --help 'Print help'
        }
        &'statusq;help'= {
            cand fetch 'Fetch status pages and write one `snapshot` record per provider'
            cand diff 'Write only what is new since the last run, as `event` records'
            cand render 'Turn events and snapshots into text for people and programs'
            cand check 'Gate CI on vendor health: exit 1 when a watched component is at or past a level'
            cand watch 'The all-in-one tracker: poll, keep only what is new, print it'
            cand serve 'A Prometheus exporter and status board: poll in the background, answer from memory'
            cand providers 'List the providers statusq knows: the built-in catalog and the config file'
            cand notify 'Deliver events to Slack, Discord, Teams, Google Chat, Mattermost, PagerDuty, Opsgenie, ntfy or webhooks, each once; one thread per incident on a Slack bot, Discord and Google Chat'
            cand report 'How reliable were they: incidents, time in each status and availability per provider and component, from the pages'' own history'
            cand demo 'The default address of `statusq serve`. See statusq watch at work, offline: a real incident''s life, in under a minute'
            cand generate 'Write the man pages and shell completions (for packagers and the repository itself)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'statusq;help;fetch'= {
        }
        &'statusq;help;diff'= {
        }
        &'statusq;help;render'= {
        }
        &'statusq;help;check'= {
        }
        &'statusq;help;watch'= {
        }
        &'statusq;help;serve'= {
        }
        &'statusq;help;providers'= {
        }
        &'statusq;help;notify'= {
        }
        &'statusq;help;report'= {
        }
        &'statusq;help;demo'= {
        }
        &'statusq;help;generate'= {
        }
        &'statusq;help;help'= {
        }
    ]
    $completions[$command]
}
