//! `GET /v1/correlation-rules/{id}`: one correlation rule.

use super::CorrelationRuleItem;
use alerts::Alerts;
use alerts::model::CorrelationRuleId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/correlation-rules/{id}", tag = "correlation",
    params(("id" = CorrelationRuleId, Path, description = "Correlation rule id")),
    responses(
        (status = 200, description = "The rule", body = CorrelationRuleItem),
        (status = 404, description = "NOT_FOUND: no such rule in this tenant"),
    ))]
pub async fn get_one(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    IdPath(id): IdPath<CorrelationRuleId>,
) -> Result<Json<CorrelationRuleItem>, ApiError> {
    Ok(Json(alerts.correlation_rule(&principal, id).await?.into()))
}
