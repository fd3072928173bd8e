//! Assembles the API: every capability's routes and the OpenAPI document with Swagger UI. The
//! middleware stack is the edge's, so that the console gets the same one.

use crate::openapi::{ApiDoc, problems_everywhere};
use crate::routes;
use axum::Router;
use edge::{ApiError, AppState};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

/// The OpenAPI document and the routes it describes (without state or middleware).
pub fn api_parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    let (router, mut openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::system::routes())
        .merge(routes::identity::routes())
        .merge(routes::notify::routes())
        .merge(routes::alerts::routes())
        .merge(routes::diffscan::routes())
        .merge(routes::surface::routes())
        .split_for_parts();
    problems_everywhere(&mut openapi);
    (router, openapi)
}

/// The API's routes with Swagger UI and the not-found fallback, still without middleware.
pub fn routes() -> Router<AppState> {
    let (api, openapi) = api_parts();
    api.merge(SwaggerUi::new("/docs").url("/v1/openapi.json", openapi))
        .fallback(|| async { ApiError::not_found("resource") })
}

/// The whole API, in the edge's middleware stack.
pub fn router(state: AppState) -> Router {
    router_with(state, Router::new())
}

/// The API beside `console` (the web console's routes, built by the caller so that this crate
/// does not depend on it), in one edge middleware stack.
pub fn router_with(mut state: AppState, console: Router<AppState>) -> Router {
    state.http.route_body_limits.extend(routes::alerts::body_limits());
    edge::middleware::stack(routes().merge(console), state)
}
