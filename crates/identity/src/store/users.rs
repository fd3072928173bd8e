//! The `users` table (global) and `memberships` (tenant-owned).

use crate::error::{Conflict, ManageError};
use crate::model::Email;
use platform::access::Role;
use platform::{TenantTx, UserId};
use sqlx::PgConnection;

/// Inserts a user; a taken email is an `EmailTaken` conflict.
#[tracing::instrument(skip(conn, password_hash))]
pub(crate) async fn insert_user(
    conn: &mut PgConnection,
    id: UserId,
    email: &Email,
    display_name: &str,
    password_hash: Option<&str>,
    global_admin: bool,
) -> Result<(), ManageError> {
    sqlx::query(
        "insert into users (id, email, display_name, password_hash, is_global_admin, is_protected)
         values ($1, $2, $3, $4, $5, $5)",
    )
    .bind(id)
    .bind(email.as_str())
    .bind(display_name)
    .bind(password_hash)
    .bind(global_admin)
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
