//! `DELETE /v1/users/{id}`: soft-deletes a member of the caller's tenant (restorable) and ends
//! their sessions there; the account and its other tenants are not affected.

use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use identity::Identity;
use identity::model::MembershipStatus;
use platform::UserId;

#[utoipa::path(delete, path = "/v1/users/{id}", tag = "users",
    params(("id" = UserId, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted from this tenant (restorable)"),
        (status = 403, description = "FORBIDDEN: deleting yourself"),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "USER_PROTECTED"),
    ))]
pub async fn delete(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(user): IdPath<UserId>,
) -> Result<StatusCode, ApiError> {
    identity.set_member_status(&context, &principal, user, MembershipStatus::Deleted).await?;
    Ok(StatusCode::NO_CONTENT)
}
