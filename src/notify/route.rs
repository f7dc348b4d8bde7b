//! Which events a target wants: its providers, event names, the least impact or component level
//! worth a message, and the components it cares about. Pure.

use crate::model::{ComponentStatus, Event, EventKind, Indicator};
use crate::select::component_selected;

/// A target's filter. Empty lists take everything.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Route {
    /// Globs on the provider id (`github`, `open*`).
    pub providers: Vec<String>,
    /// Globs on the event name (`incident.*`, `maintenance.started`).
    pub events: Vec<String>,
    /// Incidents of at least this impact (`minor`, `major`, `critical`); an incident upstream
    /// gives no impact counts as `minor`.
    pub min_impact: Option<Indicator>,
    /// Component changes from or to at least this level (`degraded_performance`, …), so the
    /// recovery of a watched outage is sent too.
    pub min_level: Option<ComponentStatus>,
    /// Globs on component names (`Actions`, `Group/Name`), for component changes and for
    /// incident updates that name their components.
    pub components: Vec<String>,
}

fn glob_matches(patterns: &[String], text: &str) -> bool {
    patterns.is_empty()
        || patterns.iter().any(|p| {
            glob::Pattern::new(p).is_ok_and(|p| {
                p.matches_with(
                    text,
                    glob::MatchOptions {
                        case_sensitive: false,
                        require_literal_separator: false,
                        require_literal_leading_dot: false,
                    },
                )
            })
        })
}

impl Route {
    /// Whether the target wants `event`.
    pub fn accepts(&self, event: &Event) -> bool {
        if !glob_matches(&self.providers, &event.provider)
            || !glob_matches(&self.events, event.event.as_str())
        {
            return false;
        }
        if let Some(least) = self.min_impact {
            if let Some(incident) = &event.incident {
                let impact = incident
                    .impact
                    .filter(|i| *i != Indicator::None)
                    .unwrap_or(Indicator::Minor);
                if impact.rank() < least.rank() {
                    return false;
                }
            }
        }
        if event.event == EventKind::ComponentChanged {
            let Some(component) = &event.component else {
                return false;
            };
            if !component_selected(
                &self.components,
                &component.name,
                component.group.as_deref(),
            ) {
                return false;
            }
            if let Some(least) = self.min_level {
                let from = event
                    .from
                    .as_deref()
                    .and_then(ComponentStatus::from_word)
                    .map_or(0, ComponentStatus::trouble);
                if from.max(component.status.trouble()) < least.trouble() {
                    return false;
                }
            }
        } else if !self.components.is_empty() {
            // An incident or maintenance update that names its components is sent when one of
            // them is watched; one that names none cannot be judged and is sent.
            if let Some(listed) = event.update.as_ref().and_then(|u| u.components.as_ref()) {
                if !listed.is_empty()
                    && !listed
                        .iter()
                        .any(|c| component_selected(&self.components, &c.name, None))
                {
                    return false;
                }
            }
        }
        true
    }
}
