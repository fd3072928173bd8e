//! `POST /v1/assets/{id}/baseline`: accepts the asset's latest snapshot as its baseline; later
//! changes are reported against it (audited as `asset.baseline`).

use super::AssetItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use surface::Surface;
use surface::model::AssetId;

#[utoipa::path(post, path = "/v1/assets/{id}/baseline", tag = "assets",
    params(("id" = AssetId, Path, description = "Asset id")),
    responses(
        (status = 200, description = "The asset with its new baseline", body = AssetItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "NO_SNAPSHOT: no scan of the asset completed yet"),
    ))]
pub async fn baseline(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AssetId>,
) -> Result<Json<AssetItem>, ApiError> {
    Ok(Json(surface.accept_baseline(&context, &principal, id).await?.into()))
}
