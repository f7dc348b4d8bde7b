//! One target's run: spool the events it wants into its outbox, then deliver what is due, in
//! order, committing after each message the service accepts. Stops at the first message the
//! service does not take, so order is kept; what is left waits for the next run.

use crate::error::Error;
use crate::model::{Event, Timestamp};
use crate::notify::hold::{fates, Fate};
use crate::notify::outbox::{Done, Outbox};
use crate::notify::payload::messages;
use crate::notify::send::{Outcome, Sender};
use crate::notify::Target;

/// What a run did for one target.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    /// Events new to the outbox this run.
    pub spooled: usize,
    /// Events the service accepted (or that had nothing to say to it).
    pub delivered: usize,
    /// Requests made and accepted.
    pub requests: usize,
    /// Flaps dropped by the hold (both changes).
    pub flapped: usize,
    /// Events held, and the earliest moment one is due.
    pub held: usize,
    pub next_due: Option<Timestamp>,
    /// Events due but not accepted (the service was down, slow, or refused them).
    pub failed: usize,
    /// Why the service did not take them, if it did not.
    pub problem: Option<String>,
    /// Whether the service refused (a configuration error) rather than failed.
    pub refused: bool,
}

/// Spools `events` (those the target's route accepts) into its outbox.
pub fn spool(target: &Target, outbox: &mut Outbox, events: &[Event]) -> Result<usize, Error> {
    let wanted: Vec<Event> = events
        .iter()
        .filter(|e| target.route.accepts(e))
        .cloned()
        .collect();
    outbox.spool(&wanted)
}

/// Delivers what is due in the outbox at `now`.
pub fn deliver(
    target: &Target,
    outbox: &mut Outbox,
    sender: &Sender,
    now: Timestamp,
) -> Result<Report, Error> {
    let mut report = Report::default();
    let fates = fates(&outbox.pending, target.hold, now);
    let mut flapped = Vec::new();
    let mut due = Vec::new();
    for (event, fate) in outbox.pending.iter().zip(&fates) {
        match fate {
            Fate::Due => due.push(event.clone()),
            Fate::Flapped => flapped.push(event.id.clone()),
            Fate::Wait(until) => {
                report.held += 1;
                report.next_due = Some(report.next_due.map_or(*until, |t| t.min(*until)));
            }
        }
    }
    report.flapped = flapped.len();
    outbox.done(&flapped, now, Done::Flapped)?;

    let routing_key = target.secret.as_ref().map(|s| s.expose());
    let batches = messages(target.kind, &due, routing_key);
    let mut left = due.len();
    for message in batches {
        if let Some(body) = &message.body {
            let bytes = serde_json::to_vec(body).map_err(|e| Error::Other(e.into()))?;
            match sender.post(target, &bytes) {
                Outcome::Accepted => report.requests += 1,
                Outcome::Later(why) => {
                    report.problem = Some(why);
                    break;
                }
                Outcome::Refused(why) => {
                    report.problem = Some(why);
                    report.refused = true;
                    break;
                }
            }
        }
        let outcome = if message.body.is_some() {
            Done::Sent
        } else {
            Done::Nothing
        };
        outbox.done(&message.ids, now, outcome)?;
        report.delivered += message.ids.len();
        left -= message.ids.len().min(left);
    }
    report.failed = left;
    Ok(report)
}

/// How a run treats every target.
#[derive(Clone, Debug)]
pub struct Options {
    /// Where the targets' outboxes live (one directory each, by name).
    pub dir: std::path::PathBuf,
    /// How long to wait for another run holding an outbox.
    pub wait: std::time::Duration,
    /// Delivered ids older than this are forgotten.
    pub forget: std::time::Duration,
}

/// Spools `events` into each target's outbox and delivers what is due, target by target.
pub fn run_all(
    targets: &[Target],
    events: &[Event],
    options: &Options,
    sender: &Sender,
    now: Timestamp,
) -> Result<Vec<(String, Report)>, Error> {
    let mut reports = Vec::new();
    for target in targets {
        let mut outbox = Outbox::open(&options.dir.join(&target.name), options.wait)?;
        let spooled = spool(target, &mut outbox, events)?;
        let mut report = deliver(target, &mut outbox, sender, now)?;
        report.spooled = spooled;
        outbox.finish(now, options.forget)?;
        reports.push((target.name.clone(), report));
    }
    Ok(reports)
}

impl Report {
    /// The stderr line for a target with a problem, if it had one.
    pub fn problem_line(&self, name: &str) -> Option<String> {
        let problem = self.problem.as_ref()?;
        let what = if self.refused {
            "refused (check the target's URL and key)"
        } else {
            "not delivered now"
        };
        Some(format!(
            "statusq: notify {name}: {problem}; {} event(s) {what}, kept in its outbox",
            self.failed
        ))
    }

    /// The stderr line that sums a target's run up, for a terminal.
    pub fn summary_line(&self, name: &str) -> String {
        format!(
            "statusq: notify {name}: {} event(s) delivered in {} request(s){}",
            self.delivered,
            self.requests,
            match self.held {
                0 => String::new(),
                n => format!(", {n} held"),
            }
        )
    }
}

/// The outboxes' directory: `--outbox`, else `$XDG_STATE_HOME/statusq/notify`.
pub fn outbox_dir(given: Option<std::path::PathBuf>) -> Result<std::path::PathBuf, Error> {
    match given {
        Some(dir) => Ok(dir),
        None => crate::state::default_state_path()
            .and_then(|state| state.parent().map(|dir| dir.join("notify")))
            .ok_or_else(|| Error::Usage("no state directory known: pass --outbox DIR".into())),
    }
}

/// Delivery as `watch` does it, after each poll: every target, its problems said on stderr.
pub struct Notifier {
    pub targets: Vec<Target>,
    pub options: Options,
    pub send: crate::notify::send::SendConfig,
    /// The longest one round of deliveries may take.
    pub max_time: std::time::Duration,
}

impl Notifier {
    /// Spools `events` into every target's outbox (once this returns they cannot be lost) and
    /// delivers what is due. Whether everything due was delivered.
    pub fn deliver(&self, events: &[Event], now: Timestamp) -> Result<bool, Error> {
        if self.targets.is_empty() {
            return Ok(true);
        }
        let sender = Sender::new(self.send.clone(), std::time::Instant::now() + self.max_time);
        let mut all = true;
        for (name, report) in run_all(&self.targets, events, &self.options, &sender, now)? {
            if let Some(line) = report.problem_line(&name) {
                eprintln!("{line}");
                all = false;
            }
        }
        Ok(all)
    }
}
