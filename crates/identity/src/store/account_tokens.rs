//! The `account_tokens` table (global, like `users`): password resets and address
//! verifications. It stores no token (see `credentials::email_token`), only whether a token was
//! used and when it expires.

use chrono::{DateTime, Utc};
use platform::UserId;
use sqlx::PgConnection;
use uuid::Uuid;

/// What an account token proves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Purpose {
    PasswordReset,
    EmailVerification,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::PasswordReset => "password_reset",
            Purpose::EmailVerification => "email_verification",
        }
    }
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct AccountToken {
    pub user_id: UserId,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

#[tracing::instrument(skip(conn))]
pub(crate) async fn insert(
    conn: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
    expires_at: DateTime<Utc>,
) -> sqlx::Result<Uuid> {
    let id = Uuid::now_v7();
    sqlx::query(
        "insert into account_tokens (id, user_id, purpose, expires_at) values ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(user)
    .bind(purpose.as_str())
    .bind(expires_at)
    .execute(conn)
    .await?;
    Ok(id)
}

/// The token row `id` of `purpose`, locked until the transaction ends.
#[tracing::instrument(skip(conn))]
pub(crate) async fn get_for_update(
    conn: &mut PgConnection,
    id: Uuid,
    purpose: Purpose,
) -> sqlx::Result<Option<AccountToken>> {
    sqlx::query_as(
        "select user_id, expires_at, used_at from account_tokens
          where id = $1 and purpose = $2 for update",
    )
    .bind(id)
    .bind(purpose.as_str())
    .fetch_optional(conn)
    .await
}

/// How many tokens of `purpose` the user was sent since `since` (to throttle requests).
#[tracing::instrument(skip(conn))]
pub(crate) async fn count_since(
    conn: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
    since: DateTime<Utc>,
) -> sqlx::Result<i64> {
    sqlx::query_scalar(
        "select count(*) from account_tokens where user_id = $1 and purpose = $2 and created_at >= $3",
    )
    .bind(user)
    .bind(purpose.as_str())
    .bind(since)
    .fetch_one(conn)
    .await
}

/// Spends every unused token of `purpose` of the user (one is used; the others die with it).
#[tracing::instrument(skip(conn))]
pub(crate) async fn spend_all(
    conn: &mut PgConnection,
    user: UserId,
    purpose: Purpose,
) -> sqlx::Result<()> {
    sqlx::query(
        "update account_tokens set used_at = now()
          where user_id = $1 and purpose = $2 and used_at is null",
    )
    .bind(user)
    .bind(purpose.as_str())
    .execute(conn)
    .await
    .map(|_| ())
}
