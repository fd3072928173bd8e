//! The audit log: one append-only, hash-chained row per mutation, written in the same transaction
//! as the change it records.
//!
//! The chain itself (sequence, previous hash, hash) is computed by the database trigger
//! `audit_log_chain`, so no writer can get it wrong; `verify` recomputes it independently here.
//! Callers must pass summaries through `redact`: secrets never belong in the audit log.

use crate::{ApiKeyId, TenantId, TenantTx, UserId};
use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use uuid::Uuid;

/// Who did it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "id", rename_all = "snake_case")]
pub enum Actor {
    User(UserId),
    ApiKey(ApiKeyId),
    System,
}

impl Actor {
    fn kind(&self) -> &'static str {
        match self {
            Actor::User(_) => "user",
            Actor::ApiKey(_) => "api_key",
            Actor::System => "system",
        }
    }

    fn id(&self) -> Option<Uuid> {
        match self {
            Actor::User(id) => Some(id.as_uuid()),
            Actor::ApiKey(id) => Some(id.as_uuid()),
            Actor::System => None,
        }
    }
}

/// Where the request came from; empty for work that no request caused.
#[derive(Clone, Debug, Default)]
pub struct RequestContext {
    pub request_id: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Clone, Debug)]
pub struct AuditEntry<'a> {
    pub actor: Actor,
    /// What happened, as `target.verb` (for example `tenant.create`).
    pub action: &'a str,
    pub target_type: &'a str,
    pub target_id: Option<String>,
    pub context: &'a RequestContext,
    /// What changed, already redacted.
    pub summary: serde_json::Value,
}

/// Appends one row to the chain of the transaction's tenant, inside the caller's transaction;
/// returns its id.
#[tracing::instrument(skip(tx, entry), fields(action = entry.action, tenant = %tx.tenant()), err)]
pub async fn record(tx: &mut TenantTx, entry: &AuditEntry<'_>) -> Result<Uuid, sqlx::Error> {
    sqlx::query_scalar(
        "insert into audit_log (tenant_id, seq, prev_hash, hash, actor_type, actor_id, action,
                                target_type, target_id, request_id, source_ip, user_agent, summary)
         values ($1, 0, '', '', $2, $3, $4, $5, $6, $7, $8, $9, $10)
         returning id",
    )
    .bind(tx.tenant())
    .bind(entry.actor.kind())
    .bind(entry.actor.id())
    .bind(entry.action)
    .bind(entry.target_type)
    .bind(&entry.target_id)
    .bind(&entry.context.request_id)
    .bind(&entry.context.source_ip)
    .bind(&entry.context.user_agent)
    .bind(redact(entry.summary.clone()))
    .fetch_one(&mut **tx)
    .await
}

/// Keys whose values are replaced by `[redacted]` wherever they appear in a summary.
const SECRET_KEY_PARTS: [&str; 7] =
    ["password", "secret", "token", "authorization", "api_key", "private_key", "cookie"];

/// Replaces the value of every secret-looking key, at any depth.
pub fn redact(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| {
                    let lower = key.to_ascii_lowercase();
                    if SECRET_KEY_PARTS.iter().any(|part| lower.contains(part)) {
                        (key, Value::String("[redacted]".into()))
                    } else {
                        (key, redact(value))
                    }
                })
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(redact).collect()),
        other => other,
    }
}

/// The first row of a chain that does not hold.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("audit chain of tenant {tenant} broken at seq {seq} (row {id}): {reason}")]
pub struct BrokenLink {
    pub tenant: TenantId,
    pub seq: i64,
    pub id: Uuid,
    pub reason: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Broken(#[from] BrokenLink),
    #[error(transparent)]
    Database(#[from] crate::DbError),
    #[error("reading the audit log: {0}")]
    Query(#[from] sqlx::Error),
}

#[derive(sqlx::FromRow)]
struct ChainRow {
    seq: i64,
    id: Uuid,
    prev_hash: Vec<u8>,
    hash: Vec<u8>,
    canonical: String,
}

/// Rows read per query, so that a long chain is verified in constant memory.
const VERIFY_BATCH: i64 = 5_000;

/// Walks `tenant`'s chain from the first row; returns the number of rows that verified.
#[tracing::instrument(skip(pool), err)]
pub async fn verify(pool: &PgPool, tenant: TenantId) -> Result<u64, VerifyError> {
    let mut tx = crate::Db::new(pool.clone()).tenant_tx(tenant).await?;
    let mut previous = vec![0u8; 32];
    let mut verified: i64 = 0;
    loop {
        let rows: Vec<ChainRow> = sqlx::query_as(
            "select seq, id, prev_hash, hash, audit_log_canonical(a) as canonical
               from audit_log a where tenant_id = $1 and seq > $2 order by seq limit $3",
        )
        .bind(tenant)
        .bind(verified)
        .bind(VERIFY_BATCH)
        .fetch_all(&mut *tx)
        .await?;
        if rows.is_empty() {
            return Ok(verified as u64);
        }
        for row in rows {
            let broken = |reason| BrokenLink { tenant, seq: row.seq, id: row.id, reason };
            if row.seq != verified + 1 {
                return Err(broken("a row before it is missing").into());
            }
            if row.prev_hash != previous {
                return Err(broken("its previous-hash does not match the row before it").into());
            }
            let mut hasher = Sha256::new();
            hasher.update(&row.prev_hash);
            hasher.update(row.canonical.as_bytes());
            if hasher.finalize()[..] != row.hash[..] {
                return Err(broken("its content does not match its hash").into());
            }
            previous = row.hash;
            verified = row.seq;
        }
    }
}

/// Every tenant that may have audit rows: the platform scope and each tenant.
pub async fn chains(pool: &PgPool) -> Result<Vec<TenantId>, sqlx::Error> {
    let mut tenants: Vec<TenantId> =
        sqlx::query_scalar("select id from tenants order by created_at, id")
            .fetch_all(pool)
            .await?;
    tenants.insert(0, TenantId::PLATFORM);
    Ok(tenants)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn redact_hides_secret_values_at_any_depth() {
        let summary = json!({
            "email": "a@example.com",
            "password": "correct horse battery",
            "nested": {"refresh_token": "abc", "items": [{"client_secret": "xyz", "name": "n"}]}
        });
        let redacted = redact(summary);
        assert_eq!(redacted["email"], "a@example.com");
        assert_eq!(redacted["password"], "[redacted]");
        assert_eq!(redacted["nested"]["refresh_token"], "[redacted]");
        assert_eq!(redacted["nested"]["items"][0]["client_secret"], "[redacted]");
        assert_eq!(redacted["nested"]["items"][0]["name"], "n");
    }
}
