//! Preparing one item for storage: the source's adapter and OCSF normalization (detect), the
//! limits every stored alert keeps (times inside PostgreSQL's and our range, a bounded title and
//! description), the dedup fingerprint and the idempotency key. Then the tenant's Sigma rules
//! are evaluated on the item's payload; each match becomes a detection alert of its own. A
//! failure is a `Rejection` of that item only.

use crate::model::DetectionRuleId;
use crate::service::rules::CompiledRules;
use chrono::{DateTime, Datelike, Utc};
use detect::fingerprint::FingerprintConfig;
use detect::{AdapterError, Fingerprint, IdempotencyKey, NormalizedAlert, SourceKind};
use platform::FieldCode;
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Stored titles are cut to this many characters (the raw payload keeps the whole text).
pub const MAX_TITLE_CHARS: usize = 1000;
/// Stored descriptions are cut to this many characters.
pub const MAX_DESCRIPTION_CHARS: usize = 65_536;
/// Source ids longer than this are stored as their SHA-256.
const MAX_SOURCE_ID_CHARS: usize = 200;

/// Why one item was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rejection {
    pub code: FieldCode,
    pub message: String,
}

impl Rejection {
    pub fn new(code: FieldCode, message: impl Into<String>) -> Rejection {
        Rejection { code, message: message.into() }
    }
}

impl From<AdapterError> for Rejection {
    fn from(error: AdapterError) -> Rejection {
        let code = match error {
            AdapterError::NotAnObject => FieldCode::NOT_AN_OBJECT,
            AdapterError::MissingField(_) => FieldCode::MISSING_FIELD,
            AdapterError::InvalidField { .. } => FieldCode::INVALID_FIELD,
            AdapterError::UnrecognizedShape { .. } => FieldCode::UNRECOGNIZED_SHAPE,
        };
        Rejection::new(code, error.to_string())
    }
}

/// An item ready to be written.
#[derive(Clone, Debug)]
pub struct Prepared {
    pub index: usize,
    pub source: &'static str,
    pub alert: NormalizedAlert,
    /// The payload exactly as sent.
    pub raw: String,
    pub fingerprint: Vec<u8>,
    /// The source's own id for the alert (idempotent re-sends).
    pub source_id: Option<String>,
    /// The OCSF finding as stored, serialized here (off the writer's turn) rather than while
    /// the batch's transaction waits for it.
    pub finding: String,
    /// Observable values, for free-text search.
    pub keywords: String,
}

/// An alert raised by a detection rule on an item (or on an event).
#[derive(Clone, Debug)]
pub struct Detection {
    /// The item it was raised on.
    pub index: usize,
    pub rule_id: DetectionRuleId,
    pub prepared: Prepared,
}

/// Normalizes and checks one item.
pub fn prepare(
    source: SourceKind,
    index: usize,
    value: &Value,
    raw: String,
    received_at: DateTime<Utc>,
    fingerprints: &FingerprintConfig,
) -> Result<Prepared, Rejection> {
    let alert = detect::normalize(source, value, received_at)?;
    finish(index, source.as_str(), alert, raw, fingerprints)
}

/// Checks a normalized alert and computes what storage needs.
pub fn finish(
    index: usize,
    source: &'static str,
    mut alert: NormalizedAlert,
    raw: String,
    fingerprints: &FingerprintConfig,
) -> Result<Prepared, Rejection> {
    let finding = &mut alert.finding;
    for (name, at) in [
        ("time", finding.time),
        ("first_seen", finding.first_seen),
        ("last_seen", finding.last_seen),
    ] {
        if !(1..=9999).contains(&at.year()) {
            return Err(Rejection::new(
                FieldCode::OUT_OF_RANGE,
                format!("the alert's {name} ({at}) is outside the years 1 to 9999"),
            ));
        }
    }
    finding.title = clip(&finding.title, MAX_TITLE_CHARS);
    finding.description = finding.description.as_deref().map(|d| clip(d, MAX_DESCRIPTION_CHARS));
    let fingerprint = Fingerprint::of(&alert, fingerprints);
    let fingerprint = hex::decode(fingerprint.as_str()).unwrap_or_default();
    let source_id = IdempotencyKey::of(&alert).map(|key| bounded_id(&key.source_id));
    let keywords = keywords(&alert);
    let finding = alert.to_ocsf().to_string();
    Ok(Prepared { index, source, alert, raw, fingerprint, source_id, finding, keywords })
}

/// The detection alerts the tenant's rules raise on `prepared` (an ingested alert).
pub fn detect_on_alert(
    rules: &CompiledRules,
    prepared: &Prepared,
    received_at: DateTime<Utc>,
    fingerprints: &FingerprintConfig,
) -> Vec<Detection> {
    let event = &prepared.alert.raw;
    detections(
        rules,
        prepared.index,
        event,
        Some(&prepared.alert.finding),
        received_at,
        fingerprints,
    )
}

/// The detection alerts the tenant's rules raise on a raw event.
pub fn detect_on_event(
    rules: &CompiledRules,
    index: usize,
    event: &Value,
    received_at: DateTime<Utc>,
    fingerprints: &FingerprintConfig,
) -> Vec<Detection> {
    detections(rules, index, event, None, received_at, fingerprints)
}

fn detections(
    rules: &CompiledRules,
    index: usize,
    event: &Value,
    context: Option<&detect::Finding>,
    received_at: DateTime<Utc>,
    fingerprints: &FingerprintConfig,
) -> Vec<Detection> {
    if rules.set.is_empty() {
        return Vec::new();
    }
    rules
        .set
        .evaluate(event)
        .into_iter()
        .filter_map(|matched| {
            let rule_id = *rules.ids.get(matched.rule_index)?;
            let description = rules.set.rules().get(matched.rule_index)?.description();
            let analytic = format!("palisade:detection-rule:{rule_id}");
            let alert = detect::sigma::detection_alert(
                &matched,
                description,
                &analytic,
                event,
                context,
                received_at,
            )
            .ok()?;
            let raw = event.to_string();
            let prepared = finish(index, "sigma", alert, raw, fingerprints).ok()?;
            Some(Detection { index, rule_id, prepared })
        })
        .collect()
}

fn clip(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}

/// A source id as stored: itself, or its SHA-256 when it is long.
fn bounded_id(id: &str) -> String {
    match id.chars().count() > MAX_SOURCE_ID_CHARS {
        true => format!("sha256:{}", hex::encode(Sha256::digest(id.as_bytes()))),
        false => id.to_string(),
    }
}

fn keywords(alert: &NormalizedAlert) -> String {
    let mut words: Vec<&str> = alert.finding.observables.iter().map(|o| o.value()).collect();
    words.extend(alert.finding.resources.iter().filter_map(|r| r.name.as_deref()));
    words.sort_unstable();
    words.dedup();
    let joined = words.join(" ");
    clip(&joined, 8192)
}
