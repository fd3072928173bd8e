//! Refresh-token families (a family is a session: the tokens of one login) and the access-token
//! denylist.

use chrono::{DateTime, Utc};
use platform::{TenantTx, UserId};
use sqlx::PgConnection;
use uuid::Uuid;

#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct RefreshRecord {
    pub id: Uuid,
    pub family_id: Uuid,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub spent_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[tracing::instrument(skip(tx, token_hash))]
pub(crate) async fn insert_refresh(
    tx: &mut TenantTx,
    family: Uuid,
    user: UserId,
    token_hash: &[u8],
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query(
        "insert into refresh_tokens (tenant_id, id, family_id, user_id, token_hash, expires_at)
         values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tx.tenant())
    .bind(Uuid::now_v7())
    .bind(family)
    .bind(user)
    .bind(token_hash)
    .bind(expires_at)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// The refresh token with this hash, locked for the rest of the transaction so that two
/// concurrent refreshes of one token cannot both succeed.
#[tracing::instrument(skip(tx, token_hash))]
pub(crate) async fn refresh_for_update(
    tx: &mut TenantTx,
    token_hash: &[u8],
) -> sqlx::Result<Option<RefreshRecord>> {
    sqlx::query_as(
        "select id, family_id, user_id, created_at, expires_at, spent_at, revoked_at from refresh_tokens
          where tenant_id = $1 and token_hash = $2 for update",
    )
    .bind(tx.tenant())
    .bind(token_hash)
    .fetch_optional(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn spend(tx: &mut TenantTx, id: Uuid) -> sqlx::Result<()> {
    sqlx::query("update refresh_tokens set spent_at = now() where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}

/// Revokes every token of a family; returns how many were still live.
#[tracing::instrument(skip(tx))]
pub(crate) async fn revoke_family(tx: &mut TenantTx, family: Uuid) -> sqlx::Result<u64> {
    sqlx::query(
        "update refresh_tokens set revoked_at = now()
          where tenant_id = $1 and family_id = $2 and revoked_at is null",
    )
    .bind(tx.tenant())
    .bind(family)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}

/// Revokes every refresh token of `user` in the transaction's tenant.
#[tracing::instrument(skip(tx))]
pub(crate) async fn revoke_user(tx: &mut TenantTx, user: UserId) -> sqlx::Result<u64> {
    sqlx::query(
        "update refresh_tokens set revoked_at = now()
          where tenant_id = $1 and user_id = $2 and revoked_at is null",
    )
    .bind(tx.tenant())
    .bind(user)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}

/// Where a session stands, as access-token checks need it: when it started and whether any of
/// its refresh tokens is still unrevoked. `None` when the transaction's tenant has no such
/// session of `user`.
#[derive(Clone, Copy, Debug, sqlx::FromRow)]
pub(crate) struct SessionState {
    pub started_at: DateTime<Utc>,
    pub live: bool,
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn session_state(
    tx: &mut TenantTx,
    user: UserId,
    family: Uuid,
) -> sqlx::Result<Option<SessionState>> {
    sqlx::query_as(
        "select min(created_at) as started_at, bool_or(revoked_at is null) as live
           from refresh_tokens
          where tenant_id = $1 and family_id = $2 and user_id = $3
         having count(*) > 0",
    )
    .bind(tx.tenant())
    .bind(family)
    .bind(user)
    .fetch_optional(&mut **tx)
    .await
}

/// Revokes every refresh token of `user` in the transaction's tenant but those of the family
/// `keep` (the session asking); returns how many were still live.
#[tracing::instrument(skip(tx))]
pub(crate) async fn revoke_user_except(
    tx: &mut TenantTx,
    user: UserId,
    keep: Uuid,
) -> sqlx::Result<u64> {
    sqlx::query(
        "update refresh_tokens set revoked_at = now()
          where tenant_id = $1 and user_id = $2 and family_id <> $3 and revoked_at is null",
    )
    .bind(tx.tenant())
    .bind(user)
    .bind(keep)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}

/// Puts an access token on the denylist until it would have expired anyway (global table).
#[tracing::instrument(skip(conn))]
pub(crate) async fn revoke_access_token(
    conn: &mut PgConnection,
    jti: Uuid,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<()> {
    sqlx::query("insert into revoked_access_tokens (jti, expires_at) values ($1, $2) on conflict do nothing")
        .bind(jti)
        .bind(expires_at)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Whether an access token was revoked (global table).
#[tracing::instrument(skip(conn))]
pub(crate) async fn is_access_token_revoked(
    conn: &mut PgConnection,
    jti: Uuid,
) -> sqlx::Result<bool> {
    sqlx::query_scalar("select exists (select 1 from revoked_access_tokens where jti = $1)")
        .bind(jti)
        .fetch_one(conn)
        .await
}

/// Ends every session of a user everywhere: access tokens issued before now are refused.
#[tracing::instrument(skip(conn))]
pub(crate) async fn invalidate_sessions_of(
    conn: &mut PgConnection,
    user: UserId,
) -> sqlx::Result<()> {
    sqlx::query("update users set sessions_valid_after = now(), updated_at = now() where id = $1")
        .bind(user)
        .execute(conn)
        .await
        .map(|_| ())
}
