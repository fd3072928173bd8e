//! Change events for a principal: the tenant's changes with filters, one change, and its
//! acknowledgement (audited once; acknowledging again changes nothing).

use super::Surface;
use crate::error::SurfaceError;
use crate::model::{Change, ChangeFilter, ChangeId};
use crate::store;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{Page, PageRequest};
use serde_json::json;

impl Surface {
    /// A page of the tenant's changes matching `filter`, newest first.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_changes(
        &self,
        principal: &Principal,
        filter: &ChangeFilter,
        page: &PageRequest,
    ) -> Result<Page<Change>, SurfaceError> {
        principal.require(Permission::ASSETS_VIEW)?;
        let before: Option<ChangeId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::changes::list(&mut tx, filter, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |change| change.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn change(
        &self,
        principal: &Principal,
        id: ChangeId,
    ) -> Result<Change, SurfaceError> {
        principal.require(Permission::ASSETS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let change = store::changes::get(&mut tx, id).await?;
        tx.commit().await?;
        change.ok_or(SurfaceError::NotFound("change"))
    }

    #[tracing::instrument(skip(self, context, principal))]
    pub async fn ack_change(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: ChangeId,
    ) -> Result<Change, SurfaceError> {
        principal.require(Permission::CHANGES_ACK)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let (change, newly) = store::changes::ack(&mut tx, id, principal.user)
            .await?
            .ok_or(SurfaceError::NotFound("change"))?;
        if newly {
            let summary =
                json!({ "kind": change.kind, "asset_id": change.asset_id, "port": change.port });
            let entry =
                principal.audit(context, "change.ack", "change", Some(id.to_string()), summary);
            audit::record(&mut tx, &entry).await?;
        }
        tx.commit().await?;
        Ok(change)
    }
}
