//! `GET /v1/detection-rules`: the tenant's rules, newest first.

use super::RuleItem;
use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use platform::Page;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct RulesQuery {
    /// Only enabled (`true`) or disabled (`false`) rules.
    pub enabled: Option<bool>,
}

#[utoipa::path(get, path = "/v1/detection-rules", tag = "detection-rules", params(PageParams, RulesQuery),
    responses((status = 200, description = "A page of rules", body = Page<RuleItem>)))]
pub async fn list(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Listing(page, query): Listing<RulesQuery>,
) -> Result<Json<Page<RuleItem>>, ApiError> {
    Ok(Json(alerts.list_rules(&principal, query.enabled, &page).await?.map(RuleItem::from)))
}
