//! `GET /v1/diffscan/github/repositories/{id}`: one configured repository.

use super::RepositoryItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::RepositoryId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscan/github/repositories/{id}", tag = "diffscan",
    params(("id" = RepositoryId, Path, description = "Repository id")),
    responses(
        (status = 200, description = "The repository", body = RepositoryItem),
        (status = 404, description = "NOT_FOUND: no such repository in this tenant"),
    ))]
pub async fn get_one(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<RepositoryId>,
) -> Result<Json<RepositoryItem>, ApiError> {
    Ok(Json(diffscan.repository(&principal, id).await?.into()))
}
