//! `DELETE /v1/correlation-rules/{id}`: deletes a rule with its groups (the alerts stay).

use alerts::Alerts;
use alerts::model::CorrelationRuleId;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(delete, path = "/v1/correlation-rules/{id}", tag = "correlation",
    params(("id" = CorrelationRuleId, Path, description = "Correlation rule id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND: no such rule in this tenant"),
    ))]
pub async fn delete(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<CorrelationRuleId>,
) -> Result<StatusCode, ApiError> {
    alerts.delete_correlation_rule(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
