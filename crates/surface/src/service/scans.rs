//! Scans for a principal: start one now (only of an authorized asset, at most one queued or
//! running per asset), list an asset's scans, show one with its progress, and cancel one. The
//! schedule job starts scans the same way, as the system. The worker's side is in `worker`.

use super::Surface;
use crate::error::SurfaceError;
use crate::jobs;
use crate::model::{Asset, AssetId, AssetStatus, Scan, ScanId, ScanTrigger};
use crate::store;
use chrono::Utc;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{Page, PageRequest, TenantId, TenantTx, UserId};
use serde_json::json;

impl Surface {
    /// Queues a scan of the asset on its port list. Refused (`NotAuthorized`) unless the asset
    /// is authorized, and (`ScanInProgress`) while another scan of it is queued or running.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn start_scan(
        &self,
        context: &RequestContext,
        principal: &Principal,
        asset: AssetId,
    ) -> Result<Scan, SurfaceError> {
        principal.require(Permission::SCANS_RUN)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current = store::assets::get(&mut tx, asset, true)
            .await?
            .ok_or(SurfaceError::NotFound("asset"))?;
        let scan = queue_scan(&mut tx, &current, ScanTrigger::Manual, principal.user).await?;
        let summary =
            json!({ "asset_id": asset, "value": current.value.to_string(), "ports": scan.ports });
        let entry =
            principal.audit(context, "scan.start", "scan", Some(scan.id.to_string()), summary);
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(scan)
    }

    /// A page of the asset's scans, newest first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_scans(
        &self,
        principal: &Principal,
        asset: AssetId,
        page: &PageRequest,
    ) -> Result<Page<Scan>, SurfaceError> {
        principal.require(Permission::ASSETS_VIEW)?;
        let before: Option<ScanId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        store::assets::get(&mut tx, asset, false).await?.ok_or(SurfaceError::NotFound("asset"))?;
        let rows = store::scans::list(&mut tx, asset, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |scan| scan.id))
    }

    /// The tenant's `limit` (1 to 50) latest scans of any asset, newest first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn latest_scans(
        &self,
        principal: &Principal,
        limit: u8,
    ) -> Result<Vec<Scan>, SurfaceError> {
        principal.require(Permission::ASSETS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::scans::latest(&mut tx, i64::from(limit.clamp(1, 50))).await?;
        tx.commit().await?;
        Ok(rows)
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn scan(&self, principal: &Principal, id: ScanId) -> Result<Scan, SurfaceError> {
        principal.require(Permission::ASSETS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let scan = store::scans::get(&mut tx, id, false).await?;
        tx.commit().await?;
        scan.ok_or(SurfaceError::NotFound("scan"))
    }

    /// Cancels a queued scan at once, a running one within about a second (no snapshot is kept
    /// of a cancelled scan). `ScanFinished` when it already ended.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn cancel_scan(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: ScanId,
    ) -> Result<Scan, SurfaceError> {
        principal.require(Permission::SCANS_RUN)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let Some(scan) = store::scans::request_cancel(&mut tx, id).await? else {
            return match store::scans::get(&mut tx, id, false).await? {
                Some(scan) => Err(SurfaceError::ScanFinished(format!(
                    "the scan already ended ({}); there is nothing to cancel",
                    scan.status
                ))),
                None => Err(SurfaceError::NotFound("scan")),
            };
        };
        let summary = json!({ "asset_id": scan.asset_id, "status": scan.status.as_str() });
        let entry = principal.audit(context, "scan.cancel", "scan", Some(id.to_string()), summary);
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(scan)
    }

    /// The schedule job: queues a scan of the asset if it is due and authorized, and the next
    /// occurrence of its schedule.
    pub async fn scheduled_scan(&self, tenant: TenantId, id: AssetId) -> Result<(), SurfaceError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(asset) = store::assets::get(&mut tx, id, true).await? else { return Ok(()) };
        let Some(schedule) = asset.schedule.clone() else { return Ok(()) };
        let now = Utc::now();
        // Moved since this job was queued: the job of the new time runs then.
        if asset.next_scan_at.is_some_and(|at| at > now + chrono::Duration::seconds(30)) {
            return Ok(());
        }
        let next = schedule.next_after(now);
        store::assets::set_next_scan(&mut tx, id, next).await?;
        if let Some(at) = next {
            jobs::enqueue_schedule(&mut tx, id, at).await?;
        }
        if asset.status != AssetStatus::Authorized {
            tracing::info!(asset = %id, status = %asset.status, "scheduled scan skipped: not authorized");
        } else if store::scans::active(&mut tx, id).await?.is_some() {
            tracing::info!(asset = %id, "scheduled scan skipped: a scan is already queued or running");
        } else {
            let scan = queue_scan(&mut tx, &asset, ScanTrigger::Schedule, None).await?;
            let summary =
                json!({ "asset_id": id, "value": asset.value.to_string(), "trigger": "schedule" });
            super::audit_system(&mut tx, "scan.start", "scan", scan.id.to_string(), summary)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Inserts a queued scan of `asset` and its job, in the caller's transaction (which holds the
/// asset's row lock).
async fn queue_scan(
    tx: &mut TenantTx,
    asset: &Asset,
    trigger: ScanTrigger,
    requested_by: Option<UserId>,
) -> Result<Scan, SurfaceError> {
    if asset.status != AssetStatus::Authorized {
        let how = match asset.status {
            AssetStatus::Revoked => "its proof of authorization was lost; prove it again",
            AssetStatus::Failed => "its last verification failed; verify it again",
            _ => "prove it first (POST /v1/assets/{id}/authorize, then verify)",
        };
        return Err(SurfaceError::NotAuthorized(format!(
            "the asset is {}, not authorized to be scanned: {how}",
            asset.status
        )));
    }
    let scan = store::scans::insert(
        tx,
        ScanId::generate(),
        asset.id,
        trigger,
        asset.ports.as_str(),
        requested_by,
    )
    .await?;
    jobs::enqueue_scan(tx, asset.id, scan.id).await?;
    Ok(scan)
}
