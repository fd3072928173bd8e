//! `PATCH /v1/users/{id}`: changes a member's role in the caller's tenant and/or their name.

use super::UserItem;
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use identity::service::users::MemberChanges;
use platform::UserId;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    /// The new role in this tenant; GLOBAL_ADMIN only by a global administrator.
    pub role: Option<String>,
    /// The user's name (shown in every tenant of the user).
    pub display_name: Option<String>,
}

#[utoipa::path(patch, path = "/v1/users/{id}", tag = "users", request_body = UpdateUserRequest,
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The member after the change", body = UserItem),
        (status = 403, description = "FORBIDDEN: granting or removing GLOBAL_ADMIN", body = crate::error::Problem),
        (status = 404, description = "NOT_FOUND", body = crate::error::Problem),
        (status = 409, description = "USER_PROTECTED: demoting a protected user", body = crate::error::Problem),
        (status = 422, description = "Unknown role or invalid name", body = crate::error::Problem),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(user): IdPath<UserId>,
    ApiJson(request): ApiJson<UpdateUserRequest>,
) -> Result<Json<UserItem>, ApiError> {
    let changes = MemberChanges {
        role: request.role.as_deref(),
        display_name: request.display_name.as_deref(),
    };
    let member = state.identity.update_member(&context, &principal, user, changes).await?;
    Ok(Json(member.into()))
}
