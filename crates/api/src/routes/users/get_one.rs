//! `GET /v1/users/{id}`: one member of the caller's tenant (another tenant's user is 404).

use super::UserItem;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use platform::UserId;

#[utoipa::path(get, path = "/v1/users/{id}", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        (status = 200, description = "The member", body = UserItem),
        (status = 404, description = "NOT_FOUND: no such member in this tenant", body = crate::error::Problem),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    Auth(principal): Auth,
    IdPath(user): IdPath<UserId>,
) -> Result<Json<UserItem>, ApiError> {
    Ok(Json(state.identity.member(&principal, user).await?.into()))
}
