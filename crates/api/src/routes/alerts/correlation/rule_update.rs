//! `PATCH /v1/correlation-rules/{id}`: changes a correlation rule (its open groups keep
//! growing under the new settings).

use super::{CorrelationRuleItem, CorrelationRuleRequest};
use alerts::Alerts;
use alerts::model::CorrelationRuleId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(patch, path = "/v1/correlation-rules/{id}", tag = "correlation", request_body = CorrelationRuleRequest,
    params(("id" = CorrelationRuleId, Path, description = "Correlation rule id")),
    responses(
        (status = 200, description = "The rule", body = CorrelationRuleItem),
        (status = 404, description = "NOT_FOUND: no such rule in this tenant"),
        (status = 409, description = "CONFLICT: the name is taken"),
    ))]
pub async fn update(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<CorrelationRuleId>,
    ApiJson(request): ApiJson<CorrelationRuleRequest>,
) -> Result<Json<CorrelationRuleItem>, ApiError> {
    Ok(Json(
        alerts.update_correlation_rule(&context, &principal, id, &request.into()).await?.into(),
    ))
}
