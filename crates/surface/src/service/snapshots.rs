//! Snapshots for a principal: an asset's snapshots, one snapshot with its document, and
//! accepting the latest one as the asset's baseline (audited).

use super::Surface;
use crate::error::SurfaceError;
use crate::model::{Asset, AssetId, SnapshotId, SnapshotRecord};
use crate::store;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{Page, PageRequest};
use serde_json::json;

impl Surface {
    /// A page of the asset's snapshots (without documents), newest first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_snapshots(
        &self,
        principal: &Principal,
        asset: AssetId,
        page: &PageRequest,
    ) -> Result<Page<SnapshotRecord>, SurfaceError> {
        principal.require(Permission::ASSETS_VIEW)?;
        let before: Option<SnapshotId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        store::assets::get(&mut tx, asset, false).await?.ok_or(SurfaceError::NotFound("asset"))?;
        let rows = store::snapshots::list(&mut tx, asset, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |snapshot| snapshot.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn snapshot(
        &self,
        principal: &Principal,
        id: SnapshotId,
    ) -> Result<SnapshotRecord, SurfaceError> {
        principal.require(Permission::ASSETS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let snapshot = store::snapshots::get(&mut tx, id).await?;
        tx.commit().await?;
        snapshot.ok_or(SurfaceError::NotFound("snapshot"))
    }

    /// Accepts the asset's latest snapshot as its baseline: later changes are reported against
    /// it. `NoSnapshot` before a scan completed.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn accept_baseline(
        &self,
        context: &RequestContext,
        principal: &Principal,
        asset: AssetId,
    ) -> Result<Asset, SurfaceError> {
        principal.require(Permission::ASSETS_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current = store::assets::get(&mut tx, asset, true)
            .await?
            .ok_or(SurfaceError::NotFound("asset"))?;
        let latest = store::snapshots::latest(&mut tx, asset).await?.ok_or_else(|| {
            SurfaceError::NoSnapshot("the asset has no completed scan yet; scan it first".into())
        })?;
        let updated = store::assets::set_baseline(&mut tx, asset, latest.id).await?;
        let summary = json!({
            "snapshot_id": latest.id,
            "sha256": latest.sha256,
            "previous_snapshot_id": current.baseline_snapshot_id,
        });
        let entry =
            principal.audit(context, "asset.baseline", "asset", Some(asset.to_string()), summary);
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(updated)
    }
}
