//! `GET /metrics`: request and pool metrics in the OpenMetrics text format (which Prometheus
//! scrapes natively).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use edge::AppState;

#[utoipa::path(get, path = "/metrics", tag = "system",
    responses((status = 200, description = "Prometheus text format", body = String,
               content_type = "application/openmetrics-text")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")],
        state.metrics.render(state.services.db.pool()),
    )
}
