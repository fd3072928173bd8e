//! Microsoft Sentinel `SecurityAlert` records, as an automation rule's Logic App or a Log
//! Analytics export posts them: PascalCase columns (`SystemAlertId`, `AlertName`, `Severity`,
//! `Status`, `Tactics`, `Techniques`, `Entities`, `ExtendedProperties`). Log Analytics keeps
//! `Entities` and `ExtendedProperties` as JSON text and `Tactics` as a comma list; objects and
//! arrays are read too.

use crate::error::AdapterError;
use crate::json::{first_text, lookup, scalar_text, text, texts, time_value};
use crate::model::{Confidence, FindingStatus, ObservableKind, Product, Severity};
use crate::normalize::FindingDraft;
use serde_json::Value;

pub fn product(alert: &Value) -> Product {
    Product {
        name: first_text(alert, &["ProductName", "ProviderName"])
            .unwrap_or_else(|| "Microsoft Sentinel".into()),
        vendor: text(alert, "VendorName").unwrap_or_else(|| "Microsoft".into()),
        version: None,
    }
}

pub fn draft(alert: &Value) -> Result<FindingDraft, AdapterError> {
    let uid = text(alert, "SystemAlertId").ok_or_else(|| AdapterError::missing("SystemAlertId"))?;
    let word = text(alert, "Severity").ok_or_else(|| AdapterError::missing("Severity"))?;
    let severity = Severity::parse(&word)
        .ok_or_else(|| AdapterError::invalid("Severity", format!("`{word}`")))?;
    let mut draft = FindingDraft {
        original_uid: Some(uid),
        title: first_text(alert, &["AlertDisplayName", "DisplayName", "AlertName"]),
        description: text(alert, "Description"),
        severity: Some(severity),
        status: text(alert, "Status").map(|s| status_of(&s)),
        confidence: confidence(alert),
        techniques: listed(alert, "Techniques"),
        tactics: listed(alert, "Tactics"),
        ..FindingDraft::default()
    };
    draft.types = texts(alert, "AlertType");
    draft.analytic.uid = first_text(alert, &["AlertType", "AnalyticRuleIds"]);
    draft.analytic.name = text(alert, "AlertName");
    draft.time = lookup(alert, "TimeGenerated").and_then(time_value);
    draft.first_seen = first_time(alert, &["StartTime", "StartTimeUtc"]);
    draft.last_seen = first_time(alert, &["EndTime", "EndTimeUtc"]);
    for entity in embedded(alert, "Entities").as_array().into_iter().flatten() {
        observe_entity(&mut draft, entity);
    }
    // The compromised entity is a host, or an account written as a UPN.
    match text(alert, "CompromisedEntity") {
        Some(entity) if entity.contains('@') => {
            draft.observe(ObservableKind::Email, "actor.user.email_addr", Some(entity));
        }
        entity => draft.observe(ObservableKind::Hostname, "device.hostname", entity),
    }
    draft.resource("azure_resource", None, first_text(alert, &["ResourceId", "AzureResourceId"]));
    Ok(draft)
}

fn first_time(alert: &Value, paths: &[&str]) -> Option<chrono::DateTime<chrono::Utc>> {
    paths.iter().find_map(|p| lookup(alert, p).and_then(time_value))
}

fn status_of(word: &str) -> FindingStatus {
    match word.to_ascii_lowercase().as_str() {
        "inprogress" | "in progress" | "active" => FindingStatus::InProgress,
        "resolved" | "closed" => FindingStatus::Resolved,
        "dismissed" => FindingStatus::Suppressed,
        _ => FindingStatus::New,
    }
}

fn confidence(alert: &Value) -> Option<Confidence> {
    let level = text(alert, "ConfidenceLevel").and_then(|l| Confidence::parse(&l));
    level.or_else(|| {
        crate::json::number(alert, "ConfidenceScore").map(|s| {
            // Sentinel scores confidence from 0 to 1.
            Confidence::from_score(s * 100.0)
        })
    })
}

/// A column that may be a JSON array, a JSON array written as text, or a comma list.
fn listed(alert: &Value, column: &str) -> Vec<String> {
    match embedded(alert, column) {
        Value::Array(items) => items.iter().filter_map(scalar_text).collect(),
        Value::String(list) => {
            list.split(',').map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
        }
        _ => Vec::new(),
    }
}

/// The column's value, parsed when Log Analytics stored JSON as text.
fn embedded(alert: &Value, column: &str) -> Value {
    match lookup(alert, column) {
        Some(Value::String(text)) => {
            serde_json::from_str(text).unwrap_or(Value::String(text.clone()))
        }
        Some(other) => other.clone(),
        None => Value::Null,
    }
}

fn observe_entity(draft: &mut FindingDraft, entity: &Value) {
    let kind = text(entity, "Type").unwrap_or_default().to_ascii_lowercase();
    match kind.as_str() {
        "host" => {
            let host = text(entity, "HostName");
            let fqdn = match (&host, text(entity, "DnsDomain")) {
                (Some(h), Some(d)) => Some(format!("{h}.{d}")),
                _ => host.clone(),
            };
            draft.observe(ObservableKind::Hostname, "device.hostname", fqdn.clone());
            draft.resource("host", fqdn, text(entity, "AzureID"));
        }
        "account" => {
            let name = text(entity, "Name");
            let account = match (text(entity, "NTDomain"), &name) {
                (Some(domain), Some(n)) => Some(format!("{domain}\\{n}")),
                _ => name.clone(),
            };
            draft.observe(ObservableKind::User, "actor.user.name", account);
            let upn =
                name.zip(text(entity, "UPNSuffix")).map(|(n, suffix)| format!("{n}@{suffix}"));
            draft.observe(ObservableKind::Email, "actor.user.email_addr", upn);
        }
        "ip" => draft.observe(ObservableKind::Ip, "src_endpoint.ip", text(entity, "Address")),
        "url" => draft.observe(ObservableKind::Url, "url.url_string", text(entity, "Url")),
        "dns" => {
            draft.observe(ObservableKind::Domain, "query.hostname", text(entity, "DomainName"))
        }
        "filehash" => draft.observe(ObservableKind::FileHash, "file.hashes", text(entity, "Value")),
        "file" => draft.observe(ObservableKind::FileName, "file.name", text(entity, "Name")),
        "process" => {
            let image = text(entity, "ImageFile.Name");
            draft.observe(ObservableKind::Process, "process.name", image);
        }
        "mailbox" => {
            draft.observe(ObservableKind::Email, "email.to", text(entity, "MailboxPrimaryAddress"));
        }
        _ => {}
    }
}
