//! `POST /v1/tenants/{id}/restore`: makes a suspended tenant active again. Idempotent. Only maps
//! HTTP to `Identity::restore_tenant`.

use super::TenantResponse;
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use platform::TenantId;

#[utoipa::path(post, path = "/v1/tenants/{id}/restore", tag = "tenants",
    params(("id" = uuid::Uuid, Path, description = "The tenant's id")),
    responses(
        (status = 200, description = "The active tenant", body = TenantResponse),
        (status = 401, description = "UNAUTHENTICATED", body = crate::error::Problem),
        (status = 403, description = "FORBIDDEN", body = crate::error::Problem),
        (status = 404, description = "NOT_FOUND", body = crate::error::Problem),
    ))]
pub async fn restore(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<TenantId>,
) -> Result<Json<TenantResponse>, ApiError> {
    let tenant = state.identity.restore_tenant(&context, &principal, id).await?;
    Ok(Json(tenant.into()))
}
