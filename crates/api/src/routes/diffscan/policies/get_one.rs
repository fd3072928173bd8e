//! `GET /v1/diffscan/policies/{id}`: one policy of the caller's tenant.

use super::PolicyItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::PolicyId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscan/policies/{id}", tag = "diffscan",
    params(("id" = PolicyId, Path, description = "Policy id")),
    responses(
        (status = 200, description = "The policy", body = PolicyItem),
        (status = 404, description = "NOT_FOUND: no such policy in this tenant"),
    ))]
pub async fn get_one(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<PolicyId>,
) -> Result<Json<PolicyItem>, ApiError> {
    Ok(Json(diffscan.policy(&principal, id).await?.into()))
}
