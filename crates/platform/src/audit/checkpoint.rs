//! Signed checkpoints of each chain's head. A checkpoint is only written over rows that verify
//! from the previous checkpoint on, so a chain rewritten in the database is never signed; each is
//! also logged (`audit checkpoint`), which keeps a copy outside the database. `CheckpointJob`
//! writes them every few minutes for every tenant whose chain grew.

use super::chain::{self, AuditKey, Position, VerifyError, ZERO};
use crate::jobs::{Job, JobContext};
use crate::{Db, TenantId};
use serde::{Deserialize, Serialize};
use sqlx::PgPool;
use std::collections::BTreeMap;

/// A checkpoint written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    pub tenant: TenantId,
    pub seq: i64,
    pub mac: Vec<u8>,
}

/// Signs `tenant`'s head if it moved since the last checkpoint and the rows since verify.
#[tracing::instrument(skip(pool, key), err)]
pub async fn checkpoint(
    pool: &PgPool,
    key: &AuditKey,
    tenant: TenantId,
) -> Result<Option<Checkpoint>, VerifyError> {
    let mut tx = Db::new(pool.clone()).tenant_tx(tenant).await?;
    // One writer of checkpoints per tenant at a time.
    sqlx::query("select pg_advisory_xact_lock(hashtextextended('audit_checkpoint:' || $1, 0))")
        .bind(tenant.to_string())
        .execute(&mut *tx)
        .await?;
    let last: Option<chain::CheckpointRow> = sqlx::query_as(
        "select seq, head_hash, prev_mac, mac from audit_checkpoints
          where tenant_id = $1 order by seq desc limit 1",
    )
    .bind(tenant)
    .fetch_optional(&mut *tx)
    .await?;
    let from = match &last {
        None => Position { seq: 0, hash: ZERO.to_vec(), keyed: false },
        Some(last) => {
            let row: Option<(String, Option<Vec<u8>>)> = sqlx::query_as(
                "select link, hash from audit_log where tenant_id = $1 and seq = $2",
            )
            .bind(tenant)
            .bind(last.seq)
            .fetch_optional(&mut *tx)
            .await?;
            match row {
                Some((link, Some(hash))) if hash == last.head_hash => {
                    Position { seq: last.seq, hash, keyed: link == "hmac" }
                }
                _ => {
                    let reason = "the row of the last signed checkpoint is missing or changed";
                    return Err(chain::BrokenLink { tenant, seq: last.seq, reason }.into());
                }
            }
        }
    };
    let head = chain::walk(&mut tx, key, tenant, from.clone(), &BTreeMap::new()).await?;
    if head.seq == from.seq {
        return Ok(None);
    }
    let prev_mac = last.map(|c| c.mac).unwrap_or_else(|| ZERO.to_vec());
    let mac = key.checkpoint_mac(tenant, head.seq, &head.hash, &prev_mac).to_vec();
    sqlx::query(
        "insert into audit_checkpoints (tenant_id, seq, head_hash, prev_mac, mac)
         values ($1, $2, $3, $4, $5)",
    )
    .bind(tenant)
    .bind(head.seq)
    .bind(&head.hash)
    .bind(&prev_mac)
    .bind(&mac)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(%tenant, seq = head.seq, mac = %hex::encode(&mac), "audit checkpoint");
    Ok(Some(Checkpoint { tenant, seq: head.seq, mac }))
}

/// `checkpoint` for every chain; a broken chain is logged and skipped, never signed.
pub async fn checkpoint_all(pool: &PgPool, key: &AuditKey) -> Result<Vec<Checkpoint>, sqlx::Error> {
    let mut written = Vec::new();
    for tenant in super::chains(pool).await? {
        match checkpoint(pool, key, tenant).await {
            Ok(Some(done)) => written.push(done),
            Ok(None) => {}
            Err(VerifyError::Broken(broken)) => {
                tracing::error!(%broken, "audit chain does not verify; no checkpoint written");
            }
            Err(e) => tracing::warn!(%tenant, error = %e, "writing an audit checkpoint failed"),
        }
    }
    Ok(written)
}

/// The job that checkpoints every chain (on a cron schedule; see `edge::Services`).
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct CheckpointJob {}

impl Job for CheckpointJob {
    const NAME: &'static str = "platform.audit_checkpoint";

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let db = ctx.db();
        let key = db
            .audit_key()
            .ok_or_else(|| anyhow::anyhow!("the job runner's database has no audit key"))?;
        checkpoint_all(db.pool(), key).await?;
        Ok(())
    }
}
