//! `POST /v1/assets`: registers an asset (`pending` until its authorization is proven) and
//! answers 201.

use super::{AssetItem, AssetRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use surface::Surface;

#[utoipa::path(post, path = "/v1/assets", tag = "assets", request_body = AssetRequest,
    responses(
        (status = 201, description = "Registered, status pending", body = AssetItem),
        (status = 409, description = "ASSET_EXISTS: the tenant already monitors this value; LIMIT_REACHED"),
        (status = 422, description = "VALIDATION_FAILED: e.g. HOST_NOT_ALLOWED (the SSRF guard denies the value), INVALID_DOMAIN, INVALID_CIDR, CIDR_TOO_LARGE, INVALID_PORTS, INVALID_SCHEDULE"),
    ))]
pub async fn create(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<AssetRequest>,
) -> Result<(StatusCode, Json<AssetItem>), ApiError> {
    let asset = surface.create_asset(&context, &principal, &request.into()).await?;
    Ok((StatusCode::CREATED, Json(asset.into())))
}
