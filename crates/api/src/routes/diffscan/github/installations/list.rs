//! `GET /v1/diffscan/github/installations`: the tenant's installations, newest first.

use super::InstallationItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{PageParams, Paging};
use platform::Page;

#[utoipa::path(get, path = "/v1/diffscan/github/installations", tag = "diffscan", params(PageParams),
    responses((status = 200, description = "A page of installations", body = Page<InstallationItem>)))]
pub async fn list(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Paging(page): Paging,
) -> Result<Json<Page<InstallationItem>>, ApiError> {
    Ok(Json(diffscan.list_installations(&principal, &page).await?.map(InstallationItem::from)))
}
