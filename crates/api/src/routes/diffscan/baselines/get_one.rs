//! `GET /v1/diffscan/baselines/{id}`: one baseline of the caller's tenant.

use super::BaselineItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::BaselineId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscan/baselines/{id}", tag = "diffscan",
    params(("id" = BaselineId, Path, description = "Baseline id")),
    responses(
        (status = 200, description = "The baseline", body = BaselineItem),
        (status = 404, description = "NOT_FOUND: no such baseline in this tenant"),
    ))]
pub async fn get_one(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<BaselineId>,
) -> Result<Json<BaselineItem>, ApiError> {
    Ok(Json(diffscan.baseline(&principal, id).await?.into()))
}
