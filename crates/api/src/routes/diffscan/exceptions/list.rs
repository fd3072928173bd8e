//! `GET /v1/diffscan/exceptions`: the tenant's exceptions, newest first, by policy and by
//! whether they expired.

use super::ExceptionItem;
use axum::Json;
use axum::extract::State;
use diffscan::Diffscan;
use diffscan::model::PolicyId;
use diffscan::service::policies::ExceptionFilter;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use platform::Page;
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExceptionsQuery {
    /// Only the exceptions of this policy.
    pub policy_id: Option<PolicyId>,
    /// true: only expired ones; false: only those in force.
    pub expired: Option<bool>,
}

#[utoipa::path(get, path = "/v1/diffscan/exceptions", tag = "diffscan", params(PageParams, ExceptionsQuery),
    responses((status = 200, description = "A page of exceptions", body = Page<ExceptionItem>)))]
pub async fn list(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Listing(page, query): Listing<ExceptionsQuery>,
) -> Result<Json<Page<ExceptionItem>>, ApiError> {
    let filter = ExceptionFilter { policy_id: query.policy_id, expired: query.expired };
    Ok(Json(diffscan.list_exceptions(&principal, &filter, &page).await?.map(ExceptionItem::from)))
}
