//! `PATCH /v1/detection-rules/{id}`: changes a rule's YAML, exceptions or enabled flag.

use super::{RuleItem, RuleRequest};
use alerts::Alerts;
use alerts::model::DetectionRuleId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(patch, path = "/v1/detection-rules/{id}", tag = "detection-rules", request_body = RuleRequest,
    params(("id" = DetectionRuleId, Path, description = "Rule id")),
    responses(
        (status = 200, description = "The rule", body = RuleItem),
        (status = 404, description = "NOT_FOUND: no such rule in this tenant"),
        (status = 409, description = "CONFLICT: another rule has the same id"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_RULE (the parser's message and line), INVALID_EXCEPTION"),
    ))]
pub async fn update(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<DetectionRuleId>,
    ApiJson(request): ApiJson<RuleRequest>,
) -> Result<Json<RuleItem>, ApiError> {
    Ok(Json(alerts.update_rule(&context, &principal, id, &request.into()).await?.into()))
}
