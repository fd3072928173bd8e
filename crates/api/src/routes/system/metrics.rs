//! `GET /metrics`: request and pool metrics in the OpenMetrics text format (which Prometheus
//! scrapes natively). Open unless `metrics.token` is set; then only that bearer token is let in
//! (compared in constant time), so a public listener does not show its figures to everyone.

use axum::extract::State;
use axum::http::{HeaderMap, header};
use axum::response::{IntoResponse, Response};
use edge::{ApiError, AppState, ErrorCode};
use subtle::ConstantTimeEq;

/// The OpenMetrics 1.0 media type, which is what the encoder writes (it ends with `# EOF`).
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[utoipa::path(get, path = "/metrics", tag = "system",
    responses(
        (status = 200, description = "OpenMetrics 1.0 text", body = String,
         content_type = "application/openmetrics-text"),
        (status = 401, description = "UNAUTHENTICATED: `metrics.token` is set and was not sent"),
    ))]
pub async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = &state.http.metrics_token {
        let sent = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        if !bool::from(sent.as_bytes().ct_eq(token.expose().as_bytes())) {
            return ApiError::new(
                ErrorCode::UNAUTHENTICATED,
                "This scrape needs the metrics token.",
            )
            .into_response();
        }
    }
    let body = state.metrics.render(state.services.db.pool());
    ([(header::CONTENT_TYPE, OPENMETRICS)], body).into_response()
}
