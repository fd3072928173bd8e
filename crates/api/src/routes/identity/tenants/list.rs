//! `GET /v1/tenants`: every tenant, oldest first, optionally filtered by status. Only maps the
//! query to `Identity::list_tenants` and the result to a page.

use super::TenantResponse;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use identity::Identity;
use platform::Page;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

/// Which tenants to list.
#[derive(Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum StatusFilter {
    Active,
    Suspended,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListTenantsQuery {
    /// Only tenants with this status.
    #[param(inline)]
    pub status: Option<StatusFilter>,
}

#[utoipa::path(get, path = "/v1/tenants", tag = "tenants", params(PageParams, ListTenantsQuery),
    responses((status = 200, description = "One page of tenants", body = Page<TenantResponse>)))]
pub async fn list(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Listing(page, query): Listing<ListTenantsQuery>,
) -> Result<Json<Page<TenantResponse>>, ApiError> {
    let status = query.status.map(|s| match s {
        StatusFilter::Active => "active",
        StatusFilter::Suspended => "suspended",
    });
    let tenants = identity.list_tenants(&principal, status, &page).await?;
    Ok(Json(tenants.map(TenantResponse::from)))
}
