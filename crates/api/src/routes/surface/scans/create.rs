//! `POST /v1/assets/{id}/scans`: queues a scan of an authorized asset on its port list and
//! answers 202; follow it with `GET /v1/scans/{id}`.

use super::ScanItem;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use surface::Surface;
use surface::model::AssetId;

#[utoipa::path(post, path = "/v1/assets/{id}/scans", tag = "scans",
    params(("id" = AssetId, Path, description = "Asset id")),
    responses(
        (status = 202, description = "Queued", body = ScanItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "ASSET_NOT_AUTHORIZED: prove authorization first; SCAN_IN_PROGRESS: a scan of the asset is queued or running"),
    ))]
pub async fn create(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(asset): IdPath<AssetId>,
) -> Result<(StatusCode, Json<ScanItem>), ApiError> {
    let scan = surface.start_scan(&context, &principal, asset).await?;
    Ok((StatusCode::ACCEPTED, Json(scan.into())))
}
