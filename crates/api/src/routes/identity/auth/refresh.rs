//! `POST /v1/auth/refresh`: spends a refresh token for a new pair. A replayed token revokes its
//! whole family.

use super::TokenResponse;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Context;
use edge::extract::ApiJson;
use identity::Identity;
use platform::Secret;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    #[schema(value_type = String)]
    pub refresh_token: Secret<String>,
}

#[utoipa::path(post, path = "/v1/auth/refresh", tag = "auth", request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 401, description = "INVALID_REFRESH_TOKEN"),
    ))]
pub async fn refresh(
    State(identity): State<Identity>,
    Context(context): Context,
    ApiJson(request): ApiJson<RefreshRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let pair = identity.refresh(&context, request.refresh_token.expose()).await?;
    Ok(Json(pair.into()))
}
