//! What a digest is made of, whatever the format: one [`Block`] per incident or maintenance
//! step — the update, with the component changes it names (its `Affected:` line already says
//! them) and the page status it caused folded in — and one per provider, poll and new status
//! for the component changes no update of that poll names, so a page that marks 22 components
//! degraded in one poll is one block, not 22. Text, Markdown and the HTML timeline all lay out
//! these blocks; only their looks differ.

use crate::model::{ComponentStatus, Event, EventKind, Timestamp};
use crate::render::describe::describe;
use crate::render::style::Severity;
use crate::sanitize::one_line;
use std::collections::{HashMap, HashSet};

/// How many component names a grouped block lists before "and N more".
pub const NAMES_SHOWN: usize = 10;

/// One unit of news.
#[derive(Debug)]
pub enum Block<'a> {
    /// An event, with what it explains folded in.
    Event(Step<'a>),
    /// Two or more components of one provider that one poll found changed to one status.
    Components(Components<'a>),
}

/// An event and the events of the same poll that it explains: the component changes its
/// update names at the status it gave them, and (for the poll's last incident or maintenance
/// update) the page status change.
#[derive(Debug)]
pub struct Step<'a> {
    pub event: &'a Event,
    /// Component changes said by the update's own `Affected:` list.
    pub components: Vec<&'a Event>,
    /// The page status change (`status.changed`) the step caused.
    pub page: Option<&'a Event>,
}

impl<'a> Step<'a> {
    fn of(event: &'a Event) -> Step<'a> {
        Step {
            event,
            components: Vec::new(),
            page: None,
        }
    }

    /// The page status change it caused, in words (`Page status: none → critical`).
    pub fn page_status(&self) -> Option<String> {
        let page = self.page?;
        let to = one_line(page.to.as_deref().unwrap_or("unknown"));
        Some(match &page.from {
            Some(from) => format!("Page status: {} → {to}", one_line(from)),
            None => format!("Page status: {to}"),
        })
    }
}

/// Component changes of one provider's poll to one status, told as one.
#[derive(Debug)]
pub struct Components<'a> {
    /// The events, in input order (at least two).
    pub events: Vec<&'a Event>,
    pub status: ComponentStatus,
    /// The open incidents among the same poll's events of the provider: what the change
    /// happened during.
    pub during: Vec<String>,
    /// The latest of the changes.
    pub at: Timestamp,
}

impl Block<'_> {
    /// How bad it is, for colours.
    pub fn severity(&self) -> Severity {
        match self {
            Block::Event(step) => describe(step.event).severity,
            Block::Components(group) => Severity::of_component(group.status),
        }
    }

    /// The events it tells.
    pub fn events(&self) -> Vec<&Event> {
        match self {
            Block::Event(step) => std::iter::once(step.event)
                .chain(step.components.iter().copied())
                .chain(step.page)
                .collect(),
            Block::Components(group) => group.events.clone(),
        }
    }

    /// When it happened: the event's time, or the latest of the grouped changes.
    pub fn at(&self) -> Timestamp {
        match self {
            Block::Event(step) => step.event.at,
            Block::Components(group) => group.at,
        }
    }
}

impl Components<'_> {
    /// The names it lists, at most [`NAMES_SHOWN`], and how many more there are.
    pub fn names_shown(&self) -> (Vec<String>, usize) {
        let mut names = self.names();
        let more = names.len().saturating_sub(NAMES_SHOWN);
        names.truncate(NAMES_SHOWN);
        (names, more)
    }

    /// The component names (`Group/Name` where grouped), cleaned.
    pub fn names(&self) -> Vec<String> {
        self.events
            .iter()
            .filter_map(|e| e.component.as_ref())
            .map(|c| one_line(&c.qualified_name))
            .collect()
    }
}

/// The events as blocks: providers in the order they first appear, each provider's blocks in
/// time order (ties keep the input order). Linear in the events apart from the sort.
pub fn blocks(events: &[Event]) -> Vec<Block<'_>> {
    // Per provider: its blocks, and its component changes keyed by poll and new status.
    struct Provider<'a> {
        id: &'a str,
        blocks: Vec<Block<'a>>,
        changes: Vec<((Timestamp, ComponentStatus), Vec<&'a Event>)>,
        /// Where each (poll, status) is in `changes`: a long input of many polls stays linear.
        change_at: HashMap<(Timestamp, ComponentStatus), usize>,
    }
    // Per provider and poll: the component statuses its updates gave, and whether it has an
    // update at all (a page status change then belongs to the poll's last one).
    let mut named: HashSet<(&str, Timestamp, &str, ComponentStatus)> = HashSet::new();
    let mut stepped: HashSet<(&str, Timestamp)> = HashSet::new();
    for event in events {
        if let Some(update) = &event.update {
            stepped.insert((event.provider.as_str(), event.observed_at));
            for c in update.components.iter().flatten() {
                named.insert((&event.provider, event.observed_at, &c.id, c.status));
            }
        }
    }
    let mut folded: Folded = HashMap::new();
    let mut providers: Vec<Provider> = Vec::new();
    let mut index: HashMap<&str, usize> = HashMap::new();
    for event in events {
        let at = *index.entry(&event.provider).or_insert_with(|| {
            providers.push(Provider {
                id: &event.provider,
                blocks: Vec::new(),
                changes: Vec::new(),
                change_at: HashMap::new(),
            });
            providers.len() - 1
        });
        let provider = &mut providers[at];
        let poll = (event.provider.as_str(), event.observed_at);
        match (event.event, &event.component) {
            (EventKind::ComponentChanged, Some(component))
                if named.contains(&(poll.0, poll.1, component.id.as_str(), component.status)) =>
            {
                folded.entry(poll).or_default().0.push(event);
            }
            (EventKind::StatusChanged, _) if stepped.contains(&poll) => {
                folded.entry(poll).or_default().1 = Some(event);
            }
            (EventKind::ComponentChanged, Some(component)) => {
                let key = (event.observed_at, component.status);
                match provider.change_at.get(&key) {
                    Some(&at) => provider.changes[at].1.push(event),
                    None => {
                        provider.change_at.insert(key, provider.changes.len());
                        provider.changes.push((key, vec![event]));
                    }
                }
            }
            _ => provider.blocks.push(Block::Event(Step::of(event))),
        }
    }
    // The open incidents of each provider's poll, gathered in one pass.
    let mut open: HashMap<(&str, Timestamp), Vec<String>> = HashMap::new();
    let mut seen: HashSet<(&str, Timestamp, &str)> = HashSet::new();
    // The model's rule on the event's status word (an event does not carry raw_status).
    let is_open = |i: &&crate::model::EventItem| {
        crate::model::IncidentStatus::from_word(&i.status).is_some_and(|s| s.is_open())
    };
    for event in events {
        if let Some(incident) = event.incident.as_ref().filter(is_open) {
            let key = (event.provider.as_str(), event.observed_at);
            if seen.insert((key.0, key.1, incident.name.as_str())) {
                open.entry(key).or_default().push(one_line(&incident.name));
            }
        }
    }
    let mut out = Vec::with_capacity(events.len());
    for mut provider in providers {
        for ((poll, status), list) in std::mem::take(&mut provider.changes) {
            if let [single] = list.as_slice() {
                provider.blocks.push(Block::Event(Step::of(single)));
                continue;
            }
            let during = open.get(&(provider.id, poll)).cloned().unwrap_or_default();
            let at = list.iter().map(|e| e.at).max().unwrap_or(poll);
            provider.blocks.push(Block::Components(Components {
                events: list,
                status,
                during,
                at,
            }));
        }
        provider.blocks.sort_by_key(Block::at);
        fold(&mut provider.blocks, provider.id, &mut folded);
        out.extend(provider.blocks);
    }
    out
}

/// Per provider and poll, the events a step explains: component changes, a page status change.
type Folded<'a> = HashMap<(&'a str, Timestamp), (Vec<&'a Event>, Option<&'a Event>)>;

/// Gives each step what it explains: a component change to the step whose update names it at
/// that status, the page status change to the poll's last step.
fn fold<'a>(blocks: &mut [Block<'a>], provider: &'a str, folded: &mut Folded<'a>) {
    let mut last_step: HashMap<Timestamp, usize> = HashMap::new();
    for (at, block) in blocks.iter().enumerate() {
        if let Block::Event(step) = block {
            if step.event.update.is_some() {
                last_step.insert(step.event.observed_at, at);
            }
        }
    }
    let names = |step: &Step, component: &Event| {
        let (Some(update), Some(changed)) = (&step.event.update, &component.component) else {
            return false;
        };
        update
            .components
            .iter()
            .flatten()
            .any(|c| c.id == changed.id && c.status == changed.status)
    };
    for (poll, last) in last_step {
        let Some((components, page)) = folded.remove(&(provider, poll)) else {
            continue;
        };
        for component in components {
            let owner = blocks.iter().rposition(|block| {
                matches!(block, Block::Event(step)
                    if step.event.observed_at == poll && names(step, component))
            });
            if let Some(Block::Event(step)) = blocks.get_mut(owner.unwrap_or(last)) {
                step.components.push(component);
            }
        }
        if let Some(Block::Event(step)) = blocks.get_mut(last) {
            step.page = page;
        }
    }
}
