//! A GitHub installation's repositories: which pull requests are scanned, each with an optional
//! policy and baseline of the tenant. Every change is audited; it must not touch installations.

use super::{MAX_REPOSITORIES, RepositoryInput};
use crate::error::DiffscanError;
use crate::model::{BaselineId, InstallationId, PolicyId, RepositoryId, RepositoryRecord};
use crate::service::Diffscan;
use crate::service::input;
use crate::store::{self, github::RepositoryValues};
use platform::access::{Permission, Principal};
use platform::audit::{self, RequestContext};
use platform::{FieldCode, Page, PageRequest, TenantTx};
use serde_json::json;

impl Diffscan {
    async fn checked_repository_refs(
        &self,
        tx: &mut TenantTx,
        policy: Option<PolicyId>,
        baseline: Option<BaselineId>,
    ) -> Result<(), DiffscanError> {
        self.checked_policy(tx, policy).await?;
        if let Some(baseline) = baseline
            && store::baselines::get(tx, baseline, false).await?.is_none()
        {
            return Err(DiffscanError::invalid(
                "baseline_id",
                FieldCode::UNKNOWN_REFERENCE,
                "no such baseline in this tenant",
            ));
        }
        Ok(())
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn create_repository(
        &self,
        context: &RequestContext,
        principal: &Principal,
        installation: InstallationId,
        input: &RepositoryInput,
    ) -> Result<RepositoryRecord, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let full_name = input::repository(
            "full_name",
            input.full_name.as_deref().ok_or_else(|| {
                DiffscanError::invalid("full_name", FieldCode::REQUIRED, "is required")
            })?,
        )?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        if store::github::get(&mut tx, installation, false).await?.is_none() {
            return Err(DiffscanError::NotFound("GitHub installation"));
        }
        let (policy_id, baseline_id) = (input.policy_id.flatten(), input.baseline_id.flatten());
        self.checked_repository_refs(&mut tx, policy_id, baseline_id).await?;
        if store::github::count_repositories(&mut tx, installation).await? >= MAX_REPOSITORIES {
            return Err(DiffscanError::Conflict(format!(
                "an installation can have at most {MAX_REPOSITORIES} repositories"
            )));
        }
        let values = RepositoryValues {
            full_name: &full_name,
            policy_id,
            baseline_id,
            enabled: input.enabled.unwrap_or(true),
        };
        let repository = store::github::insert_repository(
            &mut tx,
            RepositoryId::generate(),
            installation,
            &values,
        )
        .await?;
        record_repository(
            &mut tx,
            context,
            principal,
            "diffscan.github.repository.create",
            &repository,
        )
        .await?;
        tx.commit().await?;
        Ok(repository)
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn list_repositories(
        &self,
        principal: &Principal,
        installation: InstallationId,
        page: &PageRequest,
    ) -> Result<Page<RepositoryRecord>, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let before: Option<RepositoryId> = page.after()?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        if store::github::get(&mut tx, installation, false).await?.is_none() {
            return Err(DiffscanError::NotFound("GitHub installation"));
        }
        let rows =
            store::github::list_repositories(&mut tx, installation, before, page.fetch()).await?;
        tx.commit().await?;
        Ok(Page::from_rows(rows, page, |repository| repository.id))
    }

    #[tracing::instrument(skip(self, principal))]
    pub async fn repository(
        &self,
        principal: &Principal,
        id: RepositoryId,
    ) -> Result<RepositoryRecord, DiffscanError> {
        principal.require(Permission::DIFFSCAN_VIEW)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let repository = store::github::get_repository(&mut tx, id, false).await?;
        tx.commit().await?;
        repository.ok_or(DiffscanError::NotFound("repository"))
    }

    #[tracing::instrument(skip(self, context, principal, input))]
    pub async fn update_repository(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: RepositoryId,
        input: &RepositoryInput,
    ) -> Result<RepositoryRecord, DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current = store::github::get_repository(&mut tx, id, true)
            .await?
            .ok_or(DiffscanError::NotFound("repository"))?;
        let full_name = match &input.full_name {
            Some(name) => input::repository("full_name", name)?,
            None => current.full_name.clone(),
        };
        let policy_id = input.policy_id.unwrap_or(current.policy_id);
        let baseline_id = input.baseline_id.unwrap_or(current.baseline_id);
        self.checked_repository_refs(&mut tx, policy_id, baseline_id).await?;
        let values = RepositoryValues {
            full_name: &full_name,
            policy_id,
            baseline_id,
            enabled: input.enabled.unwrap_or(current.enabled),
        };
        let repository = store::github::update_repository(&mut tx, id, &values).await?;
        record_repository(
            &mut tx,
            context,
            principal,
            "diffscan.github.repository.update",
            &repository,
        )
        .await?;
        tx.commit().await?;
        Ok(repository)
    }

    #[tracing::instrument(skip(self, context, principal))]
    pub async fn delete_repository(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: RepositoryId,
    ) -> Result<(), DiffscanError> {
        principal.require(Permission::POLICIES_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let repository = store::github::delete_repository(&mut tx, id)
            .await?
            .ok_or(DiffscanError::NotFound("repository"))?;
        record_repository(
            &mut tx,
            context,
            principal,
            "diffscan.github.repository.delete",
            &repository,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

async fn record_repository(
    tx: &mut TenantTx,
    context: &RequestContext,
    principal: &Principal,
    action: &str,
    repository: &RepositoryRecord,
) -> Result<(), DiffscanError> {
    let summary = json!({
        "installation_id": repository.installation_id,
        "full_name": repository.full_name,
        "policy_id": repository.policy_id,
        "baseline_id": repository.baseline_id,
        "enabled": repository.enabled,
    });
    let entry = principal.audit(
        context,
        action,
        "diffscan_github_repository",
        Some(repository.id.to_string()),
        summary,
    );
    audit::record(tx, &entry).await?;
    Ok(())
}
