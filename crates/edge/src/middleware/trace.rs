//! One tracing span per request (request id, method, route, and the tenant once authentication
//! knows it) and one access-log line when it is answered; also feeds the request metrics.

use crate::metrics::RequestLabels;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;
use tracing::Instrument;

pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let request_id = super::request_id::current().unwrap_or_default();
    let method = request.method().to_string();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let span = tracing::info_span!(
        "request",
        request_id = %request_id,
        method = %method,
        route = %route,
        tenant_id = tracing::field::Empty,
    );
    let started = Instant::now();
    let response = next.run(request).instrument(span.clone()).await;
    let elapsed = started.elapsed();
    let status = response.status().as_u16();
    span.in_scope(|| {
        tracing::info!(status, latency_ms = elapsed.as_secs_f64() * 1000.0, "request answered");
    });
    state.metrics.observe(RequestLabels { method, route, status }, elapsed.as_secs_f64());
    response
}
