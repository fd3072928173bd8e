//! `DELETE /v1/diffscan/policies/{id}`: deletes a policy and its exceptions; whatever named it
//! falls back to the tenant's default.

use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use diffscan::model::PolicyId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(delete, path = "/v1/diffscan/policies/{id}", tag = "diffscan",
    params(("id" = PolicyId, Path, description = "Policy id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND: no such policy in this tenant"),
    ))]
pub async fn delete(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<PolicyId>,
) -> Result<StatusCode, ApiError> {
    diffscan.delete_policy(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
