//! `/v1/audit-log`: reading the tenant's audit log (`AUDIT_VIEW`). Read-only: the log is written
//! by the services, one row per mutation, and nothing here changes it.

pub mod list;

use crate::guard;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::access::Permission;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(guard(
        Access::Permission(Permission::AUDIT_VIEW),
        Tier::General,
        routes!(list::list),
    ))
}
