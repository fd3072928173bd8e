//! `DELETE /v1/detection-rules/{id}`: deletes a rule (the alerts it raised stay).

use alerts::Alerts;
use alerts::model::DetectionRuleId;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(delete, path = "/v1/detection-rules/{id}", tag = "detection-rules",
    params(("id" = DetectionRuleId, Path, description = "Rule id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND: no such rule in this tenant"),
    ))]
pub async fn delete(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<DetectionRuleId>,
) -> Result<StatusCode, ApiError> {
    alerts.delete_rule(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
