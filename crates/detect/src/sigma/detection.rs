//! The alert a Sigma match raises. It carries the rule's title, description, level and ATT&CK
//! tags, the analytic that names the rule, and the indicators of what it matched: those of the
//! alert it was evaluated on when there is one (a Wazuh or Elastic alert already has them), or
//! those read from the event by Sigma field name (a Windows event-log record, an ECS document).
//! It is built through the same normalization as every ingested alert, so it fingerprints and
//! correlates like one. Storing it is the service's business.

use crate::adapters::common::{basename, observe_hash_list};
use crate::error::AdapterError;
use crate::model::{Finding, FindingStatus, NormalizedAlert, ObservableKind, Product, SourceKind};
use crate::normalize::{self, FindingDraft};
use crate::sigma::engine::SigmaMatch;
use crate::sigma::event::SigmaEvent;
use chrono::{DateTime, Utc};
use serde_json::Value;

/// The product name detection alerts report (OCSF `metadata.product.name`).
pub const PRODUCT: &str = "Palisade Sigma";

/// Sigma field names and the indicator each holds, for events that are not alerts.
const EVENT_OBSERVABLES: &[(&str, ObservableKind, &str)] = &[
    ("Computer", ObservableKind::Hostname, "device.hostname"),
    ("Hostname", ObservableKind::Hostname, "device.hostname"),
    ("User", ObservableKind::User, "actor.user.name"),
    ("SubjectUserName", ObservableKind::User, "actor.user.name"),
    ("TargetUserName", ObservableKind::User, "user.name"),
    ("SourceIp", ObservableKind::Ip, "src_endpoint.ip"),
    ("IpAddress", ObservableKind::Ip, "src_endpoint.ip"),
    ("DestinationIp", ObservableKind::Ip, "dst_endpoint.ip"),
    ("DestinationHostname", ObservableKind::Domain, "dst_endpoint.domain"),
    ("QueryName", ObservableKind::Domain, "query.hostname"),
    ("c-uri", ObservableKind::Url, "url.url_string"),
];

/// The alert raised by `matched` on `event`. `analytic_uid` names the rule in Palisade (its id
/// there); `context` is the finding of the alert the event is, if it is one.
pub fn detection_alert(
    matched: &SigmaMatch,
    description: Option<&str>,
    analytic_uid: &str,
    event: &Value,
    context: Option<&Finding>,
    received_at: DateTime<Utc>,
) -> Result<NormalizedAlert, AdapterError> {
    let mut draft = FindingDraft {
        title: Some(matched.title.clone()),
        description: description.map(String::from),
        severity: Some(matched.level),
        status: Some(FindingStatus::New),
        types: vec!["sigma".to_string()],
        techniques: matched.techniques.iter().map(ToString::to_string).collect(),
        tactics: matched.tactics.clone(),
        ..FindingDraft::default()
    };
    draft.analytic.uid = Some(analytic_uid.to_string());
    draft.analytic.name = Some(matched.title.clone());
    match context {
        Some(finding) => {
            draft.time = Some(finding.time);
            draft.first_seen = Some(finding.first_seen);
            draft.last_seen = Some(finding.last_seen);
            draft.observables = finding.observables.clone();
            draft.resources = finding.resources.clone();
        }
        None => observe_event(&mut draft, &SigmaEvent::new(event)),
    }
    let product = Product { name: PRODUCT.into(), vendor: "Palisade".into(), version: None };
    let finding = normalize::complete(SourceKind::Palisade, product, draft, event, received_at)?;
    Ok(NormalizedAlert { finding, raw: event.clone() })
}

fn observe_event(draft: &mut FindingDraft, event: &SigmaEvent<'_>) {
    let text = |name: &str| event.field_text(name).map(|t| t.into_owned());
    for (field, kind, name) in EVENT_OBSERVABLES {
        draft.observe(*kind, name, text(field));
    }
    for field in ["Image", "ParentImage"] {
        let name = if field == "Image" { "process.name" } else { "process.parent_process.name" };
        draft.observe(ObservableKind::Process, name, text(field).map(|path| basename(&path)));
    }
    if let Some(path) = text("TargetFilename") {
        draft.observe(ObservableKind::FileName, "file.name", Some(basename(&path)));
    }
    if let Some(hashes) = text("Hashes") {
        observe_hash_list(draft, &hashes);
    }
    let host = text("Computer").or_else(|| text("Hostname"));
    draft.resource("host", host, None);
    draft.time = ["UtcTime", "TimeCreated", "@timestamp"]
        .iter()
        .find_map(|field| event.field_text(field).and_then(|t| crate::json::time_text(&t)));
}
