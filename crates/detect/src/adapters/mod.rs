//! Source adapters: one per product Palisade ingests from, each turning one item of a push into
//! a [`NormalizedAlert`] or a typed [`AdapterError`] the service reports for that item. Batches
//! are split here per source convention; an item's failure never affects its neighbours.
//! Adapters read payloads only; they keep no state and do no I/O.

pub(crate) mod common;
pub mod elastic;
pub mod ocsf;
pub mod palisade;
pub mod sentinel;
pub mod splunk;
pub mod wazuh;

use crate::error::AdapterError;
use crate::model::{NormalizedAlert, SourceKind};
use crate::normalize::{self, FindingDraft};
use chrono::{DateTime, Utc};
use serde_json::Value;

/// Normalizes one alert. `received_at` is when Palisade received it, used when the payload
/// carries no time of its own.
pub fn normalize(
    source: SourceKind,
    item: &Value,
    received_at: DateTime<Utc>,
) -> Result<NormalizedAlert, AdapterError> {
    if !item.is_object() {
        return Err(AdapterError::NotAnObject);
    }
    let (product, draft): (_, Result<FindingDraft, AdapterError>) = match source {
        SourceKind::Palisade => (palisade::product(item), palisade::draft(item)),
        SourceKind::Wazuh => (wazuh::product(item), wazuh::draft(item)),
        SourceKind::Elastic => (elastic::product(item), elastic::draft(item)),
        SourceKind::Ocsf => (ocsf::product(item), ocsf::draft(item)),
        SourceKind::Sentinel => (sentinel::product(item), sentinel::draft(item)),
        SourceKind::Splunk => (splunk::product(item), splunk::draft(item)),
    };
    let finding = normalize::complete(source, product, draft?, item, received_at)?;
    Ok(NormalizedAlert { finding, raw: item.clone() })
}

/// The items of one push: a JSON array is a batch; Sentinel's Log Analytics export wraps its
/// rows in `value`, Elastic connectors in `context.alerts` and search responses in `hits.hits`;
/// anything else is one item.
pub fn split_batch(source: SourceKind, body: &Value) -> Vec<&Value> {
    let wrapped = match source {
        SourceKind::Sentinel => body.get("value"),
        SourceKind::Elastic => body
            .get("context")
            .and_then(|c| c.get("alerts"))
            .or_else(|| body.get("hits").and_then(|h| h.get("hits"))),
        _ => None,
    };
    match wrapped.unwrap_or(body) {
        Value::Array(items) => items.iter().collect(),
        single => vec![single],
    }
}

/// Normalizes every item of a push, each on its own.
pub fn normalize_batch(
    source: SourceKind,
    body: &Value,
    received_at: DateTime<Utc>,
) -> Vec<Result<NormalizedAlert, AdapterError>> {
    split_batch(source, body).into_iter().map(|item| normalize(source, item, received_at)).collect()
}
