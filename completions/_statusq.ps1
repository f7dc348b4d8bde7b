
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'statusq' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'statusq'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'statusq' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Fetch status pages and write one `snapshot` record per provider')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Write only what is new since the last run, as `event` records')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Turn events and snapshots into text for people and programs')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Gate CI on vendor health: exit 1 when a watched component is at or past a level')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'The all-in-one tracker: poll, keep only what is new, print it')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'A Prometheus exporter and status board: poll in the background, answer from memory')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List the providers statusq knows: the built-in catalog and the config file')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Deliver events to Slack, Discord, Teams, Google Chat, Mattermost, PagerDuty, Opsgenie, ntfy or webhooks, each once; one thread per incident on a Slack bot, Discord and Google Chat')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'How reliable were they: incidents, time in each status and availability per provider and component, from the pages'' own history')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'The default address of `statusq serve`. See statusq watch at work, offline: a real incident''s life, in under a minute')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write the man pages and shell completions (for packagers and the repository itself)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'statusq;fetch' {
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Also every provider with this tag (`ai`, `cloud`, `payments`, `comms`, `data`, `ci`, `devtools`; `statusq providers --tags` lists them); repeatable')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the provider id, so N processes given the same list share it without overlap or coordination')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Most HTTP requests in flight at once')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Most HTTP requests in flight at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline of one HTTP request, body included (e.g. 10s, 1500ms)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a request after a timeout or an HTTP 408, 429 or 5xx answer')
            [CompletionResult]::new('--max-retry-after', '--max-retry-after', [CompletionResultType]::ParameterName, 'Longest Retry-After wait (seconds, or an HTTP date) honoured before retrying; a server asking for longer fails the provider at once')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest response body accepted, counted after decompression (e.g. 8MiB, 500k)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Poll forever, every INTERVAL (e.g. 60s, 5m), writing each provider''s snapshot as it comes, until SIGINT, SIGTERM, SIGHUP or a closed output')
            [CompletionResult]::new('--fast', '--fast', [CompletionResultType]::ParameterName, 'While a provider has an unresolved incident or a running maintenance, poll it every INTERVAL instead (with --watch, watch, serve)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Keep ETag/Last-Modified and the last body of every URL in DIR, so an unchanged page costs one 304 [default for watch, serve and fetch --watch: $XDG_CACHE_HOME/statusq]')
            [CompletionResult]::new('--refetch-every', '--refetch-every', [CompletionResultType]::ParameterName, 'Fetch a URL unconditionally at least every N polls (some servers never change their validators); a page answering in another format is looked for at its base URL at most once per N such failures')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Fetch every provider in the catalog and config that this build can read')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Make no conditional requests and keep no cache')
            [CompletionResult]::new('--allow-short-intervals', '--allow-short-intervals', [CompletionResultType]::ParameterName, 'Accept an interval under 10 s and a --fast under 1 s (for tests against a local server; against a real status page they only hammer the vendor)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'statusq;diff' {
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'The state file [default: $XDG_STATE_HOME/statusq/state.json]')
            [CompletionResult]::new('--fail-after', '--fail-after', [CompletionResultType]::ParameterName, 'Failed fetches in a row before `provider.failed` is emitted')
            [CompletionResult]::new('--forget-after', '--forget-after', [CompletionResultType]::ParameterName, 'Forget incidents, maintenances, components and providers upstream has not shown for this long, so the state stays bounded (e.g. 30d, 12h)')
            [CompletionResult]::new('--remind', '--remind', [CompletionResultType]::ParameterName, 'Remind of a scheduled maintenance when its start is this close, once per lead time (`24h,1h`): a `maintenance.reminder` event, never for one already started or completed')
            [CompletionResult]::new('--max-line', '--max-line', [CompletionResultType]::ParameterName, 'Longest input line accepted; longer lines are reported and skipped')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'On first sight of a provider, emit its whole visible history instead of a baseline')
            [CompletionResult]::new('--exit-code', '--exit-code', [CompletionResultType]::ParameterName, 'Exit with status 1 when at least one event was written (like `git diff --exit-code`)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'statusq;render' {
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format (watch prints text, markdown or json)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (watch prints text, markdown or json)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--width', '--width', [CompletionResultType]::ParameterName, 'Wrap text at this many columns, at spaces only (a URL or a name is never cut) [default: the terminal''s width, else $COLUMNS, else 80]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of standard output, atomically (a temp file renamed into place, mode 0644): safe for node_exporter''s textfile collector and web servers')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of standard output, atomically (a temp file renamed into place, mode 0644): safe for node_exporter''s textfile collector and web servers')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'Title of the HTML page and the Atom feed')
            [CompletionResult]::new('--feed-id', '--feed-id', [CompletionResultType]::ParameterName, 'Id of the Atom feed (distinct feeds need distinct ids)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'Recipient of the email (repeat for more); required with --format email')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Sender of the email [default: left to sendmail]')
            [CompletionResult]::new('--max-line', '--max-line', [CompletionResultType]::ParameterName, 'Longest input line accepted; longer lines are reported and skipped')
            [CompletionResult]::new('--max-entries', '--max-entries', [CompletionResultType]::ParameterName, 'Atom: the most entries the feed holds, the newest')
            [CompletionResult]::new('--self-url', '--self-url', [CompletionResultType]::ParameterName, 'Atom: the URL the feed is published at, for its rel="self" link')
            [CompletionResult]::new('--compat', '--compat', [CompletionResultType]::ParameterName, 'Prometheus: also publish another exporter''s metric names (statuspage-exporter: the statuspage_* families of the Prometheus statuspage exporters)')
            [CompletionResult]::new('--max-components-metrics', '--max-components-metrics', [CompletionResultType]::ParameterName, 'Prometheus: the most components of one provider given series of their own; past it, only those not operational (statusq_components_omitted counts the rest)')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone instead of UTC')
            [CompletionResult]::new('--pretty', '--pretty', [CompletionResultType]::ParameterName, 'Pretty-print JSON (one record over several lines)')
            [CompletionResult]::new('--history', '--history', [CompletionResultType]::ParameterName, 'Snapshots as their whole history, not a board line: every incident and maintenance the page still lists, each with all its updates, newest first (text; no state is touched)')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Add an HTML version to the email')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'statusq;check' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'Judge only these components: a glob on the name or `Group/Name` (repeatable)')
            [CompletionResult]::new('--component', '--component', [CompletionResultType]::ParameterName, 'Judge only these components: a glob on the name or `Group/Name` (repeatable)')
            [CompletionResult]::new('--fail-on', '--fail-on', [CompletionResultType]::ParameterName, 'The level at which to fail')
            [CompletionResult]::new('--maintenance-within', '--maintenance-within', [CompletionResultType]::ParameterName, 'Also fail when a maintenance touching a watched component (any, when none is named) is in progress or starts within DURATION: a deploy freeze (`2h`)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Keep reading snapshots (`statusq fetch --watch 30s github | statusq check --wait 30m`) and exit 0 as soon as every page read passes as check judges it (--unknown and --maintenance-within too), 1 when DURATION passes first (saying what is still broken), 3 when the input ends before either')
            [CompletionResult]::new('--fail-on-incident', '--fail-on-incident', [CompletionResultType]::ParameterName, 'Also fail on an unresolved incident of at least this impact')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Judge the window up to --to instead of now: fail when a watched component (every component when none is named) was at or past --fail-on at any instant of it, from the pages'' own incident history, by the timeline `report` uses (`45m`, `24h`)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Start of the window instead of --since (RFC 3339, or a date)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'End of the window [default: now]; with --since or --from only')
            [CompletionResult]::new('--unknown', '--unknown', [CompletionResultType]::ParameterName, 'What a page that could not be fetched means: pass (ignore it) or fail (exit 1) [default: neither: exit 3]')
            [CompletionResult]::new('--max-line', '--max-line', [CompletionResultType]::ParameterName, 'Longest input line accepted; longer lines are reported and skipped')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('--include-maintenance', '--include-maintenance', [CompletionResultType]::ParameterName, 'Also fail when a watched component (or the page) is under maintenance')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'statusq;watch' {
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Also every provider with this tag (as for fetch); repeatable')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the provider id, so N processes given the same list share it without overlap or coordination')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Poll every INTERVAL')
            [CompletionResult]::new('--polls', '--polls', [CompletionResultType]::ParameterName, 'Stop once every page has been polled N times (what `statusq demo` plays)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format (watch prints text, markdown or json)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (watch prints text, markdown or json)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'The state file [default: $XDG_STATE_HOME/statusq/state.json]')
            [CompletionResult]::new('--fail-after', '--fail-after', [CompletionResultType]::ParameterName, 'Failed fetches in a row before `provider.failed` is emitted')
            [CompletionResult]::new('--forget-after', '--forget-after', [CompletionResultType]::ParameterName, 'Forget incidents, maintenances, components and providers upstream has not shown for this long, so the state stays bounded (e.g. 30d, 12h)')
            [CompletionResult]::new('--remind', '--remind', [CompletionResultType]::ParameterName, 'Remind of a scheduled maintenance when its start is this close, once per lead time (`24h,1h`): a `maintenance.reminder` event, never for one already started or completed')
            [CompletionResult]::new('--notify', '--notify', [CompletionResultType]::ParameterName, 'Also deliver each new event to this notify target (`[notify.NAME]` of the config file, or a webhook URL); repeatable. The state is committed only once every target has the events spooled in its outbox, so a crash never loses an alert; they are sent on a thread of their own with `notify`''s defaults, so a slow receiver never holds up polling')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Most HTTP requests in flight at once')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Most HTTP requests in flight at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline of one HTTP request, body included (e.g. 10s, 1500ms)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a request after a timeout or an HTTP 408, 429 or 5xx answer')
            [CompletionResult]::new('--max-retry-after', '--max-retry-after', [CompletionResultType]::ParameterName, 'Longest Retry-After wait (seconds, or an HTTP date) honoured before retrying; a server asking for longer fails the provider at once')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest response body accepted, counted after decompression (e.g. 8MiB, 500k)')
            [CompletionResult]::new('--fast', '--fast', [CompletionResultType]::ParameterName, 'While a provider has an unresolved incident or a running maintenance, poll it every INTERVAL instead (with --watch, watch, serve)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Keep ETag/Last-Modified and the last body of every URL in DIR, so an unchanged page costs one 304 [default for watch, serve and fetch --watch: $XDG_CACHE_HOME/statusq]')
            [CompletionResult]::new('--refetch-every', '--refetch-every', [CompletionResultType]::ParameterName, 'Fetch a URL unconditionally at least every N polls (some servers never change their validators); a page answering in another format is looked for at its base URL at most once per N such failures')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'One cycle only: fetch, print what is new, commit, exit (for cron)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Only what is new: no start line, no current state, no failure notes on a terminal')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Only what is new: no start line, no current state, no failure notes on a terminal')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone instead of UTC')
            [CompletionResult]::new('--replay', '--replay', [CompletionResultType]::ParameterName, 'On first sight of a provider, print its whole visible history instead of a baseline')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Make no conditional requests and keep no cache')
            [CompletionResult]::new('--allow-short-intervals', '--allow-short-intervals', [CompletionResultType]::ParameterName, 'Accept an interval under 10 s and a --fast under 1 s (for tests against a local server; against a real status page they only hammer the vendor)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'statusq;serve' {
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'Also every provider with this tag (as for fetch); repeatable')
            [CompletionResult]::new('--shard', '--shard', [CompletionResultType]::ParameterName, 'Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the provider id, so N processes given the same list share it without overlap or coordination')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on: HOST:PORT (`localhost:9759`, `0.0.0.0:9759`) or `:PORT` for every interface; port 0 picks a free port')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Poll every INTERVAL')
            [CompletionResult]::new('--max-connections', '--max-connections', [CompletionResultType]::ParameterName, 'Most client connections served at once; more are refused')
            [CompletionResult]::new('--fail-after', '--fail-after', [CompletionResultType]::ParameterName, 'Failed fetches in a row before `provider.failed` is emitted')
            [CompletionResult]::new('--forget-after', '--forget-after', [CompletionResultType]::ParameterName, 'Forget incidents, maintenances, components and providers upstream has not shown for this long, so the state stays bounded (e.g. 30d, 12h)')
            [CompletionResult]::new('--remind', '--remind', [CompletionResultType]::ParameterName, 'Remind of a scheduled maintenance when its start is this close, once per lead time (`24h,1h`): a `maintenance.reminder` event, never for one already started or completed')
            [CompletionResult]::new('--title', '--title', [CompletionResultType]::ParameterName, 'Title of the HTML board')
            [CompletionResult]::new('--state-dir', '--state-dir', [CompletionResultType]::ParameterName, 'Keep the diff state, the recent events and the incident history in DIR, so a restart goes on where it stopped: no fresh baseline, /events and the reliability figures continue [default: $XDG_STATE_HOME/statusq/serve/ADDRESS; nothing for a port picked at random]')
            [CompletionResult]::new('--report-window', '--report-window', [CompletionResultType]::ParameterName, 'The window of the board''s reliability section, /report and the availability metrics')
            [CompletionResult]::new('--metrics-compat', '--metrics-compat', [CompletionResultType]::ParameterName, 'Also publish another exporter''s metric names on /metrics (statuspage-exporter: the statuspage_* families of the Prometheus statuspage exporters, for their dashboards)')
            [CompletionResult]::new('--max-components-metrics', '--max-components-metrics', [CompletionResultType]::ParameterName, 'The most components of one provider given series of their own on /metrics; past it, only those not operational (statusq_components_omitted counts the rest)')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Most HTTP requests in flight at once')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'Most HTTP requests in flight at once')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Overall deadline of one HTTP request, body included (e.g. 10s, 1500ms)')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a request after a timeout or an HTTP 408, 429 or 5xx answer')
            [CompletionResult]::new('--max-retry-after', '--max-retry-after', [CompletionResultType]::ParameterName, 'Longest Retry-After wait (seconds, or an HTTP date) honoured before retrying; a server asking for longer fails the provider at once')
            [CompletionResult]::new('--max-body', '--max-body', [CompletionResultType]::ParameterName, 'Largest response body accepted, counted after decompression (e.g. 8MiB, 500k)')
            [CompletionResult]::new('--fast', '--fast', [CompletionResultType]::ParameterName, 'While a provider has an unresolved incident or a running maintenance, poll it every INTERVAL instead (with --watch, watch, serve)')
            [CompletionResult]::new('--cache', '--cache', [CompletionResultType]::ParameterName, 'Keep ETag/Last-Modified and the last body of every URL in DIR, so an unchanged page costs one 304 [default for watch, serve and fetch --watch: $XDG_CACHE_HOME/statusq]')
            [CompletionResult]::new('--refetch-every', '--refetch-every', [CompletionResultType]::ParameterName, 'Fetch a URL unconditionally at least every N polls (some servers never change their validators); a page answering in another format is looked for at its base URL at most once per N such failures')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Serve every provider in the catalog and config that this build can read')
            [CompletionResult]::new('--no-state', '--no-state', [CompletionResultType]::ParameterName, 'Keep nothing on disk: every start is a fresh baseline')
            [CompletionResult]::new('--no-cache', '--no-cache', [CompletionResultType]::ParameterName, 'Make no conditional requests and keep no cache')
            [CompletionResult]::new('--allow-short-intervals', '--allow-short-intervals', [CompletionResultType]::ParameterName, 'Accept an interval under 10 s and a --fast under 1 s (for tests against a local server; against a real status page they only hammer the vendor)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'statusq;providers' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Show only providers of this format (statuspage, incidentio, …)')
            [CompletionResult]::new('--detect', '--detect', [CompletionResultType]::ParameterName, 'Probe URL for its status page format and print the config entry that reads it, named after the page''s own name (and a slug of it for the id, when that id is free)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of all the probes of --detect together')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('--supported', '--supported', [CompletionResultType]::ParameterName, 'Show only providers this build can fetch')
            [CompletionResult]::new('--tags', '--tags', [CompletionResultType]::ParameterName, 'List the tags (`ai`, `cloud`, …) with how many providers have each, for `--tag`')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Write JSON Lines even when standard output is a terminal')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'statusq;notify' {
            [CompletionResult]::new('-i', '-i', [CompletionResultType]::ParameterName, 'Read events from FILE instead of stdin (repeatable; `-` is stdin)')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'Read events from FILE instead of stdin (repeatable; `-` is stdin)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Deadline of one request')
            [CompletionResult]::new('--retries', '--retries', [CompletionResultType]::ParameterName, 'Retries of a request that timed out, could not connect, or got 408, 429 or 5xx')
            [CompletionResult]::new('--max-time', '--max-time', [CompletionResultType]::ParameterName, 'The longest a run spends delivering (Retry-After waits included); what is left waits in the outbox for the next run')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for another `statusq notify` using the same target')
            [CompletionResult]::new('--outbox', '--outbox', [CompletionResultType]::ParameterName, 'Where the outboxes live [default: $XDG_STATE_HOME/statusq/notify]')
            [CompletionResult]::new('--forget-after', '--forget-after', [CompletionResultType]::ParameterName, 'Forget the ids of delivered events after this long')
            [CompletionResult]::new('--max-line', '--max-line', [CompletionResultType]::ParameterName, 'Longest input line accepted; longer lines are reported and skipped')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('--dead-letters', '--dead-letters', [CompletionResultType]::ParameterName, 'Print the targets'' dead letters — messages a service refused for their content — as `dead_letter` records, and deliver nothing (no TARGET: every outbox''s)')
            [CompletionResult]::new('--retry-dead', '--retry-dead', [CompletionResultType]::ParameterName, 'Put the targets'' dead letters back at the head of their outboxes and send them again')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Print each request it would make, one `dry_run` JSON line each (target, kind, URL as scheme://host/…, headers, body, events, thread), and change nothing: no outbox, no delivered log, no request. Routes and holds apply as they would now, to the whole input (read to its end)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'statusq;report' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'The window: this long before --to (`30d`, `90d`, `1y`)')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Start of the window instead (RFC 3339, or a date: 2026-11-01)')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'End of the window (RFC 3339, or a date) [default: now]')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--weights', '--weights', [CompletionResultType]::ParameterName, 'How much a minute in each status counts against availability, 0 to 1')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Write to FILE instead of standard output, atomically (a temp file renamed into place)')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Write to FILE instead of standard output, atomically (a temp file renamed into place)')
            [CompletionResult]::new('--max-line', '--max-line', [CompletionResultType]::ParameterName, 'Longest input line accepted; longer lines are reported and skipped')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'statusq;demo' {
            [CompletionResult]::new('--speed', '--speed', [CompletionResultType]::ParameterName, 'How fast to play: 1 is a poll every 2 seconds (about 20 s in all), 0.5 half as fast')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Output format (watch prints text, markdown or json)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (watch prints text, markdown or json)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('--local', '--local', [CompletionResultType]::ParameterName, 'Show times in the local time zone instead of UTC')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'statusq;generate' {
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help')
            break
        }
        'statusq;help' {
            [CompletionResult]::new('fetch', 'fetch', [CompletionResultType]::ParameterValue, 'Fetch status pages and write one `snapshot` record per provider')
            [CompletionResult]::new('diff', 'diff', [CompletionResultType]::ParameterValue, 'Write only what is new since the last run, as `event` records')
            [CompletionResult]::new('render', 'render', [CompletionResultType]::ParameterValue, 'Turn events and snapshots into text for people and programs')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Gate CI on vendor health: exit 1 when a watched component is at or past a level')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'The all-in-one tracker: poll, keep only what is new, print it')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'A Prometheus exporter and status board: poll in the background, answer from memory')
            [CompletionResult]::new('providers', 'providers', [CompletionResultType]::ParameterValue, 'List the providers statusq knows: the built-in catalog and the config file')
            [CompletionResult]::new('notify', 'notify', [CompletionResultType]::ParameterValue, 'Deliver events to Slack, Discord, Teams, Google Chat, Mattermost, PagerDuty, Opsgenie, ntfy or webhooks, each once; one thread per incident on a Slack bot, Discord and Google Chat')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'How reliable were they: incidents, time in each status and availability per provider and component, from the pages'' own history')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'The default address of `statusq serve`. See statusq watch at work, offline: a real incident''s life, in under a minute')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Write the man pages and shell completions (for packagers and the repository itself)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'statusq;help;fetch' {
            break
        }
        'statusq;help;diff' {
            break
        }
        'statusq;help;render' {
            break
        }
        'statusq;help;check' {
            break
        }
        'statusq;help;watch' {
            break
        }
        'statusq;help;serve' {
            break
        }
        'statusq;help;providers' {
            break
        }
        'statusq;help;notify' {
            break
        }
        'statusq;help;report' {
            break
        }
        'statusq;help;demo' {
            break
        }
        'statusq;help;generate' {
            break
        }
        'statusq;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
