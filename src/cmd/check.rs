//! `statusq check`: a CI health gate on vendor status.
//!
//! Reads: `snapshot` records on stdin (the last one of each provider counts).
//! Writes: one line per provider; the exit status is the verdict.
//!
//! ```text
//! $ statusq fetch github | statusq check --component Actions --component 'Git Operations'
//! github  ok    Actions operational, Git Operations operational
//! ```

use crate::cli::{CheckArgs, Impact, Level, UnknownPolicy};
use crate::error::{Error, Exit};
use crate::model::{ComponentStatus, Indicator, Record, Snapshot};
use crate::ndjson::{Output, RecordReader};
use crate::providers::component_selected;
use crate::render::active_incidents;
use crate::sanitize::one_line;

/// The verdict on one provider.
#[derive(Debug, PartialEq)]
enum Verdict {
    Ok(String),
    Breach(String),
    Unknown(String),
}

/// Runs `statusq check`.
pub fn run(args: CheckArgs, out: &mut Output) -> Result<Exit, Error> {
    for pattern in &args.component {
        glob::Pattern::new(pattern)
            .map_err(|e| Error::Usage(format!("--component {pattern:?}: {e}")))?;
    }
    let mut reader = RecordReader::new(std::io::stdin().lock(), args.max_line);
    let mut snapshots: Vec<Snapshot> = Vec::new();
    while let Some(record) = reader.next_record()? {
        if let Record::Snapshot(snapshot) = record {
            match snapshots
                .iter_mut()
                .find(|s| s.provider == snapshot.provider)
            {
                Some(existing) => *existing = *snapshot,
                None => snapshots.push(*snapshot),
            }
        }
    }
    if snapshots.is_empty() {
        return Err(Error::Usage(
            "nothing to check: no snapshots on stdin (pipe `statusq fetch …` into it)".into(),
        ));
    }

    let (mut breached, mut unknown) = (false, false);
    let width = snapshots
        .iter()
        .map(|s| s.provider.len())
        .max()
        .unwrap_or(0);
    for snapshot in &snapshots {
        let (word, detail) = match judge(snapshot, &args) {
            Verdict::Ok(detail) => ("ok", detail),
            Verdict::Breach(detail) => {
                breached = true;
                ("FAIL", detail)
            }
            Verdict::Unknown(detail) => match args.unknown {
                Some(UnknownPolicy::Pass) => ("ok", format!("unknown, passed: {detail}")),
                Some(UnknownPolicy::Fail) => {
                    breached = true;
                    ("FAIL", format!("unknown: {detail}"))
                }
                None => {
                    unknown = true;
                    ("UNKNOWN", detail)
                }
            },
        };
        out.text(&format!(
            "{:width$}  {word:<7} {detail}\n",
            one_line(&snapshot.provider)
        ))?;
    }
    out.flush()?;

    let unmatched: Vec<&String> = args
        .component
        .iter()
        .filter(|pattern| {
            !snapshots.iter().any(|s| {
                s.components.iter().flatten().any(|c| {
                    component_selected(std::slice::from_ref(pattern), &c.name, c.group.as_deref())
                })
            })
        })
        .collect();
    let readable = snapshots.iter().any(|s| s.ok);
    if breached {
        return Ok(Exit::Found);
    }
    if readable && !unmatched.is_empty() {
        let list: Vec<String> = unmatched.iter().map(|p| format!("{p:?}")).collect();
        return Err(Error::Usage(format!(
            "--component {} matches no component of the pages checked (list them with: \
             statusq fetch … | jq -r '.components[] | .group + \"/\" + .name')",
            list.join(", ")
        )));
    }
    if unknown || reader.skipped > 0 {
        return Ok(Exit::Partial);
    }
    Ok(Exit::Success)
}

fn level_of(status: ComponentStatus) -> Option<Level> {
    match status {
        ComponentStatus::DegradedPerformance => Some(Level::DegradedPerformance),
        ComponentStatus::PartialOutage => Some(Level::PartialOutage),
        ComponentStatus::MajorOutage => Some(Level::MajorOutage),
        ComponentStatus::Operational | ComponentStatus::UnderMaintenance => None,
    }
}

fn impact_of(indicator: Indicator) -> Option<Impact> {
    match indicator {
        Indicator::Minor => Some(Impact::Minor),
        Indicator::Major => Some(Impact::Major),
        Indicator::Critical => Some(Impact::Critical),
        Indicator::None | Indicator::Maintenance => None,
    }
}

fn judge(snapshot: &Snapshot, args: &CheckArgs) -> Verdict {
    if !snapshot.ok {
        let why = snapshot
            .error
            .as_ref()
            .map(|e| format!("{}: {}", e.kind.as_str(), one_line(&e.message)))
            .unwrap_or_else(|| "could not be fetched".into());
        return Verdict::Unknown(why);
    }
    let mut breaches = Vec::new();
    let mut fine = Vec::new();
    let mut watched_ids = Vec::new();
    if args.component.is_empty() {
        match &snapshot.status {
            Some(status) => {
                let level = match status.indicator {
                    Indicator::Minor => Some(Level::DegradedPerformance),
                    Indicator::Major => Some(Level::PartialOutage),
                    Indicator::Critical => Some(Level::MajorOutage),
                    Indicator::None | Indicator::Maintenance => None,
                };
                let words = format!(
                    "page {}: {}",
                    status.indicator,
                    one_line(&status.description)
                );
                let maintenance =
                    status.indicator == Indicator::Maintenance && args.include_maintenance;
                if level.is_some_and(|l| l >= args.fail_on) || maintenance {
                    breaches.push(words);
                } else {
                    fine.push(words);
                }
            }
            None => return Verdict::Unknown("the page does not say its status".into()),
        }
    } else {
        for component in snapshot.components.iter().flatten() {
            if !component_selected(&args.component, &component.name, component.group.as_deref()) {
                continue;
            }
            watched_ids.push(component.id.as_str());
            let name = match &component.group {
                Some(group) => format!("{}/{}", one_line(group), one_line(&component.name)),
                None => one_line(&component.name),
            };
            let words = format!("{name} {}", component.status);
            let maintenance =
                component.status == ComponentStatus::UnderMaintenance && args.include_maintenance;
            if level_of(component.status).is_some_and(|l| l >= args.fail_on) || maintenance {
                breaches.push(words);
            } else {
                fine.push(words);
            }
        }
    }
    if let Some(threshold) = args.fail_on_incident {
        for incident in active_incidents(snapshot) {
            let relevant = args.component.is_empty()
                || incident.components.as_ref().is_none_or(|ids| {
                    ids.is_empty() || ids.iter().any(|id| watched_ids.contains(&id.as_str()))
                });
            let impact = incident.impact.and_then(impact_of);
            if relevant && impact.is_some_and(|i| i >= threshold) {
                breaches.push(format!(
                    "incident \"{}\" ({}, {})",
                    one_line(&incident.name),
                    incident.impact.map_or("?", Indicator::as_str),
                    incident.status
                ));
            }
        }
    }
    if !breaches.is_empty() {
        Verdict::Breach(breaches.join("; "))
    } else if fine.is_empty() {
        Verdict::Ok("no watched component on this page".into())
    } else {
        Verdict::Ok(fine.join(", "))
    }
}
