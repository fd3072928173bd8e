//! The tower layers every request passes through, outermost first: request id, the client's
//! address, trace span and
//! access log, metrics, security headers, problem+json for bare error statuses, discarding the
//! unread body of an early answer, authentication, timeout, body limit. Each layer is one file; [`stack`] puts them in their order, for the API
//! and the console alike.

pub mod body_limit;
pub mod client_addr;
pub mod drain_body;
pub mod problem_fallback;
pub mod request_id;
pub mod security_headers;
pub mod timeout;
pub mod trace;

use crate::auth::authenticate;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::middleware::{from_fn, from_fn_with_state};
use tower_http::catch_panic::CatchPanicLayer;

/// `app` (the merged routes of the API and the console) wrapped in every layer, with its state.
pub fn stack(app: Router<AppState>, state: AppState) -> Router {
    let limit = state.http.body_limit_bytes;
    let limits = body_limit::BodyLimits::new(limit, &state.http.route_body_limits);
    let app = app
        // Innermost first: these run closest to the handler. Routes allowed a larger body raise
        // `DefaultBodyLimit` themselves.
        .layer(DefaultBodyLimit::max(limit))
        .layer(from_fn_with_state(limits, body_limit::layer))
        .layer(from_fn_with_state(state.clone(), timeout::layer))
        .layer(from_fn_with_state(state.clone(), authenticate))
        // A panicking handler answers 500 (made problem+json below) instead of dropping the
        // connection.
        .layer(CatchPanicLayer::new())
        .layer(from_fn(drain_body::layer))
        .layer(from_fn(problem_fallback::layer));
    let app = security_headers::apply(app, state.http.https);
    app.layer(from_fn_with_state(state.clone(), trace::layer))
        .layer(from_fn_with_state(state.http.trusted_proxies.clone(), client_addr::layer))
        .layer(from_fn(request_id::layer))
        .with_state(state)
}
