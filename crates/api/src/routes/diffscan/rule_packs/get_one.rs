//! `GET /v1/diffscan/rule-packs/{id}`: one pack of the caller's tenant, with its source.

use super::RulePackItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::RulePackId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscan/rule-packs/{id}", tag = "diffscan",
    params(("id" = RulePackId, Path, description = "Rule pack id")),
    responses(
        (status = 200, description = "The pack", body = RulePackItem),
        (status = 404, description = "NOT_FOUND: no such rule pack in this tenant"),
    ))]
pub async fn get_one(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<RulePackId>,
) -> Result<Json<RulePackItem>, ApiError> {
    Ok(Json(diffscan.rule_pack(&principal, id).await?.into()))
}
