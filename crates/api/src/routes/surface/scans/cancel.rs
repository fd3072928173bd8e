//! `POST /v1/scans/{id}/cancel`: cancels a queued scan at once and a running one within about a
//! second (no snapshot is kept of it).

use super::ScanItem;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use surface::Surface;
use surface::model::ScanId;

#[utoipa::path(post, path = "/v1/scans/{id}/cancel", tag = "scans",
    params(("id" = ScanId, Path, description = "Scan id")),
    responses(
        (status = 202, description = "Cancelled (queued) or being cancelled (running)", body = ScanItem),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "SCAN_FINISHED: the scan already ended"),
    ))]
pub async fn cancel(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<ScanId>,
) -> Result<(StatusCode, Json<ScanItem>), ApiError> {
    let scan = surface.cancel_scan(&context, &principal, id).await?;
    Ok((StatusCode::ACCEPTED, Json(scan.into())))
}
