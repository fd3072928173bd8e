//! `POST /v1/tenants/{id}/suspend`: suspends a tenant (its users cannot log in, its tokens and
//! API keys stop working). Idempotent. Only maps HTTP to `Identity::suspend_tenant`.

use super::TenantResponse;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use identity::Identity;
use platform::TenantId;

#[utoipa::path(post, path = "/v1/tenants/{id}/suspend", tag = "tenants",
    params(("id" = TenantId, Path, description = "The tenant's id")),
    responses(
        (status = 200, description = "The suspended tenant", body = TenantResponse),
        (status = 401, description = "UNAUTHENTICATED"),
        (status = 403, description = "FORBIDDEN (also: the tenant you are logged in to)"),
        (status = 404, description = "NOT_FOUND"),
    ))]
pub async fn suspend(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<TenantId>,
) -> Result<Json<TenantResponse>, ApiError> {
    let tenant = identity.suspend_tenant(&context, &principal, id).await?;
    Ok(Json(tenant.into()))
}
