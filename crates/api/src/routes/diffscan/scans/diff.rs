//! `GET /v1/diffscans/{id}/diff`: the raw diff a scan read, while retention keeps it (410
//! DIFF_PURGED after). Needs `DIFFSCAN_RUN`: unlike the report, it is unredacted.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use diffscan::Diffscan;
use diffscan::model::ScanId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscans/{id}/diff", tag = "diffscan",
    params(("id" = ScanId, Path, description = "Scan id")),
    responses(
        (status = 200, description = "The raw diff, as received", body = String, content_type = "text/x-diff"),
        (status = 404, description = "NOT_FOUND: no such scan in this tenant"),
        (status = 409, description = "SCAN_NOT_COMPLETE: a pull request's diff was not fetched yet"),
        (status = 410, description = "DIFF_PURGED: retention or a request removed it"),
    ))]
pub async fn diff(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<ScanId>,
) -> Result<impl IntoResponse, ApiError> {
    let bytes = diffscan.raw_diff(&principal, id).await?;
    Ok(([(header::CONTENT_TYPE, "text/x-diff")], bytes))
}
