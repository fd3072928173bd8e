//! Assembles the application: every capability's routes, the OpenAPI document and Swagger UI, and
//! the middleware stack in its order.

use crate::auth::authenticate;
use crate::error::ApiError;
use crate::middleware::{
    problem_fallback, rate_limit, request_id, security_headers, timeout, trace,
};
use crate::openapi::ApiDoc;
use crate::routes;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::limit::RequestBodyLimitLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

/// The OpenAPI document and the router it describes.
pub fn api_parts() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(routes::system::routes())
        .merge(routes::auth::routes())
        .merge(routes::tenants::routes())
        .merge(routes::users::routes())
        .merge(routes::api_keys::routes())
        .merge(routes::roles::routes())
        .merge(routes::audit_log::routes())
        .merge(routes::channels::routes())
        .merge(routes::events::routes())
        .merge(routes::deliveries::routes())
        .merge(routes::ws::routes())
        .split_for_parts()
}

pub fn router(state: AppState) -> Router {
    let (api, openapi) = api_parts();
    let app = api
        .merge(SwaggerUi::new("/docs").url("/v1/openapi.json", openapi))
        .fallback(|| async { ApiError::not_found("resource") })
        // Innermost first: these run closest to the handler.
        .layer(DefaultBodyLimit::max(state.http.body_limit_bytes))
        .layer(RequestBodyLimitLayer::new(state.http.body_limit_bytes))
        .layer(from_fn_with_state(state.clone(), timeout::layer))
        .layer(from_fn_with_state(state.clone(), rate_limit::layer))
        .layer(from_fn_with_state(state.clone(), authenticate))
        // A panicking handler answers 500 (made problem+json below) instead of dropping the
        // connection.
        .layer(CatchPanicLayer::new())
        .layer(from_fn(problem_fallback::layer));
    let app = security_headers::apply(app, state.http.https);
    app.layer(from_fn_with_state(state.clone(), trace::layer))
        .layer(from_fn(request_id::layer))
        .with_state(state)
}
