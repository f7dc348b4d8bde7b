# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_statusq_global_optspecs
    string join \n config= h/help V/version
end

function __fish_statusq_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_statusq_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_statusq_using_subcommand
    set -l cmd (__fish_statusq_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c statusq -n "__fish_statusq_needs_command" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_needs_command" -s V -l version -d 'Print version'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "fetch" -d 'Fetch status pages and write one `snapshot` record per provider'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "diff" -d 'Write only what is new since the last run, as `event` records'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "render" -d 'Turn events and snapshots into text for people and programs'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "check" -d 'Gate CI on vendor health: exit 1 when a watched component is at or past a level'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "watch" -d 'The all-in-one tracker: poll, keep only what is new, print it'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "serve" -d 'A Prometheus exporter and status board: poll in the background, answer from memory'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "providers" -d 'List the providers statusq knows: the built-in catalog and the config file'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "notify" -d 'Deliver events to Slack, Discord, Teams, Google Chat, Mattermost, PagerDuty, Opsgenie, ntfy or webhooks, each once; one thread per incident on a Slack bot, Discord and Google Chat'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "report" -d 'How reliable were they: incidents, time in each status and availability per provider and component, from the pages\' own history'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "demo" -d 'The default address of `statusq serve`. See statusq watch at work, offline: a real incident\'s life, in under a minute'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "generate" -d 'Write the man pages and shell completions (for packagers and the repository itself)'
complete -c statusq -n "__fish_statusq_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l tag -d 'Also every provider with this tag (`ai`, `cloud`, `payments`, `comms`, `data`, `ci`, `devtools`; `statusq providers --tags` lists them); repeatable' -r
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l shard -d 'Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the provider id, so N processes given the same list share it without overlap or coordination' -r
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -s j -l concurrency -d 'Most HTTP requests in flight at once' -r
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l timeout -d 'Overall deadline of one HTTP request, body included (e.g. 10s, 1500ms)' -r
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l retries -d 'Retries of a request after a timeout or an HTTP 408, 429 or 5xx answer' -r
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l max-retry-after -d 'Longest Retry-After wait (seconds, or an HTTP date) honoured before retrying; a server asking for longer fails the provider at once' -r
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l max-body -d 'Largest response body accepted, counted after decompression (e.g. 8MiB, 500k)' -r
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l watch -d 'Poll forever, every INTERVAL (e.g. 60s, 5m), writing each provider\'s snapshot as it comes, until SIGINT, SIGTERM, SIGHUP or a closed output' -r
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l fast -d 'While a provider has an unresolved incident or a running maintenance, poll it every INTERVAL instead (with --watch, watch, serve)' -r
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l cache -d 'Keep ETag/Last-Modified and the last body of every URL in DIR, so an unchanged page costs one 304 [default for watch, serve and fetch --watch: $XDG_CACHE_HOME/statusq]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l refetch-every -d 'Fetch a URL unconditionally at least every N polls (some servers never change their validators); a page answering in another format is looked for at its base URL at most once per N such failures' -r
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l all -d 'Fetch every provider in the catalog and config that this build can read'
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l no-cache -d 'Make no conditional requests and keep no cache'
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -l allow-short-intervals -d 'Accept an interval under 10 s and a --fast under 1 s (for tests against a local server; against a real status page they only hammer the vendor)'
complete -c statusq -n "__fish_statusq_using_subcommand fetch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_using_subcommand diff" -l state -d 'The state file [default: $XDG_STATE_HOME/statusq/state.json]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand diff" -l fail-after -d 'Failed fetches in a row before `provider.failed` is emitted' -r
complete -c statusq -n "__fish_statusq_using_subcommand diff" -l forget-after -d 'Forget incidents, maintenances, components and providers upstream has not shown for this long, so the state stays bounded (e.g. 30d, 12h)' -r
complete -c statusq -n "__fish_statusq_using_subcommand diff" -l remind -d 'Remind of a scheduled maintenance when its start is this close, once per lead time (`24h,1h`): a `maintenance.reminder` event, never for one already started or completed' -r
complete -c statusq -n "__fish_statusq_using_subcommand diff" -l max-line -d 'Longest input line accepted; longer lines are reported and skipped' -r
complete -c statusq -n "__fish_statusq_using_subcommand diff" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand diff" -l replay -d 'On first sight of a provider, emit its whole visible history instead of a baseline'
complete -c statusq -n "__fish_statusq_using_subcommand diff" -l exit-code -d 'Exit with status 1 when at least one event was written (like `git diff --exit-code`)'
complete -c statusq -n "__fish_statusq_using_subcommand diff" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_using_subcommand render" -s f -l format -d 'Output format (watch prints text, markdown or json)' -r -f -a "text\t''
markdown\t''
json\t''
prometheus\t''
html\t''
atom\t''
email\t''"
complete -c statusq -n "__fish_statusq_using_subcommand render" -l color -d 'Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c statusq -n "__fish_statusq_using_subcommand render" -l width -d 'Wrap text at this many columns, at spaces only (a URL or a name is never cut) [default: the terminal\'s width, else $COLUMNS, else 80]' -r
complete -c statusq -n "__fish_statusq_using_subcommand render" -s o -l output -d 'Write to FILE instead of standard output, atomically (a temp file renamed into place, mode 0644): safe for node_exporter\'s textfile collector and web servers' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand render" -l title -d 'Title of the HTML page and the Atom feed' -r
complete -c statusq -n "__fish_statusq_using_subcommand render" -l feed-id -d 'Id of the Atom feed (distinct feeds need distinct ids)' -r
complete -c statusq -n "__fish_statusq_using_subcommand render" -l to -d 'Recipient of the email (repeat for more); required with --format email' -r
complete -c statusq -n "__fish_statusq_using_subcommand render" -l from -d 'Sender of the email [default: left to sendmail]' -r
complete -c statusq -n "__fish_statusq_using_subcommand render" -l max-line -d 'Longest input line accepted; longer lines are reported and skipped' -r
complete -c statusq -n "__fish_statusq_using_subcommand render" -l max-entries -d 'Atom: the most entries the feed holds, the newest' -r
complete -c statusq -n "__fish_statusq_using_subcommand render" -l self-url -d 'Atom: the URL the feed is published at, for its rel="self" link' -r
complete -c statusq -n "__fish_statusq_using_subcommand render" -l compat -d 'Prometheus: also publish another exporter\'s metric names (statuspage-exporter: the statuspage_* families of the Prometheus statuspage exporters)' -r -f -a "statuspage-exporter\t'The statuspage exporters\' `statuspage_*` families'"
complete -c statusq -n "__fish_statusq_using_subcommand render" -l max-components-metrics -d 'Prometheus: the most components of one provider given series of their own; past it, only those not operational (statusq_components_omitted counts the rest)' -r
complete -c statusq -n "__fish_statusq_using_subcommand render" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand render" -l local -d 'Show times in the local time zone instead of UTC'
complete -c statusq -n "__fish_statusq_using_subcommand render" -l pretty -d 'Pretty-print JSON (one record over several lines)'
complete -c statusq -n "__fish_statusq_using_subcommand render" -l history -d 'Snapshots as their whole history, not a board line: every incident and maintenance the page still lists, each with all its updates, newest first (text; no state is touched)'
complete -c statusq -n "__fish_statusq_using_subcommand render" -l html -d 'Add an HTML version to the email'
complete -c statusq -n "__fish_statusq_using_subcommand render" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_using_subcommand check" -s c -l component -d 'Judge only these components: a glob on the name or `Group/Name` (repeatable)' -r
complete -c statusq -n "__fish_statusq_using_subcommand check" -l fail-on -d 'The level at which to fail' -r -f -a "degraded_performance\t''
partial_outage\t''
major_outage\t''"
complete -c statusq -n "__fish_statusq_using_subcommand check" -l maintenance-within -d 'Also fail when a maintenance touching a watched component (any, when none is named) is in progress or starts within DURATION: a deploy freeze (`2h`)' -r
complete -c statusq -n "__fish_statusq_using_subcommand check" -l wait -d 'Keep reading snapshots (`statusq fetch --watch 30s github | statusq check --wait 30m`) and exit 0 as soon as every page read passes as check judges it (--unknown and --maintenance-within too), 1 when DURATION passes first (saying what is still broken), 3 when the input ends before either' -r
complete -c statusq -n "__fish_statusq_using_subcommand check" -l fail-on-incident -d 'Also fail on an unresolved incident of at least this impact' -r -f -a "minor\t''
major\t''
critical\t''"
complete -c statusq -n "__fish_statusq_using_subcommand check" -l since -d 'Judge the window up to --to instead of now: fail when a watched component (every component when none is named) was at or past --fail-on at any instant of it, from the pages\' own incident history, by the timeline `report` uses (`45m`, `24h`)' -r
complete -c statusq -n "__fish_statusq_using_subcommand check" -l from -d 'Start of the window instead of --since (RFC 3339, or a date)' -r
complete -c statusq -n "__fish_statusq_using_subcommand check" -l to -d 'End of the window [default: now]; with --since or --from only' -r
complete -c statusq -n "__fish_statusq_using_subcommand check" -l unknown -d 'What a page that could not be fetched means: pass (ignore it) or fail (exit 1) [default: neither: exit 3]' -r -f -a "pass\t''
fail\t''"
complete -c statusq -n "__fish_statusq_using_subcommand check" -l max-line -d 'Longest input line accepted; longer lines are reported and skipped' -r
complete -c statusq -n "__fish_statusq_using_subcommand check" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand check" -l include-maintenance -d 'Also fail when a watched component (or the page) is under maintenance'
complete -c statusq -n "__fish_statusq_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l tag -d 'Also every provider with this tag (as for fetch); repeatable' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l shard -d 'Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the provider id, so N processes given the same list share it without overlap or coordination' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l interval -d 'Poll every INTERVAL' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l polls -d 'Stop once every page has been polled N times (what `statusq demo` plays)' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -s f -l format -d 'Output format (watch prints text, markdown or json)' -r -f -a "text\t''
markdown\t''
json\t''
prometheus\t''
html\t''
atom\t''
email\t''"
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l color -d 'Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l state -d 'The state file [default: $XDG_STATE_HOME/statusq/state.json]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l fail-after -d 'Failed fetches in a row before `provider.failed` is emitted' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l forget-after -d 'Forget incidents, maintenances, components and providers upstream has not shown for this long, so the state stays bounded (e.g. 30d, 12h)' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l remind -d 'Remind of a scheduled maintenance when its start is this close, once per lead time (`24h,1h`): a `maintenance.reminder` event, never for one already started or completed' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l notify -d 'Also deliver each new event to this notify target (`[notify.NAME]` of the config file, or a webhook URL); repeatable. The state is committed only once every target has the events spooled in its outbox, so a crash never loses an alert; they are sent on a thread of their own with `notify`\'s defaults, so a slow receiver never holds up polling' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -s j -l concurrency -d 'Most HTTP requests in flight at once' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l timeout -d 'Overall deadline of one HTTP request, body included (e.g. 10s, 1500ms)' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l retries -d 'Retries of a request after a timeout or an HTTP 408, 429 or 5xx answer' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l max-retry-after -d 'Longest Retry-After wait (seconds, or an HTTP date) honoured before retrying; a server asking for longer fails the provider at once' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l max-body -d 'Largest response body accepted, counted after decompression (e.g. 8MiB, 500k)' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l fast -d 'While a provider has an unresolved incident or a running maintenance, poll it every INTERVAL instead (with --watch, watch, serve)' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l cache -d 'Keep ETag/Last-Modified and the last body of every URL in DIR, so an unchanged page costs one 304 [default for watch, serve and fetch --watch: $XDG_CACHE_HOME/statusq]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l refetch-every -d 'Fetch a URL unconditionally at least every N polls (some servers never change their validators); a page answering in another format is looked for at its base URL at most once per N such failures' -r
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l once -d 'One cycle only: fetch, print what is new, commit, exit (for cron)'
complete -c statusq -n "__fish_statusq_using_subcommand watch" -s q -l quiet -d 'Only what is new: no start line, no current state, no failure notes on a terminal'
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l local -d 'Show times in the local time zone instead of UTC'
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l replay -d 'On first sight of a provider, print its whole visible history instead of a baseline'
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l no-cache -d 'Make no conditional requests and keep no cache'
complete -c statusq -n "__fish_statusq_using_subcommand watch" -l allow-short-intervals -d 'Accept an interval under 10 s and a --fast under 1 s (for tests against a local server; against a real status page they only hammer the vendor)'
complete -c statusq -n "__fish_statusq_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l tag -d 'Also every provider with this tag (as for fetch); repeatable' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l shard -d 'Take only shard I of N of the providers (`--shard 2/4`): split by a stable hash of the provider id, so N processes given the same list share it without overlap or coordination' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l listen -d 'Address to listen on: HOST:PORT (`localhost:9759`, `0.0.0.0:9759`) or `:PORT` for every interface; port 0 picks a free port' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l interval -d 'Poll every INTERVAL' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l max-connections -d 'Most client connections served at once; more are refused' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l fail-after -d 'Failed fetches in a row before `provider.failed` is emitted' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l forget-after -d 'Forget incidents, maintenances, components and providers upstream has not shown for this long, so the state stays bounded (e.g. 30d, 12h)' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l remind -d 'Remind of a scheduled maintenance when its start is this close, once per lead time (`24h,1h`): a `maintenance.reminder` event, never for one already started or completed' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l title -d 'Title of the HTML board' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l state-dir -d 'Keep the diff state, the recent events and the incident history in DIR, so a restart goes on where it stopped: no fresh baseline, /events and the reliability figures continue [default: $XDG_STATE_HOME/statusq/serve/ADDRESS; nothing for a port picked at random]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l report-window -d 'The window of the board\'s reliability section, /report and the availability metrics' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l metrics-compat -d 'Also publish another exporter\'s metric names on /metrics (statuspage-exporter: the statuspage_* families of the Prometheus statuspage exporters, for their dashboards)' -r -f -a "statuspage-exporter\t'The statuspage exporters\' `statuspage_*` families'"
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l max-components-metrics -d 'The most components of one provider given series of their own on /metrics; past it, only those not operational (statusq_components_omitted counts the rest)' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -s j -l concurrency -d 'Most HTTP requests in flight at once' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l timeout -d 'Overall deadline of one HTTP request, body included (e.g. 10s, 1500ms)' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l retries -d 'Retries of a request after a timeout or an HTTP 408, 429 or 5xx answer' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l max-retry-after -d 'Longest Retry-After wait (seconds, or an HTTP date) honoured before retrying; a server asking for longer fails the provider at once' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l max-body -d 'Largest response body accepted, counted after decompression (e.g. 8MiB, 500k)' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l fast -d 'While a provider has an unresolved incident or a running maintenance, poll it every INTERVAL instead (with --watch, watch, serve)' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l cache -d 'Keep ETag/Last-Modified and the last body of every URL in DIR, so an unchanged page costs one 304 [default for watch, serve and fetch --watch: $XDG_CACHE_HOME/statusq]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l refetch-every -d 'Fetch a URL unconditionally at least every N polls (some servers never change their validators); a page answering in another format is looked for at its base URL at most once per N such failures' -r
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l all -d 'Serve every provider in the catalog and config that this build can read'
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l no-state -d 'Keep nothing on disk: every start is a fresh baseline'
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l no-cache -d 'Make no conditional requests and keep no cache'
complete -c statusq -n "__fish_statusq_using_subcommand serve" -l allow-short-intervals -d 'Accept an interval under 10 s and a --fast under 1 s (for tests against a local server; against a real status page they only hammer the vendor)'
complete -c statusq -n "__fish_statusq_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_using_subcommand providers" -l format -d 'Show only providers of this format (statuspage, incidentio, …)' -r
complete -c statusq -n "__fish_statusq_using_subcommand providers" -l detect -d 'Probe URL for its status page format and print the config entry that reads it, named after the page\'s own name (and a slug of it for the id, when that id is free)' -r
complete -c statusq -n "__fish_statusq_using_subcommand providers" -l timeout -d 'Deadline of all the probes of --detect together' -r
complete -c statusq -n "__fish_statusq_using_subcommand providers" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand providers" -l supported -d 'Show only providers this build can fetch'
complete -c statusq -n "__fish_statusq_using_subcommand providers" -l tags -d 'List the tags (`ai`, `cloud`, …) with how many providers have each, for `--tag`'
complete -c statusq -n "__fish_statusq_using_subcommand providers" -l json -d 'Write JSON Lines even when standard output is a terminal'
complete -c statusq -n "__fish_statusq_using_subcommand providers" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_using_subcommand notify" -s i -l input -d 'Read events from FILE instead of stdin (repeatable; `-` is stdin)' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l timeout -d 'Deadline of one request' -r
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l retries -d 'Retries of a request that timed out, could not connect, or got 408, 429 or 5xx' -r
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l max-time -d 'The longest a run spends delivering (Retry-After waits included); what is left waits in the outbox for the next run' -r
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l wait -d 'How long to wait for another `statusq notify` using the same target' -r
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l outbox -d 'Where the outboxes live [default: $XDG_STATE_HOME/statusq/notify]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l forget-after -d 'Forget the ids of delivered events after this long' -r
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l max-line -d 'Longest input line accepted; longer lines are reported and skipped' -r
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l dead-letters -d 'Print the targets\' dead letters — messages a service refused for their content — as `dead_letter` records, and deliver nothing (no TARGET: every outbox\'s)'
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l retry-dead -d 'Put the targets\' dead letters back at the head of their outboxes and send them again'
complete -c statusq -n "__fish_statusq_using_subcommand notify" -l dry-run -d 'Print each request it would make, one `dry_run` JSON line each (target, kind, URL as scheme://host/…, headers, body, events, thread), and change nothing: no outbox, no delivered log, no request. Routes and holds apply as they would now, to the whole input (read to its end)'
complete -c statusq -n "__fish_statusq_using_subcommand notify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_using_subcommand report" -l since -d 'The window: this long before --to (`30d`, `90d`, `1y`)' -r
complete -c statusq -n "__fish_statusq_using_subcommand report" -l from -d 'Start of the window instead (RFC 3339, or a date: 2026-11-01)' -r
complete -c statusq -n "__fish_statusq_using_subcommand report" -l to -d 'End of the window (RFC 3339, or a date) [default: now]' -r
complete -c statusq -n "__fish_statusq_using_subcommand report" -s f -l format -d 'Output format' -r -f -a "text\t'A table per provider, for a terminal or cron mail'
markdown\t'A section and table per provider, for a wiki'
json\t'One `report` record per provider (JSON Lines)'
csv\t'A row per component'
prometheus\t'Prometheus text format: availability, seconds per status, incidents (`window` label)'
html\t'A self-contained page: a bar per day per component'"
complete -c statusq -n "__fish_statusq_using_subcommand report" -l weights -d 'How much a minute in each status counts against availability, 0 to 1' -r
complete -c statusq -n "__fish_statusq_using_subcommand report" -s o -l output -d 'Write to FILE instead of standard output, atomically (a temp file renamed into place)' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand report" -l max-line -d 'Longest input line accepted; longer lines are reported and skipped' -r
complete -c statusq -n "__fish_statusq_using_subcommand report" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_using_subcommand demo" -l speed -d 'How fast to play: 1 is a poll every 2 seconds (about 20 s in all), 0.5 half as fast' -r
complete -c statusq -n "__fish_statusq_using_subcommand demo" -s f -l format -d 'Output format (watch prints text, markdown or json)' -r -f -a "text\t''
markdown\t''
json\t''
prometheus\t''
html\t''
atom\t''
email\t''"
complete -c statusq -n "__fish_statusq_using_subcommand demo" -l color -d 'Colour text output: auto (on a terminal, unless NO_COLOR is set), always, never' -r -f -a "auto\t''
always\t''
never\t''"
complete -c statusq -n "__fish_statusq_using_subcommand demo" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand demo" -l local -d 'Show times in the local time zone instead of UTC'
complete -c statusq -n "__fish_statusq_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c statusq -n "__fish_statusq_using_subcommand generate" -l config -d 'Config file adding or overriding providers [default: $XDG_CONFIG_HOME/statusq/config.toml]' -r -F
complete -c statusq -n "__fish_statusq_using_subcommand generate" -s h -l help -d 'Print help'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "fetch" -d 'Fetch status pages and write one `snapshot` record per provider'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "diff" -d 'Write only what is new since the last run, as `event` records'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "render" -d 'Turn events and snapshots into text for people and programs'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "check" -d 'Gate CI on vendor health: exit 1 when a watched component is at or past a level'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "watch" -d 'The all-in-one tracker: poll, keep only what is new, print it'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "serve" -d 'A Prometheus exporter and status board: poll in the background, answer from memory'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "providers" -d 'List the providers statusq knows: the built-in catalog and the config file'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "notify" -d 'Deliver events to Slack, Discord, Teams, Google Chat, Mattermost, PagerDuty, Opsgenie, ntfy or webhooks, each once; one thread per incident on a Slack bot, Discord and Google Chat'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "report" -d 'How reliable were they: incidents, time in each status and availability per provider and component, from the pages\' own history'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "demo" -d 'The default address of `statusq serve`. See statusq watch at work, offline: a real incident\'s life, in under a minute'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "generate" -d 'Write the man pages and shell completions (for packagers and the repository itself)'
complete -c statusq -n "__fish_statusq_using_subcommand help; and not __fish_seen_subcommand_from fetch diff render check watch serve providers notify report demo generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
