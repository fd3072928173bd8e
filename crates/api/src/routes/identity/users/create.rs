//! `POST /v1/users`: adds a user to the caller's tenant by email, creating the account when no
//! user has that email yet. The password is only used for a new account and never echoed.

use super::UserItem;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use identity::Identity;
use identity::service::users::NewMember;
use platform::Secret;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    pub email: String,
    /// The role in this tenant; GLOBAL_ADMIN only by a global administrator.
    pub role: String,
    /// For a new account; an existing account keeps its name.
    pub display_name: Option<String>,
    /// For a new account (must satisfy the password policy); an existing account keeps its
    /// password. Without one, the new user cannot log in until a password is set.
    #[schema(value_type = Option<String>, format = Password)]
    pub password: Option<Secret<String>>,
}

#[utoipa::path(post, path = "/v1/users", tag = "users", request_body = CreateUserRequest,
    responses(
        (status = 201, description = "Added (and created when new)", body = UserItem),
        (status = 403, description = "FORBIDDEN: granting GLOBAL_ADMIN"),
        (status = 409, description = "ALREADY_MEMBER"),
        (status = 422, description = "Invalid email, role, name or weak password"),
    ))]
pub async fn create(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<CreateUserRequest>,
) -> Result<(StatusCode, Json<UserItem>), ApiError> {
    let new = NewMember {
        email: &request.email,
        role: &request.role,
        display_name: request.display_name.as_deref(),
        password: request.password.as_ref().map(|p| p.expose().as_str()),
    };
    let member = identity.add_member(&context, &principal, new).await?;
    Ok((StatusCode::CREATED, Json(member.into())))
}
