//! `GET /v1/diffscan/exceptions/{id}`: one exception of the caller's tenant.

use super::ExceptionItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::ExceptionId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscan/exceptions/{id}", tag = "diffscan",
    params(("id" = ExceptionId, Path, description = "Exception id")),
    responses(
        (status = 200, description = "The exception", body = ExceptionItem),
        (status = 404, description = "NOT_FOUND: no such exception in this tenant"),
    ))]
pub async fn get_one(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<ExceptionId>,
) -> Result<Json<ExceptionItem>, ApiError> {
    Ok(Json(diffscan.exception(&principal, id).await?.into()))
}
