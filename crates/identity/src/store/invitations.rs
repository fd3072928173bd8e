//! The `invitations` table (tenant-owned): pending invitations of the transaction's tenant, their
//! acceptance and revocation. It stores no token (see `credentials::email_token`).

use crate::model::{Invitation, InvitationId};
use chrono::{DateTime, Utc};
use platform::access::Role;
use platform::{TenantTx, UserId};

const COLUMNS: &str = "id, email, role, invited_by, created_at, expires_at, accepted_at, \
                       accepted_by, revoked_at";

/// A new invitation's values.
#[derive(Debug)]
pub(crate) struct NewInvitation<'a> {
    pub id: InvitationId,
    pub email: &'a str,
    pub role: Role,
    pub invited_by: Option<UserId>,
    pub expires_at: DateTime<Utc>,
}

/// Revokes the pending invitation of `email`, if any, so that a new one can replace it.
#[tracing::instrument(skip(tx, email))]
pub(crate) async fn revoke_pending_for(tx: &mut TenantTx, email: &str) -> sqlx::Result<u64> {
    sqlx::query(
        "update invitations set revoked_at = now()
          where tenant_id = $1 and lower(email) = lower($2)
            and accepted_at is null and revoked_at is null",
    )
    .bind(tx.tenant())
    .bind(email)
    .execute(&mut **tx)
    .await
    .map(|r| r.rows_affected())
}

#[tracing::instrument(skip(tx, new), fields(id = %new.id))]
pub(crate) async fn insert(tx: &mut TenantTx, new: &NewInvitation<'_>) -> sqlx::Result<Invitation> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "insert into invitations (tenant_id, id, email, role, invited_by, expires_at)
         values ($1, $2, $3, $4, $5, $6) returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(new.id)
    .bind(new.email)
    .bind(new.role.as_str())
    .bind(new.invited_by)
    .bind(new.expires_at)
    .fetch_one(&mut **tx)
    .await
}

/// The invitation `id`, locked until the transaction ends when `for_update`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn get(
    tx: &mut TenantTx,
    id: InvitationId,
    for_update: bool,
) -> sqlx::Result<Option<Invitation>> {
    let lock = if for_update { " for update" } else { "" };
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from invitations where tenant_id = $1 and id = $2{lock}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}

/// A page of the tenant's invitations, newest first, after `before` (exclusive).
#[tracing::instrument(skip(tx))]
pub(crate) async fn list(
    tx: &mut TenantTx,
    before: Option<InvitationId>,
    limit: i64,
) -> sqlx::Result<Vec<Invitation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {COLUMNS} from invitations
          where tenant_id = $1 and ($2::uuid is null or id < $2)
          order by id desc limit $3"
    )))
    .bind(tx.tenant())
    .bind(before)
    .bind(limit)
    .fetch_all(&mut **tx)
    .await
}

#[tracing::instrument(skip(tx))]
pub(crate) async fn mark_accepted(
    tx: &mut TenantTx,
    id: InvitationId,
    user: UserId,
) -> sqlx::Result<()> {
    sqlx::query(
        "update invitations set accepted_at = now(), accepted_by = $3
          where tenant_id = $1 and id = $2",
    )
    .bind(tx.tenant())
    .bind(id)
    .bind(user)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// Revokes a pending invitation; `None` when it is unknown or no longer pending.
#[tracing::instrument(skip(tx))]
pub(crate) async fn revoke(
    tx: &mut TenantTx,
    id: InvitationId,
) -> sqlx::Result<Option<Invitation>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "update invitations set revoked_at = now()
          where tenant_id = $1 and id = $2 and accepted_at is null and revoked_at is null
         returning {COLUMNS}"
    )))
    .bind(tx.tenant())
    .bind(id)
    .fetch_optional(&mut **tx)
    .await
}
