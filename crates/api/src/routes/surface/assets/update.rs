//! `PATCH /v1/assets/{id}`: changes an asset's ports, tags or schedule (its kind and value
//! never change).

use super::{AssetItem, AssetRequest};
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};
use surface::Surface;
use surface::model::AssetId;

#[utoipa::path(patch, path = "/v1/assets/{id}", tag = "assets", request_body = AssetRequest,
    params(("id" = AssetId, Path, description = "Asset id")),
    responses(
        (status = 200, description = "The asset after the change", body = AssetItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 422, description = "VALIDATION_FAILED: e.g. IMMUTABLE (kind, value), INVALID_PORTS, INVALID_SCHEDULE"),
    ))]
pub async fn update(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AssetId>,
    ApiJson(request): ApiJson<AssetRequest>,
) -> Result<Json<AssetItem>, ApiError> {
    let asset = surface.update_asset(&context, &principal, id, &request.into()).await?;
    Ok(Json(asset.into()))
}
