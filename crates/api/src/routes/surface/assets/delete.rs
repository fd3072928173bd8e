//! `DELETE /v1/assets/{id}`: deletes an asset with its scans, snapshots and changes (the events
//! that announced them stay). Refused while one of its scans runs.

use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use surface::Surface;
use surface::model::AssetId;

#[utoipa::path(delete, path = "/v1/assets/{id}", tag = "assets",
    params(("id" = AssetId, Path, description = "Asset id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "SCAN_IN_PROGRESS: cancel the running scan first"),
    ))]
pub async fn delete(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AssetId>,
) -> Result<StatusCode, ApiError> {
    surface.delete_asset(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
