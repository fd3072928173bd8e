//! The audit log: one append-only, keyed hash-chained row per mutation, written in the same
//! transaction as the change it records.
//!
//! The database places a row (`audit_append`: its tenant's next `seq`, the previous row's hash,
//! its own clock for `occurred_at`) and the application seals it (`audit_seal`) with
//! HMAC-SHA256(audit key, prev_hash ‖ canonical row). The audit key is a server secret wrapped by
//! the master key, so whoever can write the table, even a superuser, cannot make a row that
//! verifies. Signed checkpoints of each chain's head (`checkpoint`) catch rows cut off the end.
//! `verify` recomputes everything independently. Callers must pass summaries through `redact`:
//! secrets never belong in the audit log.

mod chain;
mod checkpoint;

pub use chain::{AuditKey, BrokenLink, Verified, VerifyError, verify};
pub use checkpoint::{Checkpoint, CheckpointJob, checkpoint, checkpoint_all};

use crate::{ApiKeyId, TenantId, TenantTx, UserId};
use serde::Serialize;
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

/// Appends one row to the chain of the transaction's tenant, inside the caller's transaction,
/// and seals it; returns its id. Refuses when the transaction's `Db` has no audit key.
#[tracing::instrument(skip(tx, entry), fields(action = entry.action, tenant = %tx.tenant()), err)]
pub async fn record(tx: &mut TenantTx, entry: &AuditEntry<'_>) -> Result<Uuid, sqlx::Error> {
    let Some(key) = tx.audit_key().cloned() else {
        return Err(sqlx::Error::Configuration(
            "this database handle has no audit key (build it through edge::Services)".into(),
        ));
    };
    let (seq, id, prev_hash, canonical): (i64, Uuid, Vec<u8>, String) = sqlx::query_as(
        "select seq, id, prev_hash, canonical
           from audit_append($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
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
    .await?;
    sqlx::query("select audit_seal($1, $2)")
        .bind(seq)
        .bind(key.link(&prev_hash, &canonical).as_slice())
        .execute(&mut **tx)
        .await?;
    Ok(id)
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

/// Every tenant that may have audit rows: the platform scope and each tenant.
pub async fn chains(pool: &PgPool) -> Result<Vec<TenantId>, sqlx::Error> {
    let mut tenants = crate::Db::new(pool.clone()).tenant_ids().await?;
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
