//! `GET /v1/assets/{id}/snapshots`: an asset's snapshots, newest first, without documents.

use super::SnapshotItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{IdPath, PageParams, Paging};
use platform::Page;
use surface::Surface;
use surface::model::AssetId;

#[utoipa::path(get, path = "/v1/assets/{id}/snapshots", tag = "snapshots",
    params(("id" = AssetId, Path, description = "Asset id"), PageParams),
    responses(
        (status = 200, description = "A page of the asset's snapshots, newest first", body = Page<SnapshotItem>),
        (status = 404, description = "NOT_FOUND"),
    ))]
pub async fn list(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    IdPath(asset): IdPath<AssetId>,
    Paging(page): Paging,
) -> Result<Json<Page<SnapshotItem>>, ApiError> {
    Ok(Json(surface.list_snapshots(&principal, asset, &page).await?.map(SnapshotItem::from)))
}
