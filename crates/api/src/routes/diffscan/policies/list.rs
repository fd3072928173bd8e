//! `GET /v1/diffscan/policies`: the tenant's policies, newest first.

use super::PolicyItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{PageParams, Paging};
use platform::Page;

#[utoipa::path(get, path = "/v1/diffscan/policies", tag = "diffscan", params(PageParams),
    responses((status = 200, description = "A page of policies", body = Page<PolicyItem>)))]
pub async fn list(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Paging(page): Paging,
) -> Result<Json<Page<PolicyItem>>, ApiError> {
    Ok(Json(diffscan.list_policies(&principal, &page).await?.map(PolicyItem::from)))
}
