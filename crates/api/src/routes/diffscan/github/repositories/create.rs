//! `POST /v1/diffscan/github/installations/{id}/repositories`: scans this repository's pull
//! requests from now on; answers 201.

use super::{RepositoryItem, RepositoryRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use diffscan::model::InstallationId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(post, path = "/v1/diffscan/github/installations/{id}/repositories", tag = "diffscan",
    request_body = RepositoryRequest,
    params(("id" = InstallationId, Path, description = "Installation id")),
    responses(
        (status = 201, description = "Added", body = RepositoryItem),
        (status = 404, description = "NOT_FOUND: no such installation in this tenant"),
        (status = 409, description = "CONFLICT: the repository is already there, or the installation has 1000"),
        (status = 422, description = "VALIDATION_FAILED: REQUIRED, INVALID_REPOSITORY, UNKNOWN_REFERENCE"),
    ))]
pub async fn create(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(installation): IdPath<InstallationId>,
    ApiJson(request): ApiJson<RepositoryRequest>,
) -> Result<(StatusCode, Json<RepositoryItem>), ApiError> {
    let repository =
        diffscan.create_repository(&context, &principal, installation, &request.into()).await?;
    Ok((StatusCode::CREATED, Json(repository.into())))
}
