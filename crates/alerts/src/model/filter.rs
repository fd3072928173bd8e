//! The alert list's filter, parsed from what a client sent: statuses, severities, sources,
//! assignee, rule, a created-at range, an observable and free text. The same filter selects the
//! alerts of a bulk job, so it is plain serde data (stored with the job).

use crate::model::alert::AlertStatus;
use crate::model::ids::DetectionRuleId;
use chrono::{DateTime, Utc};
use detect::{Observable, ObservableKind, Severity};
use platform::time::Timestamp;
use platform::{FieldCode, Invalid, UserId};
use serde::{Deserialize, Serialize};

/// The sources an alert can come from (`sigma`: raised by a detection rule).
pub const SOURCES: [&str; 7] =
    ["palisade", "wazuh", "elastic", "ocsf", "sentinel", "splunk", "sigma"];
/// Free-text queries are at most this long.
pub const MAX_QUERY_CHARS: usize = 200;

/// The filter as a client wrote it: comma lists and texts, unchecked.
#[derive(Clone, Debug, Default)]
pub struct FilterInput {
    pub status: Option<String>,
    pub severity: Option<String>,
    pub min_severity: Option<String>,
    pub source: Option<String>,
    /// A user id, or `none` for unassigned alerts.
    pub assignee: Option<String>,
    pub rule: Option<String>,
    pub detection_rule_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub observable: Option<String>,
    pub observable_type: Option<String>,
    pub q: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssigneeFilter {
    Unassigned,
    User(UserId),
}

/// A checked filter. Empty lists and `None` mean "any".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AlertFilter {
    pub statuses: Vec<AlertStatus>,
    pub severities: Vec<Severity>,
    pub sources: Vec<String>,
    pub assignee: Option<AssigneeFilter>,
    pub rule_uid: Option<String>,
    pub detection_rule_id: Option<DetectionRuleId>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// The values an observable filter may be stored as (normalized per kind).
    pub observable_values: Vec<String>,
    pub observable_kind: Option<ObservableKind>,
    pub query: Option<String>,
}

impl AlertFilter {
    pub fn parse(input: &FilterInput) -> Result<AlertFilter, Invalid> {
        let mut filter = AlertFilter {
            statuses: list(&input.status, "status", AlertStatus::parse)?,
            severities: list(&input.severity, "severity", severity)?,
            sources: list(&input.source, "source", |s| {
                SOURCES.contains(&s).then(|| s.to_string())
            })?,
            ..AlertFilter::default()
        };
        if let Some(minimum) = &input.min_severity {
            let floor = severity(minimum).ok_or_else(|| {
                Invalid::new("min_severity", FieldCode::INVALID_SEVERITY, SEVERITY_WORDS)
            })?;
            let at_least = Severity::ALL.into_iter().filter(|s| *s >= floor);
            filter.severities = match filter.severities.is_empty() {
                true => at_least.collect(),
                false => at_least.filter(|s| filter.severities.contains(s)).collect(),
            };
            if filter.severities.is_empty() {
                return Err(Invalid::new(
                    "min_severity",
                    FieldCode::OUT_OF_RANGE,
                    "excludes every severity listed in `severity`",
                ));
            }
        }
        filter.assignee = match input.assignee.as_deref().map(str::trim) {
            None | Some("") => None,
            Some("none") => Some(AssigneeFilter::Unassigned),
            Some(text) => Some(AssigneeFilter::User(UserId::parse(text).map_err(|_| {
                Invalid::new("assignee", FieldCode::INVALID_TEXT, "a user id, or `none`")
            })?)),
        };
        filter.rule_uid = bounded(&input.rule, "rule", 500)?;
        filter.detection_rule_id = match input.detection_rule_id.as_deref() {
            None | Some("") => None,
            Some(text) => Some(DetectionRuleId::parse(text).map_err(|_| {
                Invalid::new("detection_rule_id", FieldCode::INVALID_TEXT, "a detection rule id")
            })?),
        };
        filter.from = time(&input.from, "from")?;
        filter.to = time(&input.to, "to")?;
        if let (Some(from), Some(to)) = (filter.from, filter.to)
            && from >= to
        {
            return Err(Invalid::new("to", FieldCode::OUT_OF_RANGE, "`to` must be after `from`"));
        }
        filter.observable_kind = match input.observable_type.as_deref() {
            None | Some("") => None,
            Some(text) => Some(ObservableKind::parse(text).ok_or_else(|| {
                Invalid::new("observable_type", FieldCode::INVALID_KIND, OBSERVABLE_KINDS)
            })?),
        };
        if let Some(value) = bounded(&input.observable, "observable", 1024)? {
            filter.observable_values = observable_values(filter.observable_kind, &value);
            if filter.observable_values.is_empty() {
                return Err(Invalid::new(
                    "observable",
                    FieldCode::INVALID_TEXT,
                    "not a valid value of the observable type",
                ));
            }
        }
        filter.query = bounded(&input.q, "q", MAX_QUERY_CHARS)?;
        Ok(filter)
    }
}

const SEVERITY_WORDS: &str = "one of unknown, informational, low, medium, high, critical, fatal";
const OBSERVABLE_KINDS: &str =
    "one of ip, hostname, domain, url, file_hash, file_name, email, user, process";

pub fn severity(text: &str) -> Option<Severity> {
    Severity::parse(text)
}

fn list<T>(
    text: &Option<String>,
    field: &'static str,
    parse: impl Fn(&str) -> Option<T>,
) -> Result<Vec<T>, Invalid> {
    let Some(text) = text else { return Ok(Vec::new()) };
    let mut items = Vec::new();
    for word in text.split(',').map(str::trim).filter(|w| !w.is_empty()) {
        let code = match field {
            "severity" => FieldCode::INVALID_SEVERITY,
            "status" => FieldCode::INVALID_STATUS,
            _ => FieldCode::INVALID_KIND,
        };
        items.push(parse(word).ok_or_else(|| {
            Invalid::new(field, code, format!("`{}` is not a valid {field}", clip(word)))
        })?);
    }
    Ok(items)
}

fn bounded(
    text: &Option<String>,
    field: &'static str,
    max: usize,
) -> Result<Option<String>, Invalid> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) if value.chars().count() > max => {
            Err(Invalid::new(field, FieldCode::TOO_LONG, format!("at most {max} characters")))
        }
        Some(value) if value.contains('\0') => {
            Err(Invalid::new(field, FieldCode::INVALID_TEXT, "must not contain NUL"))
        }
        Some(value) => Ok(Some(value.to_string())),
    }
}

fn time(text: &Option<String>, field: &'static str) -> Result<Option<DateTime<Utc>>, Invalid> {
    match text.as_deref() {
        None | Some("") => Ok(None),
        Some(value) => Timestamp::parse(value)
            .map(|t| Some(t.as_datetime()))
            .map_err(|e| Invalid::new(field, FieldCode::INVALID_TIMESTAMP, format!("{e}"))),
    }
}

/// The stored forms `value` may have: its normalization under `kind`, or under every kind.
fn observable_values(kind: Option<ObservableKind>, value: &str) -> Vec<String> {
    let kinds: Vec<ObservableKind> = match kind {
        Some(kind) => vec![kind],
        None => ObservableKind::ALL.to_vec(),
    };
    let mut values: Vec<String> = kinds
        .into_iter()
        .filter_map(|kind| Observable::new(kind, "", value).map(|o| o.value().to_string()))
        .collect();
    values.sort();
    values.dedup();
    values
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}
