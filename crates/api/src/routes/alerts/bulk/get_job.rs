//! `GET /v1/alerts/bulk-jobs/{id}`: a bulk job and its progress.

use super::BulkJobItem;
use alerts::Alerts;
use alerts::model::BulkJobId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/alerts/bulk-jobs/{id}", tag = "alerts",
    params(("id" = BulkJobId, Path, description = "Bulk job id")),
    responses(
        (status = 200, description = "The job", body = BulkJobItem),
        (status = 404, description = "NOT_FOUND: no such bulk job in this tenant"),
    ))]
pub async fn get_job(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    IdPath(id): IdPath<BulkJobId>,
) -> Result<Json<BulkJobItem>, ApiError> {
    Ok(Json(alerts.bulk_job(&principal, id).await?.into()))
}
