//! Bulk changes: up to 10,000 listed alerts acknowledged, closed or assigned in one request and
//! one transaction; or every alert a list filter selects, as a job that works through them in
//! chunks of a thousand (each chunk its own transaction, with its history, statistics, event and
//! audit row), reports its progress, and stops at the next chunk when cancelled.

use super::events;
use super::triage::{Action, Changes, change, check_assignee, comment, severity_of};
use super::{Acting, Alerts};
use crate::error::AlertsError;
use crate::jobs::RunBulkJob;
use crate::model::bulk::{JOB_CHUNK, MAX_BULK_IDS};
use crate::model::{
    AlertFilter, AlertId, BulkAction, BulkJob, BulkJobId, BulkJobStatus, BulkOutcome,
};
use crate::store;
use chrono::Utc;
use detect::Severity;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Page, PageRequest, TenantId, TenantTx};
use serde_json::json;
use uuid::Uuid;

fn triage_action(action: &BulkAction) -> (Action, Option<&str>) {
    match action {
        BulkAction::Acknowledge { comment } => (Action::Acknowledge, comment.as_deref()),
        BulkAction::Close { disposition, comment } => {
            (Action::Close(*disposition), comment.as_deref())
        }
        BulkAction::Assign { assignee, comment } => (Action::Assign(*assignee), comment.as_deref()),
    }
}

/// Checks an action's comment and assignee.
async fn check(tx: &mut TenantTx, action: &BulkAction) -> Result<Option<String>, AlertsError> {
    let (triage, note) = triage_action(action);
    let note = comment(note)?;
    if let Action::Assign(assignee) = triage {
        check_assignee(tx, assignee).await?;
    }
    Ok(note)
}

/// The event and audit row of one bulk change.
async fn announce(
    tx: &mut TenantTx,
    context: &RequestContext,
    acting: &Acting<'_>,
    action: &BulkAction,
    changes: &Changes,
    bulk_id: Uuid,
) -> Result<(), AlertsError> {
    let ids: Vec<AlertId> = changes.changed.iter().map(|(old, _)| old.id).collect();
    let severity =
        changes.changed.iter().map(|(old, _)| severity_of(old)).max().unwrap_or(Severity::Unknown);
    let subject = format!("{} alerts: bulk {}", ids.len(), action.name());
    let payload = json!({"bulk_id": bulk_id, "params": action});
    events::updated(tx, action.name(), &ids, severity, &subject, payload).await?;
    let summary = json!({
        "bulk_id": bulk_id, "params": action, "changed": ids.len(),
        "unchanged": changes.unchanged.len() + changes.refused.len(),
        "not_found": changes.not_found.len(),
        "alert_ids": ids.iter().take(100).collect::<Vec<_>>(),
    });
    let audit_action = format!("alert.bulk_{}", action.name());
    audit::record(tx, &acting.audit(context, &audit_action, "alert", None, summary)).await?;
    Ok(())
}

impl Alerts {
    /// Applies `action` to the listed alerts (at most 10,000) in one transaction.
    #[tracing::instrument(skip(self, context, principal, ids), fields(n = ids.len()))]
    pub async fn bulk(
        &self,
        context: &RequestContext,
        principal: &Principal,
        action: &BulkAction,
        ids: &[AlertId],
    ) -> Result<BulkOutcome, AlertsError> {
        principal.require(Permission::ALERTS_BULK)?;
        if ids.is_empty() || ids.len() > MAX_BULK_IDS {
            return Err(AlertsError::invalid(
                "ids",
                FieldCode::TOO_MANY,
                format!("1 to {MAX_BULK_IDS} alert ids; use a bulk job for more"),
            ));
        }
        let mut ids = ids.to_vec();
        ids.sort();
        ids.dedup();
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let note = check(&mut tx, action).await?;
        let (triage, _) = triage_action(action);
        let acting = Acting::Principal(principal);
        let bulk_id = Uuid::now_v7();
        let changes =
            change(&mut tx, &acting, triage, note.as_deref(), &ids, Some(bulk_id)).await?;
        announce(&mut tx, context, &acting, action, &changes, bulk_id).await?;
        tx.commit().await?;
        let mut unchanged = changes.unchanged;
        unchanged.extend(changes.refused.into_iter().map(|(id, _)| id));
        unchanged.sort();
        Ok(BulkOutcome {
            changed: changes.changed.into_iter().map(|(old, _)| old.id).collect(),
            unchanged,
            not_found: changes.not_found,
        })
    }

    /// Starts a job applying `action` to every alert `filter` selects.
    #[tracing::instrument(skip(self, context, principal, filter))]
    pub async fn start_bulk_job(
        &self,
        context: &RequestContext,
        principal: &Principal,
        action: &BulkAction,
        filter: &AlertFilter,
    ) -> Result<BulkJob, AlertsError> {
        principal.require(Permission::ALERTS_BULK)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        check(&mut tx, action).await?;
        let job = BulkJob {
            id: BulkJobId::generate(),
            action: action.clone(),
            filter: filter.clone(),
            status: BulkJobStatus::Queued,
            total: store::alerts::count(&mut tx, filter).await?,
            processed: 0,
            changed: 0,
            error: None,
            created_at: Utc::now(),
            started_at: None,
            finished_at: None,
            cancel_requested_at: None,
        };
        let (actor_type, actor_id) = Acting::Principal(principal).history_actor();
        store::bulk::insert(&mut tx, &job, actor_type, actor_id).await?;
        RunBulkJob::enqueue(&mut tx, job.id).await?;
        let summary = json!({"params": action, "filter": filter, "total": job.total});
        let entry = principal.audit(
            context,
            "alert.bulk_job_start",
            "bulk_job",
            Some(job.id.to_string()),
            summary,
        );
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(job)
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn bulk_job(
        &self,
        principal: &Principal,
        id: BulkJobId,
    ) -> Result<BulkJob, AlertsError> {
        principal.require(Permission::ALERTS_BULK)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let job = store::bulk::get(&mut tx, id, false).await?;
        tx.commit().await?;
        job.map(|s| s.job).ok_or(AlertsError::NotFound("bulk job"))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn list_bulk_jobs(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Page<BulkJob>, AlertsError> {
        principal.require(Permission::ALERTS_BULK)?;
        let before: Option<BulkJobId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::bulk::list(&mut tx, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |job| job.id))
    }

    /// Cancels a job: one not started yet never runs; a running one stops before its next chunk
    /// (what it changed stays changed). A finished job cannot be cancelled.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn cancel_bulk_job(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: BulkJobId,
    ) -> Result<BulkJob, AlertsError> {
        principal.require(Permission::ALERTS_BULK)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let stored =
            store::bulk::get(&mut tx, id, true).await?.ok_or(AlertsError::NotFound("bulk job"))?;
        if stored.job.status.is_finished() {
            return Err(AlertsError::Conflict(format!(
                "the job has already {}",
                match stored.job.status {
                    BulkJobStatus::Cancelled => "been cancelled",
                    BulkJobStatus::Failed => "failed",
                    _ => "finished",
                }
            )));
        }
        store::bulk::request_cancel(&mut tx, id).await?;
        let entry = principal.audit(
            context,
            "alert.bulk_job_cancel",
            "bulk_job",
            Some(id.to_string()),
            json!({}),
        );
        audit::record(&mut tx, &entry).await?;
        let job =
            store::bulk::get(&mut tx, id, false).await?.ok_or(AlertsError::NotFound("bulk job"))?;
        tx.commit().await?;
        Ok(job.job)
    }

    /// Runs a bulk job to its end, a chunk per transaction (the `alerts.bulk_job` job). It
    /// resumes after the last chunk committed, so running it again is harmless.
    #[tracing::instrument(skip(self))]
    pub async fn run_bulk_job(&self, tenant: TenantId, id: BulkJobId) -> Result<(), AlertsError> {
        loop {
            let mut tx = self.db().tenant_tx(tenant).await?;
            let Some(stored) = store::bulk::get(&mut tx, id, true).await? else {
                return Ok(());
            };
            let job = &stored.job;
            if job.status.is_finished() {
                return Ok(());
            }
            if job.cancel_requested_at.is_some() {
                store::bulk::progress(&mut tx, id, BulkJobStatus::Cancelled, 0, 0, None, None)
                    .await?;
                tx.commit().await?;
                return Ok(());
            }
            let ids = store::alerts::matching_ids(&mut tx, &job.filter, stored.position, JOB_CHUNK)
                .await?;
            let Some(last) = ids.last().copied() else {
                store::bulk::progress(&mut tx, id, BulkJobStatus::Succeeded, 0, 0, None, None)
                    .await?;
                tx.commit().await?;
                return Ok(());
            };
            let acting = Acting::recorded(tenant, &stored.actor_type, stored.actor_id);
            let (triage, note) = triage_action(&job.action);
            let changes = change(&mut tx, &acting, triage, note, &ids, Some(id.as_uuid())).await?;
            let context = RequestContext::default();
            announce(&mut tx, &context, &acting, &job.action, &changes, id.as_uuid()).await?;
            let processed = i64::try_from(ids.len()).unwrap_or(i64::MAX);
            let changed = i64::try_from(changes.changed.len()).unwrap_or(i64::MAX);
            store::bulk::progress(
                &mut tx,
                id,
                BulkJobStatus::Running,
                processed,
                changed,
                Some(last),
                None,
            )
            .await?;
            tx.commit().await?;
        }
    }

    /// Marks a job failed for good (its last attempt's error).
    pub(crate) async fn fail_bulk_job(
        &self,
        tenant: TenantId,
        id: BulkJobId,
        error: &str,
    ) -> Result<(), AlertsError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        store::bulk::progress(&mut tx, id, BulkJobStatus::Failed, 0, 0, None, Some(error)).await?;
        tx.commit().await?;
        Ok(())
    }
}
