//! `GET /v1/diffscan/baselines`: the tenant's baselines, newest first.

use super::BaselineItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{PageParams, Paging};
use platform::Page;

#[utoipa::path(get, path = "/v1/diffscan/baselines", tag = "diffscan", params(PageParams),
    responses((status = 200, description = "A page of baselines", body = Page<BaselineItem>)))]
pub async fn list(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Paging(page): Paging,
) -> Result<Json<Page<BaselineItem>>, ApiError> {
    Ok(Json(diffscan.list_baselines(&principal, &page).await?.map(BaselineItem::from)))
}
