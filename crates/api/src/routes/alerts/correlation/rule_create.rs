//! `POST /v1/correlation-rules`: adds a correlation rule; it groups the alerts created from now.

use super::{CorrelationRuleItem, CorrelationRuleRequest};
use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;

#[utoipa::path(post, path = "/v1/correlation-rules", tag = "correlation", request_body = CorrelationRuleRequest,
    responses(
        (status = 201, description = "Created", body = CorrelationRuleItem),
        (status = 409, description = "CONFLICT: the name is taken, or the tenant has 100 rules"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_LINK, OUT_OF_RANGE, INVALID_SEVERITY, REQUIRED"),
    ))]
pub async fn create(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<CorrelationRuleRequest>,
) -> Result<(StatusCode, Json<CorrelationRuleItem>), ApiError> {
    let rule = alerts.create_correlation_rule(&context, &principal, &request.into()).await?;
    Ok((StatusCode::CREATED, Json(rule.into())))
}
