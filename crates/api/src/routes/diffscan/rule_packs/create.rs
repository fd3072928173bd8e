//! `POST /v1/diffscan/rule-packs`: validates and stores a pack; answers 201.

use super::{RulePackItem, RulePackRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;

#[utoipa::path(post, path = "/v1/diffscan/rule-packs", tag = "diffscan", request_body = RulePackRequest,
    responses(
        (status = 201, description = "Created", body = RulePackItem),
        (status = 409, description = "CONFLICT: the name is taken or the tenant has 50 packs; RULE_ID_TAKEN: a rule id collides"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_RULE_PACK (one entry per problem, each naming its line), REQUIRED, TOO_LARGE"),
    ))]
pub async fn create(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<RulePackRequest>,
) -> Result<(StatusCode, Json<RulePackItem>), ApiError> {
    let pack = diffscan.create_rule_pack(&context, &principal, &request.into()).await?;
    Ok((StatusCode::CREATED, Json(pack.into())))
}
