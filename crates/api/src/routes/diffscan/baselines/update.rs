//! `PATCH /v1/diffscan/baselines/{id}`: renames a baseline, adds entries (given, or a scan's
//! open findings) and removes fingerprints.

use super::{BaselineItem, BaselineRequest};
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::BaselineId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(patch, path = "/v1/diffscan/baselines/{id}", tag = "diffscan", request_body = BaselineRequest,
    params(("id" = BaselineId, Path, description = "Baseline id")),
    responses(
        (status = 200, description = "The baseline after the change", body = BaselineItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "CONFLICT: the name is taken or a limit is reached; SCAN_NOT_COMPLETE"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_FINGERPRINT, TOO_MANY, UNKNOWN_REFERENCE"),
    ))]
pub async fn update(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<BaselineId>,
    ApiJson(request): ApiJson<BaselineRequest>,
) -> Result<Json<BaselineItem>, ApiError> {
    Ok(Json(diffscan.update_baseline(&context, &principal, id, &request.into()).await?.into()))
}
