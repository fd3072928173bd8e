//! The events alerts emit through the outbox (and so to the live feed and to channels by
//! severity). A batch emits one `alert.created` per severity it created alerts of, listing them,
//! so that a flood of a thousand alerts is a handful of notifications, not a thousand; a triage
//! change emits one `alert.updated`, a bulk change one for all its alerts.

use crate::model::{AlertId, severity_word};
use detect::Severity;
use platform::TenantTx;
use platform::jobs::JobsError;
use platform::outbox::{self, Event};
use serde_json::{Value, json};
use std::collections::BTreeMap;

pub const ALERT_CREATED: &str = "alert.created";
pub const ALERT_UPDATED: &str = "alert.updated";
pub const SLA_BREACHED: &str = "alert.sla_breached";
pub const INCIDENT_CANDIDATE: &str = "incident.candidate";

/// Alerts listed in full in one event; the rest are counted.
const LISTED: usize = 100;

/// The outbox's severity for an alert's.
pub fn outbox_severity(severity: Severity) -> outbox::Severity {
    match severity {
        Severity::Unknown | Severity::Informational => outbox::Severity::Info,
        Severity::Low => outbox::Severity::Low,
        Severity::Medium => outbox::Severity::Medium,
        Severity::High => outbox::Severity::High,
        Severity::Critical | Severity::Fatal => outbox::Severity::Critical,
    }
}

/// A created alert, as events list it.
#[derive(Clone, Debug)]
pub struct Created<'a> {
    pub id: AlertId,
    pub title: &'a str,
    pub severity: Severity,
    pub source: &'a str,
    pub rule: Option<&'a str>,
}

/// Emits `alert.created` for `created`, one event per outbox severity.
pub async fn created(tx: &mut TenantTx, created: &[Created<'_>]) -> Result<(), JobsError> {
    let mut by_severity: BTreeMap<outbox::Severity, Vec<&Created<'_>>> = BTreeMap::new();
    for alert in created {
        by_severity.entry(outbox_severity(alert.severity)).or_default().push(alert);
    }
    for (severity, alerts) in by_severity.into_iter().rev() {
        let subject = match alerts.as_slice() {
            [one] => format!("New {} alert: {}", severity_word(one.severity), one.title),
            many => format!("{} new {severity} alerts: {} …", many.len(), many[0].title),
        };
        let listed: Vec<Value> = alerts
            .iter()
            .take(LISTED)
            .map(|a| {
                json!({
                    "id": a.id, "title": a.title, "severity": severity_word(a.severity),
                    "source": a.source, "rule": a.rule,
                })
            })
            .collect();
        let payload = json!({
            "count": alerts.len(),
            "alerts": listed,
            "truncated": alerts.len() > LISTED,
        });
        let event = Event { kind: ALERT_CREATED, severity, subject: &subject, payload };
        outbox::emit(tx, &event).await?;
    }
    Ok(())
}

/// Emits one `alert.updated` for a change of `ids` (one alert, or a bulk change).
pub async fn updated(
    tx: &mut TenantTx,
    action: &str,
    ids: &[AlertId],
    severity: Severity,
    subject: &str,
    mut payload: Value,
) -> Result<(), JobsError> {
    if ids.is_empty() {
        return Ok(());
    }
    if let Some(object) = payload.as_object_mut() {
        object.insert("action".into(), json!(action));
        object.insert("count".into(), json!(ids.len()));
        object.insert("alert_ids".into(), json!(ids.iter().take(LISTED).collect::<Vec<_>>()));
        object.insert("truncated".into(), json!(ids.len() > LISTED));
    }
    let event =
        Event { kind: ALERT_UPDATED, severity: outbox_severity(severity), subject, payload };
    outbox::emit(tx, &event).await?;
    Ok(())
}
