//! Prometheus text exposition format 0.0.4, from snapshots (events are ignored).
//!
//! Written by hand: it is a small, stable format, and every family is emitted whole (all its
//! samples together), as the format requires. Component and page status are state sets — one
//! series per possible value, 1 for the current one — so alerts can match
//! `statusq_component_status{status="major_outage"} == 1`; `statusq_component_severity` gives a
//! number for thresholds. Usable with node_exporter's textfile collector via `--output FILE`.
//!
//! [`Options`] bound the series a page with thousands of components makes
//! (`--max-components-metrics`) and add, with [`Compat::StatuspageExporter`], the metric names
//! and labels the Prometheus statuspage exporters publish, so their dashboards and alerts keep
//! working.

use crate::model::{Component, ComponentStatus, Indicator, Snapshot};
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
    kind: &'static str,
    samples: Vec<(String, f64)>,
}

impl Family {
    pub(crate) fn new(name: &'static str, help: &'static str) -> Family {
        Family {
            name,
            help,
            kind: "gauge",
            samples: Vec::new(),
        }
    }

    pub(crate) fn counter(name: &'static str, help: &'static str) -> Family {
        Family {
            kind: "counter",
            ..Family::new(name, help)
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
        let _ = writeln!(out, "# TYPE {} {}", self.name, self.kind);
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

/// Metric names of other exporters statusq also publishes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Compat {
    /// The statuspage exporters' `statuspage_*` families.
    StatuspageExporter,
}

/// How the exposition is made.
#[derive(Clone, Debug)]
pub struct Options {
    /// Other exporters' names to publish too.
    pub compat: Option<Compat>,
    /// The most components of one provider given series of their own; past it, only the
    /// components not operational are (at most this many), and
    /// `statusq_components_omitted` says how many were left out.
    pub max_components: usize,
}

/// The default of `--max-components-metrics`.
pub const MAX_COMPONENTS: usize = 500;

impl Default for Options {
    fn default() -> Options {
        Options {
            compat: None,
            max_components: MAX_COMPONENTS,
        }
    }
}

/// The whole exposition for the collected snapshots.
pub fn document(collected: &Collected, options: &Options) -> String {
    let mut families = Families::new();
    let mut compat = options.compat.map(|_| CompatFamilies::new());
    for snapshot in &collected.snapshots {
        families.fetch(snapshot, collected);
        if let Some(compat) = compat.as_mut() {
            compat.service(snapshot);
        }
        if !snapshot.ok {
            continue;
        }
        let shown = shown_components(snapshot, options.max_components);
        families.page(snapshot);
        families.components(snapshot, &shown);
        families.incidents(snapshot);
        families.maintenances(snapshot);
        if let Some(compat) = compat.as_mut() {
            compat.components(snapshot, &shown);
            compat.incidents(snapshot);
        }
    }
    let mut out = families.write();
    if let Some(compat) = compat {
        compat.write(&mut out);
    }
    out
}

/// Each provider's polls and failed polls since the process started, as counters: `serve`'s
/// (a `render` of a stream would restart them every run, which a counter must not do).
pub fn poll_counters(collected: &Collected) -> String {
    let mut polls = Family::counter(
        "statusq_polls_total",
        "Polls of the provider since the exporter started.",
    );
    let mut failures = Family::counter(
        "statusq_poll_failures_total",
        "Polls of the provider that failed (ok:false) since the exporter started.",
    );
    for snapshot in &collected.snapshots {
        let provider = snapshot.provider.as_str();
        let count = |map: &std::collections::HashMap<String, u64>| {
            map.get(provider).copied().unwrap_or(0) as f64
        };
        polls.add(&[("provider", provider)], count(&collected.polls));
        failures.add(&[("provider", provider)], count(&collected.failures));
    }
    let mut out = String::new();
    polls.write(&mut out);
    failures.write(&mut out);
    out
}

/// The components of `snapshot` given series: all of them up to `max`; past it, those not
/// operational (at most `max`), the troubled ones being what a dashboard needs to see.
fn shown_components(snapshot: &Snapshot, max: usize) -> Vec<&Component> {
    let all: Vec<&Component> = snapshot.components.iter().flatten().collect();
    if all.len() <= max {
        return all;
    }
    all.into_iter()
        .filter(|c| c.status != ComponentStatus::Operational)
        .take(max)
        .collect()
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
    omitted: Family,
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
            omitted: Family::new(
                "statusq_components_omitted",
                "Operational components given no series of their own (past --max-components-metrics).",
            ),
        }
    }

    /// Whether and when the provider was fetched, for every snapshot, failed or not.
    fn fetch(&mut self, snapshot: &Snapshot, collected: &Collected) {
        // Every snapshot in, failed or not.
        let provider = snapshot.provider.as_str();
        let last_success = collected.last_success.get(provider);
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

    fn components(&mut self, snapshot: &Snapshot, shown: &[&Component]) {
        let all = snapshot.components.as_ref().map_or(0, Vec::len);
        if all > shown.len() {
            self.omitted.add(
                &[("provider", snapshot.provider.as_str())],
                (all - shown.len()) as f64,
            );
        }
        for component in shown {
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
            &self.omitted,
        ] {
            family.write(&mut out);
        }
        out
    }
}

/// The statuspage exporters' families, by their names and labels.
struct CompatFamilies {
    service: Family,
    component: Family,
    incident: Family,
    maintenance: Family,
    response: Family,
}

/// The statuspage exporters' number for a page: 1 operational, 0 maintenance, -1 an incident
/// or a page that cannot be read.
fn service_value(snapshot: &Snapshot) -> Option<f64> {
    if !snapshot.ok {
        return Some(-1.0);
    }
    snapshot.status.as_ref().map(|s| match s.indicator {
        Indicator::None => 1.0,
        Indicator::Maintenance => 0.0,
        Indicator::Minor | Indicator::Major | Indicator::Critical => -1.0,
    })
}

/// Theirs for a component: 1 operational, 0 under maintenance, -1 degraded or down.
fn component_value(status: ComponentStatus) -> f64 {
    match status {
        ComponentStatus::Operational => 1.0,
        ComponentStatus::UnderMaintenance => 0.0,
        _ => -1.0,
    }
}

/// The names of the components `ids` names, comma-joined, in the page's order.
fn component_names(snapshot: &Snapshot, ids: Option<&Vec<String>>) -> String {
    let Some(ids) = ids else {
        return String::new();
    };
    let wanted: std::collections::HashSet<&str> = ids.iter().map(String::as_str).collect();
    snapshot
        .components
        .iter()
        .flatten()
        .filter(|c| wanted.contains(c.id.as_str()))
        .map(|c| c.name.as_str())
        .collect::<Vec<_>>()
        .join(",")
}

impl CompatFamilies {
    fn new() -> CompatFamilies {
        CompatFamilies {
            service: Family::new(
                "statuspage_service_status",
                "The service's status: 1 operational, 0 under maintenance, -1 incident or unreachable.",
            ),
            component: Family::new(
                "statuspage_component_status",
                "A component's status: 1 operational, 0 under maintenance, -1 degraded or in outage.",
            ),
            incident: Family::new(
                "statuspage_incident_info",
                "One series per unresolved incident, always 1; the labels describe it.",
            ),
            maintenance: Family::new(
                "statuspage_maintenance_info",
                "One series per scheduled or running maintenance, always 1; the labels describe it.",
            ),
            response: Family::new(
                "statuspage_response_time_seconds",
                "How long the status page took to fetch and read.",
            ),
        }
    }

    fn service(&mut self, snapshot: &Snapshot) {
        let name = [("service_name", snapshot.provider.as_str())];
        if let Some(value) = service_value(snapshot) {
            self.service.add(&name, value);
        }
        self.response
            .add(&name, snapshot.elapsed_ms as f64 / 1000.0);
    }

    fn components(&mut self, snapshot: &Snapshot, shown: &[&Component]) {
        for component in shown {
            self.component.add(
                &[
                    ("service_name", snapshot.provider.as_str()),
                    ("component_name", component.name.as_str()),
                ],
                component_value(component.status),
            );
        }
    }

    fn incidents(&mut self, snapshot: &Snapshot) {
        let service = snapshot.provider.as_str();
        let link = |url: Option<&str>| url.and_then(http_url).unwrap_or("").to_string();
        let time =
            |at: Option<crate::model::Timestamp>| at.map(|t| t.to_string()).unwrap_or_default();
        for incident in snapshot.open_incidents() {
            self.incident.add(
                &[
                    ("service_name", service),
                    ("incident_id", &incident.id),
                    ("incident_name", &incident.name),
                    ("impact", incident.impact.map_or("", Indicator::as_str)),
                    ("shortlink", &link(incident.url.as_deref())),
                    ("started_at", &time(incident.created_at)),
                    (
                        "affected_components",
                        &component_names(snapshot, incident.components.as_ref()),
                    ),
                ],
                1.0,
            );
        }
        for maintenance in snapshot.open_maintenances() {
            self.maintenance.add(
                &[
                    ("service_name", service),
                    ("maintenance_id", &maintenance.id),
                    ("maintenance_name", &maintenance.name),
                    ("scheduled_start", &time(maintenance.scheduled_for)),
                    ("scheduled_end", &time(maintenance.scheduled_until)),
                    ("shortlink", &link(maintenance.url.as_deref())),
                    (
                        "affected_components",
                        &component_names(snapshot, maintenance.components.as_ref()),
                    ),
                ],
                1.0,
            );
        }
    }

    fn write(&self, out: &mut String) {
        for family in [
            &self.service,
            &self.component,
            &self.incident,
            &self.maintenance,
            &self.response,
        ] {
            family.write(out);
        }
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
