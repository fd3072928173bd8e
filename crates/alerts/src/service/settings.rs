//! A tenant's alert settings: read (defaults for what it never set) and replaced as a whole,
//! audited.

use super::Alerts;
use crate::error::AlertsError;
use crate::model::TenantAlertSettings;
use crate::store;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use serde_json::Value;

/// The settings a stored document holds; defaults when there is none, or when it no longer
/// parses (it was checked when saved, so only a format change could make it fail).
pub(crate) fn parse_stored(document: Option<&Value>) -> TenantAlertSettings {
    match document {
        Some(document) if document.as_object().is_some_and(|o| !o.is_empty()) => {
            TenantAlertSettings::parse(document).unwrap_or_else(|error| {
                tracing::warn!(%error, "stored alert settings do not parse; using the defaults");
                TenantAlertSettings::default()
            })
        }
        _ => TenantAlertSettings::default(),
    }
}

impl Alerts {
    #[tracing::instrument(skip(self, principal))]
    pub async fn tenant_settings(
        &self,
        principal: &Principal,
    ) -> Result<TenantAlertSettings, AlertsError> {
        principal.require(Permission::ALERTS_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let document = store::settings::get(&mut tx).await?;
        tx.commit().await?;
        Ok(parse_stored(document.as_ref()))
    }

    /// Replaces the settings; what the document leaves out takes its default.
    #[tracing::instrument(skip(self, context, principal, document))]
    pub async fn update_tenant_settings(
        &self,
        context: &RequestContext,
        principal: &Principal,
        document: &Value,
    ) -> Result<TenantAlertSettings, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let settings = TenantAlertSettings::parse(document)?;
        let stored = settings.to_json();
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        store::settings::put(&mut tx, &stored).await?;
        let entry =
            principal.audit(context, "alert_settings.update", "alert_settings", None, stored);
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(settings)
    }
}
