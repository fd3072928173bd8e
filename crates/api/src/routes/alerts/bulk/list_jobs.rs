//! `GET /v1/alerts/bulk-jobs`: the tenant's bulk jobs, newest first.

use super::BulkJobItem;
use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{PageParams, Paging};
use platform::Page;

#[utoipa::path(get, path = "/v1/alerts/bulk-jobs", tag = "alerts", params(PageParams),
    responses((status = 200, description = "A page of bulk jobs", body = Page<BulkJobItem>)))]
pub async fn list_jobs(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Paging(page): Paging,
) -> Result<Json<Page<BulkJobItem>>, ApiError> {
    Ok(Json(alerts.list_bulk_jobs(&principal, &page).await?.map(BulkJobItem::from)))
}
