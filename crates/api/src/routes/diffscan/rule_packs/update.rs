//! `PATCH /v1/diffscan/rule-packs/{id}`: replaces a pack's source (validated again) or enables
//! or disables it.

use super::{RulePackItem, RulePackRequest};
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::RulePackId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(patch, path = "/v1/diffscan/rule-packs/{id}", tag = "diffscan", request_body = RulePackRequest,
    params(("id" = RulePackId, Path, description = "Rule pack id")),
    responses(
        (status = 200, description = "The pack after the change", body = RulePackItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "CONFLICT: the name is taken; RULE_ID_TAKEN: a rule id collides"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_RULE_PACK, TOO_LARGE"),
    ))]
pub async fn update(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<RulePackId>,
    ApiJson(request): ApiJson<RulePackRequest>,
) -> Result<Json<RulePackItem>, ApiError> {
    Ok(Json(diffscan.update_rule_pack(&context, &principal, id, &request.into()).await?.into()))
}
