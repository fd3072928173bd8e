//! Retention (the hourly `diffscan.purge` job): for every tenant, the raw diffs whose retention
//! has passed leave the object store, each leaving its deletion marker (an object beside it and
//! `diff_deleted_at` on its scan); raw webhook bodies older than the retention are dropped;
//! expired idempotency keys are removed. The scans, their findings and signed results stay.
//!
//! An object is removed before its row is marked, so a run that stops half-way is finished by
//! the next one (removing a missing object succeeds).

use super::Diffscan;
use super::results::marker;
use crate::error::DiffscanError;
use crate::objects::{self, ObjectKey};
use crate::store;
use chrono::Utc;
use platform::TenantId;
use platform::audit::{self, Actor, AuditEntry, RequestContext};
use serde_json::json;

/// Raw diffs purged per tenant and transaction.
const BATCH: i64 = 500;

/// What one retention run removed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Purged {
    pub diffs: u64,
    pub webhook_bodies: u64,
    pub idempotency_keys: u64,
}

impl Diffscan {
    /// One retention run over every tenant (see the module documentation).
    #[tracing::instrument(skip(self))]
    pub async fn purge_expired(&self) -> Result<Purged, DiffscanError> {
        let tenants: Vec<TenantId> = sqlx::query_scalar("select id from tenants order by id")
            .fetch_all(self.db().pool())
            .await?;
        let mut total = Purged::default();
        for tenant in tenants {
            let purged = self.purge_tenant(tenant).await?;
            total.diffs += purged.diffs;
            total.webhook_bodies += purged.webhook_bodies;
            total.idempotency_keys += purged.idempotency_keys;
        }
        Ok(total)
    }

    async fn purge_tenant(&self, tenant: TenantId) -> Result<Purged, DiffscanError> {
        let mut purged = Purged::default();
        loop {
            let mut tx = self.db().tenant_tx(tenant).await?;
            let expired = store::scans::expired(&mut tx, Utc::now(), BATCH).await?;
            for (id, key) in &expired {
                let Some(scan) = store::scans::get(&mut tx, *id, true).await? else { continue };
                if let Some(key) = ObjectKey::parse(key) {
                    objects::purge(self.objects(), &key, &marker(&scan, "retention")).await?;
                }
                store::scans::mark_purged(&mut tx, *id, "retention").await?;
            }
            if !expired.is_empty() {
                let ids: Vec<String> = expired.iter().map(|(id, _)| id.to_string()).collect();
                record(&mut tx, json!({"diffs": ids.len(), "scans": ids})).await?;
            }
            tx.commit().await?;
            purged.diffs += expired.len() as u64;
            if (expired.len() as i64) < BATCH {
                break;
            }
        }
        let retention = chrono::Duration::from_std(self.settings().retention)
            .map_err(|e| DiffscanError::Unexpected(e.into()))?;
        let mut tx = self.db().tenant_tx(tenant).await?;
        purged.webhook_bodies =
            store::deliveries::purge_bodies(&mut tx, Utc::now() - retention).await?;
        purged.idempotency_keys = store::idempotency::delete_expired(&mut tx).await?;
        if purged.webhook_bodies > 0 {
            record(&mut tx, json!({"webhook_bodies": purged.webhook_bodies})).await?;
        }
        tx.commit().await?;
        Ok(purged)
    }
}

async fn record(
    tx: &mut platform::TenantTx,
    summary: serde_json::Value,
) -> Result<(), DiffscanError> {
    let context = RequestContext::default();
    let entry = AuditEntry {
        actor: Actor::System,
        action: "diffscan.retention.purge",
        target_type: "diffscan_scan",
        target_id: None,
        context: &context,
        summary,
    };
    audit::record(tx, &entry).await?;
    Ok(())
}
