//! `GET /v1/diffscans/{id}/artifact`: the signed result of a finished scan, a DSSE envelope of
//! an in-toto Statement v1 whose predicate is the report. Verify it offline with
//! `palisade diffscan verify-artifact FILE` and the key of `GET /v1/diffscan/signing-keys`.

use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use diffscan::Diffscan;
use diffscan::model::ScanId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;

#[utoipa::path(get, path = "/v1/diffscans/{id}/artifact", tag = "diffscan",
    params(("id" = ScanId, Path, description = "Scan id")),
    responses(
        (status = 200, description = "The DSSE envelope: {payload, payloadType, signatures}", body = Object, content_type = "application/json"),
        (status = 404, description = "NOT_FOUND: no such scan in this tenant"),
        (status = 409, description = "SCAN_NOT_COMPLETE: queued, running, or failed without a result"),
    ))]
pub async fn artifact(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<ScanId>,
) -> Result<impl IntoResponse, ApiError> {
    let envelope = diffscan.artifact(&principal, id).await?;
    let disposition = format!("attachment; filename=\"diffscan-{id}.dsse.json\"");
    Ok((
        [
            (header::CONTENT_TYPE, "application/json".to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        envelope,
    ))
}
