//! `GET /metrics`: request and pool metrics in the OpenMetrics text format (which Prometheus
//! scrapes natively).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use edge::AppState;

/// The OpenMetrics 1.0 media type, which is what the encoder writes (it ends with `# EOF`).
const OPENMETRICS: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[utoipa::path(get, path = "/metrics", tag = "system",
    responses((status = 200, description = "OpenMetrics 1.0 text", body = String,
               content_type = "application/openmetrics-text")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    ([(header::CONTENT_TYPE, OPENMETRICS)], state.metrics.render(state.services.db.pool()))
}
