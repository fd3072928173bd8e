//! `PATCH /v1/users/{id}`: changes a member's role in the caller's tenant and/or their name.

use super::UserItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use edge::extract::IdPath;
use identity::Identity;
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
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 200, description = "The member after the change", body = UserItem),
        (status = 403, description = "FORBIDDEN: granting or removing GLOBAL_ADMIN"),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "USER_PROTECTED: demoting a protected user"),
        (status = 422, description = "Unknown role or invalid name"),
    ))]
pub async fn update(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(user): IdPath<UserId>,
    ApiJson(request): ApiJson<UpdateUserRequest>,
) -> Result<Json<UserItem>, ApiError> {
    let changes = MemberChanges {
        role: request.role.as_deref(),
        display_name: request.display_name.as_deref(),
    };
    let member = identity.update_member(&context, &principal, user, changes).await?;
    Ok(Json(member.into()))
}
