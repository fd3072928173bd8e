//! `GET /v1/diffscan/github/installations/{id}`: one installation of the caller's tenant.

use super::InstallationItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::InstallationId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscan/github/installations/{id}", tag = "diffscan",
    params(("id" = InstallationId, Path, description = "Installation id")),
    responses(
        (status = 200, description = "The installation", body = InstallationItem),
        (status = 404, description = "NOT_FOUND: no such installation in this tenant"),
    ))]
pub async fn get_one(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<InstallationId>,
) -> Result<Json<InstallationItem>, ApiError> {
    Ok(Json(diffscan.installation(&principal, id).await?.into()))
}
