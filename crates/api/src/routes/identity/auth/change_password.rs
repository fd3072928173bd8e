//! `POST /v1/auth/password`: the user changes their own password, giving the current one; the
//! password policy applies and every other session of the user ends.

use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use identity::Identity;
use platform::Secret;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChangePasswordRequest {
    #[schema(value_type = String, format = Password)]
    pub current_password: Secret<String>,
    #[schema(value_type = String, format = Password)]
    pub new_password: Secret<String>,
}

#[utoipa::path(post, path = "/v1/auth/password", tag = "auth", request_body = ChangePasswordRequest,
    responses(
        (status = 204, description = "Changed; other sessions ended"),
        (status = 401, description = "INVALID_CREDENTIALS: the current password is wrong"),
        (status = 403, description = "FORBIDDEN: not through an API key"),
    ))]
pub async fn change_password(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<ChangePasswordRequest>,
) -> Result<StatusCode, ApiError> {
    identity
        .change_password(&context, &principal, &request.current_password, &request.new_password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
