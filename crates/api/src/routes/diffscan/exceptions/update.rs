//! `PATCH /v1/diffscan/exceptions/{id}`: changes an exception (extend it, narrow its path,
//! restate its reason); every field is checked again.

use super::{ExceptionItem, ExceptionRequest};
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::ExceptionId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(patch, path = "/v1/diffscan/exceptions/{id}", tag = "diffscan", request_body = ExceptionRequest,
    params(("id" = ExceptionId, Path, description = "Exception id")),
    responses(
        (status = 200, description = "The exception after the change", body = ExceptionItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 422, description = "VALIDATION_FAILED: as on creation"),
    ))]
pub async fn update(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<ExceptionId>,
    ApiJson(request): ApiJson<ExceptionRequest>,
) -> Result<Json<ExceptionItem>, ApiError> {
    Ok(Json(diffscan.update_exception(&context, &principal, id, &request.into()).await?.into()))
}
