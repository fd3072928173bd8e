//! Identity's routes: `/v1/auth`, `/v1/tenants`, `/v1/users`, `/v1/invitations`, `/v1/api-keys`,
//! `/v1/roles` and `/v1/audit-log`. Handlers call `identity::Identity`; its errors become HTTP in
//! `edge::errors::identity`.

pub mod api_keys;
pub mod audit_log;
pub mod auth;
pub mod invitations;
pub mod roles;
pub mod tenants;
pub mod users;

use edge::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(auth::routes())
        .merge(tenants::routes())
        .merge(users::routes())
        .merge(invitations::routes())
        .merge(api_keys::routes())
        .merge(roles::routes())
        .merge(audit_log::routes())
}
