//! `statusq check`: a CI health gate on vendor status.
//!
//! Reads: `snapshot` records from the files named, or stdin (the last one of each provider
//! counts).
//! Writes: one line per provider; the exit status is the verdict.
//!
//! ```text
//! $ statusq fetch github | statusq check --component Actions --component 'Git Operations'
//! github  ok    Actions operational, Git Operations operational
//! ```
//!
//! The verdict on each page is [`crate::gate`]'s.

use crate::cli::CheckArgs;
use crate::error::{Error, Exit};
use crate::gate::{Rules, Verdict};
use crate::model::{Record, Snapshot};
use crate::ndjson::{Output, RecordReader};
use crate::sanitize::one_line;
use crate::select::component_selected;
use std::collections::HashMap;

/// Runs `statusq check`.
pub fn run(args: CheckArgs, out: &mut Output) -> Result<Exit, Error> {
    for pattern in &args.component {
        glob::Pattern::new(pattern)
            .map_err(|e| Error::Usage(format!("--component {pattern:?}: {e}")))?;
    }
    let inputs = super::inputs(&args.files, args.max_line, "check", "snapshot records")?;
    let rules = Rules {
        component: args.component.clone(),
        fail_on: args.fail_on,
        include_maintenance: args.include_maintenance,
        fail_on_incident: args.fail_on_incident,
        unknown: args.unknown,
        maintenance_within: args.maintenance_within,
    };
    if let Some(wait) = args.wait {
        return crate::pipeline::wait::until_healthy(inputs, &rules, wait, out);
    }
    let mut reader = RecordReader::new(inputs);
    let window = match (args.since, args.from) {
        (None, None) if args.to.is_some() => {
            return Err(Error::Usage("--to needs --since or --from".into()))
        }
        (None, None) => None,
        (since, from) => Some(super::window(since, from, args.to)?),
    };
    // The last snapshot of each provider, in the order providers first appeared; with a
    // window, every snapshot's history too.
    let mut snapshots: Vec<Snapshot> = Vec::new();
    let mut position: HashMap<String, usize> = HashMap::new();
    let mut history = crate::report::History::new();
    while let Some(record) = reader.next_record()? {
        if let Record::Snapshot(snapshot) = record {
            if window.is_some() {
                history.add_snapshot(&snapshot);
            }
            match position.get(&snapshot.provider) {
                Some(&index) => snapshots[index] = *snapshot,
                None => {
                    position.insert(snapshot.provider.clone(), snapshots.len());
                    snapshots.push(*snapshot);
                }
            }
        }
    }
    if snapshots.is_empty() {
        return Err(Error::Usage(
            "nothing to check: no snapshots in the input (pipe `statusq fetch …` into it, or name a file)".into(),
        ));
    }

    // A glob that matches nothing is a misconfigured gate: said before any verdict is
    // printed, so a log never shows `ok` lines above the failure.
    let unmatched: Vec<&String> = args
        .component
        .iter()
        .filter(|pattern| {
            let glob = std::slice::from_ref(*pattern);
            !snapshots.iter().any(|s| {
                s.components
                    .iter()
                    .flatten()
                    .any(|c| component_selected(glob, &c.name, c.group.as_deref()))
                    // Over a window, a component the page's incidents name counts too.
                    || (window.is_some()
                        && s.incidents.iter().flatten().any(|i| {
                            i.updates
                                .iter()
                                .flat_map(|u| u.components.iter().flatten())
                                .any(|c| component_selected(glob, &c.name, None))
                        }))
            })
        })
        .collect();
    let readable = snapshots.iter().any(|s| s.ok);
    if readable && !unmatched.is_empty() {
        let list: Vec<String> = unmatched.iter().map(|p| format!("{p:?}")).collect();
        return Err(Error::Usage(format!(
            "--component {} matches no component of the pages checked (list them with: \
             statusq fetch … | jq -r '.components[] | .group + \"/\" + .name')",
            list.join(", ")
        )));
    }
    let width = snapshots
        .iter()
        .map(|s| s.provider.len())
        .max()
        .unwrap_or(0);
    if let Some(window) = window {
        return over_window(&history, window, &rules, width, out);
    }
    let (mut breached, mut unknown) = (false, false);
    let now = crate::clock::now();
    for snapshot in &snapshots {
        for verdict in crate::gate::verdicts(snapshot, &rules, now) {
            breached |= matches!(verdict, Verdict::Breach(_));
            unknown |= matches!(verdict, Verdict::Unknown(_));
            out.text(&format!(
                "{:width$}  {:<7} {}\n",
                one_line(&snapshot.provider),
                verdict.word(),
                verdict.detail()
            ))?;
        }
    }
    out.flush()?;

    if breached {
        return Ok(Exit::Found);
    }
    if unknown || reader.skipped > 0 {
        return Ok(Exit::Partial);
    }
    Ok(Exit::Success)
}

/// `check --since`: a line per breach over the window (or `ok` for a provider with none), exit
/// 1 when any.
fn over_window(
    history: &crate::report::History,
    window: crate::report::Window,
    rules: &Rules,
    width: usize,
    out: &mut Output,
) -> Result<Exit, Error> {
    let mut breached = false;
    for (provider, episodes) in history.episodes(window) {
        let breaches = crate::gate::window_breaches(&episodes, rules);
        let provider = one_line(&provider);
        if breaches.is_empty() {
            let level = clap::ValueEnum::to_possible_value(&rules.fail_on)
                .map_or_else(String::new, |v| v.get_name().replace('_', " "));
            out.text(&format!(
                "{provider:width$}  ok      nothing at or past {level} in the window\n"
            ))?;
        }
        for breach in breaches {
            breached = true;
            out.text(&format!("{provider:width$}  FAIL    {breach}\n"))?;
        }
    }
    out.flush()?;
    Ok(if breached { Exit::Found } else { Exit::Success })
}
