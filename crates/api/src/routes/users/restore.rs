//! `POST /v1/users/{id}/restore`: makes a blocked or deleted member of the caller's tenant
//! active again.

use super::UserItem;
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use identity::store::members::MembershipStatus;
use platform::UserId;

#[utoipa::path(post, path = "/v1/users/{id}/restore", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The restored member", body = UserItem),
        (status = 404, description = "NOT_FOUND", body = crate::error::Problem),
    ))]
pub async fn restore(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(user): IdPath<UserId>,
) -> Result<Json<UserItem>, ApiError> {
    let member = state
        .identity
        .set_member_status(&context, &principal, user, MembershipStatus::Active)
        .await?;
    Ok(Json(member.into()))
}
