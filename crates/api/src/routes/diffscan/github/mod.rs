//! `/v1/diffscan/github`: the webhook GitHub delivers `pull_request` events to (public: the
//! installation's webhook secret is the credential), installations and their repositories
//! (`POLICIES_MANAGE` to change, `DIFFSCAN_VIEW` to read), and the deliveries received (replaying
//! one needs `DIFFSCAN_RUN`).

pub mod deliveries;
pub mod installations;
pub mod repositories;
pub mod webhook;

use crate::guard;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(guard(Access::Public, Tier::General, routes!(webhook::webhook)))
        .merge(installations::routes())
        .merge(repositories::routes())
        .merge(deliveries::routes())
}
