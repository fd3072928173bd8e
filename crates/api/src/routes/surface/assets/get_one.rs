//! `GET /v1/assets/{id}`: one asset of the caller's tenant (another tenant's is 404).

use super::AssetItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;
use surface::Surface;
use surface::model::AssetId;

#[utoipa::path(get, path = "/v1/assets/{id}", tag = "assets",
    params(("id" = AssetId, Path, description = "Asset id")),
    responses(
        (status = 200, description = "The asset", body = AssetItem),
        (status = 404, description = "NOT_FOUND: no such asset in this tenant"),
    ))]
pub async fn get_one(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    IdPath(id): IdPath<AssetId>,
) -> Result<Json<AssetItem>, ApiError> {
    Ok(Json(surface.asset(&principal, id).await?.into()))
}
