//! `PATCH /v1/diffscan/github/repositories/{id}`: changes a repository's policy, baseline or
//! state.

use super::{RepositoryItem, RepositoryRequest};
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::RepositoryId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(patch, path = "/v1/diffscan/github/repositories/{id}", tag = "diffscan",
    request_body = RepositoryRequest,
    params(("id" = RepositoryId, Path, description = "Repository id")),
    responses(
        (status = 200, description = "The repository after the change", body = RepositoryItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "CONFLICT: the repository is already there"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_REPOSITORY, UNKNOWN_REFERENCE"),
    ))]
pub async fn update(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<RepositoryId>,
    ApiJson(request): ApiJson<RepositoryRequest>,
) -> Result<Json<RepositoryItem>, ApiError> {
    Ok(Json(diffscan.update_repository(&context, &principal, id, &request.into()).await?.into()))
}
