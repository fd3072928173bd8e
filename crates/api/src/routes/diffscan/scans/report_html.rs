//! `GET /v1/diffscans/{id}/report.html`: a finished scan's result as one self-contained page
//! (inline style only; no script, no external resource, and a CSP that forbids both).

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use diffscan::Diffscan;
use diffscan::model::ScanId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

/// The page's policy: nothing may load, only its own inline style applies.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

#[utoipa::path(get, path = "/v1/diffscans/{id}/report.html", tag = "diffscan",
    params(("id" = ScanId, Path, description = "Scan id")),
    responses(
        (status = 200, description = "The result as HTML", body = String, content_type = "text/html"),
        (status = 404, description = "NOT_FOUND: no such scan in this tenant"),
        (status = 409, description = "SCAN_NOT_COMPLETE: queued, running, or failed without a result"),
    ))]
pub async fn report_html(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<ScanId>,
) -> Result<impl IntoResponse, ApiError> {
    let page = diffscan.report_html(&principal, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
        ],
        page,
    ))
}
