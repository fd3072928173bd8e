//! `POST /v1/tenants/{id}/restore`: makes a suspended tenant active again. Idempotent. Only maps
//! HTTP to `Identity::restore_tenant`.

use super::TenantResponse;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use identity::Identity;
use platform::TenantId;

#[utoipa::path(post, path = "/v1/tenants/{id}/restore", tag = "tenants",
    params(("id" = TenantId, Path, description = "The tenant's id")),
    responses(
        (status = 200, description = "The active tenant", body = TenantResponse),
        (status = 401, description = "UNAUTHENTICATED"),
        (status = 403, description = "FORBIDDEN"),
        (status = 404, description = "NOT_FOUND"),
    ))]
pub async fn restore(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<TenantId>,
) -> Result<Json<TenantResponse>, ApiError> {
    let tenant = identity.restore_tenant(&context, &principal, id).await?;
    Ok(Json(tenant.into()))
}
