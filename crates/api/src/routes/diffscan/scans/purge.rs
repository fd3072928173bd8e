//! `DELETE /v1/diffscans/{id}/diff`: purges a scan's raw diff now (a secret was pasted, say).
//! The scan, its findings and its signed result stay; the scan records the deletion marker.

use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use diffscan::model::ScanId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(delete, path = "/v1/diffscans/{id}/diff", tag = "diffscan",
    params(("id" = ScanId, Path, description = "Scan id")),
    responses(
        (status = 204, description = "Purged (or already purged)"),
        (status = 404, description = "NOT_FOUND: no such scan in this tenant"),
    ))]
pub async fn purge(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<ScanId>,
) -> Result<StatusCode, ApiError> {
    diffscan.purge_diff(&context, &principal, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
