//! `GET /v1/correlation-rules`: the tenant's correlation rules, newest first.

use super::CorrelationRuleItem;
use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{PageParams, Paging};
use platform::Page;

#[utoipa::path(get, path = "/v1/correlation-rules", tag = "correlation", params(PageParams),
    responses((status = 200, description = "A page of rules", body = Page<CorrelationRuleItem>)))]
pub async fn list(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Paging(page): Paging,
) -> Result<Json<Page<CorrelationRuleItem>>, ApiError> {
    Ok(Json(alerts.list_correlation_rules(&principal, &page).await?.map(CorrelationRuleItem::from)))
}
