//! The statusq wire schema, version 1: every record that crosses a pipe between statusq commands.
//!
//! # Format
//!
//! statusq speaks JSON Lines: one JSON object per line, each with a `"type"` and `"v": 1`.
//! Times are RFC 3339 in UTC with a `Z` suffix (fractional seconds are kept when upstream gave
//! them). `null` means "this source does not say"; `[]` means "none". Unknown fields are ignored
//! on input, so a newer producer can feed an older consumer.
//!
//! This module is the only place the schema is defined; `DESIGN.md` §3 is its prose twin.
//!
//! ## `snapshot` (written by `statusq fetch`)
//!
//! One per provider per poll: the page's overall status, its components, its recent incidents
//! (with every update, oldest first) and its maintenances. A provider that could not be fetched
//! or parsed is still a snapshot, with `ok: false`, an [`FetchError`] and `null` content, so one
//! bad page never hides the others.
//!
//! ## `event` (written by `statusq diff`)
//!
//! One per new upstream fact: an incident update, a maintenance step, a component's status
//! change, a page banner change, a provider failing or recovering. Every event is
//! self-contained (a renderer needs no state) and has a stable `id` (the same upstream fact
//! always gets the same id), so a consumer can de-duplicate:
//!
//! ```json
//! {"type":"event","v":1,"event":"incident.updated","id":"github/incident/gqx5l06jjxhp/update/x017628t2rl5",
//!  "provider":"github","name":"GitHub","url":"https://www.githubstatus.com","at":"…","observed_at":"…",
//!  "incident":{"id":"…","name":"…","status":"identified","impact":"minor","url":"…"},
//!  "update":{"id":"…","status":"identified","body":"…","at":"…","components":[…]},
//!  "component":null,"maintenance":null,"from":null,"to":null,"error":null}
//! ```
//!
//! ## `report` (written by `statusq report`, and `serve`'s `/report`)
//!
//! One per provider over a window: incidents by impact and their durations, minutes per
//! component in each non-operational status, availability, maintenance ([`ProviderReport`];
//! DESIGN §9 says how each figure is counted).
//!
//! ## `provider` (written by `statusq providers`)
//!
//! One per catalog or config entry: its id, name, page, platform and the document statusq
//! starts from ([`ProviderRecord`]).
//!
//! ## `dead_letter` (written by `statusq notify --dead-letters`)
//!
//! A message a notify target's service refused for its content, with the events it carried
//! ([`DeadLetter`]); `notify` keeps its dead letters in this form.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// The schema version written in every record's `"v"` field.
pub const SCHEMA_VERSION: u32 = 1;

/// A point in time, always held and written in UTC (`2026-11-22T03:30:00Z`).
///
/// Parsing accepts any RFC 3339 offset (`-08:00`, `+05:30`, `Z`) and normalises to UTC, which is
/// how upstream pages in local zones (Airbrake writes `-07:00`) become comparable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(OffsetDateTime);

impl Timestamp {
    /// Parses an RFC 3339 time with any offset.
    pub fn parse(text: &str) -> Option<Timestamp> {
        OffsetDateTime::parse(text.trim(), &Rfc3339)
            .ok()
            .map(Timestamp::from)
    }

    /// The underlying UTC date-time.
    pub fn datetime(self) -> OffsetDateTime {
        self.0
    }

    /// Whole seconds since the Unix epoch.
    pub fn unix_seconds(self) -> i64 {
        self.0.unix_timestamp()
    }
}

impl From<OffsetDateTime> for Timestamp {
    fn from(datetime: OffsetDateTime) -> Timestamp {
        Timestamp(datetime.to_offset(UtcOffset::UTC))
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.format(&Rfc3339) {
            Ok(text) => f.write_str(&text),
            Err(_) => write!(f, "{}", self.0),
        }
    }
}

impl Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Timestamp::parse(&text)
            .ok_or_else(|| serde::de::Error::custom(format!("not an RFC 3339 time: {text:?}")))
    }
}

/// One line of statusq output. Tagged by `"type"`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Record {
    /// The state of one provider at one moment (from `fetch`).
    Snapshot(Box<Snapshot>),
    /// One new upstream fact (from `diff`).
    Event(Box<Event>),
}

/// One new fact about one provider, written once by `statusq diff`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    /// Schema version, always 1.
    pub v: u32,
    /// What happened.
    pub event: EventKind,
    /// Stable and unique: `provider/incident/ID/update/UPDATE_ID`, `provider/component/ID/…`.
    pub id: String,
    /// The provider id.
    pub provider: String,
    /// The provider's human name.
    pub name: String,
    /// The provider's status page.
    #[serde(default)]
    pub url: String,
    /// When it happened upstream (the update's time; for changes upstream does not date, when
    /// it was observed).
    pub at: Timestamp,
    /// When statusq saw it: the `fetched_at` of the snapshot that showed it.
    pub observed_at: Timestamp,
    /// The incident, for `incident.*` events.
    pub incident: Option<EventItem>,
    /// The maintenance, for `maintenance.*` events.
    pub maintenance: Option<EventItem>,
    /// The update that is the news, for incident and maintenance events (null when upstream
    /// changed a status without posting an update).
    pub update: Option<Update>,
    /// The component, for `component.changed`.
    pub component: Option<EventComponent>,
    /// The previous status word (`component.changed`, `status.changed`); null when there was none.
    pub from: Option<String>,
    /// The new status word (`component.changed`, `status.changed`).
    pub to: Option<String>,
    /// Why the provider cannot be read, for `provider.failed`.
    #[serde(default)]
    pub error: Option<FetchError>,
}

/// The kinds of event.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EventKind {
    /// A new incident (its first update).
    #[serde(rename = "incident.created")]
    IncidentCreated,
    /// A further update of a known incident.
    #[serde(rename = "incident.updated")]
    IncidentUpdated,
    /// Upstream marked the incident resolved.
    #[serde(rename = "incident.resolved")]
    IncidentResolved,
    /// Upstream reopened an incident it had resolved (a later `incident.resolved` closes it
    /// again).
    #[serde(rename = "incident.reopened")]
    IncidentReopened,
    /// A maintenance was announced.
    #[serde(rename = "maintenance.scheduled")]
    MaintenanceScheduled,
    /// A maintenance began.
    #[serde(rename = "maintenance.started")]
    MaintenanceStarted,
    /// A further update of a maintenance.
    #[serde(rename = "maintenance.updated")]
    MaintenanceUpdated,
    /// A maintenance ended.
    #[serde(rename = "maintenance.completed")]
    MaintenanceCompleted,
    /// A scheduled maintenance starts within one of the `--remind` lead times.
    #[serde(rename = "maintenance.reminder")]
    MaintenanceReminder,
    /// A component's status changed (`from` → `to`).
    #[serde(rename = "component.changed")]
    ComponentChanged,
    /// The page's indicator changed (`from` → `to`).
    #[serde(rename = "status.changed")]
    StatusChanged,
    /// The provider could not be fetched `--fail-after` times in a row.
    #[serde(rename = "provider.failed")]
    ProviderFailed,
    /// A failed provider could be fetched again.
    #[serde(rename = "provider.recovered")]
    ProviderRecovered,
    /// The page now answers in another platform's format (`from` → `to`): the vendor moved.
    /// What the new platform shows is taken as a baseline, not announced as news.
    #[serde(rename = "provider.moved")]
    ProviderMoved,
}

impl EventKind {
    /// The wire word (`incident.created`).
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::IncidentCreated => "incident.created",
            EventKind::IncidentUpdated => "incident.updated",
            EventKind::IncidentResolved => "incident.resolved",
            EventKind::IncidentReopened => "incident.reopened",
            EventKind::MaintenanceScheduled => "maintenance.scheduled",
            EventKind::MaintenanceReminder => "maintenance.reminder",
            EventKind::MaintenanceStarted => "maintenance.started",
            EventKind::MaintenanceUpdated => "maintenance.updated",
            EventKind::MaintenanceCompleted => "maintenance.completed",
            EventKind::ComponentChanged => "component.changed",
            EventKind::StatusChanged => "status.changed",
            EventKind::ProviderFailed => "provider.failed",
            EventKind::ProviderRecovered => "provider.recovered",
            EventKind::ProviderMoved => "provider.moved",
        }
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An incident or maintenance as an event carries it: enough to render without the snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventItem {
    pub id: String,
    pub name: String,
    /// Its status now (after the update).
    pub status: String,
    pub impact: Option<Indicator>,
    pub url: Option<String>,
    /// Planned window, for maintenances.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_for: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheduled_until: Option<Timestamp>,
}

/// A component as a `component.changed` event carries it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventComponent {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    /// `Group/Name`, or the name alone when there is no group.
    pub qualified_name: String,
    pub status: ComponentStatus,
}

/// The state of one provider's status page at one moment.
///
/// ```json
/// {"type":"snapshot","v":1,"provider":"github","name":"GitHub","url":"https://www.githubstatus.com",
///  "format":"statuspage","fetched_at":"2026-11-22T03:30:00Z","elapsed_ms":183,"ok":true,"error":null,
///  "status":{"indicator":"minor","description":"Partially Degraded Service"},
///  "components":[…],"incidents":[…],"maintenances":[…]}
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// Schema version, always 1.
    pub v: u32,
    /// The provider id: a catalog id (`github`), a config id, or one derived from a URL or file.
    pub provider: String,
    /// Human name of the provider (`GitHub`).
    pub name: String,
    /// The status page a person would open.
    pub url: String,
    /// The format the page was read as: `statuspage` or `incidentio`.
    pub format: String,
    /// When the fetch finished.
    pub fetched_at: Timestamp,
    /// Wall time the fetch took, all requests and retries included.
    pub elapsed_ms: u64,
    /// `true` when the page was fetched and understood; then `error` is null.
    pub ok: bool,
    /// Why the fetch failed; null when `ok`.
    pub error: Option<FetchError>,
    /// The page's overall status; null when not `ok` or when the source does not say.
    pub status: Option<PageStatus>,
    /// Every component (group rows are not components: their name is in each child's `group`).
    pub components: Option<Vec<Component>>,
    /// Unresolved and recent incidents, newest first.
    pub incidents: Option<Vec<Incident>>,
    /// Scheduled, running and recently completed maintenances, newest first.
    pub maintenances: Option<Vec<Maintenance>>,
}

/// Why a provider could not be fetched or understood.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FetchError {
    /// What kind of failure it was.
    pub kind: ErrorKind,
    /// One line for a person: what was requested and what went wrong.
    pub message: String,
    /// The HTTP status, when the server answered with an error status.
    pub http_status: Option<u16>,
    /// How long the server asked statusq to wait before asking again (`Retry-After`, in
    /// seconds), when it refused with one: `watch` and `serve` wait at least that long.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

/// The kinds of fetch failure. Stable words: scripts may match on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// The request did not complete within `--timeout`.
    Timeout,
    /// The connection could not be made (refused, reset, unreachable).
    Connect,
    /// The host name did not resolve.
    Dns,
    /// The TLS handshake or certificate check failed.
    Tls,
    /// The server answered with an HTTP error status (see `http_status`).
    Http,
    /// The body was not the document expected (malformed, truncated, empty, wrong shape).
    Parse,
    /// The page answered with another platform's document or an HTML page: it has probably
    /// moved (Statuspage → incident.io, a page taken down); the message says what was found.
    Format,
    /// The body was larger than `--max-body` after decompression.
    TooLarge,
    /// Any other I/O failure (a local file that cannot be read, a connection cut mid-body).
    Io,
}

impl ErrorKind {
    /// The wire word for this kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connect => "connect",
            ErrorKind::Dns => "dns",
            ErrorKind::Tls => "tls",
            ErrorKind::Http => "http",
            ErrorKind::Parse => "parse",
            ErrorKind::Format => "format",
            ErrorKind::TooLarge => "too_large",
            ErrorKind::Io => "io",
        }
    }
}

/// The page-wide status banner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PageStatus {
    /// Severity of the whole page.
    pub indicator: Indicator,
    /// The banner text upstream shows (`All Systems Operational`).
    pub description: String,
    /// The upstream word, when it is not one of the indicator words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_status: Option<String>,
}

/// Page severity: `none | minor | major | critical | maintenance`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Indicator {
    None,
    Minor,
    Major,
    Critical,
    Maintenance,
}

impl Indicator {
    /// How bad it is: planned maintenance ranks above nothing and below any trouble.
    pub fn rank(self) -> u8 {
        match self {
            Indicator::None => 0,
            Indicator::Maintenance => 1,
            Indicator::Minor => 2,
            Indicator::Major => 3,
            Indicator::Critical => 4,
        }
    }

    /// The worse of two indicators.
    pub fn worst(self, other: Indicator) -> Indicator {
        if other.rank() > self.rank() {
            other
        } else {
            self
        }
    }
}

/// One component (a service, region or feature) of a status page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// Upstream id. Names repeat across groups, ids do not: key on this.
    pub id: String,
    /// Component name.
    pub name: String,
    /// The name of the group this component belongs to, or null.
    pub group: Option<String>,
    /// Current status.
    pub status: ComponentStatus,
    /// The upstream word, when it differs from `status` (incident.io `full_outage`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_status: Option<String>,
    /// When upstream last changed this component.
    pub updated_at: Option<Timestamp>,
}

/// `operational | degraded_performance | partial_outage | major_outage | under_maintenance`.
///
/// Ordered by severity for thresholds, with maintenance last (it is not an outage).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComponentStatus {
    Operational,
    DegradedPerformance,
    PartialOutage,
    MajorOutage,
    UnderMaintenance,
}

impl ComponentStatus {
    /// How bad it is, maintenance below any trouble: 0 operational, 1 under maintenance,
    /// 2 degraded performance, 3 partial outage, 4 major outage.
    pub fn trouble(self) -> u8 {
        match self {
            ComponentStatus::Operational => 0,
            ComponentStatus::UnderMaintenance => 1,
            ComponentStatus::DegradedPerformance => 2,
            ComponentStatus::PartialOutage => 3,
            ComponentStatus::MajorOutage => 4,
        }
    }
}

/// An incident with its whole update history.
///
/// On the wire an incident whose status upstream does not state is `"status":"investigating"`
/// (a placeholder) with `"raw_status":"unknown"`; in memory it is [`IncidentStatus::Unstated`]
/// and its `raw_status` is `None`, so no code can take the placeholder for a stated status.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(from = "IncidentWire")]
pub struct Incident {
    /// Upstream id (the `/incidents/<id>` code).
    pub id: String,
    /// Title.
    pub name: String,
    /// Current status; [`IncidentStatus::Unstated`] when upstream states none, which is not
    /// open: see [`Incident::is_open`].
    pub status: IncidentStatus,
    /// The upstream word, when it differs from `status`.
    pub raw_status: Option<RawStatus>,
    /// Upstream impact: `none | minor | major | critical | maintenance`, null when not said.
    pub impact: Option<Indicator>,
    /// Link to the incident page (http or https only).
    pub url: Option<String>,
    /// When the incident was opened.
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Option<Timestamp>,
    /// When upstream marked it resolved; null while it is open.
    pub resolved_at: Option<Timestamp>,
    /// Ids of the components it affects; null when the source does not say.
    pub components: Option<Vec<String>>,
    /// Every update, oldest first.
    pub updates: Vec<Update>,
}

/// An incident as the wire has it: the schema word in `status`, `raw_status` `"unknown"` when
/// upstream stated none.
#[derive(Deserialize)]
struct IncidentWire {
    id: String,
    name: String,
    status: IncidentStatus,
    #[serde(default)]
    raw_status: Option<RawStatus>,
    impact: Option<Indicator>,
    url: Option<String>,
    created_at: Option<Timestamp>,
    updated_at: Option<Timestamp>,
    resolved_at: Option<Timestamp>,
    components: Option<Vec<String>>,
    updates: Vec<Update>,
}

impl From<IncidentWire> for Incident {
    fn from(wire: IncidentWire) -> Incident {
        let (status, raw_status) = match wire.raw_status {
            Some(RawStatus::Unstated) => (IncidentStatus::Unstated, None),
            raw => (wire.status, raw),
        };
        Incident {
            id: wire.id,
            name: wire.name,
            status,
            raw_status,
            impact: wire.impact,
            url: wire.url,
            created_at: wire.created_at,
            updated_at: wire.updated_at,
            resolved_at: wire.resolved_at,
            components: wire.components,
            updates: wire.updates,
        }
    }
}

impl Serialize for Incident {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let raw_status = match self.status {
            IncidentStatus::Unstated => Some(&RawStatus::Unstated),
            _ => self.raw_status.as_ref(),
        };
        let mut out = serializer.serialize_struct("Incident", 12)?;
        out.serialize_field("id", &self.id)?;
        out.serialize_field("name", &self.name)?;
        out.serialize_field("status", &self.status)?;
        match raw_status {
            Some(raw) => out.serialize_field("raw_status", raw)?,
            None => out.skip_field("raw_status")?,
        }
        out.serialize_field("impact", &self.impact)?;
        out.serialize_field("url", &self.url)?;
        out.serialize_field("created_at", &self.created_at)?;
        out.serialize_field("updated_at", &self.updated_at)?;
        out.serialize_field("resolved_at", &self.resolved_at)?;
        out.serialize_field("components", &self.components)?;
        out.serialize_field("updates", &self.updates)?;
        out.end()
    }
}

/// What upstream said of an incident's or update's status, beside the schema word.
///
/// On the wire it is the `raw_status` string; `"unknown"` is the one word with a meaning of its
/// own: upstream states no status at all (a feed entry that does not say whether the incident
/// is over), so the schema status beside it is a placeholder.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RawStatus {
    /// Upstream states no status; written `"unknown"`.
    Unstated,
    /// Upstream's own word, where it differs from the schema word (`full_outage`, `Open`).
    Word(String),
}

impl RawStatus {
    /// The wire word for an unstated status.
    const UNSTATED: &'static str = "unknown";

    /// Upstream's word as it stands; `unknown` is read as [`RawStatus::Unstated`].
    pub fn from_word(word: impl Into<String>) -> RawStatus {
        let word = word.into();
        if word == RawStatus::UNSTATED {
            RawStatus::Unstated
        } else {
            RawStatus::Word(word)
        }
    }

    /// The wire word.
    pub fn as_str(&self) -> &str {
        match self {
            RawStatus::Unstated => RawStatus::UNSTATED,
            RawStatus::Word(word) => word,
        }
    }
}

impl Serialize for RawStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for RawStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(RawStatus::from_word)
    }
}

/// `investigating | identified | monitoring | resolved | postmortem`, or not stated at all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncidentStatus {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Postmortem,
    /// Upstream states no status (a feed entry that does not say whether the incident is
    /// over): history, not open. Written as `investigating` with `raw_status` `"unknown"`.
    Unstated,
}

impl IncidentStatus {
    /// The wire word; an unstated status is written as its placeholder, `investigating`.
    pub fn as_str(self) -> &'static str {
        match self {
            IncidentStatus::Investigating | IncidentStatus::Unstated => "investigating",
            IncidentStatus::Identified => "identified",
            IncidentStatus::Monitoring => "monitoring",
            IncidentStatus::Resolved => "resolved",
            IncidentStatus::Postmortem => "postmortem",
        }
    }

    /// Parses the exact wire word (never [`IncidentStatus::Unstated`], which the wire says
    /// with `raw_status`).
    pub fn from_word(word: &str) -> Option<IncidentStatus> {
        match word {
            "investigating" => Some(IncidentStatus::Investigating),
            "identified" => Some(IncidentStatus::Identified),
            "monitoring" => Some(IncidentStatus::Monitoring),
            "resolved" => Some(IncidentStatus::Resolved),
            "postmortem" => Some(IncidentStatus::Postmortem),
            _ => None,
        }
    }
}

impl fmt::Display for IncidentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for IncidentStatus {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for IncidentStatus {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let word = String::deserialize(deserializer)?;
        IncidentStatus::from_word(&word).ok_or_else(|| {
            serde::de::Error::unknown_variant(
                &word,
                &[
                    "investigating",
                    "identified",
                    "monitoring",
                    "resolved",
                    "postmortem",
                ],
            )
        })
    }
}

/// A planned maintenance window with its update history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Maintenance {
    /// Upstream id.
    pub id: String,
    /// Title.
    pub name: String,
    /// Current status.
    pub status: MaintenanceStatus,
    /// The upstream word, when it differs from `status`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_status: Option<String>,
    /// Upstream impact, usually `maintenance`.
    pub impact: Option<Indicator>,
    /// Link to the maintenance page.
    pub url: Option<String>,
    /// Planned start.
    pub scheduled_for: Option<Timestamp>,
    /// Planned end.
    pub scheduled_until: Option<Timestamp>,
    /// When it was announced.
    pub created_at: Option<Timestamp>,
    /// When it last changed.
    pub updated_at: Option<Timestamp>,
    /// Ids of the components it affects; null when the source does not say.
    pub components: Option<Vec<String>>,
    /// Every update, oldest first.
    pub updates: Vec<Update>,
}

/// `scheduled | in_progress | verifying | completed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MaintenanceStatus {
    Scheduled,
    InProgress,
    Verifying,
    Completed,
}

/// One posted update of an incident or maintenance.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Update {
    /// Upstream id, stable across fetches.
    pub id: String,
    /// The status this update set: an incident status or a maintenance status.
    pub status: Phase,
    /// The upstream word, when it differs from `status`; `"unknown"` when upstream states none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub raw_status: Option<RawStatus>,
    /// Plain text (or Markdown where upstream writes Markdown), untrusted.
    pub body: String,
    /// When the update was posted (upstream `display_at`, else `created_at`).
    pub at: Option<Timestamp>,
    /// Components and the status this update gave them; null when the source does not say.
    pub components: Option<Vec<UpdateComponent>>,
}

/// The status an update set: the incident words and the maintenance words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Investigating,
    Identified,
    Monitoring,
    Resolved,
    Postmortem,
    Scheduled,
    InProgress,
    Verifying,
    Completed,
}

/// A component as an update left it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UpdateComponent {
    /// Component id.
    pub id: String,
    /// Component name (the current name when the component still exists).
    pub name: String,
    /// The status the update gave it.
    pub status: ComponentStatus,
}

macro_rules! wire_words {
    ($($ty:ident { $($variant:ident => $word:literal),* $(,)? })*) => {$(
        impl $ty {
            /// The wire word for this value.
            pub fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word),* }
            }
            /// Parses the exact wire word.
            pub fn from_word(word: &str) -> Option<$ty> {
                match word { $($word => Some($ty::$variant),)* _ => None }
            }
        }
        impl fmt::Display for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    )*};
}

wire_words! {
    Indicator { None => "none", Minor => "minor", Major => "major", Critical => "critical",
                Maintenance => "maintenance" }
    ComponentStatus { Operational => "operational", DegradedPerformance => "degraded_performance",
                      PartialOutage => "partial_outage", MajorOutage => "major_outage",
                      UnderMaintenance => "under_maintenance" }
    MaintenanceStatus { Scheduled => "scheduled", InProgress => "in_progress",
                        Verifying => "verifying", Completed => "completed" }
    Phase { Investigating => "investigating", Identified => "identified", Monitoring => "monitoring",
            Resolved => "resolved", Postmortem => "postmortem", Scheduled => "scheduled",
            InProgress => "in_progress", Verifying => "verifying", Completed => "completed" }
}

// What is open: the one definition every part of statusq uses — `diff`'s baseline, the
// poller's fast interval, every renderer, and `check`.

impl IncidentStatus {
    /// Whether the status closes an incident (`resolved`, `postmortem`).
    pub fn is_closed(self) -> bool {
        match self {
            IncidentStatus::Resolved | IncidentStatus::Postmortem => true,
            IncidentStatus::Investigating
            | IncidentStatus::Identified
            | IncidentStatus::Monitoring
            | IncidentStatus::Unstated => false,
        }
    }

    /// Whether upstream stated it.
    pub fn is_stated(self) -> bool {
        self != IncidentStatus::Unstated
    }

    /// Open: a stated status that is not resolved or postmortem. An unstated one is history.
    pub fn is_open(self) -> bool {
        match self {
            IncidentStatus::Investigating
            | IncidentStatus::Identified
            | IncidentStatus::Monitoring => true,
            IncidentStatus::Resolved | IncidentStatus::Postmortem | IncidentStatus::Unstated => {
                false
            }
        }
    }
}

impl Incident {
    /// Whether upstream states this incident's status (a vendor's feed entry may not).
    pub fn status_is_stated(&self) -> bool {
        self.status.is_stated()
    }

    /// Open: upstream states a status, and it is not resolved or postmortem. An entry of
    /// unstated status is history, not something live. Every part of statusq asks this.
    pub fn is_open(&self) -> bool {
        self.status.is_open()
    }
}

impl MaintenanceStatus {
    /// Whether the work is under way (`in_progress`, `verifying`).
    pub fn is_running(self) -> bool {
        matches!(
            self,
            MaintenanceStatus::InProgress | MaintenanceStatus::Verifying
        )
    }
}

impl Maintenance {
    /// Open: announced or under way, not completed.
    pub fn is_open(&self) -> bool {
        self.status != MaintenanceStatus::Completed
    }

    /// Under way now (`in_progress`, `verifying`).
    pub fn is_running(&self) -> bool {
        self.status.is_running()
    }
}

/// When the last dated update that resolved an incident was posted: the one answer to "when
/// did it end?" a page's updates give (an update after it may have reopened it).
pub fn resolved_at(updates: &[Update]) -> Option<Timestamp> {
    updates
        .iter()
        .filter(|u| u.status == Phase::Resolved)
        .filter_map(|u| u.at)
        .next_back()
}

impl Phase {
    /// The incident status an update of this phase leaves an incident in; `None` for the
    /// maintenance words.
    pub fn incident_status(self) -> Option<IncidentStatus> {
        match self {
            Phase::Investigating => Some(IncidentStatus::Investigating),
            Phase::Identified => Some(IncidentStatus::Identified),
            Phase::Monitoring => Some(IncidentStatus::Monitoring),
            Phase::Resolved => Some(IncidentStatus::Resolved),
            Phase::Postmortem => Some(IncidentStatus::Postmortem),
            Phase::Scheduled | Phase::InProgress | Phase::Verifying | Phase::Completed => None,
        }
    }

    /// The maintenance status an update of this phase leaves a maintenance in; `None` for the
    /// incident words.
    pub fn maintenance_status(self) -> Option<MaintenanceStatus> {
        match self {
            Phase::Scheduled => Some(MaintenanceStatus::Scheduled),
            Phase::InProgress => Some(MaintenanceStatus::InProgress),
            Phase::Verifying => Some(MaintenanceStatus::Verifying),
            Phase::Completed => Some(MaintenanceStatus::Completed),
            Phase::Investigating
            | Phase::Identified
            | Phase::Monitoring
            | Phase::Resolved
            | Phase::Postmortem => None,
        }
    }
}

impl From<IncidentStatus> for Phase {
    fn from(status: IncidentStatus) -> Phase {
        match status {
            // An update of unstated status carries the placeholder too, and says so in its
            // own `raw_status`.
            IncidentStatus::Investigating | IncidentStatus::Unstated => Phase::Investigating,
            IncidentStatus::Identified => Phase::Identified,
            IncidentStatus::Monitoring => Phase::Monitoring,
            IncidentStatus::Resolved => Phase::Resolved,
            IncidentStatus::Postmortem => Phase::Postmortem,
        }
    }
}

impl From<MaintenanceStatus> for Phase {
    fn from(status: MaintenanceStatus) -> Phase {
        match status {
            MaintenanceStatus::Scheduled => Phase::Scheduled,
            MaintenanceStatus::InProgress => Phase::InProgress,
            MaintenanceStatus::Verifying => Phase::Verifying,
            MaintenanceStatus::Completed => Phase::Completed,
        }
    }
}

impl Snapshot {
    /// Incidents that are open (see [`Incident::is_open`]).
    pub fn open_incidents(&self) -> impl Iterator<Item = &Incident> {
        self.incidents.iter().flatten().filter(|i| i.is_open())
    }

    /// Maintenances announced or under way (see [`Maintenance::is_open`]).
    pub fn open_maintenances(&self) -> impl Iterator<Item = &Maintenance> {
        self.maintenances.iter().flatten().filter(|m| m.is_open())
    }

    /// A snapshot for a provider that could not be fetched or understood.
    pub fn failed(meta: SnapshotMeta, error: FetchError) -> Snapshot {
        Snapshot {
            v: SCHEMA_VERSION,
            provider: meta.provider,
            name: meta.name,
            url: meta.url,
            format: meta.format,
            fetched_at: meta.fetched_at,
            elapsed_ms: meta.elapsed_ms,
            ok: false,
            error: Some(error),
            status: None,
            components: None,
            incidents: None,
            maintenances: None,
        }
    }
}

/// Who a snapshot is about and when it was taken: the parts that do not come from the page.
#[derive(Clone, Debug)]
pub struct SnapshotMeta {
    pub provider: String,
    pub name: String,
    pub url: String,
    pub format: String,
    pub fetched_at: Timestamp,
    pub elapsed_ms: u64,
}

// The records of `report`, `providers` and `notify --dead-letters`. Written, not read back, by
// statusq (but `notify`, which keeps its dead letters in this form).

/// How much a minute in each status counts against availability (0 to 1).
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Weights {
    pub major_outage: f64,
    pub partial_outage: f64,
    pub degraded_performance: f64,
    pub under_maintenance: f64,
}

impl Default for Weights {
    /// Statuspage's convention: major outage 1, partial outage 0.3, the rest 0.
    fn default() -> Weights {
        Weights {
            major_outage: 1.0,
            partial_outage: 0.3,
            degraded_performance: 0.0,
            under_maintenance: 0.0,
        }
    }
}

impl Weights {
    /// Parses `major=1,partial=0.3,degraded=0,maintenance=0` (any of them; the others keep
    /// their defaults).
    pub fn parse(text: &str) -> Result<Weights, String> {
        let mut weights = Weights::default();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (name, value) = part
                .split_once('=')
                .ok_or_else(|| format!("{part:?} is not NAME=WEIGHT"))?;
            let value: f64 = value
                .trim()
                .parse()
                .map_err(|_| format!("{value:?} is not a number"))?;
            if !(0.0..=1.0).contains(&value) {
                return Err(format!("{name}={value}: a weight is between 0 and 1"));
            }
            let slot = match name.trim() {
                "major" | "major_outage" => &mut weights.major_outage,
                "partial" | "partial_outage" => &mut weights.partial_outage,
                "degraded" | "degraded_performance" => &mut weights.degraded_performance,
                "maintenance" | "under_maintenance" => &mut weights.under_maintenance,
                other => {
                    return Err(format!(
                        "{other:?} is not a status (major, partial, degraded, maintenance)"
                    ))
                }
            };
            *slot = value;
        }
        Ok(weights)
    }
}

/// How much of the window the page's history covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Coverage {
    /// The oldest incident listed is older than the window.
    Full,
    /// The window starts before the oldest incident listed: figures are from `covered_from`.
    Partial,
    /// The page lists no incident before the window's end: nothing to measure.
    None,
}

/// Minutes a component spent in each non-operational status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct StatusMinutes {
    pub degraded_performance: f64,
    pub partial_outage: f64,
    pub major_outage: f64,
    pub under_maintenance: f64,
}

/// One UTC day on which a component was not operational all along: its worst status.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Day {
    /// `YYYY-MM-DD`, UTC.
    pub date: String,
    pub worst: ComponentStatus,
}

/// One component's record over the window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ComponentReport {
    pub id: String,
    pub name: String,
    pub group: Option<String>,
    /// Incidents created in the window that touched this component.
    pub incidents: usize,
    /// Minutes in each non-operational status (rounded to a tenth).
    pub minutes: StatusMinutes,
    /// 1 − weighted outage minutes ÷ minutes covered; null without coverage.
    pub availability: Option<f64>,
    /// The days it was not operational all day, with the worst status of each.
    pub days: Vec<Day>,
}

/// The incidents created in the window.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct IncidentStats {
    pub count: usize,
    /// Of them, still open at the end of the window.
    pub open: usize,
    /// Incidents created before the window that were still running into it (not in `count`).
    pub ongoing: usize,
    /// By upstream impact: `none`, `minor`, `major`, `critical`, `unknown`.
    pub by_impact: BTreeMap<String, usize>,
    /// Creation to resolution (an open one: to the end of the window), summed.
    pub total_minutes: f64,
    pub median_minutes: Option<f64>,
    /// Creation to the first posted update, the median.
    pub median_first_update_minutes: Option<f64>,
    pub reopened: usize,
}

/// The maintenances that ran in the window.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct MaintenanceStats {
    pub count: usize,
    /// Minutes with at least one maintenance running (overlaps counted once).
    pub minutes: f64,
}

/// One `report` record: a provider over the window.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProviderReport {
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub v: u32,
    pub provider: String,
    pub name: String,
    pub url: String,
    pub from: Timestamp,
    pub to: Timestamp,
    pub coverage: Coverage,
    /// Where the page's history starts (its oldest incident listed).
    pub covered_from: Option<Timestamp>,
    pub weights: Weights,
    pub incidents: IncidentStats,
    pub maintenance: MaintenanceStats,
    pub components: Vec<ComponentReport>,
    /// Snapshots read, and how many of them were failed fetches (not counted as outages).
    pub snapshots: usize,
    pub failed_snapshots: usize,
}

/// One `provider` record of `statusq providers`: an entry of the catalog or the config file.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ProviderRecord {
    /// Always `provider`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub v: u32,
    /// The id used on the command line and in every record (`github`).
    pub id: String,
    /// The page's human name.
    pub name: String,
    /// The page a person opens.
    pub url: String,
    /// The platform it runs on (`statuspage`, `incidentio`, …).
    pub format: String,
    /// The document `fetch` starts from.
    pub api: String,
    /// Component name globs kept (empty: all).
    pub components: Vec<String>,
    /// Other hosts its redirects may lead to (left out when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub redirects: Vec<String>,
    /// `catalog`, `config` or `url`.
    pub origin: String,
    /// Whether this build reads its format.
    pub supported: bool,
    /// Groups people watch together (`ai`, `cloud`, …; left out when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
}

/// One `dead_letter` record: a message a notify target's service refused for its content, set
/// aside with the events it carried (as `diff` wrote them). `notify` keeps its dead letters in
/// this form (`dead.ndjson`) and `notify --dead-letters` prints them.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct DeadLetter {
    /// Always `dead_letter`.
    #[serde(rename = "type")]
    pub kind: String,
    pub v: u32,
    /// The target's name.
    pub target: String,
    /// When it was set aside.
    pub at: Timestamp,
    /// The HTTP status of the refusal.
    pub status: u16,
    /// What the service said, every secret of the target scrubbed.
    pub why: String,
    /// The events the message carried.
    pub events: Vec<Record>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_with_offsets_are_normalised_to_utc() {
        let t = Timestamp::parse("2024-01-31T10:34:03.488-08:00").unwrap();
        assert_eq!(t.to_string(), "2024-01-31T18:34:03.488Z");
        let t = Timestamp::parse("2026-11-22T03:30:00+05:30").unwrap();
        assert_eq!(t.to_string(), "2026-11-21T22:00:00Z");
    }

    #[test]
    fn timestamps_that_are_not_rfc3339_are_rejected() {
        assert!(Timestamp::parse("Jan 1, 09:09 PST").is_none());
        assert!(Timestamp::parse("").is_none());
    }

    #[test]
    fn a_failed_snapshot_has_null_content_and_the_error() {
        let meta = SnapshotMeta {
            provider: "x".into(),
            name: "X".into(),
            url: "https://x.example".into(),
            format: "statuspage".into(),
            fetched_at: Timestamp::parse("2026-01-01T00:00:00Z").unwrap(),
            elapsed_ms: 5,
        };
        let error = FetchError {
            kind: ErrorKind::Http,
            message: "HTTP 503".into(),
            http_status: Some(503),
            retry_after: None,
        };
        let line =
            serde_json::to_string(&Record::Snapshot(Box::new(Snapshot::failed(meta, error))))
                .unwrap();
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["type"], "snapshot");
        assert_eq!(value["ok"], false);
        assert_eq!(value["error"]["kind"], "http");
        assert_eq!(value["error"]["http_status"], 503);
        assert!(value["components"].is_null());
        assert_eq!(value["fetched_at"], "2026-01-01T00:00:00Z");
    }

    #[test]
    fn records_round_trip_and_ignore_unknown_fields() {
        let line = r#"{"type":"snapshot","v":1,"provider":"p","name":"P","url":"u","format":"statuspage",
            "fetched_at":"2026-01-01T00:00:00Z","elapsed_ms":1,"ok":true,"error":null,
            "status":{"indicator":"none","description":"ok","future":1},"components":[],
            "incidents":[],"maintenances":[],"something_new":true}"#;
        let record: Record = serde_json::from_str(line).unwrap();
        let Record::Snapshot(snapshot) = &record else {
            panic!("not a snapshot")
        };
        assert_eq!(snapshot.status.as_ref().unwrap().indicator, Indicator::None);
        let again: Record = serde_json::from_str(&serde_json::to_string(&record).unwrap()).unwrap();
        assert_eq!(again, record);
    }
}
