//! `POST /v1/users/{id}/block`: suspends a member in the caller's tenant and ends their sessions
//! there; their other tenants are not affected.

use super::UserItem;
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use identity::store::members::MembershipStatus;
use platform::UserId;

#[utoipa::path(post, path = "/v1/users/{id}/block", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The blocked member", body = UserItem),
        (status = 403, description = "FORBIDDEN: blocking yourself", body = crate::error::Problem),
        (status = 404, description = "NOT_FOUND", body = crate::error::Problem),
        (status = 409, description = "USER_PROTECTED", body = crate::error::Problem),
    ))]
pub async fn block(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(user): IdPath<UserId>,
) -> Result<Json<UserItem>, ApiError> {
    let member = state
        .identity
        .set_member_status(&context, &principal, user, MembershipStatus::Blocked)
        .await?;
    Ok(Json(member.into()))
}
