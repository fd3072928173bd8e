//! Managing GitHub: installations (an API base URL checked by the SSRF guard, a token and a
//! webhook secret sealed at rest, the check run's name, a default policy), their repositories
//! (whose pull requests are scanned, each with an optional policy and baseline), and reading the
//! webhook deliveries they received. A webhook secret is shown once: when it is generated.
//! Installations are here; repositories and deliveries in the submodules of those names.

mod deliveries;
mod repositories;

use super::Diffscan;
use super::input::{self, MAX_NAME_CHARS};
use crate::error::DiffscanError;
use crate::model::{BaselineId, DeliveryStatus, InstallationId, InstallationRecord, PolicyId};
use crate::store::{self, github::InstallationValues};
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::outbound::SsrfError;
use platform::sealing::{Keyring, Sealed};
use platform::{FieldCode, Page, PageRequest, Secret, TenantId, TenantTx};
use rand::RngCore;
use serde_json::json;

pub const DEFAULT_API_URL: &str = "https://api.github.com";
pub const DEFAULT_CHECK_NAME: &str = "Palisade Diffscan";
pub const MAX_INSTALLATIONS: i64 = 50;
pub const MAX_REPOSITORIES: i64 = 1000;

/// The associated data binding a sealed token to its tenant and installation.
pub(crate) fn token_aad(tenant: TenantId, id: InstallationId) -> Vec<u8> {
    aad(b"diffscan github token", tenant, id)
}

/// The associated data binding a sealed webhook secret to its tenant and installation.
pub(crate) fn webhook_secret_aad(tenant: TenantId, id: InstallationId) -> Vec<u8> {
    aad(b"diffscan github webhook secret", tenant, id)
}

fn aad(purpose: &[u8], tenant: TenantId, id: InstallationId) -> Vec<u8> {
    let mut aad = purpose.to_vec();
    aad.extend_from_slice(tenant.as_uuid().as_bytes());
    aad.extend_from_slice(id.as_uuid().as_bytes());
    aad
}

/// An installation to create, or the changes to one (absent fields stay as they are).
#[derive(Clone, Debug, Default)]
pub struct InstallationInput {
    pub name: Option<String>,
    /// Default `https://api.github.com`.
    pub api_url: Option<String>,
    /// A token that may read pull requests and write checks. Required on creation.
    pub token: Option<Secret<String>>,
    /// The webhook's secret; generated (and shown once) when absent on creation.
    pub webhook_secret: Option<Secret<String>>,
    /// Generates a new webhook secret (shown once).
    pub rotate_webhook_secret: bool,
    pub check_name: Option<String>,
    /// `Some(None)` clears it.
    pub policy_id: Option<Option<PolicyId>>,
    pub enabled: Option<bool>,
}

/// An installation as created or changed, with where GitHub must send its webhook and, when it
/// was just generated, its secret (shown this once).
#[derive(Debug)]
pub struct InstallationView {
    pub installation: InstallationRecord,
    pub webhook_url: String,
    pub webhook_secret: Option<Secret<String>>,
}

/// A repository to add, or the changes to one.
#[derive(Clone, Debug, Default)]
pub struct RepositoryInput {
    pub full_name: Option<String>,
    pub policy_id: Option<Option<PolicyId>>,
    pub baseline_id: Option<Option<BaselineId>>,
    pub enabled: Option<bool>,
}

/// Filters of the deliveries list.
#[derive(Clone, Debug, Default)]
pub struct DeliveryFilter {
    pub installation_id: Option<InstallationId>,
    pub status: Option<DeliveryStatus>,
}

fn secret_text(
    field: &'static str,
    value: &Secret<String>,
    min: usize,
) -> Result<(), DiffscanError> {
    let text = value.expose();
    let valid = (min..=1024).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic());
    if valid {
        Ok(())
    } else {
        Err(DiffscanError::invalid(
            field,
            FieldCode::INVALID_TEXT,
            format!("{min} to 1024 visible ASCII characters"),
        ))
    }
}

fn generated_secret() -> Secret<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    Secret::new(hex::encode(bytes))
}

fn seal(keyring: &Keyring, aad: &[u8], secret: &Secret<String>) -> Result<Sealed, DiffscanError> {
    keyring
        .seal(aad, secret.expose().as_bytes())
        .map_err(|e| DiffscanError::Unexpected(anyhow::anyhow!("sealing a secret: {e}")))
}

fn ssrf_refusal(error: &SsrfError) -> DiffscanError {
    let code = match error {
        SsrfError::Denied { .. }
        | SsrfError::MetadataName { .. }
        | SsrfError::NonCanonicalIpv4 { .. } => FieldCode::URL_NOT_ALLOWED,
        SsrfError::InvalidHost { .. } | SsrfError::InvalidUrl { .. } => FieldCode::INVALID_URL,
        SsrfError::Resolve { .. } | SsrfError::NoAddresses { .. } => FieldCode::URL_NOT_RESOLVABLE,
    };
    DiffscanError::invalid("api_url", code, error.to_string())
}

impl Diffscan {
    /// Where GitHub must deliver an installation's webhook.
    pub fn webhook_url(&self, id: InstallationId) -> String {
        format!("{}/v1/diffscan/github/webhook/{id}", self.public_url())
    }

    async fn checked_api_url(&self, text: &str) -> Result<String, DiffscanError> {
        let url = text.trim().trim_end_matches('/');
        if url.len() > 2048 {
            return Err(DiffscanError::invalid(
                "api_url",
                FieldCode::INVALID_URL,
                "at most 2048 characters",
            ));
        }
        let checked =
            tokio::time::timeout(self.settings().github_timeout, self.github().check_api_url(url))
                .await;
        match checked {
            Ok(Ok(())) => Ok(url.to_string()),
            Ok(Err(error)) => Err(ssrf_refusal(&error)),
            Err(_) => Err(DiffscanError::invalid(
                "api_url",
                FieldCode::URL_NOT_RESOLVABLE,
                "resolving the host timed out",
            )),
        }
    }

    async fn checked_policy(
        &self,
        tx: &mut TenantTx,
        policy: Option<PolicyId>,
    ) -> Result<Option<PolicyId>, DiffscanError> {
        if let Some(id) = policy
            && store::policies::get(tx, id, false).await?.is_none()
        {
            return Err(DiffscanError::invalid(
                "policy_id",
                FieldCode::UNKNOWN_REFERENCE,
                "no such policy in this tenant",
            ));
        }
        Ok(policy)
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_installation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        input: &InstallationInput,
    ) -> Result<InstallationView, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let name = input::name(
            "name",
            input.name.as_deref().ok_or_else(|| {
                DiffscanError::invalid("name", FieldCode::REQUIRED, "is required")
            })?,
            MAX_NAME_CHARS,
        )?;
        let token = input
            .token
            .clone()
            .ok_or_else(|| DiffscanError::invalid("token", FieldCode::REQUIRED, "is required"))?;
        secret_text("token", &token, 1)?;
        let (secret, shown) = match &input.webhook_secret {
            Some(secret) => {
                secret_text("webhook_secret", secret, 16)?;
                (secret.clone(), None)
            }
            None => {
                let secret = generated_secret();
                (secret.clone(), Some(secret))
            }
        };
        let check_name = input::name(
            "check_name",
            input.check_name.as_deref().unwrap_or(DEFAULT_CHECK_NAME),
            MAX_NAME_CHARS,
        )?;
        let api_url =
            self.checked_api_url(input.api_url.as_deref().unwrap_or(DEFAULT_API_URL)).await?;
        let keyring = self.keyring().await?;
        let (tenant, id) = (principal.tenant, InstallationId::generate());
        let mut tx = self.db().tenant_tx(tenant).await?;
        let policy_id = self.checked_policy(&mut tx, input.policy_id.flatten()).await?;
        if store::github::count(&mut tx).await? >= MAX_INSTALLATIONS {
            return Err(DiffscanError::Conflict(format!(
                "a tenant can have at most {MAX_INSTALLATIONS} GitHub installations"
            )));
        }
        let sealed_token = seal(keyring, &token_aad(tenant, id), &token)?;
        let sealed_secret = seal(keyring, &webhook_secret_aad(tenant, id), &secret)?;
        let values = InstallationValues {
            name: &name,
            api_url: &api_url,
            check_name: &check_name,
            policy_id,
            enabled: input.enabled.unwrap_or(true),
            token: &sealed_token,
            webhook_secret: &sealed_secret,
        };
        let installation = store::github::insert(&mut tx, id, &values).await?;
        record_installation(
            &mut tx,
            context,
            principal,
            "diffscan.github.installation.create",
            &installation,
        )
        .await?;
        tx.commit().await?;
        Ok(InstallationView {
            webhook_url: self.webhook_url(id),
            installation,
            webhook_secret: shown,
        })
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn list_installations(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Page<InstallationView>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let before: Option<InstallationId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::github::list(&mut tx, before, page.fetch()).await?;
        tx.commit().await?;
        let page = Page::from_rows(rows, page, |installation| installation.id);
        Ok(page.map(|installation| InstallationView {
            webhook_url: self.webhook_url(installation.id),
            installation,
            webhook_secret: None,
        }))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn installation(
        &self,
        principal: &Principal,
        id: InstallationId,
    ) -> Result<InstallationView, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let installation = store::github::get(&mut tx, id, false)
            .await?
            .ok_or(DiffscanError::NotFound("GitHub installation"))?;
        tx.commit().await?;
        Ok(InstallationView {
            webhook_url: self.webhook_url(id),
            installation,
            webhook_secret: None,
        })
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_installation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: InstallationId,
        input: &InstallationInput,
    ) -> Result<InstallationView, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        if input.rotate_webhook_secret && input.webhook_secret.is_some() {
            return Err(DiffscanError::invalid(
                "rotate_webhook_secret",
                FieldCode::NOT_APPLICABLE,
                "give a webhook_secret or ask for a generated one, not both",
            ));
        }
        if let Some(token) = &input.token {
            secret_text("token", token, 1)?;
        }
        if let Some(secret) = &input.webhook_secret {
            secret_text("webhook_secret", secret, 16)?;
        }
        let api_url = match &input.api_url {
            Some(url) => Some(self.checked_api_url(url).await?),
            None => None,
        };
        let keyring = self.keyring().await?;
        let tenant = principal.tenant;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let current = store::github::get(&mut tx, id, true)
            .await?
            .ok_or(DiffscanError::NotFound("GitHub installation"))?;
        let name = match &input.name {
            Some(name) => input::name("name", name, MAX_NAME_CHARS)?,
            None => current.name.clone(),
        };
        let check_name = match &input.check_name {
            Some(name) => input::name("check_name", name, MAX_NAME_CHARS)?,
            None => current.check_name.clone(),
        };
        let policy_id = match input.policy_id {
            Some(policy) => self.checked_policy(&mut tx, policy).await?,
            None => current.policy_id,
        };
        let token = match &input.token {
            Some(token) => seal(keyring, &token_aad(tenant, id), token)?,
            None => current.token.clone(),
        };
        let shown = input.rotate_webhook_secret.then(generated_secret);
        let webhook_secret = match (&input.webhook_secret, &shown) {
            (Some(secret), _) | (None, Some(secret)) => {
                seal(keyring, &webhook_secret_aad(tenant, id), secret)?
            }
            (None, None) => current.webhook_secret.clone(),
        };
        let values = InstallationValues {
            name: &name,
            api_url: api_url.as_deref().unwrap_or(&current.api_url),
            check_name: &check_name,
            policy_id,
            enabled: input.enabled.unwrap_or(current.enabled),
            token: &token,
            webhook_secret: &webhook_secret,
        };
        let installation = store::github::update(&mut tx, id, &values).await?;
        record_installation(
            &mut tx,
            context,
            principal,
            "diffscan.github.installation.update",
            &installation,
        )
        .await?;
        tx.commit().await?;
        Ok(InstallationView {
            webhook_url: self.webhook_url(id),
            installation,
            webhook_secret: shown,
        })
    }

    /// Deletes an installation with its repositories and deliveries (its scans stay).
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_installation(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: InstallationId,
    ) -> Result<(), DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let name = store::github::delete(&mut tx, id)
            .await?
            .ok_or(DiffscanError::NotFound("GitHub installation"))?;
        let entry = principal.audit(
            context,
            "diffscan.github.installation.delete",
            "diffscan_github_installation",
            Some(id.to_string()),
            json!({"name": name}),
        );
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn record_installation(
    tx: &mut TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    installation: &InstallationRecord,
) -> Result<(), DiffscanError> {
    let summary = json!({
        "name": installation.name,
        "api_url": installation.api_url,
        "check_name": installation.check_name,
        "policy_id": installation.policy_id,
        "enabled": installation.enabled,
        "sealed_with": installation.token.key_id,
    });
    let entry = principal.audit(
        context,
        action,
        "diffscan_github_installation",
        Some(installation.id.to_string()),
        summary,
    );
    audit::record(tx, &entry).await?;
    Ok(())
}
