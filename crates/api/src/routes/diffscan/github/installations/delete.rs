//! `DELETE /v1/diffscan/github/installations/{id}`: deletes an installation with its
//! repositories and deliveries (its scans stay).

use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use diffscan::model::InstallationId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(delete, path = "/v1/diffscan/github/installations/{id}", tag = "diffscan",
    params(("id" = InstallationId, Path, description = "Installation id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND: no such installation in this tenant"),
    ))]
pub async fn delete(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<InstallationId>,
) -> Result<StatusCode, ApiError> {
    diffscan.delete_installation(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
