//! What a digest is made of, whatever the format: one [`Block`] per incident or maintenance
//! update, and one per provider, poll and new status for component changes, so a page that
//! marks 22 components degraded in one poll is one block, not 22. Text, Markdown and the HTML
//! timeline all lay out these blocks; only their looks differ.

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
    /// An event on its own.
    Event(&'a Event),
    /// Two or more components of one provider that one poll found changed to one status.
    Components(Components<'a>),
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
            Block::Event(event) => describe(event).severity,
            Block::Components(group) => Severity::of_component(group.status),
        }
    }

    /// The events it tells.
    pub fn events(&self) -> Vec<&Event> {
        match self {
            Block::Event(event) => vec![event],
            Block::Components(group) => group.events.clone(),
        }
    }

    /// When it happened: the event's time, or the latest of the grouped changes.
    pub fn at(&self) -> Timestamp {
        match self {
            Block::Event(event) => event.at,
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
        match (event.event, &event.component) {
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
            _ => provider.blocks.push(Block::Event(event)),
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
                provider.blocks.push(Block::Event(single));
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
        out.extend(provider.blocks);
    }
    out
}
