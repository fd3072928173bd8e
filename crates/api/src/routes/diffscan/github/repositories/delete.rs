//! `DELETE /v1/diffscan/github/repositories/{id}`: stops scanning a repository's pull requests.

use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use diffscan::model::RepositoryId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(delete, path = "/v1/diffscan/github/repositories/{id}", tag = "diffscan",
    params(("id" = RepositoryId, Path, description = "Repository id")),
    responses(
        (status = 204, description = "Removed"),
        (status = 404, description = "NOT_FOUND: no such repository in this tenant"),
    ))]
pub async fn delete(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<RepositoryId>,
) -> Result<StatusCode, ApiError> {
    diffscan.delete_repository(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
