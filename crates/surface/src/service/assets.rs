//! Managing assets: register (the value normalized, checked by the SSRF guard, unique in the
//! tenant), list, show, change ports, tags and schedule, and delete. A new asset is `pending`:
//! nothing is scanned before its authorization is proven.

use super::Surface;
use super::input::{self, AssetInput};
use crate::error::SurfaceError;
use crate::jobs;
use crate::model::{Asset, AssetFilter, AssetId, Ports, ScanStatus, Tags};
use crate::schedule::Schedule;
use crate::store::{self, assets::NewAsset};
use chrono::Utc;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Page, PageRequest, TenantTx};
use serde_json::json;

impl Surface {
    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_asset(
        &self,
        context: &RequestContext,
        principal: &Principal,
        input: &AssetInput,
    ) -> Result<Asset, SurfaceError> {
        principal.require(Permission::ASSETS_MANAGE)?;
        let kind =
            input::parse_kind(input.kind.as_deref().ok_or_else(|| input::required("kind"))?)?;
        let value = input::parse_value(
            kind,
            input.value.as_deref().ok_or_else(|| input::required("value"))?,
        )?;
        let ports = match input.ports.as_deref() {
            Some(text) => input::parse_ports(text)?,
            None => Ports::default_ports(),
        };
        let tags = input::parse_tags(input.tags.as_deref().unwrap_or_default())?;
        let schedule = match input.schedule.as_deref() {
            None | Some("") => None,
            Some(text) => Some(input::parse_schedule(text)?),
        };
        self.check_size(&value, &ports)?;
        self.check_value(&value).await?;
        let next_scan_at = schedule.as_ref().and_then(|s| s.next_after(Utc::now()));
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        if store::assets::count(&mut tx).await? >= self.settings().max_assets {
            return Err(SurfaceError::LimitReached(format!(
                "a tenant can monitor at most {} assets; delete one first",
                self.settings().max_assets
            )));
        }
        let new = NewAsset {
            id: AssetId::generate(),
            value: &value,
            ports: &ports,
            tags: &tags,
            schedule: schedule.as_ref(),
            next_scan_at,
        };
        let asset = store::assets::insert(&mut tx, &new).await?;
        if let Some(at) = next_scan_at {
            jobs::enqueue_schedule(&mut tx, asset.id, at).await?;
        }
        record(&mut tx, context, principal, "asset.create", &asset).await?;
        tx.commit().await?;
        Ok(asset)
    }

    /// A page of the tenant's assets matching `filter`, newest first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_assets(
        &self,
        principal: &Principal,
        filter: &AssetFilter,
        page: &PageRequest,
    ) -> Result<Page<Asset>, SurfaceError> {
        principal.require(Permission::ASSETS_VIEW)?;
        let before: Option<AssetId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::assets::list(&mut tx, filter, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |asset| asset.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn asset(&self, principal: &Principal, id: AssetId) -> Result<Asset, SurfaceError> {
        principal.require(Permission::ASSETS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let asset = store::assets::get(&mut tx, id, false).await?;
        tx.commit().await?;
        asset.ok_or(SurfaceError::NotFound("asset"))
    }

    /// Changes an asset's ports, tags or schedule; its kind and value never change (register
    /// another asset instead).
    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_asset(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AssetId,
        input: &AssetInput,
    ) -> Result<Asset, SurfaceError> {
        principal.require(Permission::ASSETS_MANAGE)?;
        for (field, given) in [("kind", &input.kind), ("value", &input.value)] {
            if given.is_some() {
                return Err(SurfaceError::invalid(
                    field,
                    FieldCode::IMMUTABLE,
                    "an asset's kind and value cannot change; register another asset",
                ));
            }
        }
        let ports = input.ports.as_deref().map(input::parse_ports).transpose()?;
        let tags = input.tags.as_deref().map(input::parse_tags).transpose()?;
        let schedule: Option<Option<Schedule>> = match input.schedule.as_deref() {
            None => None,
            Some("") => Some(None),
            Some(text) => Some(Some(input::parse_schedule(text)?)),
        };
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current =
            store::assets::get(&mut tx, id, true).await?.ok_or(SurfaceError::NotFound("asset"))?;
        let ports: Ports = ports.unwrap_or_else(|| current.ports.clone());
        let tags: Tags = tags.unwrap_or_else(|| current.tags.clone());
        self.check_size(&current.value, &ports)?;
        let (schedule, next_scan_at) = match schedule {
            None => (current.schedule.clone(), current.next_scan_at),
            Some(None) => (None, None),
            Some(Some(schedule)) => {
                let next = schedule.next_after(Utc::now());
                (Some(schedule), next)
            }
        };
        let asset = store::assets::update_settings(
            &mut tx,
            id,
            &ports,
            &tags,
            schedule.as_ref(),
            next_scan_at,
        )
        .await?;
        if let Some(at) = next_scan_at.filter(|at| Some(*at) != current.next_scan_at) {
            jobs::enqueue_schedule(&mut tx, id, at).await?;
        }
        record(&mut tx, context, principal, "asset.update", &asset).await?;
        tx.commit().await?;
        Ok(asset)
    }

    /// Deletes an asset with its scans, snapshots and changes (their events stay). Refused while
    /// a scan of it runs: cancel it first.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_asset(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AssetId,
    ) -> Result<(), SurfaceError> {
        principal.require(Permission::ASSETS_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        store::assets::get(&mut tx, id, true).await?.ok_or(SurfaceError::NotFound("asset"))?;
        if let Some(scan) = store::scans::active(&mut tx, id).await?
            && scan.status == ScanStatus::Running
        {
            return Err(SurfaceError::ScanInProgress(
                "a scan of this asset is running; cancel it before deleting the asset".into(),
            ));
        }
        let asset =
            store::assets::delete(&mut tx, id).await?.ok_or(SurfaceError::NotFound("asset"))?;
        record(&mut tx, context, principal, "asset.delete", &asset).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Refuses a port list whose scan would try more addresses × ports than allowed.
    pub(crate) fn check_size(
        &self,
        value: &surface_engine::values::AssetValue,
        ports: &Ports,
    ) -> Result<(), SurfaceError> {
        let addresses = match value {
            surface_engine::values::AssetValue::Cidr(cidr) => u64::from(cidr.size()),
            _ => 1,
        };
        let probes = addresses * ports.spec().len() as u64;
        let max = self.settings().scan.max_probes;
        if probes > max {
            return Err(SurfaceError::invalid(
                "ports",
                FieldCode::TOO_LARGE,
                format!(
                    "{addresses} addresses × {} ports is more than the {max} probes one scan may make",
                    ports.spec().len()
                ),
            ));
        }
        Ok(())
    }
}

/// The audit row of a change to `asset` (never a challenge token).
async fn record(
    tx: &mut TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    asset: &Asset,
) -> Result<(), SurfaceError> {
    let summary = json!({
        "kind": asset.kind().as_str(),
        "value": asset.value.to_string(),
        "ports": asset.ports.as_str(),
        "tags": asset.tags.as_slice(),
        "schedule": asset.schedule.as_ref().map(ToString::to_string),
    });
    let entry = principal.audit(context, action, "asset", Some(asset.id.to_string()), summary);
    audit::record(tx, &entry).await?;
    Ok(())
}
