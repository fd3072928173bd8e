//! `POST /v1/auth/switch-tenant`: a new token pair in another tenant the user belongs to.

use super::TokenResponse;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use identity::{Identity, SessionKind};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SwitchTenantRequest {
    /// Tenant id or slug.
    pub tenant: String,
}

#[utoipa::path(post, path = "/v1/auth/switch-tenant", tag = "auth", request_body = SwitchTenantRequest,
    responses(
        (status = 200, description = "A token pair in the other tenant", body = TokenResponse),
        (status = 404, description = "Not a tenant of this user"),
    ))]
pub async fn switch_tenant(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<SwitchTenantRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let pair = identity
        .switch_tenant(&context, &principal, &request.tenant, SessionKind::Api)
        .await?
        .ok_or_else(|| ApiError::not_found("tenant"))?;
    Ok(Json(pair.into()))
}
