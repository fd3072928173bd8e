//! The `channels` table (tenant-owned): insert, read, list, update, delete. It reads the sealed
//! secret columns so the service can open them; it never decrypts nor logs them.

use crate::error::NotifyError;
use crate::model::{Channel, ChannelKind, ChannelSettings};
use chrono::{DateTime, Utc};
use platform::outbox::Severity;
use platform::sealing::Sealed;
use platform::{ChannelId, TenantTx};

const COLUMNS: &str = "id, name, kind, enabled, event_types, min_severity, settings, \
                       secret_ciphertext, secret_nonce, secret_key_id, created_at, updated_at";

#[derive(sqlx::FromRow)]
struct ChannelRow {
    id: ChannelId,
    name: String,
    kind: String,
    enabled: bool,
    event_types: Vec<String>,
    min_severity: String,
    settings: serde_json::Value,
    secret_ciphertext: Option<Vec<u8>>,
    secret_nonce: Option<Vec<u8>>,
    secret_key_id: Option<String>,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<ChannelRow> for Channel {
    type Error = NotifyError;

    fn try_from(row: ChannelRow) -> Result<Channel, NotifyError> {
        let broken = |what: &str| anyhow::anyhow!("channel {} has an invalid {what}", row.id);
        let kind = ChannelKind::parse(&row.kind).ok_or_else(|| broken("kind"))?;
        let min_severity = Severity::parse(&row.min_severity).ok_or_else(|| broken("severity"))?;
        let settings = ChannelSettings::from_json(kind, row.settings.clone())
            .map_err(|_| broken("settings document"))?;
        let sealed = match (row.secret_ciphertext, row.secret_nonce, row.secret_key_id) {
            (Some(ciphertext), Some(nonce), Some(key_id)) => {
                Some(Sealed { ciphertext, nonce, key_id })
            }
            _ => None,
        };
        Ok(Channel {
            id: row.id,
            name: row.name,
            enabled: row.enabled,
            event_types: row.event_types,
            min_severity,
            settings,
            sealed,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// What a channel row is written from (insert and update).
#[derive(Debug)]
pub(crate) struct ChannelValues<'a> {
    pub name: &'a str,
    pub enabled: bool,
    pub event_types: &'a [String],
    pub min_severity: Severity,
    pub settings: &'a ChannelSettings,
    pub sealed: Option<&'a Sealed>,
}

/// Maps the unique name constraint to a conflict; anything else is unexpected.
fn name_conflict(error: sqlx::Error, name: &str) -> NotifyError {
    match error.as_database_error().and_then(|d| d.constraint()) {
        Some("channels_name_key") => {
            NotifyError::Conflict(format!("a channel named `{name}` already exists"))
        }
        _ => NotifyError::Unexpected(error.into()),
    }
}

#[tracing::instrument(skip(tx, values), fields(name = values.name))]
pub(crate) async fn insert(
    tx: &mut TenantTx,
    id: ChannelId,
    values: &ChannelValues<'_>,
) -> Result<Channel, NotifyError> {
    let row: ChannelRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into channels (tenant_id, id, name, kind, enabled, event_types, min_severity,
                               settings, secret_ciphertext, secret_nonce, secret_key_id)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.name)
    .bind(values.settings.kind().as_str())
    .bind(values.enabled)
    .bind(values.event_types)
    .bind(values.min_severity.as_str())
    .bind(values.settings.to_json())
    .bind(values.sealed.map(|s| &s.ciphertext))
    .bind(values.sealed.map(|s| &s.nonce))
    .bind(values.sealed.map(|s| &s.key_id))
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| name_conflict(e, values.name))?;
    row.try_into()
}

#[tracing::instrument(skip(tx, values), fields(name = values.name))]
pub(crate) async fn update(
    tx: &mut TenantTx,
    id: ChannelId,
    values: &ChannelValues<'_>,
) -> Result<Channel, NotifyError> {
    let row: ChannelRow = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update channels set name = $3, enabled = $4, event_types = $5, min_severity = $6,
                settings = $7, secret_ciphertext = $8, secret_nonce = $9, secret_key_id = $10,
                updated_at = now()
          where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .bind(values.name)
    .bind(values.enabled)
    .bind(values.event_types)
    .bind(values.min_severity.as_str())
    .bind(values.settings.to_json())
    .bind(values.sealed.map(|s| &s.ciphertext))
    .bind(values.sealed.map(|s| &s.nonce))
    .bind(values.sealed.map(|s| &s.key_id))
    .fetch_one(&mut **tx)
    .await
    .map_err(|e| name_conflict(e, values.name))?;
    row.try_into()
}

/// The channel `id` of the tenant, locked for update when `for_update`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: ChannelId,
    for_update: bool,
) -> Result<Option<Channel>, NotifyError> {
    let lock = if for_update { "for update" } else { "" };
    let row: Option<ChannelRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from channels where tenant_id = $1 and id = $2 {lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Channel::try_from).transpose()
}

/// The tenant's channels whose secret is sealed with a key other than `key_id`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn sealed_not_under(
    tx: &mut TenantTx,
    key_id: &str,
) -> Result<Vec<Channel>, NotifyError> {
    let rows: Vec<ChannelRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from channels
          where tenant_id = $1 and secret_key_id is not null and secret_key_id <> $2"
    )))
    .bind(tx.tenant())
    .bind(key_id)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(Channel::try_from).collect()
}

/// Replaces a channel's sealed secret (re-sealed under another key), nothing else.
#[tracing::instrument(skip(tx, sealed))]
pub(crate) async fn set_sealed(
    tx: &mut TenantTx,
    id: ChannelId,
    sealed: &Sealed,
) -> Result<(), NotifyError> {
    sqlx::query(
        "update channels set secret_ciphertext = $3, secret_nonce = $4, secret_key_id = $5
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

/// The channels of `ids` that exist (any order).
#[tracing::instrument(skip(tx, ids), fields(count = ids.len()))]
pub(crate) async fn get_many(
    tx: &mut TenantTx,
    ids: &[ChannelId],
) -> Result<Vec<Channel>, NotifyError> {
    let rows: Vec<ChannelRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from channels where tenant_id = $1 and id = any ($2)"
    )))
    .bind(tx.tenant())
    .bind(ids)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(Channel::try_from).collect()
}

/// One page of the tenant's channels, newest first, after the channel `before` (exclusive).
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    before: Option<ChannelId>,
    limit: i64,
) -> Result<Vec<Channel>, NotifyError> {
    let rows: Vec<ChannelRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from channels
          where tenant_id = $1 and ($2::uuid is null or id < $2)
          order by id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await?;
    rows.into_iter().map(Channel::try_from).collect()
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn count(tx: &mut TenantTx) -> sqlx::Result<i64> {
    sqlx::query_scalar("select count(*) from channels where tenant_id = $1")
        .bind(tx.tenant())
        .fetch_one(&mut **tx)
        .await
}

/// Deletes the channel (its deliveries go with it); `None` when it does not exist.
#[tracing::instrument(skip(tx))]
pub(crate) async fn delete(
    tx: &mut TenantTx,
    id: ChannelId,
) -> Result<Option<Channel>, NotifyError> {
    let row: Option<ChannelRow> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "delete from channels where tenant_id = $1 and id = $2 returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    row.map(Channel::try_from).transpose()
}
