//! `POST /v1/assets/{id}/attest`: a tenant administrator vouches that the tenant may scan this
//! address or block, with a reason the audit log keeps.

use super::AssetItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};
use serde::Deserialize;
use surface::Surface;
use surface::model::AssetId;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttestRequest {
    /// Why the tenant may scan it (a contract, a ticket): 1 to 1000 characters.
    pub reason: Option<String>,
}

#[utoipa::path(post, path = "/v1/assets/{id}/attest", tag = "assets", request_body = AttestRequest,
    params(("id" = AssetId, Path, description = "Asset id")),
    responses(
        (status = 200, description = "Authorized by attestation", body = AssetItem),
        (status = 403, description = "FORBIDDEN: only a tenant administrator may attest"),
        (status = 404, description = "NOT_FOUND"),
        (status = 422, description = "VALIDATION_FAILED: REQUIRED (reason), NOT_APPLICABLE (a domain)"),
    ))]
pub async fn attest(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AssetId>,
    ApiJson(request): ApiJson<AttestRequest>,
) -> Result<Json<AssetItem>, ApiError> {
    let asset = surface.attest(&context, &principal, id, request.reason.as_deref()).await?;
    Ok(Json(asset.into()))
}
