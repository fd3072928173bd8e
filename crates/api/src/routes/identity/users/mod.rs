//! `/v1/users`: the members of the caller's tenant and their memberships there (list, show, change
//! role, block, soft-delete, restore). People join by invitation (`/v1/invitations`).
//!
//! Handlers only parse, call `Identity` and map the result; the rules (protected users, who may
//! grant GLOBAL_ADMIN, tenant scoping) live in `identity::service::users`. Nothing here may
//! return or log a password.

pub mod block;
pub mod delete;
pub mod get_one;
pub mod list;
pub mod restore;
pub mod update;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use identity::model::MemberRow;
use platform::UserId;
use platform::access::Permission;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let view = || Access::Permission(Permission::USERS_VIEW);
    let manage = || Access::Permission(Permission::USERS_MANAGE);
    OpenApiRouter::new()
        .routes(guard(view(), Tier::General, routes!(list::list)))
        .routes(guard(view(), Tier::General, routes!(get_one::get_one)))
        .routes(guard(manage(), Tier::General, routes!(update::update)))
        .routes(guard(manage(), Tier::General, routes!(delete::delete)))
        .routes(guard(manage(), Tier::General, routes!(block::block)))
        .routes(guard(manage(), Tier::General, routes!(restore::restore)))
}

/// A user as the caller's tenant sees them.
#[derive(Serialize, ToSchema)]
pub struct UserItem {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    /// The user's role in this tenant.
    pub role: String,
    /// `active`, `blocked` or `deleted`: the membership in this tenant.
    pub membership_status: String,
    pub is_global_admin: bool,
    /// Seeded administrators: cannot be blocked, deleted or demoted.
    pub is_protected: bool,
    /// When the user joined this tenant.
    pub created_at: DateTime<Utc>,
}

impl From<MemberRow> for UserItem {
    fn from(member: MemberRow) -> Self {
        UserItem {
            id: member.id,
            email: member.email,
            display_name: member.display_name,
            role: member.role.as_str().to_string(),
            membership_status: member.status.as_str().to_string(),
            is_global_admin: member.is_global_admin,
            is_protected: member.is_protected,
            created_at: member.created_at,
        }
    }
}
