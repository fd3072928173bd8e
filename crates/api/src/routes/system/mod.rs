//! Operational endpoints: liveness, readiness and metrics. Public: they reveal no tenant data.

pub mod healthz;
pub mod metrics;
pub mod readyz;

use crate::guard;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(guard(Access::Public, Tier::Unmetered, routes!(healthz::healthz)))
        .routes(guard(Access::Public, Tier::Unmetered, routes!(readyz::readyz)))
        .routes(guard(Access::Public, Tier::Unmetered, routes!(metrics::metrics)))
}
