//! `POST /v1/users/{id}/block`: suspends a member in the caller's tenant and ends their sessions
//! there; their other tenants are not affected.

use super::UserItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use identity::Identity;
use identity::model::MembershipStatus;
use platform::UserId;

#[utoipa::path(post, path = "/v1/users/{id}/block", tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 200, description = "The blocked member", body = UserItem),
        (status = 403, description = "FORBIDDEN: blocking yourself"),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "USER_PROTECTED"),
    ))]
pub async fn block(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(user): IdPath<UserId>,
) -> Result<Json<UserItem>, ApiError> {
    let member =
        identity.set_member_status(&context, &principal, user, MembershipStatus::Blocked).await?;
    Ok(Json(member.into()))
}
