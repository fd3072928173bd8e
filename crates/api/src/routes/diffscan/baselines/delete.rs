//! `DELETE /v1/diffscan/baselines/{id}`: deletes a baseline and its entries.

use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use diffscan::model::BaselineId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(delete, path = "/v1/diffscan/baselines/{id}", tag = "diffscan",
    params(("id" = BaselineId, Path, description = "Baseline id")),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "NOT_FOUND: no such baseline in this tenant"),
    ))]
pub async fn delete(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<BaselineId>,
) -> Result<StatusCode, ApiError> {
    diffscan.delete_baseline(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
