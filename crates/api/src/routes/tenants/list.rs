//! `GET /v1/tenants`: every tenant, oldest first, keyset-paginated by id, optionally filtered by
//! status. Only maps the query to `Identity::list_tenants` and the result to a page.

use super::TenantResponse;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, Page, PageParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use identity::service::tenants::TenantStatus;
use platform::TenantId;
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
pub struct ListTenantsQuery {
    /// How many items to return, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// Only tenants with this status.
    pub status: Option<StatusFilter>,
}

#[utoipa::path(get, path = "/v1/tenants", tag = "tenants", params(ListTenantsQuery),
    responses(
        (status = 200, description = "One page of tenants", body = Page<TenantResponse>),
        (status = 400, description = "INVALID_QUERY", body = crate::error::Problem),
        (status = 401, description = "UNAUTHENTICATED", body = crate::error::Problem),
        (status = 403, description = "FORBIDDEN", body = crate::error::Problem),
        (status = 422, description = "VALIDATION_FAILED (limit)", body = crate::error::Problem),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiQuery(query): ApiQuery<ListTenantsQuery>,
) -> Result<Json<Page<TenantResponse>>, ApiError> {
    let limit = PageParams { limit: query.limit, cursor: None }.limit()?;
    let after = query.cursor.as_deref().map(TenantId::parse).transpose().map_err(|_| {
        ApiError::new(ErrorCode::INVALID_QUERY, "cursor is not a cursor of this list")
    })?;
    let status = query.status.map(|s| match s {
        StatusFilter::Active => TenantStatus::Active,
        StatusFilter::Suspended => TenantStatus::Suspended,
    });
    let page = state.identity.list_tenants(&principal, status, after, limit).await?;
    Ok(Json(Page {
        items: page.items.into_iter().map(TenantResponse::from).collect(),
        next_cursor: page.next.map(|id| id.to_string()),
    }))
}
