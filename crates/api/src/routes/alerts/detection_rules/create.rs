//! `POST /v1/detection-rules`: adds a Sigma rule; it runs on the next ingested alert.

use super::{RuleItem, RuleRequest};
use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;

#[utoipa::path(post, path = "/v1/detection-rules", tag = "detection-rules", request_body = RuleRequest,
    responses(
        (status = 201, description = "Created", body = RuleItem),
        (status = 409, description = "CONFLICT: a rule with the same id exists, or the tenant has 5,000 rules"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_RULE (the parser's message and line), INVALID_EXCEPTION, TOO_LARGE"),
    ))]
pub async fn create(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<RuleRequest>,
) -> Result<(StatusCode, Json<RuleItem>), ApiError> {
    let rule = alerts.create_rule(&context, &principal, &request.into()).await?;
    Ok((StatusCode::CREATED, Json(rule.into())))
}
