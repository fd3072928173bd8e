//! Look-ups on the authentication path: a user by email or id, a tenant's status, a membership,
//! a user's memberships (through the `memberships_self` policy) and an API key by prefix (through
//! `api_keys_lookup`).

use chrono::{DateTime, Utc};
use platform::access::Role;
use platform::{ApiKeyId, TenantId, TenantTx, UserId};
use sqlx::{PgConnection, Row};

/// A user row as login and authentication need it (global table).
#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct UserRecord {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub password_hash: Option<String>,
    pub status: String,
    pub is_global_admin: bool,
    /// Sessions and API keys made before this instant are refused.
    pub sessions_valid_after: DateTime<Utc>,
    /// `None` until the owner proves control of the address (self-registration).
    pub email_verified_at: Option<DateTime<Utc>>,
}

const USER_COLUMNS: &str = "id, email, display_name, password_hash, status, is_global_admin, \
                            sessions_valid_after, email_verified_at";

#[tracing::instrument(skip(conn, email))]
pub(crate) async fn user_by_email(
    conn: &mut PgConnection,
    email: &str,
) -> sqlx::Result<Option<UserRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!(
        "select {USER_COLUMNS} from users where lower(email) = lower($1)"
    )))
    .bind(email)
    .fetch_optional(conn)
    .await
}

#[tracing::instrument(skip(conn))]
pub(crate) async fn user_by_id(
    conn: &mut PgConnection,
    id: UserId,
) -> sqlx::Result<Option<UserRecord>> {
    sqlx::query_as(sqlx::AssertSqlSafe(format!("select {USER_COLUMNS} from users where id = $1")))
        .bind(id)
        .fetch_optional(conn)
        .await
}

/// `(status)` of a tenant (global table); `None` when it does not exist.
#[tracing::instrument(skip(conn))]
pub(crate) async fn tenant_status(
    conn: &mut PgConnection,
    tenant: TenantId,
) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar("select status from tenants where id = $1")
        .bind(tenant)
        .fetch_optional(conn)
        .await
}

/// A tenant id from its id or slug (global table).
#[tracing::instrument(skip(conn))]
pub(crate) async fn tenant_by_id_or_slug(
    conn: &mut PgConnection,
    text: &str,
) -> sqlx::Result<Option<TenantId>> {
    let by_id = TenantId::parse(text).ok();
    sqlx::query_scalar("select id from tenants where id = $1 or slug = $2")
        .bind(by_id)
        .bind(text.to_ascii_lowercase())
        .fetch_optional(conn)
        .await
}

/// The user's role and membership status in the transaction's tenant.
#[tracing::instrument(skip(tx))]
pub(crate) async fn membership(
    tx: &mut TenantTx,
    user: UserId,
) -> sqlx::Result<Option<(Role, String)>> {
    let row =
        sqlx::query("select role, status from memberships where tenant_id = $1 and user_id = $2")
            .bind(tx.tenant())
            .bind(user)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.and_then(|row| {
        let role: String = row.get("role");
        Role::parse(&role).map(|role| (role, row.get("status")))
    }))
}

/// The tenants where `user` has an active membership in an active tenant, oldest first. Runs in
/// a transaction that set `app.user_id` (see `memberships_self`).
#[tracing::instrument(skip(conn))]
pub(crate) async fn active_tenants_of(
    conn: &mut PgConnection,
    user: UserId,
) -> sqlx::Result<Vec<TenantId>> {
    sqlx::query("select set_config('app.user_id', $1, true)")
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query_scalar(
        "select m.tenant_id from memberships m join tenants t on t.id = m.tenant_id
          where m.user_id = $1 and m.status = 'active' and t.status = 'active'
          order by m.created_at, m.tenant_id",
    )
    .bind(user)
    .fetch_all(conn)
    .await
}

/// The active tenants of `user` with their names, for the console's tenant switcher; same
/// transaction rule as `active_tenants_of`.
#[tracing::instrument(skip(conn))]
pub(crate) async fn active_tenants_named(
    conn: &mut PgConnection,
    user: UserId,
) -> sqlx::Result<Vec<(TenantId, String, String)>> {
    sqlx::query("select set_config('app.user_id', $1, true)")
        .bind(user.to_string())
        .execute(&mut *conn)
        .await?;
    sqlx::query_as(
        "select t.id, t.name, t.slug from memberships m join tenants t on t.id = m.tenant_id
          where m.user_id = $1 and m.status = 'active' and t.status = 'active'
          order by t.name, t.id",
    )
    .bind(user)
    .fetch_all(conn)
    .await
}

/// What authentication needs to know about an API key.
#[derive(Clone, Debug, sqlx::FromRow)]
pub(crate) struct ApiKeyRecord {
    pub tenant_id: TenantId,
    pub id: ApiKeyId,
    pub key_digest: Vec<u8>,
    pub scopes: Vec<String>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
}

/// The API key with this prefix, whatever its tenant (through `api_keys_lookup`).
#[tracing::instrument(skip(conn))]
pub(crate) async fn api_key_by_prefix(
    conn: &mut PgConnection,
    prefix: &str,
) -> sqlx::Result<Option<ApiKeyRecord>> {
    sqlx::query("select set_config('app.api_key_prefix', $1, true)")
        .bind(prefix)
        .execute(&mut *conn)
        .await?;
    sqlx::query_as(
        "select tenant_id, id, key_digest, scopes, created_by, created_at, expires_at, revoked_at,
                last_used_at
           from api_keys where prefix = $1",
    )
    .bind(prefix)
    .fetch_optional(conn)
    .await
}

/// Records that an API key was used (called at most about once a minute per key).
#[tracing::instrument(skip(tx))]
pub(crate) async fn touch_api_key(tx: &mut TenantTx, id: ApiKeyId) -> sqlx::Result<()> {
    sqlx::query("update api_keys set last_used_at = now() where tenant_id = $1 and id = $2")
        .bind(tx.tenant())
        .bind(id)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
