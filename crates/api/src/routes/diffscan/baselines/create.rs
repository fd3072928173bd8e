//! `POST /v1/diffscan/baselines`: creates a baseline (optionally filled) and answers 201.

use super::{BaselineItem, BaselineRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;

#[utoipa::path(post, path = "/v1/diffscan/baselines", tag = "diffscan", request_body = BaselineRequest,
    responses(
        (status = 201, description = "Created", body = BaselineItem),
        (status = 409, description = "CONFLICT: the name is taken or a limit is reached; SCAN_NOT_COMPLETE: add_from_scan names a scan without findings yet"),
        (status = 422, description = "VALIDATION_FAILED: REQUIRED, INVALID_FINGERPRINT, TOO_MANY, UNKNOWN_REFERENCE (add_from_scan)"),
    ))]
pub async fn create(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<BaselineRequest>,
) -> Result<(StatusCode, Json<BaselineItem>), ApiError> {
    let baseline = diffscan.create_baseline(&context, &principal, &request.into()).await?;
    Ok((StatusCode::CREATED, Json(baseline.into())))
}
