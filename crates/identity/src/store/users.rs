//! The `users` table (global) and `memberships` (tenant-owned).

use crate::error::{Conflict, ManageError};
use crate::model::Email;
use platform::access::Role;
use platform::{TenantTx, UserId};
use sqlx::PgConnection;

/// A user row to insert.
#[derive(Debug)]
pub(crate) struct NewUser<'a> {
    pub id: UserId,
    pub email: &'a Email,
    pub display_name: &'a str,
    pub password_hash: Option<&'a str>,
    pub global_admin: bool,
    /// Whether the address is known to be the user's (an operator or an accepted invitation
    /// made the account); a self-registered account starts unverified.
    pub verified: bool,
}

/// Inserts a user; a taken email is an `EmailTaken` conflict.
#[tracing::instrument(skip(conn, user), fields(id = %user.id))]
pub(crate) async fn insert_user(
    conn: &mut PgConnection,
    user: &NewUser<'_>,
) -> Result<(), ManageError> {
    sqlx::query(
        "insert into users (id, email, display_name, password_hash, is_global_admin, is_protected,
                            email_verified_at)
         values ($1, $2, $3, $4, $5, $5, case when $6 then now() end)",
    )
    .bind(user.id)
    .bind(user.email.as_str())
    .bind(user.display_name)
    .bind(user.password_hash)
    .bind(user.global_admin)
    .bind(user.verified)
    .execute(conn)
    .await
    .map_err(|e| match e.as_database_error().and_then(|d| d.constraint()) {
        Some("users_email_key") => {
            ManageError::conflict(Conflict::EmailTaken, "a user with this email already exists")
        }
        _ => ManageError::Unexpected(e.into()),
    })?;
    Ok(())
}

/// Sets a new password and ends every session and key of the user made before now (global
/// table).
#[tracing::instrument(skip(conn, password_hash))]
pub(crate) async fn set_password(
    conn: &mut PgConnection,
    user: UserId,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query(
        "update users set password_hash = $2, sessions_valid_after = now(), updated_at = now()
          where id = $1",
    )
    .bind(user)
    .bind(password_hash)
    .execute(conn)
    .await
    .map(|_| ())
}

/// Sets a new password and nothing else (global table): the owner changing it keeps the session
/// they changed it from, the others are revoked by the caller.
#[tracing::instrument(skip(conn, password_hash))]
pub(crate) async fn set_password_keeping_sessions(
    conn: &mut PgConnection,
    user: UserId,
    password_hash: &str,
) -> sqlx::Result<()> {
    sqlx::query("update users set password_hash = $2, updated_at = now() where id = $1")
        .bind(user)
        .bind(password_hash)
        .execute(conn)
        .await
        .map(|_| ())
}

/// Marks the user's address as verified (global table); `false` when it already was.
#[tracing::instrument(skip(conn))]
pub(crate) async fn mark_verified(conn: &mut PgConnection, user: UserId) -> sqlx::Result<bool> {
    sqlx::query(
        "update users set email_verified_at = now(), updated_at = now()
          where id = $1 and email_verified_at is null",
    )
    .bind(user)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Gives an account that was never verified to the person who just proved control of its
/// address: their password and name, verified now, every earlier session and key ended (global
/// table). `false` when the account is verified (then it is not taken over).
#[tracing::instrument(skip(conn, password_hash, display_name))]
pub(crate) async fn claim_unverified(
    conn: &mut PgConnection,
    user: UserId,
    password_hash: &str,
    display_name: &str,
) -> sqlx::Result<bool> {
    sqlx::query(
        "update users
            set password_hash = $2, display_name = $3, email_verified_at = now(),
                sessions_valid_after = now(), updated_at = now()
          where id = $1 and email_verified_at is null",
    )
    .bind(user)
    .bind(password_hash)
    .bind(display_name)
    .execute(conn)
    .await
    .map(|r| r.rows_affected() == 1)
}

/// Adds `user` to the transaction's tenant; an existing membership is `AlreadyMember`.
#[tracing::instrument(skip(tx))]
pub(crate) async fn insert_membership(
    tx: &mut TenantTx,
    user: UserId,
    role: Role,
) -> Result<(), ManageError> {
    sqlx::query("insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)")
        .bind(tx.tenant())
        .bind(user)
        .bind(role.as_str())
        .execute(&mut **tx)
        .await
        .map_err(|e| match e.as_database_error().and_then(|d| d.constraint()) {
            Some("memberships_pkey") => ManageError::conflict(
                Conflict::AlreadyMember,
                "the user is already a member of this tenant",
            ),
            _ => ManageError::Unexpected(e.into()),
        })?;
    Ok(())
}

/// The id of the user with this email, compared case-insensitively (global table).
#[tracing::instrument(skip(conn, email))]
pub(crate) async fn id_by_email(
    conn: &mut PgConnection,
    email: &Email,
) -> sqlx::Result<Option<UserId>> {
    sqlx::query_scalar("select id from users where lower(email) = lower($1)")
        .bind(email.as_str())
        .fetch_optional(conn)
        .await
}

/// Renames a user (global table: the name shows in every tenant of the user).
#[tracing::instrument(skip(conn))]
pub(crate) async fn set_display_name(
    conn: &mut PgConnection,
    user: UserId,
    display_name: &str,
) -> sqlx::Result<()> {
    sqlx::query("update users set display_name = $2, updated_at = now() where id = $1")
        .bind(user)
        .bind(display_name)
        .execute(conn)
        .await
        .map(|_| ())
}
