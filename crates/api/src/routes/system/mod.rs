//! Operational endpoints: liveness, readiness and metrics. Public: they reveal no tenant data.

pub mod healthz;
pub mod metrics;
pub mod readyz;

use crate::auth::{Access, guard};
use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(guard(Access::Public, routes!(healthz::healthz)))
        .routes(guard(Access::Public, routes!(readyz::readyz)))
        .routes(guard(Access::Public, routes!(metrics::metrics)))
}
