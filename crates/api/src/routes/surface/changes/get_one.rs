//! `GET /v1/changes/{id}`: one change event with its values before and after.

use super::ChangeItem;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;
use surface::Surface;
use surface::model::ChangeId;

#[utoipa::path(get, path = "/v1/changes/{id}", tag = "changes",
    params(("id" = ChangeId, Path, description = "Change id")),
    responses(
        (status = 200, description = "The change", body = ChangeItem),
        (status = 404, description = "NOT_FOUND: no such change in this tenant"),
    ))]
pub async fn get_one(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    IdPath(id): IdPath<ChangeId>,
) -> Result<Json<ChangeItem>, ApiError> {
    Ok(Json(surface.change(&principal, id).await?.into()))
}
