//! Reading fields out of source payloads whatever their nesting: a path `kibana.alert.rule.name`
//! finds `{"kibana.alert.rule.name": …}`, `{"kibana": {"alert": {"rule": {"name": …}}}}` and
//! any mix of the two (`{"kibana.alert": {"rule.name": …}}`), as Elasticsearch and Splunk write
//! them. Values are read as the adapters need them (text, numbers, lists, times); nothing is
//! copied. Times are read in every convention the sources use: RFC 3339, Wazuh's offset without a
//! colon (`+0000`), Sentinel's seven fractional digits, Splunk's epoch seconds as a string, OCSF's
//! epoch milliseconds.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use serde_json::Value;

/// The value at `path`, trying flattened keys before nested ones at every level.
pub fn lookup<'a>(value: &'a Value, path: &str) -> Option<&'a Value> {
    let object = value.as_object()?;
    if let Some(found) = object.get(path) {
        return Some(found);
    }
    // Split at each dot in turn: the head must be a key here, the tail is looked up below it.
    path.match_indices('.').find_map(|(at, _)| {
        let child = object.get(&path[..at])?;
        lookup(child, &path[at + 1..])
    })
}

/// The value at `path` as text: strings as they are, numbers and booleans printed; empty
/// strings count as absent.
pub fn text(value: &Value, path: &str) -> Option<String> {
    scalar_text(lookup(value, path)?)
}

/// The first of `paths` that holds text.
pub fn first_text(value: &Value, paths: &[&str]) -> Option<String> {
    paths.iter().find_map(|p| text(value, p))
}

/// Every text value at `path`, whether it holds one value or a list of them.
pub fn texts(value: &Value, path: &str) -> Vec<String> {
    match lookup(value, path) {
        Some(Value::Array(items)) => items.iter().filter_map(scalar_text).collect(),
        Some(other) => scalar_text(other).into_iter().collect(),
        None => Vec::new(),
    }
}

/// A number at `path`, also when written as a string (`"12"`).
pub fn number(value: &Value, path: &str) -> Option<f64> {
    match lookup(value, path)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

pub fn scalar_text(value: &Value) -> Option<String> {
    let text = match value {
        Value::String(s) => s.trim().to_string(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        _ => return None,
    };
    (!text.is_empty()).then_some(text)
}

/// Numbers above this are milliseconds, below it seconds (it is 2286 in seconds, 1973 in ms).
const MILLIS_THRESHOLD: f64 = 1e11;

pub fn time_value(value: &Value) -> Option<DateTime<Utc>> {
    match value {
        Value::Number(n) => from_epoch(n.as_f64()?),
        Value::String(s) => time_text(s),
        _ => None,
    }
}

pub fn time_text(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(epoch) = text.parse::<f64>() {
        return from_epoch(epoch);
    }
    if let Ok(parsed) = DateTime::parse_from_rfc3339(text) {
        return Some(parsed.with_timezone(&Utc));
    }
    if let Ok(parsed) = DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z") {
        return Some(parsed.with_timezone(&Utc));
    }
    // Timestamps without a zone (Sysmon's UtcTime, some Splunk fields) are UTC by convention.
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%d %H:%M:%S%.f"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(text, format).ok())
        .map(|naive| Utc.from_utc_datetime(&naive))
}

fn from_epoch(epoch: f64) -> Option<DateTime<Utc>> {
    if !epoch.is_finite() || epoch < 0.0 {
        return None;
    }
    let millis = if epoch >= MILLIS_THRESHOLD { epoch } else { epoch * 1000.0 };
    DateTime::from_timestamp_millis(millis.round() as i64)
}
