//! `DELETE /v1/diffscan/exceptions/{id}`: deletes an exception.

use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use diffscan::model::ExceptionId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(delete, path = "/v1/diffscan/exceptions/{id}", tag = "diffscan",
    params(("id" = ExceptionId, Path, description = "Exception id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND: no such exception in this tenant"),
    ))]
pub async fn delete(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<ExceptionId>,
) -> Result<StatusCode, ApiError> {
    diffscan.delete_exception(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
