//! `GET /v1/diffscan/rule-packs`: the tenant's packs (without their sources), newest first.

use super::RulePackItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{PageParams, Paging};
use platform::Page;

#[utoipa::path(get, path = "/v1/diffscan/rule-packs", tag = "diffscan", params(PageParams),
    responses((status = 200, description = "A page of rule packs", body = Page<RulePackItem>)))]
pub async fn list(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Paging(page): Paging,
) -> Result<Json<Page<RulePackItem>>, ApiError> {
    Ok(Json(diffscan.list_rule_packs(&principal, &page).await?.map(RulePackItem::from)))
}
