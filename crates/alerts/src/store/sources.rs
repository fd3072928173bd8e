//! `alert_sources`: configured ingest sources and their credentials (a token's SHA-256, or a
//! sealed signing secret). Besides the tenant-scoped reads and writes, `lookup` finds one source
//! by id before its tenant is known, through the `alert_sources_lookup` policy; it never decrypts
//! nor logs a credential.

use crate::error::AlertsError;
use crate::model::{AlertSource, AlertSourceId, SourceAuth};
use chrono::{DateTime, Utc};
use detect::SourceKind;
use platform::sealing::Sealed;
use platform::{Db, TenantId, TenantTx};

const COLUMNS: &str = "tenant_id, id, name, kind, auth, token_digest, secret_ciphertext, \
                       secret_nonce, secret_key_id, enabled, created_at, updated_at, last_used_at";

#[derive(sqlx::FromRow)]
struct Row {
    tenant_id: TenantId,
    id: AlertSourceId,
    name: String,
    kind: String,
    auth: String,
    token_digest: Option<Vec<u8>>,
    secret_ciphertext: Option<Vec<u8>>,
    secret_nonce: Option<Vec<u8>>,
    secret_key_id: Option<String>,
    enabled: bool,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
    last_used_at: Option<DateTime<Utc>>,
}

/// A source with its stored credential.
#[derive(Debug)]
pub(crate) struct Stored {
    pub tenant: TenantId,
    pub source: AlertSource,
    pub credential: Credential,
}

#[derive(Debug)]
pub(crate) enum Credential {
    TokenDigest(Vec<u8>),
    Secret(Sealed),
}

impl TryFrom<Row> for Stored {
    type Error = AlertsError;

    fn try_from(row: Row) -> Result<Stored, AlertsError> {
        let broken = |what: &str| anyhow::anyhow!("alert source {} has an invalid {what}", row.id);
        let kind = SourceKind::parse(&row.kind).ok_or_else(|| broken("kind"))?;
        let auth = SourceAuth::parse(&row.auth).ok_or_else(|| broken("auth"))?;
        let credential =
            match (row.token_digest, row.secret_ciphertext, row.secret_nonce, row.secret_key_id) {
                (Some(digest), None, _, _) => Credential::TokenDigest(digest),
                (None, Some(ciphertext), Some(nonce), Some(key_id)) => {
                    Credential::Secret(Sealed { ciphertext, nonce, key_id })
                }
                _ => return Err(broken("credential").into()),
            };
        Ok(Stored {
            tenant: row.tenant_id,
            source: AlertSource {
                id: row.id,
                name: row.name,
                kind,
                auth,
                enabled: row.enabled,
                created_at: row.created_at,
                updated_at: row.updated_at,
                last_used_at: row.last_used_at,
            },
            credential,
        })
    }
}

fn name_conflict(error: sqlx::Error, name: &str) -> AlertsError {
    match error.as_database_error().and_then(|d| d.constraint()) {
        Some("alert_sources_name_key") => {
            AlertsError::Conflict(format!("a source named `{name}` already exists"))
        }
        _ => AlertsError::Unexpected(error.into()),
    }
}

fn columns(credential: &Credential) -> (Option<&[u8]>, Option<&Sealed>) {
    match credential {
        Credential::TokenDigest(digest) => (Some(digest.as_slice()), None),
        Credential::Secret(sealed) => (None, Some(sealed)),
    }
}

#[tracing::instrument(skip(tx, credential))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    id: AlertSourceId,
    name: &str,
    kind: SourceKind,
    auth: SourceAuth,
    credential: &Credential,
) -> Result<AlertSource, AlertsError> {
    let (digest, sealed) = columns(credential);
    let row: Row = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into alert_sources (tenant_id, id, name, kind, auth, token_digest,
                                    secret_ciphertext, secret_nonce, secret_key_id, created_at,
                                    updated_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, now(), now()) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(name)
    .bind(kind.as_str())
    .bind(auth.as_str())
    .bind(digest)
    .bind(sealed.map(|s| s.ciphertext.as_slice()))
    .bind(sealed.map(|s| s.nonce.as_slice()))
    .bind(sealed.map(|s| s.key_id.as_str()))
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| name_conflict(e, name))?;
    Ok(Stored::try_from(row)?.source)
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: AlertSourceId,
) -> Result<Option<AlertSource>, AlertsError> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from alert_sources where tenant_id = $1 and id = $2"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| Stored::try_from(r).map(|s| s.source)).transpose()
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    before: Option<AlertSourceId>,
    limit: i64,
) -> Result<Vec<AlertSource>, AlertsError> {
    let rows: Vec<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from alert_sources where tenant_id = $1 and ($2::uuid is null or id < $2)
          order by id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(|r| Stored::try_from(r).map(|s| s.source)).collect()
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn update(
    tx: &mut TenantTx,
    id: AlertSourceId,
    name: &str,
    enabled: bool,
) -> Result<Option<AlertSource>, AlertsError> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update alert_sources set name = $3, enabled = $4, updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(name)
    .bind(enabled)
    .fetch_optional(&mut **tx)
    .await
    .map_err(|e| name_conflict(e, name))?;
    row.map(|r| Stored::try_from(r).map(|s| s.source)).transpose()
}

/// Replaces the credential (same kind of credential as before).
#[tracing::instrument(skip(tx, credential))]
pub(crate) async fn rotate(
    tx: &mut TenantTx,
    id: AlertSourceId,
    credential: &Credential,
) -> Result<Option<AlertSource>, AlertsError> {
    let (digest, sealed) = columns(credential);
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update alert_sources
            set token_digest = $3, secret_ciphertext = $4, secret_nonce = $5, secret_key_id = $6,
                updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(digest)
    .bind(sealed.map(|s| s.ciphertext.as_slice()))
    .bind(sealed.map(|s| s.nonce.as_slice()))
    .bind(sealed.map(|s| s.key_id.as_str()))
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| Stored::try_from(r).map(|s| s.source)).transpose()
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn delete(
    tx: &mut TenantTx,
    id: AlertSourceId,
) -> Result<Option<AlertSource>, AlertsError> {
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "delete from alert_sources where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|r| Stored::try_from(r).map(|s| s.source)).transpose()
}

/// The source `id` with its credential, whatever its tenant: a push names its source before
/// anything else is known. Reads only that row (`alert_sources_lookup`).
#[tracing::instrument(skip(db))]
pub(crate) async fn lookup(db: &Db, id: AlertSourceId) -> Result<Option<Stored>, AlertsError> {
    let mut tx = db.pool().begin().await.map_err(platform::DbError::classify)?;
    sqlx::query("select set_config('app.alert_source_id', $1, true)")
        .bind(id.to_string())
        .execute(&mut *tx)
        .await?;
    let row: Option<Row> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from alert_sources where id = $1"
    )))
    .bind(id)
    .fetch_optional(&mut *tx)
    .await?;
    tx.commit().await?;
    row.map(Stored::try_from).transpose()
}

/// Records that the source pushed (at most once a minute, to keep pushes write-light).
#[tracing::instrument(skip(tx))]
pub(crate) async fn touch(tx: &mut TenantTx, id: AlertSourceId) -> sqlx::Result<()> {
    sqlx::query(
        "update alert_sources set last_used_at = now()
          where tenant_id = $1 and id = $2
            and (last_used_at is null or last_used_at < now() - interval '1 minute')",
    )
    .bind(tx.tenant())
    .bind(id)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The tenant's sources whose signing secret is sealed with a key other than `key_id`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn sealed_not_under(
    tx: &mut TenantTx,
    key_id: &str,
) -> Result<Vec<(AlertSourceId, Sealed)>, AlertsError> {
    let rows: Vec<(AlertSourceId, Vec<u8>, Vec<u8>, String)> = sqlx::query_as(
        "select id, secret_ciphertext, secret_nonce, secret_key_id from alert_sources
          where tenant_id = $1 and secret_key_id is not null and secret_key_id <> $2",
    )
    .bind(tx.tenant())
    .bind(key_id)
    .fetch_all(&mut **tx)
    .await?;
    let sealed = |(id, ciphertext, nonce, key_id)| (id, Sealed { ciphertext, nonce, key_id });
    Ok(rows.into_iter().map(sealed).collect())
}

/// Replaces a source's sealed secret (sealed again under another key), nothing else.
#[tracing::instrument(skip(tx, sealed))]
pub(crate) async fn set_sealed(
    tx: &mut TenantTx,
    id: AlertSourceId,
    sealed: &Sealed,
) -> Result<(), AlertsError> {
    sqlx::query(
        "update alert_sources set secret_ciphertext = $3, secret_nonce = $4, secret_key_id = $5
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(&sealed.ciphertext)
    .bind(&sealed.nonce)
    .bind(&sealed.key_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
