//! Ingest sources: create one (its token or signing secret is generated and shown in that
//! answer only), list, show, rename or disable, rotate the credential, delete. Tokens are kept
//! as their SHA-256; signing secrets are sealed with the installation's keyring, bound to the
//! tenant and the source, and opened only to verify a push.

use super::Alerts;
use crate::error::AlertsError;
use crate::ingest::signature::token_digest;
use crate::model::{AlertSource, AlertSourceId, SourceAuth};
use crate::store::{self, sources::Credential};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use detect::SourceKind;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Page, PageRequest, Secret, TenantId, TenantTx};
use serde_json::json;

/// Sources one tenant may have.
pub const MAX_SOURCES: i64 = 100;

/// A source to create.
#[derive(Clone, Debug, Default)]
pub struct SourceInput {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub auth: Option<String>,
    pub enabled: Option<bool>,
}

/// A source just made (or rotated), and its credential, shown this once.
#[derive(Debug)]
pub struct SourceWithSecret {
    pub source: AlertSource,
    pub secret: Secret<String>,
}

/// The associated data a source's sealed secret is bound to.
pub(crate) fn source_aad(tenant: TenantId, id: AlertSourceId) -> Vec<u8> {
    let mut aad = b"alert_source:".to_vec();
    aad.extend_from_slice(tenant.as_uuid().as_bytes());
    aad.extend_from_slice(id.as_uuid().as_bytes());
    aad
}

fn name(text: Option<&str>) -> Result<String, AlertsError> {
    let name = text.map(str::trim).unwrap_or_default();
    if name.is_empty() || name.chars().count() > 100 || name.contains('\0') {
        return Err(AlertsError::invalid("name", FieldCode::INVALID_NAME, "1 to 100 characters"));
    }
    Ok(name.to_string())
}

/// A fresh credential for `auth`: what the sender is given, and what is stored.
fn generate(auth: SourceAuth) -> (String, Option<Vec<u8>>) {
    let random: [u8; 32] = rand::random();
    match auth {
        SourceAuth::Token => {
            let token = format!("pit_{}", URL_SAFE_NO_PAD.encode(random));
            let digest = token_digest(&token);
            (token, Some(digest))
        }
        SourceAuth::StandardWebhooks => (format!("whsec_{}", STANDARD.encode(random)), None),
        SourceAuth::Signature256 => (hex::encode(random), None),
    }
}

impl Alerts {
    async fn credential(
        &self,
        tenant: TenantId,
        id: AlertSourceId,
        auth: SourceAuth,
    ) -> Result<(String, Credential), AlertsError> {
        let (shown, digest) = generate(auth);
        let credential = match digest {
            Some(digest) => Credential::TokenDigest(digest),
            None => {
                let keyring = self.keyring().await?;
                let sealed = keyring
                    .seal(&source_aad(tenant, id), shown.as_bytes())
                    .map_err(|e| anyhow::anyhow!("sealing a source secret: {e}"))?;
                Credential::Secret(sealed)
            }
        };
        Ok((shown, credential))
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_source(
        &self,
        context: &RequestContext,
        principal: &Principal,
        input: &SourceInput,
    ) -> Result<SourceWithSecret, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let name = name(input.name.as_deref())?;
        let kind =
            SourceKind::parse(input.kind.as_deref().unwrap_or_default()).ok_or_else(|| {
                AlertsError::invalid(
                    "kind",
                    FieldCode::INVALID_KIND,
                    "palisade, wazuh, elastic, ocsf, sentinel or splunk",
                )
            })?;
        let auth =
            SourceAuth::parse(input.auth.as_deref().unwrap_or("token")).ok_or_else(|| {
                AlertsError::invalid(
                    "auth",
                    FieldCode::INVALID_KIND,
                    "token, standard_webhooks or signature_256",
                )
            })?;
        let (tenant, id) = (principal.tenant, AlertSourceId::generate());
        let (shown, credential) = self.credential(tenant, id, auth).await?;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let count: i64 =
            sqlx::query_scalar("select count(*) from alert_sources where tenant_id = $1")
                .bind(tenant)
                .fetch_one(&mut *tx)
                .await?;
        if count >= MAX_SOURCES {
            return Err(AlertsError::Conflict(format!(
                "a tenant can have at most {MAX_SOURCES} ingest sources; delete one first"
            )));
        }
        let mut source =
            store::sources::insert(&mut tx, id, &name, kind, auth, &credential).await?;
        if input.enabled == Some(false) {
            source = store::sources::update(&mut tx, id, &name, false)
                .await?
                .ok_or(AlertsError::NotFound("alert source"))?;
        }
        record(&mut tx, context, principal, "alert_source.create", &source).await?;
        tx.commit().await?;
        Ok(SourceWithSecret { source, secret: Secret::new(shown) })
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn list_sources(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Page<AlertSource>, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let before: Option<AlertSourceId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::sources::list(&mut tx, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |source| source.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn source(
        &self,
        principal: &Principal,
        id: AlertSourceId,
    ) -> Result<AlertSource, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let source = store::sources::get(&mut tx, id).await?;
        tx.commit().await?;
        source.ok_or(AlertsError::NotFound("alert source"))
    }

    /// Renames, enables or disables a source (a disabled source's pushes are refused).
    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_source(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AlertSourceId,
        input: &SourceInput,
    ) -> Result<AlertSource, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        if input.kind.is_some() || input.auth.is_some() {
            return Err(AlertsError::invalid(
                if input.kind.is_some() { "kind" } else { "auth" },
                FieldCode::IMMUTABLE,
                "a source's kind and authentication cannot change; create another source",
            ));
        }
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current =
            store::sources::get(&mut tx, id).await?.ok_or(AlertsError::NotFound("alert source"))?;
        let new_name = match &input.name {
            Some(text) => name(Some(text))?,
            None => current.name,
        };
        let enabled = input.enabled.unwrap_or(current.enabled);
        let source = store::sources::update(&mut tx, id, &new_name, enabled)
            .await?
            .ok_or(AlertsError::NotFound("alert source"))?;
        record(&mut tx, context, principal, "alert_source.update", &source).await?;
        tx.commit().await?;
        Ok(source)
    }

    /// Replaces a source's token or secret; the old one stops working at once.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn rotate_source(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AlertSourceId,
    ) -> Result<SourceWithSecret, AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let tenant = principal.tenant;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let current =
            store::sources::get(&mut tx, id).await?.ok_or(AlertsError::NotFound("alert source"))?;
        let (shown, credential) = self.credential(tenant, id, current.auth).await?;
        let source = store::sources::rotate(&mut tx, id, &credential)
            .await?
            .ok_or(AlertsError::NotFound("alert source"))?;
        record(&mut tx, context, principal, "alert_source.rotate", &source).await?;
        tx.commit().await?;
        Ok(SourceWithSecret { source, secret: Secret::new(shown) })
    }

    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_source(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AlertSourceId,
    ) -> Result<(), AlertsError> {
        principal.require(Permission::RULES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let source = store::sources::delete(&mut tx, id)
            .await?
            .ok_or(AlertsError::NotFound("alert source"))?;
        record(&mut tx, context, principal, "alert_source.delete", &source).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn record(
    tx: &mut TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    source: &AlertSource,
) -> Result<(), AlertsError> {
    let summary = json!({
        "name": source.name, "kind": source.kind, "auth": source.auth.as_str(),
        "enabled": source.enabled,
    });
    let entry =
        principal.audit(context, action, "alert_source", Some(source.id.to_string()), summary);
    audit::record(tx, &entry).await?;
    Ok(())
}
