//! `GET /v1/users/{id}`: one member of the caller's tenant (another tenant's user is 404).

use super::UserItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;
use identity::Identity;
use platform::UserId;

#[utoipa::path(get, path = "/v1/users/{id}", tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 200, description = "The member", body = UserItem),
        (status = 404, description = "NOT_FOUND: no such member in this tenant"),
    ))]
pub async fn get_one(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    IdPath(user): IdPath<UserId>,
) -> Result<Json<UserItem>, ApiError> {
    Ok(Json(identity.member(&principal, user).await?.into()))
}
