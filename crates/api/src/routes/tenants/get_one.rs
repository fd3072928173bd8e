//! `GET /v1/tenants/{id}`: one tenant. Only maps the path to `Identity::get_tenant`.

use super::TenantResponse;
use crate::auth::Auth;
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use platform::TenantId;

#[utoipa::path(get, path = "/v1/tenants/{id}", tag = "tenants",
    params(("id" = uuid::Uuid, Path, description = "The tenant's id")),
    responses(
        (status = 200, description = "The tenant", body = TenantResponse),
        (status = 401, description = "UNAUTHENTICATED", body = crate::error::Problem),
        (status = 403, description = "FORBIDDEN", body = crate::error::Problem),
        (status = 404, description = "NOT_FOUND", body = crate::error::Problem),
    ))]
pub async fn get_one(
    State(state): State<AppState>,
    Auth(principal): Auth,
    IdPath(id): IdPath<TenantId>,
) -> Result<Json<TenantResponse>, ApiError> {
    let tenant = state.identity.get_tenant(&principal, id).await?;
    Ok(Json(tenant.into()))
}
