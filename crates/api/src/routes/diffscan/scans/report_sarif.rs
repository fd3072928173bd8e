//! `GET /v1/diffscans/{id}/report.sarif`: a finished scan's result as SARIF 2.1.0, with
//! `partialFingerprints`, `baselineState` and `suppressions`, for GitHub code scanning and other
//! SARIF consumers.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use diffscan::Diffscan;
use diffscan::model::ScanId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscans/{id}/report.sarif", tag = "diffscan",
    params(("id" = ScanId, Path, description = "Scan id")),
    responses(
        (status = 200, description = "The result as SARIF 2.1.0", body = Object, content_type = "application/sarif+json"),
        (status = 404, description = "NOT_FOUND: no such scan in this tenant"),
        (status = 409, description = "SCAN_NOT_COMPLETE: queued, running, or failed without a result"),
    ))]
pub async fn report_sarif(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<ScanId>,
) -> Result<impl IntoResponse, ApiError> {
    let sarif = diffscan.report_sarif(&principal, id).await?;
    let body = serde_json::to_vec_pretty(&sarif).map_err(|e| ApiError::internal(e.into()))?;
    Ok(([(header::CONTENT_TYPE, "application/sarif+json")], body))
}
