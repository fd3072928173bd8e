//! `POST /v1/alerts/bulk-jobs/{id}/cancel`: stops a bulk job before its next chunk (what it
//! changed stays changed); a queued job never starts.

use super::BulkJobItem;
use alerts::Alerts;
use alerts::model::BulkJobId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(post, path = "/v1/alerts/bulk-jobs/{id}/cancel", tag = "alerts",
    params(("id" = BulkJobId, Path, description = "Bulk job id")),
    responses(
        (status = 200, description = "The job, cancelled or stopping", body = BulkJobItem),
        (status = 404, description = "NOT_FOUND: no such bulk job in this tenant"),
        (status = 409, description = "CONFLICT: the job has already finished"),
    ))]
pub async fn cancel_job(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<BulkJobId>,
) -> Result<Json<BulkJobItem>, ApiError> {
    Ok(Json(alerts.cancel_bulk_job(&context, &principal, id).await?.into()))
}
