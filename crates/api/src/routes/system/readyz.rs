//! `GET /readyz`: ready to serve: the database answers and every migration this binary knows is
//! applied, its own and the job queue's. A load balancer sends traffic only when this says 200.

use axum::Json;
use axum::extract::State;
use edge::AppState;
use edge::{ApiError, ErrorCode};
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    pub status: &'static str,
}

#[utoipa::path(get, path = "/readyz", tag = "system",
    responses(
        (status = 200, description = "Ready", body = Readiness),
        (status = 503, description = "Database unreachable or migrations pending"),
    ))]
pub async fn readyz(State(state): State<AppState>) -> Result<Json<Readiness>, ApiError> {
    let pending = platform::migrate::pending(state.services.db.pool()).await.map_err(|e| {
        tracing::warn!(error = %e, "readiness: database check failed");
        ApiError::new(ErrorCode::SERVICE_UNAVAILABLE, "The database is not reachable.")
    })?;
    if !pending.is_empty() {
        return Err(ApiError::new(
            ErrorCode::SERVICE_UNAVAILABLE,
            format!("{} migration(s) not applied yet: run `palisade migrate`.", pending.len()),
        ));
    }
    let queue = platform::jobs::schema::pending(state.services.db.pool()).await.map_err(|e| {
        tracing::warn!(error = %e, "readiness: job queue check failed");
        ApiError::new(ErrorCode::SERVICE_UNAVAILABLE, "The job queue's schema cannot be read.")
    })?;
    if queue > 0 {
        return Err(ApiError::new(
            ErrorCode::SERVICE_UNAVAILABLE,
            format!("{queue} job queue migration(s) not applied yet: run `palisade migrate`."),
        ));
    }
    Ok(Json(Readiness { status: "ready" }))
}
