//! `PATCH /v1/users/{id}`: changes a member's role in the caller's tenant (and, for a global
//! administrator, the account's name).

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
    /// The new role in this tenant: you must hold every permission it grants, and you cannot
    /// change your own.
    pub role: Option<String>,
    /// The account's name (shown in every tenant of the user): global administrators only; users
    /// change their own with `PATCH /v1/auth/me`.
    pub display_name: Option<String>,
}

#[utoipa::path(patch, path = "/v1/users/{id}", tag = "users", request_body = UpdateUserRequest,
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 200, description = "The member after the change", body = UserItem),
        (status = 403, description = "FORBIDDEN: a role whose permissions you lack, your own role, or a name"),
        (status = 409, description = "USER_PROTECTED or LAST_TENANT_ADMIN"),
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
