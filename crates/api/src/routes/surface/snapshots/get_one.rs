//! `GET /v1/snapshots/{id}`: one snapshot with its canonical document.

use super::{SnapshotDetail, SnapshotItem};
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;
use surface::Surface;
use surface::model::SnapshotId;

#[utoipa::path(get, path = "/v1/snapshots/{id}", tag = "snapshots",
    params(("id" = SnapshotId, Path, description = "Snapshot id")),
    responses(
        (status = 200, description = "The snapshot and its document", body = SnapshotDetail),
        (status = 404, description = "NOT_FOUND: no such snapshot in this tenant"),
    ))]
pub async fn get_one(
    State(surface): State<Surface>,
    Auth(principal): Auth,
    IdPath(id): IdPath<SnapshotId>,
) -> Result<Json<SnapshotDetail>, ApiError> {
    let mut record = surface.snapshot(&principal, id).await?;
    let document = std::mem::take(&mut record.document);
    Ok(Json(SnapshotDetail { snapshot: SnapshotItem::from(record), document }))
}
