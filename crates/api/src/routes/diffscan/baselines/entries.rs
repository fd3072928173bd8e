//! `GET /v1/diffscan/baselines/{id}/entries`: a baseline's accepted findings, by fingerprint.

use super::EntryItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::BaselineId;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{IdPath, PageParams, Paging};
use platform::Page;

#[utoipa::path(get, path = "/v1/diffscan/baselines/{id}/entries", tag = "diffscan",
    params(("id" = BaselineId, Path, description = "Baseline id"), PageParams),
    responses(
        (status = 200, description = "A page of entries", body = Page<EntryItem>),
        (status = 404, description = "NOT_FOUND: no such baseline in this tenant"),
    ))]
pub async fn entries(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    IdPath(id): IdPath<BaselineId>,
    Paging(page): Paging,
) -> Result<Json<Page<EntryItem>>, ApiError> {
    Ok(Json(diffscan.baseline_entries(&principal, id, &page).await?.map(EntryItem::from)))
}
