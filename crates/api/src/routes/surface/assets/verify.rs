//! `POST /v1/assets/{id}/verify`: checks the proof now (DNS TXT, well-known file, reverse DNS)
//! and answers `authorized`, or `failed` with the reason.

use super::AssetItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};
use serde::{Deserialize, Serialize};
use surface::Surface;
use surface::model::AssetId;
use surface::service::input::parse_method;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VerifyRequest {
    /// `dns_txt`, `http_file` or `reverse_dns`; absent: every method that applies, in order.
    pub method: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct VerifyResponse {
    /// `authorized` or `failed`.
    pub result: String,
    /// The method that proved it.
    pub method: Option<String>,
    /// Why it failed: what each method found.
    pub reason: Option<String>,
    pub asset: AssetItem,
}

#[utoipa::path(post, path = "/v1/assets/{id}/verify", tag = "assets", request_body = VerifyRequest,
    params(("id" = AssetId, Path, description = "Asset id")),
    responses(
        (status = 200, description = "What the check found (the asset is now authorized or failed)", body = VerifyResponse),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "NO_CHALLENGE: authorize first"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_METHOD, NOT_APPLICABLE (the method cannot prove this kind)"),
    ))]
pub async fn verify(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AssetId>,
    ApiJson(request): ApiJson<VerifyRequest>,
) -> Result<Json<VerifyResponse>, ApiError> {
    let method = request.method.as_deref().map(parse_method).transpose()?;
    let checked = surface.verify(&context, &principal, id, method).await?;
    let result = if checked.method.is_some() { "authorized" } else { "failed" };
    Ok(Json(VerifyResponse {
        result: result.to_string(),
        method: checked.method.map(|m| m.as_str().to_string()),
        reason: checked.reason,
        asset: checked.asset.into(),
    }))
}
