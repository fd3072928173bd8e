//! The chain and its verification: how a row's hash is made (`AuditKey::link`) and the walk that
//! recomputes every link of a tenant's chain and holds it against the signed checkpoints.
//!
//! A chain is valid when its `seq` runs 1, 2, 3 … without a gap, each row's `prev_hash` is the
//! hash of the row before (32 zero bytes for the first), each keyed row's hash is
//! HMAC-SHA256(key, prev_hash ‖ canonical), rows with the legacy plain SHA-256 link come only
//! before the first keyed row, and every checkpoint's MAC holds and names a row that is there
//! with that hash. It must not change anything.

use crate::{DbError, TenantId, TenantTx};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sqlx::PgPool;
use std::collections::BTreeMap;

/// The key audit rows and checkpoints are made with (a server secret, wrapped by the master key).
#[derive(Clone)]
pub struct AuditKey(Hmac<Sha256>);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey([redacted])")
    }
}

impl AuditKey {
    pub fn new(key: &[u8]) -> anyhow::Result<AuditKey> {
        anyhow::ensure!(key.len() >= 32, "the audit key must have at least 32 bytes");
        Ok(AuditKey(Hmac::new_from_slice(key).map_err(|_| anyhow::anyhow!("bad audit key"))?))
    }

    /// The hash of a row: HMAC(prev_hash ‖ canonical).
    pub fn link(&self, prev_hash: &[u8], canonical: &str) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(prev_hash);
        mac.update(canonical.as_bytes());
        mac.finalize().into_bytes().into()
    }

    /// The MAC of a checkpoint of `tenant`'s head at `seq`, chained to the previous one.
    pub fn checkpoint_mac(
        &self,
        tenant: TenantId,
        seq: i64,
        head_hash: &[u8],
        prev_mac: &[u8],
    ) -> [u8; 32] {
        let mut mac = self.0.clone();
        mac.update(b"palisade audit checkpoint\0");
        mac.update(tenant.as_uuid().as_bytes());
        mac.update(&seq.to_be_bytes());
        mac.update(head_hash);
        mac.update(prev_mac);
        mac.finalize().into_bytes().into()
    }
}

/// The first place a chain does not hold.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
#[error("audit chain of tenant {tenant} broken at seq {seq}: {reason}")]
pub struct BrokenLink {
    pub tenant: TenantId,
    pub seq: i64,
    pub reason: &'static str,
}

#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    #[error(transparent)]
    Broken(#[from] BrokenLink),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("reading the audit log: {0}")]
    Query(#[from] sqlx::Error),
}

/// What a verification found.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Verified {
    pub rows: u64,
    pub checkpoints: u64,
    /// The head: the last row's seq and hash.
    pub head: Option<(i64, Vec<u8>)>,
}

#[derive(sqlx::FromRow)]
struct ChainRow {
    seq: i64,
    prev_hash: Vec<u8>,
    hash: Option<Vec<u8>>,
    link: String,
    canonical: String,
}

#[derive(Clone, sqlx::FromRow)]
pub(super) struct CheckpointRow {
    pub seq: i64,
    pub head_hash: Vec<u8>,
    pub prev_mac: Vec<u8>,
    pub mac: Vec<u8>,
}

/// Rows read per query, so that a long chain is verified in constant memory.
const BATCH: i64 = 5_000;
pub(super) const ZERO: [u8; 32] = [0; 32];

/// Walks `tenant`'s whole chain and its checkpoints.
#[tracing::instrument(skip(pool, key), err)]
pub async fn verify(
    pool: &PgPool,
    key: &AuditKey,
    tenant: TenantId,
) -> Result<Verified, VerifyError> {
    let mut tx = crate::Db::new(pool.clone()).tenant_tx(tenant).await?;
    let checkpoints = checkpoints(&mut tx, key, tenant).await?;
    let expected: BTreeMap<i64, Vec<u8>> =
        checkpoints.iter().map(|c| (c.seq, c.head_hash.clone())).collect();
    let start = Position { seq: 0, hash: ZERO.to_vec(), keyed: false };
    let head = walk(&mut tx, key, tenant, start, &expected).await?;
    if checkpoints.last().is_some_and(|last| last.seq > head.seq) {
        let reason = "rows after it are missing: a signed checkpoint covers a later row";
        return Err(BrokenLink { tenant, seq: head.seq, reason }.into());
    }
    let rows = head.seq as u64;
    let head = (head.seq > 0).then_some((head.seq, head.hash));
    Ok(Verified { rows, checkpoints: checkpoints.len() as u64, head })
}

/// Where a walk stands: the last row verified.
#[derive(Clone, Debug)]
pub(super) struct Position {
    pub seq: i64,
    pub hash: Vec<u8>,
    /// Whether a keyed row was seen: legacy links are not allowed after one.
    pub keyed: bool,
}

/// Verifies the rows after `from` up to the head; returns the head.
pub(super) async fn walk(
    tx: &mut TenantTx,
    key: &AuditKey,
    tenant: TenantId,
    from: Position,
    expected: &BTreeMap<i64, Vec<u8>>,
) -> Result<Position, VerifyError> {
    let mut at = from;
    loop {
        let rows: Vec<ChainRow> = sqlx::query_as(
            "select seq, prev_hash, hash, link, audit_log_canonical(a) as canonical
               from audit_log a where tenant_id = $1 and seq > $2 order by seq limit $3",
        )
        .bind(tenant)
        .bind(at.seq)
        .bind(BATCH)
        .fetch_all(&mut **tx)
        .await?;
        if rows.is_empty() {
            return Ok(at);
        }
        for row in rows {
            let broken = |reason| BrokenLink { tenant, seq: row.seq, reason };
            if row.seq != at.seq + 1 {
                return Err(broken("a row before it is missing").into());
            }
            if row.prev_hash != at.hash {
                return Err(broken("its previous-hash does not match the row before it").into());
            }
            let Some(hash) = row.hash else {
                return Err(broken("it was never sealed").into());
            };
            let recomputed: [u8; 32] = match row.link.as_str() {
                "hmac" => key.link(&row.prev_hash, &row.canonical),
                "sha256" if !at.keyed => Sha256::new()
                    .chain_update(&row.prev_hash)
                    .chain_update(row.canonical.as_bytes())
                    .finalize()
                    .into(),
                "sha256" => return Err(broken("an unkeyed row follows keyed ones").into()),
                _ => return Err(broken("its link kind is unknown").into()),
            };
            if recomputed[..] != hash[..] {
                return Err(broken("its content does not match its hash").into());
            }
            if expected.get(&row.seq).is_some_and(|signed| signed[..] != hash[..]) {
                return Err(broken("it is not the row a signed checkpoint recorded here").into());
            }
            at = Position { seq: row.seq, hash, keyed: at.keyed || row.link == "hmac" };
        }
    }
}

/// The tenant's checkpoints in order, each MAC and its chaining checked.
pub(super) async fn checkpoints(
    tx: &mut TenantTx,
    key: &AuditKey,
    tenant: TenantId,
) -> Result<Vec<CheckpointRow>, VerifyError> {
    let rows: Vec<CheckpointRow> = sqlx::query_as(
        "select seq, head_hash, prev_mac, mac from audit_checkpoints
          where tenant_id = $1 order by seq",
    )
    .bind(tenant)
    .fetch_all(&mut **tx)
    .await?;
    let mut prev = ZERO.to_vec();
    for row in &rows {
        let broken = |reason| BrokenLink { tenant, seq: row.seq, reason };
        if row.prev_mac != prev {
            return Err(broken("a signed checkpoint before it is missing").into());
        }
        if key.checkpoint_mac(tenant, row.seq, &row.head_hash, &row.prev_mac)[..] != row.mac[..] {
            return Err(broken("its signed checkpoint does not verify").into());
        }
        prev = row.mac.clone();
    }
    Ok(rows)
}
