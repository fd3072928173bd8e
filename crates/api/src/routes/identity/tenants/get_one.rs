//! `GET /v1/tenants/{id}`: one tenant. Only maps the path to `Identity::get_tenant`.

use super::TenantResponse;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::IdPath;
use identity::Identity;
use platform::TenantId;

#[utoipa::path(get, path = "/v1/tenants/{id}", tag = "tenants",
    params(("id" = TenantId, Path, description = "The tenant's id")),
    responses(
        (status = 200, description = "The tenant", body = TenantResponse),
        (status = 401, description = "UNAUTHENTICATED"),
        (status = 403, description = "FORBIDDEN"),
        (status = 404, description = "NOT_FOUND"),
    ))]
pub async fn get_one(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    IdPath(id): IdPath<TenantId>,
) -> Result<Json<TenantResponse>, ApiError> {
    let tenant = identity.get_tenant(&principal, id).await?;
    Ok(Json(tenant.into()))
}
