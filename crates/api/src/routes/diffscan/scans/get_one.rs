//! `GET /v1/diffscans/{id}`: one scan of the caller's tenant, with its decision once finished
//! (another tenant's is 404).

use super::ScanItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::ScanId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscans/{id}", tag = "diffscan",
    params(("id" = ScanId, Path, description = "Scan id")),
    responses(
        (status = 200, description = "The scan", body = ScanItem),
        (status = 404, description = "NOT_FOUND: no such scan in this tenant"),
    ))]
pub async fn get_one(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<ScanId>,
) -> Result<Json<ScanItem>, ApiError> {
    Ok(Json(diffscan.scan(&principal, id).await?.into()))
}
