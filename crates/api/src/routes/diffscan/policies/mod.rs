//! `/v1/diffscan/policies`: what a scan blocks on. A policy is the engine's format (profile,
//! profiles, inline suppressions, on_error, limits; exceptions are `/v1/diffscan/exceptions`),
//! checked against the tenant's rules before it is stored; at most one is the tenant's default.
//! Reading needs `DIFFSCAN_VIEW`, changing `POLICIES_MANAGE`.

pub mod create;
pub mod delete;
pub mod get_one;
pub mod list;
pub mod update;

use crate::guard;
use chrono::{DateTime, Utc};
use diffscan::model::{PolicyId, PolicyRecord};
use diffscan::service::policies::PolicyInput;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::access::Permission;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let view = || Access::Permission(Permission::DIFFSCAN_VIEW);
    let manage = || Access::Permission(Permission::POLICIES_MANAGE);
    OpenApiRouter::new()
        .routes(guard(manage(), Tier::General, routes!(create::create)))
        .routes(guard(view(), Tier::General, routes!(list::list)))
        .routes(guard(view(), Tier::General, routes!(get_one::get_one)))
        .routes(guard(manage(), Tier::General, routes!(update::update)))
        .routes(guard(manage(), Tier::General, routes!(delete::delete)))
}

/// A policy to create, or the changes to one (absent fields stay as they are).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyRequest {
    /// 1 to 100 characters, unique in the tenant. Required on creation.
    pub name: Option<String>,
    pub description: Option<String>,
    /// Makes this the tenant's default policy (the previous default stops being one).
    pub is_default: Option<bool>,
    /// The policy in the engine's format, e.g. `{"profile": "strict", "on_error": "fail-open"}`
    /// (see docs/diffscan.md). Required on creation.
    #[schema(value_type = Option<Object>)]
    pub policy: Option<serde_json::Value>,
}

impl From<PolicyRequest> for PolicyInput {
    fn from(request: PolicyRequest) -> Self {
        PolicyInput {
            name: request.name,
            description: request.description,
            is_default: request.is_default,
            policy: request.policy,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PolicyItem {
    pub id: PolicyId,
    pub name: String,
    pub description: String,
    pub is_default: bool,
    /// The policy in the engine's format, with its `version`.
    #[schema(value_type = Object)]
    pub policy: serde_json::Value,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<PolicyRecord> for PolicyItem {
    fn from(policy: PolicyRecord) -> Self {
        PolicyItem {
            id: policy.id,
            name: policy.name,
            description: policy.description,
            is_default: policy.is_default,
            policy: policy.document,
            created_at: policy.created_at,
            updated_at: policy.updated_at,
        }
    }
}
