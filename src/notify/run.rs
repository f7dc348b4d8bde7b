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
use crate::notify::payload::request::{plan, root_id, Request, Root};
use crate::notify::payload::{messages, Message};
use crate::notify::send::{Outcome, SendConfig, Sender};
use crate::notify::threads::Threads;
use crate::notify::{Endpoint, Target};
use std::collections::{HashMap, HashSet, VecDeque};

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
    /// What went wrong without costing an event (a thread's root not rewritten, a thread
    /// started again), said on stderr.
    pub notes: Vec<String>,
}

/// What a target's route and hold make of the events waiting for it at `now`: what is due
/// (in order), what the route no longer takes, what flapped, and what is held (and until
/// when). `notify` and `notify --dry-run` sort by this one rule.
#[derive(Debug, Default)]
pub struct Sorted {
    pub due: Vec<Event>,
    pub unrouted: Vec<String>,
    pub flapped: Vec<String>,
    pub held: usize,
    pub next_due: Option<Timestamp>,
}

pub fn sort(target: &Target, events: &[Event], now: Timestamp) -> Sorted {
    let mut sorted = Sorted::default();
    // The route as it stands now decides: what it no longer takes is done with.
    let (wanted, unrouted): (Vec<&Event>, Vec<&Event>) =
        events.iter().partition(|e| target.route.accepts(e));
    sorted.unrouted = unrouted.iter().map(|e| e.id.clone()).collect();
    let wanted: Vec<Event> = wanted.into_iter().cloned().collect();
    let fates = fates(&wanted, target.hold, now);
    for (event, fate) in wanted.into_iter().zip(&fates) {
        match fate {
            Fate::Due => sorted.due.push(event),
            Fate::Flapped => sorted.flapped.push(event.id),
            Fate::Wait(until) => {
                sorted.held += 1;
                sorted.next_due = Some(sorted.next_due.map_or(*until, |t| t.min(*until)));
            }
        }
    }
    sorted
}

/// Delivers what is due in the outbox at `now`, continuing the threads of `threads`.
pub fn deliver(
    target: &Target,
    outbox: &mut Outbox,
    threads: &mut Threads,
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
    let sorted = sort(target, &outbox.pending, now);
    outbox.done(&sorted.unrouted, now, Done::Nothing)?;
    (report.held, report.next_due) = (sorted.held, sorted.next_due);
    report.flapped = sorted.flapped.len();
    outbox.done(&sorted.flapped, now, Done::Flapped)?;
    let due = sorted.due;

    let build = |events: &[Event]| messages(endpoint, events);
    let by_id: HashMap<&str, &Event> = due.iter().map(|e| (e.id.as_str(), e)).collect();
    let mut queue: VecDeque<Message> = build(&due).into();
    let mut settled = 0;
    // Threads whose root the service no longer knows (deleted): started again, once a run.
    let mut restarted: HashSet<String> = HashSet::new();
    while let Some(message) = queue.pop_front() {
        if sender.stopped() {
            // What is left stays in the outbox for the next round.
            break;
        }
        let count = message.ids.len();
        if message.body.is_none() {
            outbox.done(&message.ids, now, Done::Nothing)?;
            report.delivered += count;
            settled += count;
            continue;
        }
        let key = message.step.as_ref().map(|s| s.key.clone());
        let root = key.as_deref().and_then(|k| threads.get(k)).cloned();
        let plan = plan(endpoint, &message, root.as_ref());
        match sender.send(endpoint, &plan.request) {
            Outcome::Accepted(answer) => {
                report.requests += 1;
                if let Some(id) = root_id(&answer) {
                    keep_root(threads, endpoint, plan.opens, id, now)?;
                }
                outbox.done(&message.ids, now, Done::Sent)?;
                report.delivered += count;
                settled += count;
                if let (Some(then), Some(root)) = (plan.then, root) {
                    // The root's status line: worth a request, never worth an event.
                    match sender.send(endpoint, &then) {
                        Outcome::Accepted(_) => {
                            report.requests += 1;
                            threads.keep(Root { at: now, ..root })?;
                        }
                        Outcome::Later(why)
                        | Outcome::TargetRefused(why)
                        | Outcome::MessageRefused { why, .. } => report.notes.push(format!(
                            "the thread's first message was not marked ended: {why}"
                        )),
                    }
                }
            }
            Outcome::Later(why) => {
                report.problem = Some(why);
                break;
            }
            Outcome::TargetRefused(why) if root.is_some() && key.is_some() => {
                // A reply to (or an edit of) a root that was deleted: a new thread, once.
                let key = key.unwrap_or_default();
                if !restarted.insert(key.clone()) {
                    report.problem = Some(why);
                    report.refused = true;
                    break;
                }
                threads.forget(&key)?;
                report
                    .notes
                    .push(format!("{why}; its thread is started again"));
                queue.push_front(message);
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

/// Keeps the root a plan `opened` (its thread's key, what to keep of it) as `id`.
fn keep_root(
    threads: &mut Threads,
    endpoint: &Endpoint,
    opened: Option<(String, serde_json::Value)>,
    id: String,
    now: Timestamp,
) -> Result<(), Error> {
    let Some((key, body)) = opened else {
        return Ok(());
    };
    let channel = endpoint.channel.clone();
    threads.keep(Root {
        key,
        id,
        channel,
        body,
        at: now,
    })
}

/// One request `notify --dry-run` would make, the ids of the events it carries, and its
/// thread: the incident's key, and whether it starts the thread.
#[derive(Debug)]
pub struct Rehearsed {
    pub request: Request,
    pub ids: Vec<String>,
    pub thread: Option<(String, bool)>,
}

impl Rehearsed {
    /// Its `dry_run` record: the target, its kind, the request with the URL shown as
    /// `scheme://host/…` (and Slack's Web API method), its headers and body, every secret of
    /// the target scrubbed from all of it (a PagerDuty body carries its routing key).
    pub fn record(&self, target: &Target) -> serde_json::Value {
        use serde_json::{json, Value};
        let Ok(endpoint) = &target.endpoint else {
            return Value::Null;
        };
        let body = serde_json::from_slice::<Value>(&self.request.body).unwrap_or_else(|_| {
            Value::String(String::from_utf8_lossy(&self.request.body).into_owned())
        });
        let headers: serde_json::Map<String, Value> = self
            .request
            .headers
            .iter()
            .map(|(name, value)| (name.to_string(), Value::String(value.clone())))
            .collect();
        let mut record = json!({
            "type": "dry_run",
            "target": target.name,
            "kind": endpoint.kind.as_str(),
            "method": self.request.method,
            "url": crate::notify::redacted_url(&self.request.url),
            "headers": headers,
            "body": body,
            "events": self.ids,
        });
        if self.request.answer == crate::notify::payload::request::Answer::SlackApi {
            let call = self.request.url.rsplit('/').next().unwrap_or_default();
            record["call"] = Value::String(call.to_string());
        }
        if let Some((key, starts)) = &self.thread {
            record["thread"] = json!({"key": key, "starts": starts});
        }
        let text = endpoint.scrub(&record.to_string());
        serde_json::from_str(&text).unwrap_or(record)
    }
}

/// What a run would send to `target` for `events` at `now`, changing nothing: the route and
/// hold sort them as [`deliver`] does, and each message is planned as it would be, in order.
/// Threads continue from the roots kept in `dir` (read, never written); a root this would
/// post is imagined, so the steps after it show as replies.
pub fn rehearse(
    target: &Target,
    events: &[Event],
    dir: &std::path::Path,
    now: Timestamp,
) -> Result<Vec<Rehearsed>, Error> {
    let endpoint = target
        .endpoint
        .as_ref()
        .map_err(|why| Error::Usage(format!("notify {}: {why}", target.name)))?;
    let kept = if endpoint.threads {
        Threads::read(dir)?
    } else {
        Threads::default()
    };
    let mut threads = Threads::imagined(kept.into_roots());
    let mut out = Vec::new();
    for message in messages(endpoint, &sort(target, events, now).due) {
        if message.body.is_none() {
            continue;
        }
        let root = message
            .step
            .as_ref()
            .and_then(|s| threads.get(&s.key))
            .cloned();
        let plan = plan(endpoint, &message, root.as_ref());
        let thread = message
            .step
            .as_ref()
            .map(|s| (s.key.clone(), root.is_none()));
        keep_root(&mut threads, endpoint, plan.opens, "(dry run)".into(), now)?;
        out.push(Rehearsed {
            request: plan.request,
            ids: message.ids.clone(),
            thread: thread.clone(),
        });
        if let Some(then) = plan.then {
            out.push(Rehearsed {
                request: then,
                ids: Vec::new(),
                thread,
            });
        }
    }
    Ok(out)
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
                let dir = settings.dir.join(&target.outbox);
                let threaded = target.endpoint.as_ref().is_ok_and(|e| e.threads);
                let mut threads = if threaded {
                    Threads::read(&dir)?
                } else {
                    Threads::default()
                };
                let mut report = deliver(target, &mut outbox, &mut threads, &sender, now)?;
                outbox.finish(now, settings.forget)?;
                threads.finish(now, settings.forget)?;
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
        let notes = self
            .notes
            .iter()
            .map(|note| format!("statusq: notify {name}: {note}"));
        let mut lines: Vec<String> = notes.collect();
        lines.extend(self.dead_reasons.iter().take(DEAD_SHOWN).map(|why| {
            format!(
                "statusq: notify {name}: {why}; its message was refused for its content \
                     and set aside as a dead letter (statusq notify --dead-letters)"
            )
        }));
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
