//! One run over a set of targets: every event a target's route accepts is spooled into that
//! target's outbox first — every target, durably, before anything is sent to any of them —
//! then each target delivers what is due, in order, committing after each message the
//! service accepts. A target stops at the first message it does not take now, so order is
//! kept; a message refused for its content is set aside as a dead letter and the target goes
//! on; what is left waits for the next run.

use crate::error::Error;
use crate::model::{Event, Timestamp};
use crate::notify::hold::{fates, Fate};
use crate::notify::outbox::{dead_letter, spool, Done, Outbox};
use crate::notify::payload::{messages, Message};
use crate::notify::send::{Outcome, SendConfig, Sender};
use crate::notify::Target;
use std::collections::{HashMap, VecDeque};

/// What a run did for one target.
#[derive(Debug, Default, PartialEq)]
pub struct Report {
    /// Events queued for it this run.
    pub spooled: usize,
    /// Dead letters put back in its outbox (`--retry-dead`).
    pub revived: usize,
    /// Events the service accepted (or that had nothing to say to it).
    pub delivered: usize,
    /// Requests made and accepted.
    pub requests: usize,
    /// Flaps dropped by the hold (both changes).
    pub flapped: usize,
    /// Events held, and the earliest moment one is due.
    pub held: usize,
    pub next_due: Option<Timestamp>,
    /// Events due but not accepted, kept in the outbox (the service was down, slow, or
    /// refused the target).
    pub failed: usize,
    /// Why the target stopped, if it did.
    pub problem: Option<String>,
    /// Whether it stopped because it cannot be sent to as configured: the service refuses the
    /// target (a wrong URL or key), or a secret is missing (`unusable`).
    pub refused: bool,
    pub unusable: bool,
    /// Whether another run held its outbox for all of `--wait`.
    pub locked: bool,
    /// Lines of its outbox that were not events (torn by a crash), set aside.
    pub unreadable: usize,
    /// Events set aside as dead letters this run, and why, one reason per letter.
    pub dead: usize,
    pub dead_reasons: Vec<String>,
}

/// Delivers what is due in the outbox at `now`.
pub fn deliver(
    target: &Target,
    outbox: &mut Outbox,
    sender: &Sender,
    now: Timestamp,
) -> Result<Report, Error> {
    let mut report = Report::default();
    let endpoint = match &target.endpoint {
        Ok(endpoint) => endpoint,
        Err(why) => {
            report.problem = Some(why.clone());
            report.refused = true;
            report.unusable = true;
            report.failed = outbox.pending.len();
            return Ok(report);
        }
    };
    // The route as it stands now decides: what it no longer takes is done with.
    let (wanted, unrouted): (Vec<&Event>, Vec<&Event>) =
        outbox.pending.iter().partition(|e| target.route.accepts(e));
    let unrouted: Vec<String> = unrouted.iter().map(|e| e.id.clone()).collect();
    let wanted: Vec<Event> = wanted.into_iter().cloned().collect();
    outbox.done(&unrouted, now, Done::Nothing)?;

    let fates = fates(&wanted, target.hold, now);
    let mut flapped = Vec::new();
    let mut due = Vec::new();
    for (event, fate) in wanted.into_iter().zip(&fates) {
        match fate {
            Fate::Due => due.push(event),
            Fate::Flapped => flapped.push(event.id),
            Fate::Wait(until) => {
                report.held += 1;
                report.next_due = Some(report.next_due.map_or(*until, |t| t.min(*until)));
            }
        }
    }
    report.flapped = flapped.len();
    outbox.done(&flapped, now, Done::Flapped)?;

    let routing_key = endpoint.secret.as_ref().map(|s| s.expose());
    let build = |events: &[Event]| messages(endpoint.kind, events, routing_key);
    let by_id: HashMap<&str, &Event> = due.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut queue: VecDeque<Message> = build(&due).into();
    let mut settled = 0;
    while let Some(message) = queue.pop_front() {
        if sender.stopped() {
            // What is left stays in the outbox for the next round.
            break;
        }
        let count = message.ids.len();
        let Some(body) = &message.body else {
            outbox.done(&message.ids, now, Done::Nothing)?;
            report.delivered += count;
            settled += count;
            continue;
        };
        let bytes = serde_json::to_vec(body).map_err(|e| Error::Other(e.into()))?;
        match sender.post(endpoint, &bytes) {
            Outcome::Accepted => {
                report.requests += 1;
                outbox.done(&message.ids, now, Done::Sent)?;
                report.delivered += count;
                settled += count;
            }
            Outcome::Later(why) => {
                report.problem = Some(why);
                break;
            }
            Outcome::TargetRefused(why) => {
                report.problem = Some(why);
                report.refused = true;
                break;
            }
            Outcome::MessageRefused { why, status } => {
                let events: Vec<Event> = message
                    .ids
                    .iter()
                    .filter_map(|id| by_id.get(id.as_str()).map(|e| (*e).clone()))
                    .collect();
                if events.len() > 1 {
                    // One event's content may be what is refused: each half is tried on its
                    // own, so the others still go, and only what is refused alone is set aside.
                    let (first, second) = events.split_at(events.len() / 2);
                    let mut halves = build(first);
                    halves.extend(build(second));
                    for half in halves.into_iter().rev() {
                        queue.push_front(half);
                    }
                } else {
                    outbox.set_aside(dead_letter(&target.name, now, status, &why, &events))?;
                    report.dead += count;
                    settled += count;
                    report.dead_reasons.push(why);
                }
            }
        }
    }
    report.failed = due.len() - settled.min(due.len());
    Ok(report)
}

/// How delivery treats every target: the one set of options `notify` and `watch --notify`
/// (through the courier) both build, from the same flags and defaults.
#[derive(Clone, Debug)]
pub struct Settings {
    /// Where the targets' outboxes live (one directory each, [`Target::outbox`]).
    pub dir: std::path::PathBuf,
    /// How long to wait for another run holding an outbox.
    pub wait: std::time::Duration,
    /// Delivered ids older than this are forgotten.
    pub forget: std::time::Duration,
    /// Put the dead letters back in the outbox first, to be sent again (`--retry-dead`).
    pub revive: bool,
    /// How each request is made and retried.
    pub send: SendConfig,
    /// The longest one round of deliveries may take, `Retry-After` waits included.
    pub max_time: std::time::Duration,
}

/// Spools `events` into every target's outbox — all of them, durably, before anything is sent
/// to any — and says how many each target took.
pub fn spool_all(
    targets: &[Target],
    events: &[Event],
    dir: &std::path::Path,
) -> Result<Vec<usize>, Error> {
    targets
        .iter()
        .map(|target| {
            let wanted: Vec<&Event> = events.iter().filter(|e| target.route.accepts(e)).collect();
            spool(&dir.join(&target.outbox), &wanted)
        })
        .collect()
}

/// Delivers what is due in every target's outbox, target by target, within one round's
/// budget; a set `stop` ends the round between messages and while waiting to retry. A target
/// whose outbox another run holds is reported busy, its events kept.
pub fn deliver_all(
    targets: &[Target],
    settings: &Settings,
    stop: Option<std::sync::Arc<std::sync::atomic::AtomicBool>>,
    now: Timestamp,
) -> Result<Vec<(String, Report)>, Error> {
    let sender = Sender::new(
        settings.send.clone(),
        crate::http::after(settings.max_time),
        stop,
    );
    let mut reports = Vec::with_capacity(targets.len());
    for target in targets {
        let report = match Outbox::open(&settings.dir.join(&target.outbox), settings.wait) {
            Ok(mut outbox) => {
                let revived = if settings.revive { outbox.revive()? } else { 0 };
                let mut report = deliver(target, &mut outbox, &sender, now)?;
                outbox.finish(now, settings.forget)?;
                report.revived = revived;
                report.unreadable = outbox.unreadable;
                report
            }
            Err(Error::Locked(why)) => Report {
                problem: Some(why),
                locked: true,
                ..Report::default()
            },
            Err(error) => return Err(error),
        };
        reports.push((target.name.clone(), report));
    }
    Ok(reports)
}

/// `notify`'s run over a batch: [`spool_all`], then [`deliver_all`]. A target whose outbox
/// another run holds keeps its events queued for that run or the next; an error spooling stops
/// before anything is sent.
pub fn run_all(
    targets: &[Target],
    events: &[Event],
    settings: &Settings,
    now: Timestamp,
) -> Result<Vec<(String, Report)>, Error> {
    let spooled = spool_all(targets, events, &settings.dir)?;
    let mut reports = deliver_all(targets, settings, None, now)?;
    for ((_, report), spooled) in reports.iter_mut().zip(spooled) {
        report.spooled = spooled;
    }
    Ok(reports)
}

/// Dead letters said one a line, at most this many a target a run.
const DEAD_SHOWN: usize = 3;

impl Report {
    /// The stderr lines for a target's problems, if it had any: each message set aside (a
    /// few, then a count), then why it stopped.
    pub fn problem_lines(&self, name: &str) -> Vec<String> {
        let mut lines: Vec<String> = self
            .dead_reasons
            .iter()
            .take(DEAD_SHOWN)
            .map(|why| {
                format!(
                    "statusq: notify {name}: {why}; its message was refused for its content \
                     and set aside as a dead letter (statusq notify --dead-letters)"
                )
            })
            .collect();
        if self.dead_reasons.len() > DEAD_SHOWN {
            lines.push(format!(
                "statusq: notify {name}: {} more message(s) set aside as dead letters",
                self.dead_reasons.len() - DEAD_SHOWN
            ));
        }
        if let Some(problem) = &self.problem {
            lines.push(if self.locked {
                format!(
                    "statusq: notify {name}: {problem}; {} event(s) queued there for that run \
                     or the next",
                    self.spooled
                )
            } else if self.unusable {
                format!(
                    "statusq: notify {name}: {problem}; {} event(s) kept in its outbox until it \
                     is",
                    self.failed
                )
            } else if self.refused {
                format!(
                    "statusq: notify {name}: {problem}; the service refuses the target (check its \
                     URL and key): {} event(s) kept in its outbox",
                    self.failed
                )
            } else {
                format!(
                    "statusq: notify {name}: {problem}; {} event(s) not delivered now, kept in \
                     its outbox",
                    self.failed
                )
            });
        }
        lines
    }

    /// The stderr line that sums a target's run up, for a terminal.
    pub fn summary_line(&self, name: &str) -> String {
        let mut extra = String::new();
        if self.held > 0 {
            extra.push_str(&format!(", {} held", self.held));
        }
        if self.revived > 0 {
            extra.push_str(&format!(", {} dead letter event(s) retried", self.revived));
        }
        format!(
            "statusq: notify {name}: {} event(s) delivered in {} request(s){extra}",
            self.delivered, self.requests,
        )
    }

    /// Whether everything due went (held changes wait without counting).
    pub fn all_delivered(&self) -> bool {
        self.problem.is_none() && self.dead == 0 && self.unreadable == 0
    }
}

/// The outboxes' directory: `--outbox`, else `$XDG_STATE_HOME/statusq/notify`.
pub fn outbox_dir(given: Option<std::path::PathBuf>) -> Result<std::path::PathBuf, Error> {
    match given {
        Some(dir) => Ok(dir),
        None => crate::dirs::state_dir()
            .map(|state| state.join("notify"))
            .ok_or_else(|| Error::Usage("no state directory known: pass --outbox DIR".into())),
    }
}
