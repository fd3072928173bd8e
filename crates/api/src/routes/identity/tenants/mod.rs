//! `/v1/tenants`: global administrators (`TENANTS_MANAGE`) create, list, read, update, suspend
//! and restore tenants. Thin handlers over `Identity`'s tenant services; this module owns the
//! response shape and the tenant id path parameter, and must hold no business rule.

pub mod create;
pub mod get_one;
pub mod list;
pub mod restore;
pub mod suspend;
pub mod update;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use identity::model::TenantRow;
use platform::TenantId;
use platform::access::Permission;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

const MANAGE: Access = Access::Permission(Permission::TENANTS_MANAGE);

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(guard(MANAGE, Tier::General, routes!(create::create, list::list)))
        .routes(guard(MANAGE, Tier::General, routes!(get_one::get_one, update::update)))
        .routes(guard(MANAGE, Tier::General, routes!(suspend::suspend)))
        .routes(guard(MANAGE, Tier::General, routes!(restore::restore)))
}

/// A tenant as clients see it.
#[derive(Serialize, ToSchema)]
pub struct TenantResponse {
    pub id: TenantId,
    pub name: String,
    pub slug: String,
    /// `active` or `suspended`.
    pub status: String,
    /// Free-form tenant settings (a JSON object).
    #[schema(value_type = Object)]
    pub settings: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<TenantRow> for TenantResponse {
    fn from(row: TenantRow) -> Self {
        TenantResponse {
            id: row.id,
            name: row.name,
            slug: row.slug,
            status: row.status,
            settings: row.settings,
            created_at: row.created_at,
            updated_at: row.updated_at,
        }
    }
}
