//! `POST /v1/auth/register`: self-registration, when enabled (`auth.registration`). Answers 202
//! with the same body whether or not the email was already registered.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::Context;
use edge::extract::ApiJson;
use identity::Identity;
use platform::Secret;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterRequest {
    pub email: String,
    #[schema(value_type = String, format = Password)]
    pub password: Secret<String>,
    pub display_name: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RegisterResponse {
    pub status: &'static str,
    pub message: &'static str,
}

#[utoipa::path(post, path = "/v1/auth/register", tag = "auth", request_body = RegisterRequest,
    responses(
        (status = 202, description = "Accepted (also when the email is already registered)", body = RegisterResponse),
        (status = 403, description = "REGISTRATION_DISABLED"),
        (status = 422, description = "Invalid email or weak password"),
    ))]
pub async fn register(
    State(identity): State<Identity>,
    Context(context): Context,
    ApiJson(request): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<RegisterResponse>), ApiError> {
    identity
        .register(
            &context,
            &request.email,
            request.password.expose(),
            request.display_name.as_deref(),
        )
        .await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(RegisterResponse {
            status: "accepted",
            message: "If this address can be registered, the account now exists; an administrator \
                      adds it to a tenant before it can log in.",
        }),
    ))
}
