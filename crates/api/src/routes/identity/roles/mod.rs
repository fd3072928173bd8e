//! `/v1/roles`: the tenant's role matrix — read it (`ROLES_VIEW`), edit it and reset it to the
//! defaults (`ROLES_MANAGE`). Handlers only translate HTTP to `Identity` calls; the lock-out and
//! escalation rules live in the service.

pub mod matrix;
pub mod reset;
pub mod update;

use crate::guard;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use identity::service::roles::RoleEntry;
use platform::access::Permission;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let manage = Access::Permission(Permission::ROLES_MANAGE);
    OpenApiRouter::new()
        .routes(guard(
            Access::Permission(Permission::ROLES_VIEW),
            Tier::General,
            routes!(matrix::matrix),
        ))
        .routes(guard(manage, Tier::General, routes!(update::update)))
        .routes(guard(manage, Tier::General, routes!(reset::reset)))
}

/// The matrix of one tenant and the catalog of every permission.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoleMatrix {
    pub roles: Vec<RoleItem>,
    /// Every permission name that can be granted.
    pub permissions: Vec<&'static str>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RoleItem {
    pub role: &'static str,
    pub permissions: Vec<&'static str>,
    /// A locked role's permissions cannot be edited (the global administrator has them all).
    pub locked: bool,
}

impl From<Vec<RoleEntry>> for RoleMatrix {
    fn from(entries: Vec<RoleEntry>) -> Self {
        RoleMatrix {
            roles: entries
                .into_iter()
                .map(|entry| RoleItem {
                    role: entry.role.as_str(),
                    permissions: entry.permissions.iter().map(|p| p.as_str()).collect(),
                    locked: entry.locked,
                })
                .collect(),
            permissions: Permission::ALL.iter().map(|p| p.as_str()).collect(),
        }
    }
}
