//! `POST /v1/users/{id}/restore`: makes a blocked or deleted member of the caller's tenant
//! active again.

use super::UserItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use identity::Identity;
use identity::model::MembershipStatus;
use platform::UserId;

#[utoipa::path(post, path = "/v1/users/{id}/restore", tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 200, description = "The restored member", body = UserItem),
        (status = 404, description = "NOT_FOUND"),
    ))]
pub async fn restore(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(user): IdPath<UserId>,
) -> Result<Json<UserItem>, ApiError> {
    let member =
        identity.set_member_status(&context, &principal, user, MembershipStatus::Active).await?;
    Ok(Json(member.into()))
}
