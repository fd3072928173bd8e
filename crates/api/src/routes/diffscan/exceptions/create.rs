//! `POST /v1/diffscan/exceptions`: accepts a rule under a path glob until a day; answers 201.

use super::{ExceptionItem, ExceptionRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;

#[utoipa::path(post, path = "/v1/diffscan/exceptions", tag = "diffscan", request_body = ExceptionRequest,
    responses(
        (status = 201, description = "Created", body = ExceptionItem),
        (status = 409, description = "CONFLICT: the tenant has 1000 exceptions"),
        (status = 422, description = "VALIDATION_FAILED: REQUIRED, INVALID_RULE_SELECTOR, UNKNOWN_RULE, INVALID_PATH_GLOB, INVALID_DATE, NOT_IN_FUTURE, INVALID_TEXT (reason), UNKNOWN_REFERENCE (policy_id)"),
    ))]
pub async fn create(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<ExceptionRequest>,
) -> Result<(StatusCode, Json<ExceptionItem>), ApiError> {
    let exception = diffscan.create_exception(&context, &principal, &request.into()).await?;
    Ok((StatusCode::CREATED, Json(exception.into())))
}
