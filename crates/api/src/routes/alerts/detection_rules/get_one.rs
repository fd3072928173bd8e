//! `GET /v1/detection-rules/{id}`: one rule with its YAML and exceptions.

use super::RuleItem;
use alerts::Alerts;
use alerts::model::DetectionRuleId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/detection-rules/{id}", tag = "detection-rules",
    params(("id" = DetectionRuleId, Path, description = "Rule id")),
    responses(
        (status = 200, description = "The rule", body = RuleItem),
        (status = 404, description = "NOT_FOUND: no such rule in this tenant"),
    ))]
pub async fn get_one(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    IdPath(id): IdPath<DetectionRuleId>,
) -> Result<Json<RuleItem>, ApiError> {
    Ok(Json(alerts.rule(&principal, id).await?.into()))
}
