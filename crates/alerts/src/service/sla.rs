//! SLA checks: every minute, for each tenant, open alerts that passed their severity's
//! time-to-acknowledge (still `new`) or time-to-close (still open) target are marked, counted in
//! the statistics, and announced as `alert.sla_breached` (one event per severity and target,
//! listing the alerts), in one transaction with its audit row. Each alert is marked once per
//! target.

use super::events::{SLA_BREACHED, outbox_severity};
use super::settings::parse_stored;
use super::{Acting, Alerts};
use crate::error::AlertsError;
use crate::model::severity_word;
use crate::store::{self, stats::Delta, stats::Deltas};
use chrono::{DateTime, Utc};
use detect::Severity;
use platform::TenantId;
use platform::audit::{self, RequestContext};
use platform::outbox::{self, Event};
use serde_json::json;

/// Alerts marked per severity and target in one check; the next check takes the rest.
const PER_CHECK: i64 = 5_000;

impl Alerts {
    /// The tenants whose SLAs the sweep checks: every active one.
    pub async fn active_tenants(&self) -> Result<Vec<TenantId>, AlertsError> {
        Ok(sqlx::query_scalar("select id from tenants where status = 'active' order by id")
            .fetch_all(self.db().pool())
            .await?)
    }

    /// Marks and announces the tenant's newly missed SLA targets; returns how many were missed.
    pub async fn check_sla(&self, tenant: TenantId) -> Result<usize, AlertsError> {
        self.check_sla_at(tenant, Utc::now()).await
    }

    /// `check_sla` as of `now` (tests and replays look at another instant than the clock's).
    #[tracing::instrument(skip(self))]
    pub async fn check_sla_at(
        &self,
        tenant: TenantId,
        now: DateTime<Utc>,
    ) -> Result<usize, AlertsError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let settings = parse_stored(store::settings::get(&mut tx).await?.as_ref());
        let mut deltas = Deltas::default();
        let mut missed = 0;
        for severity in Severity::ALL {
            let target = settings.target(severity);
            for (acknowledge, limit) in [(true, target.acknowledge), (false, target.close)] {
                let Some(limit) = limit else { continue };
                let marked = store::alerts::mark_breaches(
                    &mut tx,
                    severity,
                    acknowledge,
                    now - limit,
                    PER_CHECK,
                    now,
                )
                .await?;
                if marked.is_empty() {
                    continue;
                }
                missed += marked.len();
                for (_, _, created_at) in &marked {
                    let mut delta = Delta::default();
                    match acknowledge {
                        true => delta.ack_breaches = 1,
                        false => delta.close_breaches = 1,
                    }
                    deltas.add(*created_at, i16::from(severity.ocsf_id()), delta);
                }
                let kind = if acknowledge { "acknowledge" } else { "close" };
                let subject = match marked.as_slice() {
                    [(_, title, _)] => format!("SLA missed ({kind}): {title}"),
                    many => format!(
                        "SLA missed ({kind}) by {} {} alerts",
                        many.len(),
                        severity_word(severity)
                    ),
                };
                let payload = json!({
                    "target": kind,
                    "severity": severity_word(severity),
                    "target_secs": limit.num_seconds(),
                    "count": marked.len(),
                    "alert_ids": marked.iter().take(100).map(|(id, _, _)| id).collect::<Vec<_>>(),
                    "truncated": marked.len() > 100,
                });
                let event = Event {
                    kind: SLA_BREACHED,
                    severity: outbox_severity(severity),
                    subject: &subject,
                    payload,
                };
                outbox::emit(&mut tx, &event).await?;
            }
        }
        if missed > 0 {
            store::stats::apply(&mut tx, &deltas).await?;
            let context = RequestContext::default();
            let entry = Acting::System(tenant).audit(
                &context,
                "alert.sla_breached",
                "alert",
                None,
                json!({"missed": missed}),
            );
            audit::record(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(missed)
    }
}
