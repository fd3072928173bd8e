//! `GET /v1/diffscan/github/installations/{id}/repositories`: an installation's repositories.

use super::RepositoryItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::InstallationId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{IdPath, PageParams, Paging};
use platform::Page;

#[utoipa::path(get, path = "/v1/diffscan/github/installations/{id}/repositories", tag = "diffscan",
    params(("id" = InstallationId, Path, description = "Installation id"), PageParams),
    responses(
        (status = 200, description = "A page of repositories", body = Page<RepositoryItem>),
        (status = 404, description = "NOT_FOUND: no such installation in this tenant"),
    ))]
pub async fn list(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(installation): IdPath<InstallationId>,
    Paging(page): Paging,
) -> Result<Json<Page<RepositoryItem>>, ApiError> {
    let repositories = diffscan.list_repositories(&principal, installation, &page).await?;
    Ok(Json(repositories.map(RepositoryItem::from)))
}
