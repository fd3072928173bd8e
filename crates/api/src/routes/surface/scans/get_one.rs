//! `GET /v1/scans/{id}`: one scan with its status and progress.

use super::ScanItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;
use surface::Surface;
use surface::model::ScanId;

#[utoipa::path(get, path = "/v1/scans/{id}", tag = "scans",
    params(("id" = ScanId, Path, description = "Scan id")),
    responses(
        (status = 200, description = "The scan", body = ScanItem),
        (status = 404, description = "NOT_FOUND: no such scan in this tenant"),
    ))]
pub async fn get_one(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    IdPath(id): IdPath<ScanId>,
) -> Result<Json<ScanItem>, ApiError> {
    Ok(Json(surface.scan(&principal, id).await?.into()))
}
