//! Managing tenants (global administrators, `TENANTS_MANAGE`): create, list, read, update,
//! suspend and restore. Tenants are global rows; every change is audited in the platform scope
//! and announced so that authentication caches drop the tenant's status at once.
//!
//! It must not know about HTTP, and must not delete tenants (they are suspended instead).

use super::Identity;
use super::changes::{Change, announce};
use crate::error::ManageError;
use crate::model::{Slug, TenantRow, TenantStatus, parse_name};
use crate::store::{rbac, tenants};
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Page, PageRequest, TenantId};
use serde_json::json;

/// The largest `settings` object accepted, serialized.
pub const MAX_SETTINGS_BYTES: usize = 16 * 1024;

/// The fields of a tenant update; `None` leaves a field as it is. `settings` replaces the whole
/// object.
#[derive(Clone, Debug, Default)]
pub struct TenantChanges {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub settings: Option<serde_json::Value>,
}

impl Identity {
    /// Creates a tenant with the default role matrix, in one transaction with its audit row.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn create_tenant(
        &self,
        context: &RequestContext,
        principal: &Principal,
        name: &str,
        slug: &str,
    ) -> Result<TenantRow, ManageError> {
        principal.require(Permission::TENANTS_MANAGE)?;
        let name = parse_name("name", name)?;
        let slug = Slug::parse(slug)?;
        let id = TenantId::generate();
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        let tenant = tenants::insert(&mut tx, id, &name, &slug).await?;
        let entry = principal.audit(
            context,
            "tenant.create",
            "tenant",
            Some(id.to_string()),
            json!({ "name": tenant.name, "slug": tenant.slug }),
        );
        audit::record(&mut tx, &entry).await?;
        tx.switch_tenant(id).await?;
        rbac::seed_defaults(&mut tx).await?;
        tx.commit().await?;
        Ok(tenant)
    }

    /// A page of tenants, oldest first, optionally only those with `status`.
    #[tracing::instrument(skip(self, principal))]
    pub async fn list_tenants(
        &self,
        principal: &Principal,
        status: Option<&str>,
        page: &PageRequest,
    ) -> Result<Page<TenantRow>, ManageError> {
        principal.require(Permission::TENANTS_MANAGE)?;
        let status = status.map(parse_status).transpose()?;
        let after: Option<TenantId> = page.after()?;
        let mut conn = self.db().pool().acquire().await?;
        let rows =
            tenants::list(&mut conn, status.map(TenantStatus::as_str), after, page.fetch()).await?;
        Ok(Page::from_rows(rows, page, |tenant| tenant.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn get_tenant(
        &self,
        principal: &Principal,
        id: TenantId,
    ) -> Result<TenantRow, ManageError> {
        principal.require(Permission::TENANTS_MANAGE)?;
        let mut conn = self.db().pool().acquire().await?;
        tenants::by_id(&mut conn, id, false).await?.ok_or(ManageError::NotFound("tenant"))
    }

    /// Changes a tenant's name, slug or settings. Nothing different from what is stored changes
    /// nothing and writes no audit row.
    #[tracing::instrument(skip(self, context, principal, changes))]
    pub async fn update_tenant(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: TenantId,
        changes: TenantChanges,
    ) -> Result<TenantRow, ManageError> {
        principal.require(Permission::TENANTS_MANAGE)?;
        let name = changes.name.as_deref().map(|n| parse_name("name", n)).transpose()?;
        let slug = changes.slug.as_deref().map(Slug::parse).transpose()?;
        let settings = changes.settings.map(parse_settings).transpose()?;
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        let current =
            tenants::by_id(&mut tx, id, true).await?.ok_or(ManageError::NotFound("tenant"))?;
        let name = name.filter(|n| *n != current.name);
        let slug = slug.filter(|s| s.as_str() != current.slug);
        let settings = settings.filter(|s| *s != current.settings);
        if name.is_none() && slug.is_none() && settings.is_none() {
            return Ok(current);
        }
        let mut fields = Vec::new();
        let mut summary = serde_json::Map::new();
        if let Some(name) = &name {
            fields.push("name");
            summary.insert("name".into(), json!({ "from": current.name, "to": name }));
        }
        if let Some(slug) = &slug {
            fields.push("slug");
            summary.insert("slug".into(), json!({ "from": current.slug, "to": slug.as_str() }));
        }
        if settings.is_some() {
            // The settings' content is not copied into the audit log; it may hold secrets.
            fields.push("settings");
        }
        summary.insert("fields".into(), json!(fields));
        let current_slug = Slug::parse(&current.slug)?;
        let updated = tenants::update(
            &mut tx,
            id,
            name.as_deref().unwrap_or(&current.name),
            slug.as_ref().unwrap_or(&current_slug),
            settings.as_ref().unwrap_or(&current.settings),
        )
        .await?
        .ok_or(ManageError::NotFound("tenant"))?;
        let entry = principal.audit(
            context,
            "tenant.update",
            "tenant",
            Some(id.to_string()),
            summary.into(),
        );
        audit::record(&mut tx, &entry).await?;
        announce(&mut tx, &Change::Tenant(id)).await?;
        tx.commit().await?;
        self.forget(&Change::Tenant(id));
        Ok(updated)
    }

    /// Suspends a tenant: its users cannot log in and its tokens and API keys stop working.
    /// Suspending a suspended tenant changes nothing and writes no audit row. The tenant the
    /// administrator is logged in to cannot be suspended.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn suspend_tenant(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: TenantId,
    ) -> Result<TenantRow, ManageError> {
        principal.require(Permission::TENANTS_MANAGE)?;
        if id == principal.acting_from.unwrap_or(principal.tenant) {
            return Err(ManageError::forbidden(
                "you cannot suspend the tenant you are logged in to",
            ));
        }
        self.set_tenant_status(context, principal, id, TenantStatus::Suspended).await
    }

    /// Restores a suspended tenant; restoring an active tenant changes nothing.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn restore_tenant(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: TenantId,
    ) -> Result<TenantRow, ManageError> {
        principal.require(Permission::TENANTS_MANAGE)?;
        self.set_tenant_status(context, principal, id, TenantStatus::Active).await
    }

    async fn set_tenant_status(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: TenantId,
        status: TenantStatus,
    ) -> Result<TenantRow, ManageError> {
        let mut tx = self.db().tenant_tx(TenantId::PLATFORM).await?;
        let current =
            tenants::by_id(&mut tx, id, true).await?.ok_or(ManageError::NotFound("tenant"))?;
        if current.status == status.as_str() {
            return Ok(current);
        }
        let updated = tenants::set_status(&mut tx, id, status.as_str())
            .await?
            .ok_or(ManageError::NotFound("tenant"))?;
        let action = match status {
            TenantStatus::Suspended => "tenant.suspend",
            TenantStatus::Active => "tenant.restore",
        };
        let summary = json!({ "slug": updated.slug, "from": current.status, "to": updated.status });
        let entry = principal.audit(context, action, "tenant", Some(id.to_string()), summary);
        audit::record(&mut tx, &entry).await?;
        announce(&mut tx, &Change::Tenant(id)).await?;
        tx.commit().await?;
        self.forget(&Change::Tenant(id));
        Ok(updated)
    }
}

/// `active` or `suspended`.
fn parse_status(text: &str) -> Result<TenantStatus, ManageError> {
    match text.trim() {
        "active" => Ok(TenantStatus::Active),
        "suspended" => Ok(TenantStatus::Suspended),
        _ => Err(ManageError::invalid(
            "status",
            FieldCode::INVALID_STATUS,
            "one of active, suspended",
        )),
    }
}

/// Tenant settings: a JSON object of at most `MAX_SETTINGS_BYTES` serialized.
fn parse_settings(settings: serde_json::Value) -> Result<serde_json::Value, ManageError> {
    if !settings.is_object() {
        return Err(ManageError::invalid(
            "settings",
            FieldCode::INVALID_SETTINGS,
            "settings must be a JSON object",
        ));
    }
    let size = serde_json::to_vec(&settings).map_err(|e| ManageError::Unexpected(e.into()))?.len();
    if size > MAX_SETTINGS_BYTES {
        return Err(ManageError::invalid(
            "settings",
            FieldCode::TOO_LARGE,
            format!("settings must be at most {MAX_SETTINGS_BYTES} bytes as JSON"),
        ));
    }
    Ok(settings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_must_be_a_small_object() {
        assert!(parse_settings(json!({ "timezone": "UTC" })).is_ok());
        assert!(parse_settings(json!(["not", "an", "object"])).is_err());
        assert!(parse_settings(json!({ "big": "x".repeat(MAX_SETTINGS_BYTES) })).is_err());
    }
}
