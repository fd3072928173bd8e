//! `POST /v1/detection-rules/{id}/enable` and `…/disable`: turns a rule on or off (it keeps its
//! YAML and exceptions).

use super::RuleItem;
use alerts::Alerts;
use alerts::model::DetectionRuleId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(post, path = "/v1/detection-rules/{id}/enable", tag = "detection-rules",
    params(("id" = DetectionRuleId, Path, description = "Rule id")),
    responses(
        (status = 200, description = "The rule, enabled", body = RuleItem),
        (status = 404, description = "NOT_FOUND: no such rule in this tenant"),
    ))]
pub async fn enable(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<DetectionRuleId>,
) -> Result<Json<RuleItem>, ApiError> {
    Ok(Json(alerts.set_rule_enabled(&context, &principal, id, true).await?.into()))
}

#[utoipa::path(post, path = "/v1/detection-rules/{id}/disable", tag = "detection-rules",
    params(("id" = DetectionRuleId, Path, description = "Rule id")),
    responses(
        (status = 200, description = "The rule, disabled", body = RuleItem),
        (status = 404, description = "NOT_FOUND: no such rule in this tenant"),
    ))]
pub async fn disable(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<DetectionRuleId>,
) -> Result<Json<RuleItem>, ApiError> {
    Ok(Json(alerts.set_rule_enabled(&context, &principal, id, false).await?.into()))
}
