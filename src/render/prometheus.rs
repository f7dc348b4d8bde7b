//! Prometheus text exposition format 0.0.4, from snapshots (events are ignored).
//!
//! Written by hand: it is a small, stable format, and every family is emitted whole (all its
//! samples together), as the format requires. Component and page status are state sets — one
//! series per possible value, 1 for the current one — so alerts can match
//! `statusq_component_status{status="major_outage"} == 1`; `statusq_component_severity` gives a
//! number for thresholds. Usable with node_exporter's textfile collector via `--output FILE`.

use crate::model::{ComponentStatus, Indicator, Snapshot, Timestamp};
use crate::render::collected::Collected;
use crate::sanitize::{http_url, one_line};
use std::fmt::Write;

/// Escapes a label value: backslash, double quote and newline.
fn label(value: &str) -> String {
    one_line(value)
        .replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

/// `{a="x",b="y"}`.
pub(crate) fn labels(pairs: &[(&str, &str)]) -> String {
    let inner: Vec<String> = pairs
        .iter()
        .map(|(name, value)| format!("{name}=\"{}\"", label(value)))
        .collect();
    format!("{{{}}}", inner.join(","))
}

pub(crate) struct Family {
    name: &'static str,
    help: &'static str,
    samples: Vec<(String, f64)>,
}

impl Family {
    pub(crate) fn new(name: &'static str, help: &'static str) -> Family {
        Family {
            name,
            help,
            samples: Vec::new(),
        }
    }

    pub(crate) fn add(&mut self, pairs: &[(&str, &str)], value: f64) {
        self.samples.push((labels(pairs), value));
    }

    pub(crate) fn write(&self, out: &mut String) {
        if self.samples.is_empty() {
            return;
        }
        let _ = writeln!(out, "# HELP {} {}", self.name, self.help);
        let _ = writeln!(out, "# TYPE {} gauge", self.name);
        for (labels, value) in &self.samples {
            let _ = writeln!(out, "{}{} {}", self.name, labels, number(*value));
        }
    }
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn seconds(at: crate::model::Timestamp) -> f64 {
    let datetime = at.datetime();
    datetime.unix_timestamp() as f64 + f64::from(datetime.millisecond()) / 1000.0
}

/// The numeric severity of a component status, for thresholds.
pub fn component_severity(status: ComponentStatus) -> f64 {
    match status {
        ComponentStatus::Operational => 0.0,
        ComponentStatus::UnderMaintenance => 1.0,
        ComponentStatus::DegradedPerformance => 2.0,
        ComponentStatus::PartialOutage => 3.0,
        ComponentStatus::MajorOutage => 4.0,
    }
}

const INDICATORS: [Indicator; 5] = [
    Indicator::None,
    Indicator::Minor,
    Indicator::Major,
    Indicator::Critical,
    Indicator::Maintenance,
];

const COMPONENT_STATUSES: [ComponentStatus; 5] = [
    ComponentStatus::Operational,
    ComponentStatus::DegradedPerformance,
    ComponentStatus::PartialOutage,
    ComponentStatus::MajorOutage,
    ComponentStatus::UnderMaintenance,
];

/// The whole exposition for the collected snapshots.
pub fn document(collected: &Collected) -> String {
    let mut families = Families::new();
    for snapshot in &collected.snapshots {
        families.fetch(snapshot, collected.last_success.get(&snapshot.provider));
        if !snapshot.ok {
            continue;
        }
        families.page(snapshot);
        families.components(snapshot);
        families.incidents(snapshot);
        families.maintenances(snapshot);
    }
    families.write()
}

/// Every family `document` writes, in the order it writes them.
struct Families {
    up: Family,
    duration: Family,
    observed: Family,
    success: Family,
    page: Family,
    component_status: Family,
    component_severity: Family,
    incident_info: Family,
    incidents: Family,
    maintenance_info: Family,
    maintenances: Family,
}

impl Families {
    fn new() -> Families {
        Families {
            up: Family::new(
                "statusq_up",
                "Whether the provider's status page was fetched and understood (1) or not (0).",
            ),
            duration: Family::new(
                "statusq_fetch_duration_seconds",
                "Wall time of the last fetch of the provider, all requests and retries included.",
            ),
            observed: Family::new(
                "statusq_last_fetch_timestamp_seconds",
                "When the provider was last fetched, successfully or not (Unix time).",
            ),
            success: Family::new(
                "statusq_last_success_timestamp_seconds",
                "When the provider was last fetched successfully (Unix time).",
            ),
            page: Family::new(
                "statusq_page_status",
                "The page's overall indicator as a state set: 1 for the current value.",
            ),
            component_status: Family::new(
                "statusq_component_status",
                "Each component's status as a state set: 1 for the current value.",
            ),
            component_severity: Family::new(
                "statusq_component_severity",
                "Component severity: 0 operational, 1 under_maintenance, 2 degraded_performance, 3 partial_outage, 4 major_outage.",
            ),
            incident_info: Family::new(
                "statusq_incident_info",
                "One series per unresolved incident, always 1; the labels describe it.",
            ),
            incidents: Family::new(
                "statusq_active_incidents",
                "Number of unresolved incidents.",
            ),
            maintenance_info: Family::new(
                "statusq_maintenance_info",
                "One series per scheduled or running maintenance, always 1; the labels describe it.",
            ),
            maintenances: Family::new(
                "statusq_active_maintenances",
                "Number of scheduled or running maintenances.",
            ),
        }
    }

    /// Whether and when the provider was fetched, for every snapshot, failed or not.
    fn fetch(&mut self, snapshot: &Snapshot, last_success: Option<&Timestamp>) {
        let provider = snapshot.provider.as_str();
        self.up.add(
            &[("provider", provider), ("name", &snapshot.name)],
            if snapshot.ok { 1.0 } else { 0.0 },
        );
        self.duration.add(
            &[("provider", provider)],
            snapshot.elapsed_ms as f64 / 1000.0,
        );
        self.observed
            .add(&[("provider", provider)], seconds(snapshot.fetched_at));
        if let Some(at) = last_success {
            self.success.add(&[("provider", provider)], seconds(*at));
        }
    }

    fn page(&mut self, snapshot: &Snapshot) {
        let Some(status) = &snapshot.status else {
            return;
        };
        for indicator in INDICATORS {
            self.page.add(
                &[
                    ("provider", snapshot.provider.as_str()),
                    ("status", indicator.as_str()),
                ],
                if status.indicator == indicator {
                    1.0
                } else {
                    0.0
                },
            );
        }
    }

    fn components(&mut self, snapshot: &Snapshot) {
        for component in snapshot.components.iter().flatten() {
            let group = component.group.as_deref().unwrap_or("");
            let base = [
                ("provider", snapshot.provider.as_str()),
                ("component_id", component.id.as_str()),
                ("component", component.name.as_str()),
                ("group", group),
            ];
            for status in COMPONENT_STATUSES {
                let mut pairs = base.to_vec();
                pairs.push(("status", status.as_str()));
                self.component_status
                    .add(&pairs, if component.status == status { 1.0 } else { 0.0 });
            }
            self.component_severity
                .add(&base, component_severity(component.status));
        }
    }

    /// The open incidents ([`crate::model::Incident::is_open`]), when the page lists any.
    fn incidents(&mut self, snapshot: &Snapshot) {
        if snapshot.incidents.is_none() {
            return;
        }
        let provider = snapshot.provider.as_str();
        let mut count = 0;
        for incident in snapshot.open_incidents() {
            count += 1;
            self.incident_info.add(
                &[
                    ("provider", provider),
                    ("id", &incident.id),
                    ("name", &incident.name),
                    ("impact", incident.impact.map_or("", Indicator::as_str)),
                    ("status", incident.status.as_str()),
                    (
                        "url",
                        incident.url.as_deref().and_then(http_url).unwrap_or(""),
                    ),
                ],
                1.0,
            );
        }
        self.incidents
            .add(&[("provider", provider)], f64::from(count));
    }

    /// The maintenances announced or under way, when the page lists any.
    fn maintenances(&mut self, snapshot: &Snapshot) {
        if snapshot.maintenances.is_none() {
            return;
        }
        let provider = snapshot.provider.as_str();
        let mut count = 0;
        for maintenance in snapshot.open_maintenances() {
            count += 1;
            let from = maintenance
                .scheduled_for
                .map(|t| t.to_string())
                .unwrap_or_default();
            let until = maintenance
                .scheduled_until
                .map(|t| t.to_string())
                .unwrap_or_default();
            self.maintenance_info.add(
                &[
                    ("provider", provider),
                    ("id", &maintenance.id),
                    ("name", &maintenance.name),
                    ("status", maintenance.status.as_str()),
                    ("scheduled_for", &from),
                    ("scheduled_until", &until),
                    (
                        "url",
                        maintenance.url.as_deref().and_then(http_url).unwrap_or(""),
                    ),
                ],
                1.0,
            );
        }
        self.maintenances
            .add(&[("provider", provider)], f64::from(count));
    }

    fn write(&self) -> String {
        let mut out = String::new();
        for family in [
            &self.up,
            &self.duration,
            &self.observed,
            &self.success,
            &self.page,
            &self.component_status,
            &self.component_severity,
            &self.incident_info,
            &self.incidents,
            &self.maintenance_info,
            &self.maintenances,
        ] {
            family.write(&mut out);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_values_are_escaped_and_on_one_line() {
        assert_eq!(label("a\"b\\c\nd\u{1b}[2J"), "a\\\"b\\\\c d[2J");
    }

    #[test]
    fn numbers_are_plain() {
        assert_eq!(number(1.0), "1");
        assert_eq!(number(0.183), "0.183");
        assert_eq!(number(1763782200.5), "1763782200.5");
    }
}
