//! Managing policies (the engine's format, checked by the engine against the tenant's rules)
//! and exceptions (a rule or selector accepted under a path glob until a day, for a reason).
//! Writes need `POLICIES_MANAGE`, reads `DIFFSCAN_VIEW`; each write has its audit row.

use super::Diffscan;
use super::input::{self, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS};
use crate::error::DiffscanError;
use crate::model::{ExceptionId, ExceptionRecord, PolicyId, PolicyRecord};
use crate::store::{self, exceptions::ExceptionValues, policies::PolicyValues};
use chrono::Utc;
use diffscan_engine::Engine;
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Page, PageRequest, TenantTx};
use serde_json::json;
use std::sync::Arc;

pub const MAX_POLICIES: i64 = 100;
pub const MAX_EXCEPTIONS: i64 = 1000;

/// A policy to create, or the changes to one (absent fields stay as they are).
#[derive(Clone, Debug, Default)]
pub struct PolicyInput {
    pub name: Option<String>,
    pub description: Option<String>,
    pub is_default: Option<bool>,
    /// The engine's policy format without exceptions. Required on creation.
    pub policy: Option<serde_json::Value>,
}

/// An exception to create, or the changes to one.
#[derive(Clone, Debug, Default)]
pub struct ExceptionInput {
    /// `Some(None)`: under every policy of the tenant.
    pub policy_id: Option<Option<PolicyId>>,
    pub rule: Option<String>,
    pub path: Option<String>,
    /// `YYYY-MM-DD`; today or later.
    pub expires: Option<String>,
    pub reason: Option<String>,
}

/// Filters of the exceptions list.
#[derive(Clone, Debug, Default)]
pub struct ExceptionFilter {
    pub policy_id: Option<PolicyId>,
    /// `true`: expired ones only; `false`: those still in force.
    pub expired: Option<bool>,
}

fn required<T>(value: Option<T>, field: &'static str) -> Result<T, DiffscanError> {
    value.ok_or_else(|| DiffscanError::invalid(field, FieldCode::REQUIRED, "is required"))
}

impl Diffscan {
    /// The engine a scan of this tenant would run now: the built-in pack and its enabled packs.
    pub(crate) async fn tenant_engine(
        &self,
        tx: &mut TenantTx,
    ) -> Result<Arc<Engine>, DiffscanError> {
        let packs = store::rule_packs::enabled(tx).await?;
        let service = self.clone();
        tokio::task::spawn_blocking(move || service.engines().with_packs(&packs))
            .await
            .map_err(|e| anyhow::anyhow!("compiling the rules ended abnormally: {e}"))?
            .map_err(|e| anyhow::anyhow!("the tenant's rules do not compile: {e}").into())
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_policy(
        &self,
        context: &RequestContext,
        principal: &Principal,
        input: &PolicyInput,
    ) -> Result<PolicyRecord, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let name = input::name("name", &required(input.name.clone(), "name")?, MAX_NAME_CHARS)?;
        let description = input::text(
            "description",
            input.description.as_deref().unwrap_or(""),
            MAX_DESCRIPTION_CHARS,
        )?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let engine = self.tenant_engine(&mut tx).await?;
        let document =
            input::policy_document(&required(input.policy.clone(), "policy")?, engine.rule_set())?;
        if store::policies::count(&mut tx).await? >= MAX_POLICIES {
            return Err(DiffscanError::Conflict(format!(
                "a tenant can have at most {MAX_POLICIES} policies; delete one first"
            )));
        }
        let values = PolicyValues {
            name: &name,
            description: &description,
            document: &document,
            is_default: input.is_default.unwrap_or(false),
        };
        let policy = store::policies::insert(&mut tx, PolicyId::generate(), &values).await?;
        record_policy(&mut tx, context, principal, "diffscan.policy.create", &policy).await?;
        tx.commit().await?;
        Ok(policy)
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn list_policies(
        &self,
        principal: &Principal,
        page: &PageRequest,
    ) -> Result<Page<PolicyRecord>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let before: Option<PolicyId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let rows = store::policies::list(&mut tx, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |policy| policy.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn policy(
        &self,
        principal: &Principal,
        id: PolicyId,
    ) -> Result<PolicyRecord, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let policy = store::policies::get(&mut tx, id, false).await?;
        tx.commit().await?;
        policy.ok_or(DiffscanError::NotFound("policy"))
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_policy(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: PolicyId,
        input: &PolicyInput,
    ) -> Result<PolicyRecord, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current = store::policies::get(&mut tx, id, true)
            .await?
            .ok_or(DiffscanError::NotFound("policy"))?;
        let name = match &input.name {
            Some(name) => input::name("name", name, MAX_NAME_CHARS)?,
            None => current.name.clone(),
        };
        let description = match &input.description {
            Some(text) => input::text("description", text, MAX_DESCRIPTION_CHARS)?,
            None => current.description.clone(),
        };
        let document = match &input.policy {
            Some(policy) => {
                let engine = self.tenant_engine(&mut tx).await?;
                input::policy_document(policy, engine.rule_set())?
            }
            None => current.document.clone(),
        };
        let values = PolicyValues {
            name: &name,
            description: &description,
            document: &document,
            is_default: input.is_default.unwrap_or(current.is_default),
        };
        let policy = store::policies::update(&mut tx, id, &values).await?;
        record_policy(&mut tx, context, principal, "diffscan.policy.update", &policy).await?;
        tx.commit().await?;
        Ok(policy)
    }

    /// Deletes a policy with its exceptions; scans, repositories and installations that named it
    /// fall back to the tenant's default.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_policy(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: PolicyId,
    ) -> Result<(), DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let policy =
            store::policies::delete(&mut tx, id).await?.ok_or(DiffscanError::NotFound("policy"))?;
        record_policy(&mut tx, context, principal, "diffscan.policy.delete", &policy).await?;
        tx.commit().await?;
        Ok(())
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_exception(
        &self,
        context: &RequestContext,
        principal: &Principal,
        input: &ExceptionInput,
    ) -> Result<ExceptionRecord, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let draft = ExceptionInput {
            rule: Some(required(input.rule.clone(), "rule")?),
            path: Some(required(input.path.clone(), "path")?),
            expires: Some(required(input.expires.clone(), "expires")?),
            reason: Some(required(input.reason.clone(), "reason")?),
            policy_id: Some(input.policy_id.flatten()),
        };
        let checked = self.checked_exception(&mut tx, &draft, None).await?;
        if store::exceptions::count(&mut tx).await? >= MAX_EXCEPTIONS {
            return Err(DiffscanError::Conflict(format!(
                "a tenant can have at most {MAX_EXCEPTIONS} exceptions; delete expired ones first"
            )));
        }
        let values = checked.values();
        let exception =
            store::exceptions::insert(&mut tx, ExceptionId::generate(), &values, principal.user)
                .await?;
        record_exception(&mut tx, context, principal, "diffscan.exception.create", &exception)
            .await?;
        tx.commit().await?;
        Ok(exception)
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn list_exceptions(
        &self,
        principal: &Principal,
        filter: &ExceptionFilter,
        page: &PageRequest,
    ) -> Result<Page<ExceptionRecord>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let before: Option<ExceptionId> = page.after()?;
        let today = Utc::now().date_naive();
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let expired = filter.expired.map(|expired| (expired, today));
        let rows =
            store::exceptions::list(&mut tx, filter.policy_id, expired, before, page.fetch())
                .await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |exception| exception.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn exception(
        &self,
        principal: &Principal,
        id: ExceptionId,
    ) -> Result<ExceptionRecord, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let exception = store::exceptions::get(&mut tx, id, false).await?;
        tx.commit().await?;
        exception.ok_or(DiffscanError::NotFound("exception"))
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_exception(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: ExceptionId,
        input: &ExceptionInput,
    ) -> Result<ExceptionRecord, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current = store::exceptions::get(&mut tx, id, true)
            .await?
            .ok_or(DiffscanError::NotFound("exception"))?;
        let checked = self.checked_exception(&mut tx, input, Some(&current)).await?;
        let exception = store::exceptions::update(&mut tx, id, &checked.values()).await?;
        record_exception(&mut tx, context, principal, "diffscan.exception.update", &exception)
            .await?;
        tx.commit().await?;
        Ok(exception)
    }

    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_exception(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: ExceptionId,
    ) -> Result<(), DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let exception = store::exceptions::delete(&mut tx, id)
            .await?
            .ok_or(DiffscanError::NotFound("exception"))?;
        record_exception(&mut tx, context, principal, "diffscan.exception.delete", &exception)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// An exception's fields, each from `input` or else `current`, checked as a scan will read
    /// them.
    async fn checked_exception(
        &self,
        tx: &mut TenantTx,
        input: &ExceptionInput,
        current: Option<&ExceptionRecord>,
    ) -> Result<CheckedException, DiffscanError> {
        let engine = self.tenant_engine(tx).await?;
        let rule = match (&input.rule, current) {
            (Some(rule), _) => input::rule_selector("rule", rule, engine.rule_set())?,
            (None, Some(current)) => current.rule.clone(),
            (None, None) => required(None, "rule")?,
        };
        let path = match (&input.path, current) {
            (Some(path), _) => input::name("path", path, 1000)?,
            (None, Some(current)) => current.path_glob.clone(),
            (None, None) => required(None, "path")?,
        };
        let expires = match (&input.expires, current) {
            (Some(text), _) => {
                let day = input::day("expires", text)?;
                if day < Utc::now().date_naive() {
                    return Err(DiffscanError::invalid(
                        "expires",
                        FieldCode::NOT_IN_FUTURE,
                        "an exception must expire today or later",
                    ));
                }
                day
            }
            (None, Some(current)) => current.expires_on,
            (None, None) => required(None, "expires")?,
        };
        let reason = match (&input.reason, current) {
            (Some(reason), _) => input::text("reason", reason.trim(), 2000)?,
            (None, Some(current)) => current.reason.clone(),
            (None, None) => required(None, "reason")?,
        };
        let policy_id = match (input.policy_id, current) {
            (Some(policy), _) => policy,
            (None, Some(current)) => current.policy_id,
            (None, None) => None,
        };
        if let Some(policy) = policy_id
            && store::policies::get(tx, policy, false).await?.is_none()
        {
            return Err(DiffscanError::invalid(
                "policy_id",
                FieldCode::UNKNOWN_REFERENCE,
                "no such policy in this tenant",
            ));
        }
        input::exception(&rule, &path, expires, &reason)?;
        Ok(CheckedException { policy_id, rule, path, expires, reason })
    }
}

struct CheckedException {
    policy_id: Option<PolicyId>,
    rule: String,
    path: String,
    expires: chrono::NaiveDate,
    reason: String,
}

impl CheckedException {
    fn values(&self) -> ExceptionValues<'_> {
        ExceptionValues {
            policy_id: self.policy_id,
            rule: &self.rule,
            path_glob: &self.path,
            expires_on: self.expires,
            reason: &self.reason,
        }
    }
}

async fn record_policy(
    tx: &mut TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    policy: &PolicyRecord,
) -> Result<(), DiffscanError> {
    let summary =
        json!({"name": policy.name, "is_default": policy.is_default, "policy": policy.document});
    let entry =
        principal.audit(context, action, "diffscan_policy", Some(policy.id.to_string()), summary);
    audit::record(tx, &entry).await?;
    Ok(())
}

async fn record_exception(
    tx: &mut TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    exception: &ExceptionRecord,
) -> Result<(), DiffscanError> {
    let summary = json!({
        "policy_id": exception.policy_id,
        "rule": exception.rule,
        "path": exception.path_glob,
        "expires": exception.expires_on,
        "reason": exception.reason,
    });
    let entry = principal.audit(
        context,
        action,
        "diffscan_exception",
        Some(exception.id.to_string()),
        summary,
    );
    audit::record(tx, &entry).await?;
    Ok(())
}
