//! `GET /v1/alert-sources`: the tenant's ingest sources, newest first (never their credentials).

use super::SourceItem;
use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{PageParams, Paging};
use platform::Page;

#[utoipa::path(get, path = "/v1/alert-sources", tag = "alert-sources", params(PageParams),
    responses((status = 200, description = "A page of sources", body = Page<SourceItem>)))]
pub async fn list(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Paging(page): Paging,
) -> Result<Json<Page<SourceItem>>, ApiError> {
    Ok(Json(alerts.list_sources(&principal, &page).await?.map(SourceItem::from)))
}
