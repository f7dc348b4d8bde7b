//! Unit and property tests of the diff engine: pure, no disk.

use super::*;
use crate::diff::state::State;
use crate::model::{
    Component, ErrorKind, FetchError, IncidentStatus, Indicator, PageStatus, Phase, SnapshotMeta,
    Timestamp, Update,
};
use proptest::prelude::*;

fn at(minute: i64) -> Timestamp {
    Timestamp::from(time::macros::datetime!(2026-11-01 00:00 UTC) + time::Duration::minutes(minute))
}

fn meta(minute: i64) -> SnapshotMeta {
    SnapshotMeta {
        provider: "p".into(),
        name: "P".into(),
        url: "https://status.p.example".into(),
        format: "statuspage".into(),
        fetched_at: at(minute),
        elapsed_ms: 1,
    }
}

fn ok(minute: i64, components: Vec<Component>, incidents: Vec<Incident>) -> Snapshot {
    let worst = components.iter().map(|c| c.status).max();
    Snapshot {
        status: Some(PageStatus {
            indicator: match worst {
                Some(ComponentStatus::MajorOutage) => Indicator::Major,
                Some(ComponentStatus::Operational) | None => Indicator::None,
                _ => Indicator::Minor,
            },
            description: String::new(),
            raw_status: None,
        }),
        components: Some(components),
        incidents: Some(incidents),
        maintenances: Some(Vec::new()),
        ..Snapshot::failed(
            meta(minute),
            FetchError {
                kind: ErrorKind::Io,
                message: String::new(),
                http_status: None,
                retry_after: None,
            },
        )
    }
    .into_ok()
}

trait IntoOk {
    fn into_ok(self) -> Snapshot;
}
impl IntoOk for Snapshot {
    fn into_ok(mut self) -> Snapshot {
        self.ok = true;
        self.error = None;
        self
    }
}

fn failed(minute: i64) -> Snapshot {
    Snapshot::failed(
        meta(minute),
        FetchError {
            kind: ErrorKind::Timeout,
            message: "timed out".into(),
            http_status: None,
            retry_after: None,
        },
    )
}

fn component(id: &str, status: ComponentStatus) -> Component {
    Component {
        id: id.into(),
        name: format!("Component {id}"),
        group: Some("Core".into()),
        status,
        raw_status: None,
        updated_at: None,
    }
}

fn incident(id: &str, updates: &[(&str, Phase, i64)]) -> Incident {
    let updates: Vec<Update> = updates
        .iter()
        .map(|(uid, phase, minute)| Update {
            id: uid.to_string(),
            status: *phase,
            raw_status: None,
            body: format!("update {uid}"),
            at: Some(at(*minute)),
            components: None,
        })
        .collect();
    let status = match updates.last().map(|u| u.status) {
        Some(Phase::Resolved) => IncidentStatus::Resolved,
        Some(Phase::Identified) => IncidentStatus::Identified,
        Some(Phase::Monitoring) => IncidentStatus::Monitoring,
        _ => IncidentStatus::Investigating,
    };
    Incident {
        id: id.into(),
        name: format!("Incident {id}"),
        status,
        raw_status: None,
        impact: Some(Indicator::Minor),
        url: None,
        created_at: updates.first().and_then(|u| u.at),
        updated_at: updates.last().and_then(|u| u.at),
        resolved_at: None,
        components: None,
        updates,
    }
}

fn kinds(events: &[Event]) -> Vec<&'static str> {
    events.iter().map(|e| e.event.as_str()).collect()
}

#[test]
fn first_sight_is_a_baseline_of_what_is_live() {
    let mut state = State::new();
    let snapshot = ok(
        0,
        vec![
            component("a", ComponentStatus::Operational),
            component("b", ComponentStatus::PartialOutage),
        ],
        vec![
            incident(
                "old",
                &[
                    ("o1", Phase::Investigating, -900),
                    ("o2", Phase::Resolved, -800),
                ],
            ),
            incident(
                "live",
                &[
                    ("l1", Phase::Investigating, -5),
                    ("l2", Phase::Identified, -2),
                ],
            ),
        ],
    );
    let events = apply(&mut state, &snapshot, &Options::default());
    assert_eq!(
        kinds(&events),
        ["status.changed", "component.changed", "incident.created"]
    );
    let created = &events[2];
    assert_eq!(created.id, "p/incident/live/update/l2");
    assert_eq!(created.update.as_ref().unwrap().id, "l2");
    assert_eq!(
        events[1].component.as_ref().unwrap().qualified_name,
        "Core/Component b"
    );
    assert_eq!(events[1].from, None);
    assert!(apply(&mut state, &snapshot, &Options::default()).is_empty());
}

#[test]
fn feed_entries_of_unknown_status_are_not_live_on_a_baseline() {
    let mut state = State::new();
    let mut unknown = incident("feed1", &[("f1", Phase::Investigating, -5)]);
    unknown.status = IncidentStatus::Unstated;
    let snapshot = ok(0, vec![], vec![unknown.clone()]);
    assert!(apply(&mut state, &snapshot, &Options::default()).is_empty());
    // A new entry after the baseline is news, stated status or not.
    let mut later = incident("feed2", &[("f2", Phase::Investigating, 1)]);
    later.status = IncidentStatus::Unstated;
    let events = apply(
        &mut state,
        &ok(2, vec![], vec![unknown, later]),
        &Options::default(),
    );
    assert_eq!(kinds(&events), ["incident.created"]);
}

#[test]
fn replay_emits_the_whole_history_on_first_sight() {
    let mut state = State::new();
    let snapshot = ok(
        0,
        vec![],
        vec![incident(
            "old",
            &[
                ("o1", Phase::Investigating, -900),
                ("o2", Phase::Resolved, -800),
            ],
        )],
    );
    let options = Options {
        replay: true,
        ..Options::default()
    };
    let events = apply(&mut state, &snapshot, &options);
    assert_eq!(kinds(&events), ["incident.created", "incident.resolved"]);
}

#[test]
fn each_update_is_one_event_and_resolution_comes_from_upstream() {
    let mut state = State::new();
    let options = Options::default();
    apply(&mut state, &ok(0, vec![], vec![]), &options);
    let steps = [
        vec![("u1", Phase::Investigating, 1)],
        vec![
            ("u1", Phase::Investigating, 1),
            ("u2", Phase::Identified, 2),
        ],
        vec![
            ("u1", Phase::Investigating, 1),
            ("u2", Phase::Identified, 2),
            ("u3", Phase::Resolved, 3),
        ],
    ];
    let mut all = Vec::new();
    for (i, updates) in steps.iter().enumerate() {
        let snapshot = ok(10 + i as i64, vec![], vec![incident("x", updates)]);
        all.extend(apply(&mut state, &snapshot, &options));
    }
    assert_eq!(
        kinds(&all),
        ["incident.created", "incident.updated", "incident.resolved"]
    );
    // The incident ages out of the window: nothing, and certainly no resolution.
    assert!(apply(&mut state, &ok(20, vec![], vec![]), &options).is_empty());
}

#[test]
fn a_vanished_open_incident_is_never_reported_resolved() {
    let mut state = State::new();
    let options = Options::default();
    let open = ok(
        0,
        vec![],
        vec![incident("x", &[("u1", Phase::Investigating, 0)])],
    );
    apply(&mut state, &open, &options);
    for minute in 1..5 {
        let events = apply(&mut state, &ok(minute, vec![], vec![]), &options);
        assert!(events.is_empty(), "{events:?}");
        assert!(apply(&mut state, &failed(minute), &options)
            .iter()
            .all(|e| e.event == EventKind::ProviderFailed));
    }
}

#[test]
fn failures_are_reported_once_after_fail_after_and_recovery_once() {
    let mut state = State::new();
    let options = Options::default();
    apply(&mut state, &ok(0, vec![], vec![]), &options);
    assert!(apply(&mut state, &failed(1), &options).is_empty());
    let second = apply(&mut state, &failed(2), &options);
    assert_eq!(kinds(&second), ["provider.failed"]);
    assert_eq!(second[0].error.as_ref().unwrap().kind, ErrorKind::Timeout);
    assert!(apply(&mut state, &failed(3), &options).is_empty());
    assert_eq!(
        kinds(&apply(&mut state, &ok(4, vec![], vec![]), &options)),
        ["provider.recovered"]
    );
    assert!(apply(&mut state, &ok(5, vec![], vec![]), &options).is_empty());
    // One failure and back: no noise.
    assert!(apply(&mut state, &failed(6), &options).is_empty());
    assert!(apply(&mut state, &ok(7, vec![], vec![]), &options).is_empty());
}

#[test]
fn a_late_snapshot_changes_nothing() {
    // Overlapping cron runs appending to one file: T1 up, T2 down, T1 again (late), T3 down.
    let mut state = State::new();
    let options = Options::default();
    let up = || vec![component("api", ComponentStatus::Operational)];
    let down = || vec![component("api", ComponentStatus::MajorOutage)];
    assert!(apply(&mut state, &ok(1, up(), vec![]), &options).is_empty());
    let outage = apply(&mut state, &ok(2, down(), vec![]), &options);
    assert_eq!(kinds(&outage), ["status.changed", "component.changed"]);
    assert!(
        apply(&mut state, &ok(1, up(), vec![]), &options).is_empty(),
        "no false recovery"
    );
    assert!(
        apply(&mut state, &ok(3, down(), vec![]), &options).is_empty(),
        "no second alert"
    );
    // And a snapshot of the same instant is not newer either.
    assert!(apply(&mut state, &ok(3, up(), vec![]), &options).is_empty());
    assert_eq!(
        kinds(&apply(&mut state, &ok(4, up(), vec![]), &options)),
        ["status.changed", "component.changed"]
    );
}

#[test]
fn the_same_failure_twice_is_one_failure() {
    let mut state = State::new();
    let options = Options::default();
    apply(&mut state, &ok(0, vec![], vec![]), &options);
    assert!(apply(&mut state, &failed(1), &options).is_empty());
    assert!(
        apply(&mut state, &failed(1), &options).is_empty(),
        "provider.failed needs two real failures"
    );
    assert_eq!(state.providers["p"].failures, 1);
    assert_eq!(
        kinds(&apply(&mut state, &failed(2), &options)),
        ["provider.failed"]
    );
}

#[test]
fn component_flaps_are_two_changes_each_once() {
    let mut state = State::new();
    let options = Options::default();
    let with = |minute, status| ok(minute, vec![component("a", status)], vec![]);
    apply(&mut state, &with(0, ComponentStatus::Operational), &options);
    let mut all = Vec::new();
    for (minute, status) in [
        (1, ComponentStatus::DegradedPerformance),
        (2, ComponentStatus::DegradedPerformance),
        (3, ComponentStatus::Operational),
        (4, ComponentStatus::Operational),
    ] {
        all.extend(
            apply(&mut state, &with(minute, status), &options)
                .into_iter()
                .filter(|e| e.event == EventKind::ComponentChanged),
        );
    }
    let changes: Vec<(Option<String>, Option<String>)> =
        all.iter().map(|e| (e.from.clone(), e.to.clone())).collect();
    assert_eq!(
        changes,
        [
            (
                Some("operational".into()),
                Some("degraded_performance".into())
            ),
            (
                Some("degraded_performance".into()),
                Some("operational".into())
            ),
        ]
    );
    assert_ne!(all[0].id, all[1].id);
}

#[test]
fn history_coming_back_after_being_forgotten_is_not_news() {
    let mut state = State::new();
    let options = Options {
        forget_after: time::Duration::days(1),
        ..Options::default()
    };
    let old = incident(
        "x",
        &[("u1", Phase::Investigating, 0), ("u2", Phase::Resolved, 5)],
    );
    apply(&mut state, &ok(10, vec![], vec![old.clone()]), &options);
    // Two days without it: forgotten.
    apply(&mut state, &ok(10 + 2 * 1440, vec![], vec![]), &options);
    assert!(state.providers["p"].incidents.is_empty());
    // It scrolls back into the window: recorded silently.
    assert!(apply(
        &mut state,
        &ok(10 + 2 * 1440 + 1, vec![], vec![old]),
        &options
    )
    .is_empty());
    assert!(state.providers["p"].incidents.contains_key("x"));
}

#[test]
fn whole_providers_are_forgotten_after_forget_after() {
    let mut state = State::new();
    let options = Options::default();
    apply(&mut state, &ok(0, vec![], vec![]), &options);
    forget_providers(&mut state, at(29 * 1440), &options);
    assert!(state.providers.contains_key("p"));
    forget_providers(&mut state, at(31 * 1440), &options);
    assert!(state.providers.is_empty());
}

// ---- properties --------------------------------------------------------------------------

/// One step of a simulated upstream page.
#[derive(Clone, Debug)]
enum Step {
    SetComponent(usize, ComponentStatus),
    NewIncident,
    Update(usize, Phase),
    Nothing,
}

fn step() -> impl Strategy<Value = Step> {
    let status = prop_oneof![
        Just(ComponentStatus::Operational),
        Just(ComponentStatus::DegradedPerformance),
        Just(ComponentStatus::MajorOutage),
    ];
    let phase = prop_oneof![
        Just(Phase::Investigating),
        Just(Phase::Identified),
        Just(Phase::Monitoring),
        Just(Phase::Resolved),
    ];
    prop_oneof![
        (0..3usize, status).prop_map(|(i, s)| Step::SetComponent(i, s)),
        Just(Step::NewIncident),
        (0..4usize, phase).prop_map(|(i, p)| Step::Update(i, p)),
        Just(Step::Nothing),
    ]
}

/// A simulated incident: its id and its updates (id, status, minute).
type SimIncident = (String, Vec<(String, Phase, i64)>);

/// Plays the steps on a simulated page and returns the snapshot after each step. Only the
/// three newest incidents are shown, as a 50-item window would, so incidents scroll away.
fn simulate(steps: &[Step]) -> Vec<Snapshot> {
    let mut statuses = [ComponentStatus::Operational; 3];
    let mut incidents: Vec<SimIncident> = Vec::new();
    let mut snapshots = Vec::new();
    for (minute, step) in steps.iter().enumerate() {
        let minute = minute as i64 * 10;
        match step {
            Step::SetComponent(i, status) => statuses[*i] = *status,
            Step::NewIncident => {
                let id = format!("i{}", incidents.len());
                incidents.push((
                    id.clone(),
                    vec![(format!("{id}u0"), Phase::Investigating, minute)],
                ));
            }
            Step::Update(i, phase) => {
                if let Some((id, updates)) = incidents.get_mut(*i) {
                    let uid = format!("{id}u{}", updates.len());
                    updates.push((uid, *phase, minute));
                }
            }
            Step::Nothing => {}
        }
        let components = statuses
            .iter()
            .enumerate()
            .map(|(i, s)| component(&format!("c{i}"), *s))
            .collect();
        let shown = incidents
            .iter()
            .rev()
            .take(3)
            .map(|(id, updates)| {
                let refs: Vec<(&str, Phase, i64)> = updates
                    .iter()
                    .map(|(u, p, m)| (u.as_str(), *p, *m))
                    .collect();
                incident(id, &refs)
            })
            .collect();
        snapshots.push(ok(minute, components, shown));
    }
    snapshots
}

fn run_one_process(snapshots: &[Snapshot], options: &Options) -> Vec<Event> {
    let mut state = State::new();
    snapshots
        .iter()
        .flat_map(|s| apply(&mut state, s, options))
        .collect()
}

fn run_process_per_snapshot(snapshots: &[Snapshot], options: &Options) -> Vec<Event> {
    let mut text = serde_json::to_string(&State::new()).unwrap();
    let mut events = Vec::new();
    for snapshot in snapshots {
        let mut state = State::parse(text.as_bytes(), std::path::Path::new("state.json")).unwrap();
        events.extend(apply(&mut state, snapshot, options));
        text = serde_json::to_string(&state).unwrap();
    }
    events
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn one_process_and_a_process_per_snapshot_emit_the_same_events(
        steps in prop::collection::vec(step(), 1..30),
        replay in any::<bool>(),
    ) {
        let options = Options { replay, ..Options::default() };
        let snapshots = simulate(&steps);
        let whole = run_one_process(&snapshots, &options);
        let split = run_process_per_snapshot(&snapshots, &options);
        prop_assert_eq!(&whole, &split);
        let mut ids: Vec<&str> = whole.iter().map(|e| e.id.as_str()).collect();
        let count = ids.len();
        ids.sort();
        ids.dedup();
        prop_assert_eq!(ids.len(), count, "event ids are unique");
    }

    #[test]
    fn the_same_snapshot_twice_emits_nothing_the_second_time(
        steps in prop::collection::vec(step(), 1..30),
    ) {
        let options = Options::default();
        let mut state = State::new();
        for snapshot in simulate(&steps) {
            apply(&mut state, &snapshot, &options);
            let again = apply(&mut state, &snapshot, &options);
            prop_assert!(again.is_empty(), "{:?}", again);
        }
    }

    #[test]
    fn failed_snapshots_anywhere_change_only_provider_health(
        steps in prop::collection::vec(step(), 1..30),
        failures in prop::collection::vec((0..30usize, 1..4usize), 0..6),
    ) {
        let options = Options::default();
        let snapshots = simulate(&steps);
        let mut with_failures: Vec<Snapshot> = Vec::new();
        for (i, snapshot) in snapshots.iter().enumerate() {
            for (position, count) in &failures {
                if *position == i {
                    for k in 0..*count {
                        with_failures.push(failed(i as i64 * 10 - 5 + k as i64));
                    }
                }
            }
            with_failures.push(snapshot.clone());
        }
        let plain = run_one_process(&snapshots, &options);
        let mixed: Vec<Event> = run_one_process(&with_failures, &options)
            .into_iter()
            .filter(|e| !matches!(e.event, EventKind::ProviderFailed | EventKind::ProviderRecovered))
            .collect();
        prop_assert_eq!(plain, mixed);
    }
}
