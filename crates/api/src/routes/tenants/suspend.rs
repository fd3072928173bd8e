//! `POST /v1/tenants/{id}/suspend`: suspends a tenant (its users cannot log in, its tokens and
//! API keys stop working). Idempotent. Only maps HTTP to `Identity::suspend_tenant`.

use super::TenantResponse;
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use platform::TenantId;

#[utoipa::path(post, path = "/v1/tenants/{id}/suspend", tag = "tenants",
    params(("id" = uuid::Uuid, Path, description = "The tenant's id")),
    responses(
        (status = 200, description = "The suspended tenant", body = TenantResponse),
        (status = 401, description = "UNAUTHENTICATED", body = crate::error::Problem),
        (status = 403, description = "FORBIDDEN (also: the tenant you are logged in to)", body = crate::error::Problem),
        (status = 404, description = "NOT_FOUND", body = crate::error::Problem),
    ))]
pub async fn suspend(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<TenantId>,
) -> Result<Json<TenantResponse>, ApiError> {
    let tenant = state.identity.suspend_tenant(&context, &principal, id).await?;
    Ok(Json(tenant.into()))
}
