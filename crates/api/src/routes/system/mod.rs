//! Operational endpoints: liveness, readiness and metrics. Public: they reveal no tenant data.

pub mod healthz;
pub mod metrics;
pub mod readyz;

use crate::state::AppState;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz::healthz))
        .routes(routes!(readyz::readyz))
        .routes(routes!(metrics::metrics))
}
