//! `GET /v1/correlation-groups`: the groups correlation formed, the most recently grown first.

use super::CorrelationGroupItem;
use alerts::Alerts;
use alerts::model::CorrelationRuleId;
use alerts::service::correlation::GroupFilter;
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
pub struct GroupsQuery {
    /// Only the groups of this correlation rule.
    pub rule_id: Option<CorrelationRuleId>,
    /// Only the groups that became incident candidates.
    pub candidates: Option<bool>,
}

#[utoipa::path(get, path = "/v1/correlation-groups", tag = "correlation", params(PageParams, GroupsQuery),
    responses((status = 200, description = "A page of groups", body = Page<CorrelationGroupItem>)))]
pub async fn list(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Listing(page, query): Listing<GroupsQuery>,
) -> Result<Json<Page<CorrelationGroupItem>>, ApiError> {
    let filter =
        GroupFilter { rule_id: query.rule_id, candidates_only: query.candidates.unwrap_or(false) };
    let groups = alerts.list_correlation_groups(&principal, filter, &page).await?;
    Ok(Json(groups.map(|g| CorrelationGroupItem::new(g, false))))
}
