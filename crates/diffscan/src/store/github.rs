//! The `diffscan_github_installations` and `diffscan_github_repositories` tables (tenant-owned),
//! and the one read before the tenant is known: an installation by the id in a webhook's URL,
//! through the select-only `diffscan_github_installations_webhook` policy.

use super::name_conflict;
use crate::error::DiffscanError;
use crate::model::{
    BaselineId, InstallationId, InstallationRecord, PolicyId, RepositoryId, RepositoryRecord,
};
use chrono::{DateTime, Utc};
use platform::sealing::Sealed;
use platform::{Db, TenantId, TenantTx};

const COLUMNS: &str = "id, name, api_url, check_name, policy_id, enabled, token_ciphertext, \
    token_nonce, token_key_id, webhook_secret_ciphertext, webhook_secret_nonce, \
    webhook_secret_key_id, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct InstallationRow {
    id: InstallationId,
    name: String,
    api_url: String,
    check_name: String,
    policy_id: Option<PolicyId>,
    enabled: bool,
    token_ciphertext: Vec<u8>,
    token_nonce: Vec<u8>,
    token_key_id: String,
    webhook_secret_ciphertext: Vec<u8>,
    webhook_secret_nonce: Vec<u8>,
    webhook_secret_key_id: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl From<InstallationRow> for InstallationRecord {
    fn from(row: InstallationRow) -> Self {
        InstallationRecord {
            id: row.id,
            name: row.name,
            api_url: row.api_url,
            check_name: row.check_name,
            policy_id: row.policy_id,
            enabled: row.enabled,
            token: Sealed {
                ciphertext: row.token_ciphertext,
                nonce: row.token_nonce,
                key_id: row.token_key_id,
            },
            webhook_secret: Sealed {
                ciphertext: row.webhook_secret_ciphertext,
                nonce: row.webhook_secret_nonce,
                key_id: row.webhook_secret_key_id,
            },
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}

/// What an installation row is written from (insert and update).
#[derive(Debug)]
pub(crate) struct InstallationValues<'a> {
    pub name: &'a str,
    pub api_url: &'a str,
    pub check_name: &'a str,
    pub policy_id: Option<PolicyId>,
    pub enabled: bool,
    pub token: &'a Sealed,
    pub webhook_secret: &'a Sealed,
}

fn installation_conflict(error: sqlx::Error, name: &str) -> DiffscanError {
    name_conflict(
        error,
        "diffscan_github_installations_name_key",
        &format!("a GitHub installation named `{name}`"),
    )
}

#[tracing::instrument(skip(tx, values), fields(name = values.name))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    id: InstallationId,
    values: &InstallationValues<'_>,
) -> Result<InstallationRecord, DiffscanError> {
    let row: InstallationRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into diffscan_github_installations (tenant_id, id, name, api_url, check_name,
                policy_id, enabled, token_ciphertext, token_nonce, token_key_id,
                webhook_secret_ciphertext, webhook_secret_nonce, webhook_secret_key_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.name)
    .bind(values.api_url)
    .bind(values.check_name)
    .bind(values.policy_id)
    .bind(values.enabled)
    .bind(&values.token.ciphertext)
    .bind(&values.token.nonce)
    .bind(&values.token.key_id)
    .bind(&values.webhook_secret.ciphertext)
    .bind(&values.webhook_secret.nonce)
    .bind(&values.webhook_secret.key_id)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| installation_conflict(e, values.name))?;
    Ok(row.into())
}

#[tracing::instrument(skip(tx, values), fields(name = values.name))]
pub(crate) async fn update(
    tx: &mut TenantTx,
    id: InstallationId,
    values: &InstallationValues<'_>,
) -> Result<InstallationRecord, DiffscanError> {
    let row: InstallationRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update diffscan_github_installations set name = $3, api_url = $4, check_name = $5,
                policy_id = $6, enabled = $7, token_ciphertext = $8, token_nonce = $9,
                token_key_id = $10, webhook_secret_ciphertext = $11, webhook_secret_nonce = $12,
                webhook_secret_key_id = $13, updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.name)
    .bind(values.api_url)
    .bind(values.check_name)
    .bind(values.policy_id)
    .bind(values.enabled)
    .bind(&values.token.ciphertext)
    .bind(&values.token.nonce)
    .bind(&values.token.key_id)
    .bind(&values.webhook_secret.ciphertext)
    .bind(&values.webhook_secret.nonce)
    .bind(&values.webhook_secret.key_id)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| installation_conflict(e, values.name))?;
    Ok(row.into())
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: InstallationId,
    for_update: bool,
) -> sqlx::Result<Option<InstallationRecord>> {
    let lock = if for_update { "for update" } else { "" };
    let row: Option<InstallationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_github_installations
          where tenant_id = $1 and id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(row.map(Into::into))
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    before: Option<InstallationId>,
    limit: i64,
) -> sqlx::Result<Vec<InstallationRecord>> {
    let rows: Vec<InstallationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_github_installations
          where tenant_id = $1 and ($2::uuid is null or id < $2)
          order by id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn count(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from diffscan_github_installations where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn delete(tx: &mut TenantTx, id: InstallationId) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "delete from diffscan_github_installations where tenant_id = $1 and id = $2
         returning name",
    )
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The tenant of the installation `id`, read before any tenant is known (the webhook ingress):
/// a transaction of its own that sets only `app.diffscan_installation_id`.
#[tracing::instrument(skip(db))]
pub(crate) async fn tenant_of(db: &Db, id: InstallationId) -> sqlx::Result<Option<TenantId>> {
    let mut tx = db.pool().begin().await?;
    sqlx::query("select set_config('app.diffscan_installation_id', $1, true)")
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    let tenant: Option<TenantId> =
        sqlx::query_scalar("select tenant_id from diffscan_github_installations where id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
    tx.rollback().await?;
    Ok(tenant)
}

const REPOSITORY_COLUMNS: &str =
    "id, installation_id, full_name, policy_id, baseline_id, enabled, created_at, updated_at";

/// What a repository row is written from (insert and update).
#[derive(Debug)]
pub(crate) struct RepositoryValues<'a> {
    pub full_name: &'a str,
    pub policy_id: Option<PolicyId>,
    pub baseline_id: Option<BaselineId>,
    pub enabled: bool,
}

fn repository_conflict(error: sqlx::Error, name: &str) -> DiffscanError {
    name_conflict(
        error,
        "diffscan_github_repositories_name_key",
        &format!("the repository `{name}` of this installation"),
    )
}

#[tracing::instrument(skip(tx, values), fields(name = values.full_name))]
pub(crate) async fn insert_repository(
    tx: &mut TenantTx,
    id: RepositoryId,
    installation: InstallationId,
    values: &RepositoryValues<'_>,
) -> Result<RepositoryRecord, DiffscanError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into diffscan_github_repositories (tenant_id, id, installation_id, full_name,
                                                   policy_id, baseline_id, enabled)
         values ($1, $2, $3, $4, $5, $6, $7) returning {REPOSITORY_COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(installation)
    .bind(values.full_name)
    .bind(values.policy_id)
    .bind(values.baseline_id)
    .bind(values.enabled)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| repository_conflict(e, values.full_name))
}

#[tracing::instrument(skip(tx, values), fields(name = values.full_name))]
pub(crate) async fn update_repository(
    tx: &mut TenantTx,
    id: RepositoryId,
    values: &RepositoryValues<'_>,
) -> Result<RepositoryRecord, DiffscanError> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update diffscan_github_repositories set full_name = $3, policy_id = $4,
                baseline_id = $5, enabled = $6, updated_at = now()
          where tenant_id = $1 and id = $2 returning {REPOSITORY_COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.full_name)
    .bind(values.policy_id)
    .bind(values.baseline_id)
    .bind(values.enabled)
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| repository_conflict(e, values.full_name))
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get_repository(
    tx: &mut TenantTx,
    id: RepositoryId,
    for_update: bool,
) -> sqlx::Result<Option<RepositoryRecord>> {
    let lock = if for_update { "for update" } else { "" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {REPOSITORY_COLUMNS} from diffscan_github_repositories
          where tenant_id = $1 and id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The repository `full_name` (any case) of an installation.
#[tracing::instrument(skip(tx))]
pub(crate) async fn find_repository(
    tx: &mut TenantTx,
    installation: InstallationId,
    full_name: &str,
) -> sqlx::Result<Option<RepositoryRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {REPOSITORY_COLUMNS} from diffscan_github_repositories
          where tenant_id = $1 and installation_id = $2 and lower(full_name) = lower($3)"
    )))
    .bind(tx.tenant())
    .bind(installation)
    .bind(full_name)
    .fetch_optional(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn list_repositories(
    tx: &mut TenantTx,
    installation: InstallationId,
    before: Option<RepositoryId>,
    limit: i64,
) -> sqlx::Result<Vec<RepositoryRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {REPOSITORY_COLUMNS} from diffscan_github_repositories
          where tenant_id = $1 and installation_id = $2 and ($3::uuid is null or id < $3)
          order by id desc limit $4"
    )))
    .bind(tx.tenant())
    .bind(installation)
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn count_repositories(
    tx: &mut TenantTx,
    installation: InstallationId,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from diffscan_github_repositories
          where tenant_id = $1 and installation_id = $2",
    )
    .bind(tx.tenant())
    .bind(installation)
    .fetch_one(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn delete_repository(
    tx: &mut TenantTx,
    id: RepositoryId,
) -> sqlx::Result<Option<RepositoryRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "delete from diffscan_github_repositories where tenant_id = $1 and id = $2
         returning {REPOSITORY_COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// The tenant's installations with a token or webhook secret sealed under a key other than
/// `key_id`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn sealed_not_under(
    tx: &mut TenantTx,
    key_id: &str,
) -> sqlx::Result<Vec<InstallationRecord>> {
    let rows: Vec<InstallationRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from diffscan_github_installations
          where tenant_id = $1 and (token_key_id <> $2 or webhook_secret_key_id <> $2)"
    )))
    .bind(tx.tenant())
    .bind(key_id)
    .fetch_all(&mut **tx)
    .await?;
    Ok(rows.into_iter().map(Into::into).collect())
}

/// Replaces an installation's sealed token and webhook secret (sealed again under another key),
/// nothing else.
#[tracing::instrument(skip(tx, token, webhook_secret))]
pub(crate) async fn set_sealed(
    tx: &mut TenantTx,
    id: InstallationId,
    token: &Sealed,
    webhook_secret: &Sealed,
) -> sqlx::Result<()> {
    sqlx::query(
        "update diffscan_github_installations
            set token_ciphertext = $3, token_nonce = $4, token_key_id = $5,
                webhook_secret_ciphertext = $6, webhook_secret_nonce = $7,
                webhook_secret_key_id = $8
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&token.ciphertext)
    .bind(&token.nonce)
    .bind(&token.key_id)
    .bind(&webhook_secret.ciphertext)
    .bind(&webhook_secret.nonce)
    .bind(&webhook_secret.key_id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
