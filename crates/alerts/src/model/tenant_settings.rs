//! A tenant's alert settings: the SLA targets per severity (time to acknowledge, time to close)
//! and which keys make two alerts of a source "the same" for dedup. Stored as JSON per tenant;
//! a tenant that never changed them has the defaults. Parsing a client's document checks every
//! value and names the field that is wrong.

use chrono::TimeDelta;
use detect::fingerprint::{FingerprintConfig, FingerprintKey};
use detect::{ObservableKind, Severity, SourceKind};
use platform::{FieldCode, Invalid};
use serde_json::{Map, Value, json};
use std::collections::BTreeMap;

/// The longest SLA target: 90 days.
pub const MAX_TARGET_SECS: i64 = 90 * 24 * 3600;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SlaTarget {
    pub acknowledge: Option<TimeDelta>,
    pub close: Option<TimeDelta>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TenantAlertSettings {
    pub sla: BTreeMap<Severity, SlaTarget>,
    pub dedup_default: Vec<FingerprintKey>,
    pub dedup_sources: BTreeMap<SourceKind, Vec<FingerprintKey>>,
}

impl Default for TenantAlertSettings {
    fn default() -> Self {
        let target = |ack: i64, close: i64| SlaTarget {
            acknowledge: Some(TimeDelta::seconds(ack)),
            close: Some(TimeDelta::seconds(close)),
        };
        let (minute, hour, day) = (60, 3600, 86400);
        let sla = BTreeMap::from([
            (Severity::Fatal, target(15 * minute, 4 * hour)),
            (Severity::Critical, target(15 * minute, 4 * hour)),
            (Severity::High, target(hour, day)),
            (Severity::Medium, target(4 * hour, 3 * day)),
            (Severity::Low, target(day, 7 * day)),
        ]);
        TenantAlertSettings {
            sla,
            dedup_default: vec![
                FingerprintKey::Analytic,
                FingerprintKey::Observable(ObservableKind::Hostname),
                FingerprintKey::Observable(ObservableKind::User),
                FingerprintKey::Observable(ObservableKind::Ip),
            ],
            dedup_sources: BTreeMap::new(),
        }
    }
}

impl TenantAlertSettings {
    pub fn target(&self, severity: Severity) -> SlaTarget {
        self.sla.get(&severity).copied().unwrap_or_default()
    }

    pub fn fingerprint_config(&self) -> FingerprintConfig {
        self.dedup_sources.iter().fold(
            FingerprintConfig::default().with_default(self.dedup_default.clone()),
            |config, (source, keys)| config.with_source(*source, keys.clone()),
        )
    }

    /// The settings as the API shows them (and as they are stored).
    pub fn to_json(&self) -> Value {
        let mut sla = Map::new();
        for severity in Severity::ALL {
            let target = self.target(severity);
            sla.insert(
                crate::model::severity_word(severity).into(),
                json!({
                    "acknowledge_secs": target.acknowledge.map(|t| t.num_seconds()),
                    "close_secs": target.close.map(|t| t.num_seconds()),
                }),
            );
        }
        let sources: Map<String, Value> = self
            .dedup_sources
            .iter()
            .map(|(source, keys)| (source.as_str().to_string(), words(keys)))
            .collect();
        json!({
            "sla": sla,
            "dedup": {"default": words(&self.dedup_default), "sources": sources},
        })
    }

    /// Reads a settings document: `sla` and `dedup` are each optional (what is absent keeps its
    /// default); unknown keys are refused.
    pub fn parse(document: &Value) -> Result<TenantAlertSettings, Invalid> {
        let invalid = |field: String, message: &str| {
            Invalid::new(field, FieldCode::INVALID_SETTINGS, message.to_string())
        };
        let object = document.as_object().ok_or_else(|| invalid("settings".into(), "an object"))?;
        let mut settings = TenantAlertSettings::default();
        for key in object.keys() {
            if key != "sla" && key != "dedup" {
                return Err(invalid(key.clone(), "not a setting (sla, dedup)"));
            }
        }
        if let Some(sla) = object.get("sla") {
            let sla = sla.as_object().ok_or_else(|| invalid("sla".into(), "an object"))?;
            for (word, target) in sla {
                let field = format!("sla.{word}");
                let severity = Severity::parse(word)
                    .ok_or_else(|| invalid(field.clone(), "not a severity"))?;
                // No target at all is kept as no entry, which means the same.
                match parse_target(&field, target)? {
                    SlaTarget { acknowledge: None, close: None } => settings.sla.remove(&severity),
                    target => settings.sla.insert(severity, target),
                };
            }
        }
        if let Some(dedup) = object.get("dedup") {
            let dedup = dedup.as_object().ok_or_else(|| invalid("dedup".into(), "an object"))?;
            for (key, value) in dedup {
                match key.as_str() {
                    "default" => settings.dedup_default = parse_keys("dedup.default", value)?,
                    "sources" => {
                        let sources = value
                            .as_object()
                            .ok_or_else(|| invalid("dedup.sources".into(), "an object"))?;
                        for (name, keys) in sources {
                            let field = format!("dedup.sources.{name}");
                            let source = SourceKind::parse(name)
                                .ok_or_else(|| invalid(field.clone(), "not a source"))?;
                            settings.dedup_sources.insert(source, parse_keys(&field, keys)?);
                        }
                    }
                    other => {
                        return Err(invalid(
                            format!("dedup.{other}"),
                            "not a setting (default, sources)",
                        ));
                    }
                }
            }
        }
        Ok(settings)
    }
}

fn parse_target(field: &str, value: &Value) -> Result<SlaTarget, Invalid> {
    let object = value
        .as_object()
        .ok_or_else(|| Invalid::new(field.to_string(), FieldCode::INVALID_SETTINGS, "an object"))?;
    let mut target = SlaTarget::default();
    for (key, seconds) in object {
        let field = format!("{field}.{key}");
        let parsed = match seconds {
            Value::Null => None,
            other => match other.as_i64() {
                Some(n) if (60..=MAX_TARGET_SECS).contains(&n) => Some(TimeDelta::seconds(n)),
                _ => {
                    return Err(Invalid::new(
                        field,
                        FieldCode::OUT_OF_RANGE,
                        format!("seconds from 60 to {MAX_TARGET_SECS}, or null for no target"),
                    ));
                }
            },
        };
        match key.as_str() {
            "acknowledge_secs" => target.acknowledge = parsed,
            "close_secs" => target.close = parsed,
            _ => {
                return Err(Invalid::new(
                    field,
                    FieldCode::INVALID_SETTINGS,
                    "not a target (acknowledge_secs, close_secs)",
                ));
            }
        }
    }
    Ok(target)
}

fn parse_keys(field: &str, value: &Value) -> Result<Vec<FingerprintKey>, Invalid> {
    let refuse = || {
        Invalid::new(
            field.to_string(),
            FieldCode::INVALID_SETTINGS,
            "a non-empty list of analytic, resource or observable types (ip, hostname, user …)",
        )
    };
    let items = value.as_array().filter(|a| !a.is_empty() && a.len() <= 12).ok_or_else(refuse)?;
    let mut keys = Vec::new();
    for item in items {
        let key = item.as_str().and_then(FingerprintKey::parse).ok_or_else(refuse)?;
        if !keys.contains(&key) {
            keys.push(key);
        }
    }
    Ok(keys)
}

fn words(keys: &[FingerprintKey]) -> Value {
    keys.iter()
        .map(|key| match key {
            FingerprintKey::Analytic => "analytic".to_string(),
            FingerprintKey::Resource => "resource".to_string(),
            FingerprintKey::Observable(kind) => kind.as_str().to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_round_trip_through_their_json_and_keep_defaults_for_what_is_absent() {
        let parsed = TenantAlertSettings::parse(&json!({
            "sla": {"high": {"acknowledge_secs": 600, "close_secs": null}},
            "dedup": {"sources": {"wazuh": ["rule", "hostname"]}}
        }))
        .unwrap_or_default();
        assert_eq!(parsed.target(Severity::High).acknowledge, Some(TimeDelta::seconds(600)));
        assert_eq!(parsed.target(Severity::High).close, None);
        assert_eq!(
            parsed.target(Severity::Low),
            TenantAlertSettings::default().target(Severity::Low)
        );
        assert_eq!(TenantAlertSettings::parse(&parsed.to_json()).ok(), Some(parsed));
    }

    #[test]
    fn a_bad_value_names_its_field() {
        let cases = [
            (json!({"sla": {"urgent": {}}}), "sla.urgent"),
            (json!({"sla": {"high": {"acknowledge_secs": 5}}}), "sla.high.acknowledge_secs"),
            (json!({"dedup": {"default": []}}), "dedup.default"),
            (json!({"dedup": {"sources": {"qradar": ["ip"]}}}), "dedup.sources.qradar"),
            (json!({"retention": 1}), "retention"),
        ];
        for (document, field) in cases {
            let error = TenantAlertSettings::parse(&document).err().map(|e| e.field.into_owned());
            assert_eq!(error.as_deref(), Some(field), "{document}");
        }
    }
}
