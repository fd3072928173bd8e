//! `GET /v1/assets/{id}/scans`: an asset's scans, newest first.

use super::ScanItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{IdPath, PageParams, Paging};
use platform::Page;
use surface::Surface;
use surface::model::AssetId;

#[utoipa::path(get, path = "/v1/assets/{id}/scans", tag = "scans",
    params(("id" = AssetId, Path, description = "Asset id"), PageParams),
    responses(
        (status = 200, description = "A page of the asset's scans, newest first", body = Page<ScanItem>),
        (status = 404, description = "NOT_FOUND"),
    ))]
pub async fn list(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    IdPath(asset): IdPath<AssetId>,
    Paging(page): Paging,
) -> Result<Json<Page<ScanItem>>, ApiError> {
    Ok(Json(surface.list_scans(&principal, asset, &page).await?.map(ScanItem::from)))
}
