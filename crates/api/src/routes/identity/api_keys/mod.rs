//! `/v1/api-keys`: create (the key is shown once), list and revoke the tenant's API keys, all
//! with `API_KEYS_MANAGE`. Handlers only translate HTTP to `Identity` calls; no response here
//! ever carries a stored key or its digest.

pub mod create;
pub mod list;
pub mod revoke;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use identity::model::ApiKeyRow;
use platform::access::Permission;
use platform::{ApiKeyId, UserId};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let manage = Access::Permission(Permission::API_KEYS_MANAGE);
    OpenApiRouter::new()
        .routes(guard(manage, Tier::General, routes!(create::create, list::list)))
        .routes(guard(manage, Tier::General, routes!(revoke::revoke)))
}

/// An API key as listed: never the key itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyItem {
    pub id: ApiKeyId,
    pub name: String,
    /// The public part of the key (`pal_<prefix>_…`), to recognise it.
    pub prefix: String,
    /// Permission names the key is limited to.
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    /// Recorded at most about once a minute.
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// The user who created the key.
    pub created_by: Option<UserId>,
}

impl From<ApiKeyRow> for ApiKeyItem {
    fn from(row: ApiKeyRow) -> Self {
        ApiKeyItem {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            scopes: row.scopes,
            created_at: row.created_at,
            expires_at: row.expires_at,
            last_used_at: row.last_used_at,
            revoked_at: row.revoked_at,
            created_by: row.created_by,
        }
    }
}
