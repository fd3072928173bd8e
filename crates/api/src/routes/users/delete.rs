//! `DELETE /v1/users/{id}`: soft-deletes a member of the caller's tenant (restorable) and ends
//! their sessions there; the account and its other tenants are not affected.

use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::extract::State;
use axum::http::StatusCode;
use identity::store::members::MembershipStatus;
use platform::UserId;

#[utoipa::path(delete, path = "/v1/users/{id}", tag = "users",
    params(("id" = uuid::Uuid, Path, description = "User id")),
    responses(
        (status = 204, description = "Deleted from this tenant (restorable)"),
        (status = 403, description = "FORBIDDEN: deleting yourself", body = crate::error::Problem),
        (status = 404, description = "NOT_FOUND", body = crate::error::Problem),
        (status = 409, description = "USER_PROTECTED", body = crate::error::Problem),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(user): IdPath<UserId>,
) -> Result<StatusCode, ApiError> {
    state.identity.set_member_status(&context, &principal, user, MembershipStatus::Deleted).await?;
    Ok(StatusCode::NO_CONTENT)
}
