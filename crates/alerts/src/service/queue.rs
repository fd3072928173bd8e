//! Reading the queue: a filtered page of alerts newest first, one alert whole (its OCSF finding
//! brought up to date with its triage status, count and first/last seen; its raw payload; its
//! history; its correlation groups; its SLA due times), and the statistics over a range of hours.
//!
//! These only read. The page is one call (one round trip); the others end their transaction by
//! dropping it, so the ROLLBACK rides on the connection's return to the pool instead of costing
//! the answer a round trip (a console refreshing the queue while a SIEM floods it waits for the
//! database once per round trip).

use super::Alerts;
use super::settings::parse_stored;
use crate::error::AlertsError;
use crate::model::stats::StatusCounts;
use crate::model::{
    Alert, AlertFilter, AlertId, AlertStats, AlertSummary, StatsRange, TenantAlertSettings,
};
use crate::store;
use detect::Severity;
use platform::access::{Permission, Principal};
use platform::{Page, PageRequest, TenantTx};
use serde_json::{Value, json};

impl Alerts {
    /// A page of the tenant's alerts matching `filter`, newest first.
    #[tracing::instrument(skip(self, principal, filter))]
    pub async fn list_alerts(
        &self,
        principal: &Principal,
        filter: &AlertFilter,
        page: &PageRequest,
    ) -> Result<Page<AlertSummary>, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let before: Option<AlertId> = page.after()?;
        let mut read = self.db().tenant_read(principal.tenant).await?;
        let rows = store::alerts::page(&mut read, filter, before, page.fetch()).await?;
        Ok(Page::from_rows(rows, page, |alert| alert.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn alert(&self, principal: &Principal, id: AlertId) -> Result<Alert, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let alert = load(&mut tx, id).await?;
        drop(tx);
        Ok(alert)
    }

    /// Alerts created per day over the last `days` days (1 to 366, today included), oldest
    /// first, with every day present.
    #[tracing::instrument(skip(self, principal))]
    pub async fn daily_trend(
        &self,
        principal: &Principal,
        days: u16,
    ) -> Result<Vec<(chrono::NaiveDate, i64)>, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let days = days.clamp(1, 366);
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::stats::daily(&mut tx, i32::from(days)).await?;
        drop(tx);
        let today = chrono::Utc::now().date_naive();
        let counts: std::collections::HashMap<_, _> = rows.into_iter().collect();
        Ok((0..i64::from(days))
            .rev()
            .map(|back| today - chrono::Days::new(back.unsigned_abs()))
            .map(|day| (day, counts.get(&day).copied().unwrap_or(0)))
            .collect())
    }

    /// Counts by status and severity, MTTA, MTTR and SLA breaches of the alerts created in the
    /// hours of `range` (all of them without one).
    #[tracing::instrument(skip(self, principal))]
    pub async fn stats(
        &self,
        principal: &Principal,
        range: StatsRange,
    ) -> Result<AlertStats, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let range = range.hours();
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let sums = store::stats::sums(&mut tx, range).await?;
        drop(tx);
        let mut stats = AlertStats {
            range,
            by_status: StatusCounts::default(),
            by_severity: Default::default(),
            mtta_seconds: None,
            mttr_seconds: None,
            ack_breaches: 0,
            close_breaches: 0,
        };
        let (mut acknowledged, mut ack_seconds, mut close_seconds) = (0i64, 0f64, 0f64);
        for sum in &sums {
            let severity =
                Severity::from_ocsf_id(i64::from(sum.severity)).unwrap_or(Severity::Unknown);
            let counts = sum.counts();
            stats.by_status.add(&counts);
            stats.by_severity.entry(severity).or_default().add(&counts);
            acknowledged += sum.acknowledged_total;
            ack_seconds += sum.ack_seconds;
            close_seconds += sum.close_seconds;
            stats.ack_breaches += sum.ack_breaches;
            stats.close_breaches += sum.close_breaches;
        }
        stats.mtta_seconds = (acknowledged > 0).then(|| ack_seconds / acknowledged as f64);
        let closed = stats.by_status.closed;
        stats.mttr_seconds = (closed > 0).then(|| close_seconds / closed as f64);
        Ok(stats)
    }
}

/// One alert whole, read in the caller's transaction.
pub(crate) async fn load(tx: &mut TenantTx, id: AlertId) -> Result<Alert, AlertsError> {
    let row = store::alerts::get(tx, id).await?.ok_or(AlertsError::NotFound("alert"))?;
    let history = store::history::of_alert(tx, id).await?;
    let correlation_groups = store::correlation::groups_of(tx, id).await?;
    let settings: TenantAlertSettings = parse_stored(store::settings::get(tx).await?.as_ref());
    let summary = AlertSummary::from(row.summary);
    let target = settings.target(summary.severity);
    let finding = current_finding(row.finding, &summary);
    Ok(Alert {
        ack_due_at: target.acknowledge.map(|t| summary.created_at + t),
        close_due_at: target.close.map(|t| summary.created_at + t),
        summary,
        description: row.description,
        finding,
        raw: row.raw,
        history,
        correlation_groups,
    })
}

/// The stored finding with what triage and dedup changed since it was normalized.
fn current_finding(mut finding: Value, summary: &AlertSummary) -> Value {
    let (status_id, status) = summary.status.ocsf();
    if let Some(object) = finding.as_object_mut() {
        object.insert("status_id".into(), json!(status_id));
        object.insert("status".into(), json!(status));
        object.insert("count".into(), json!(summary.occurrences));
        object.insert("modified_time".into(), json!(summary.updated_at.timestamp_millis()));
        if let Some(info) = object.get_mut("finding_info").and_then(Value::as_object_mut) {
            info.insert("first_seen_time".into(), json!(summary.first_seen_at.timestamp_millis()));
            info.insert("last_seen_time".into(), json!(summary.last_seen_at.timestamp_millis()));
            info.insert("modified_time".into(), json!(summary.updated_at.timestamp_millis()));
        }
    }
    finding
}
