//! `/v1/audit-log`: reading the tenant's audit log (`AUDIT_VIEW`). Read-only: the log is written
//! by the services, one row per mutation, and nothing here changes it.

pub mod list;

use crate::auth::{Access, guard};
use crate::state::AppState;
use identity::Permission;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(guard(Access::Permission(Permission::AUDIT_VIEW), routes!(list::list)))
}
