//! `POST /v1/diffscan/policies`: creates a policy and answers 201.

use super::{PolicyItem, PolicyRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;

#[utoipa::path(post, path = "/v1/diffscan/policies", tag = "diffscan", request_body = PolicyRequest,
    responses(
        (status = 201, description = "Created", body = PolicyItem),
        (status = 409, description = "CONFLICT: the name is taken, or the tenant has 100 policies"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_POLICY, UNKNOWN_RULE, REQUIRED, INVALID_NAME"),
    ))]
pub async fn create(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<PolicyRequest>,
) -> Result<(StatusCode, Json<PolicyItem>), ApiError> {
    let policy = diffscan.create_policy(&context, &principal, &request.into()).await?;
    Ok((StatusCode::CREATED, Json(policy.into())))
}
