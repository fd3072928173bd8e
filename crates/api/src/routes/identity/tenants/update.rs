//! `PATCH /v1/tenants/{id}`: changes a tenant's name, slug or settings. Parsing and the rules
//! live in `Identity::update_tenant`; this handler only maps HTTP to it.

use super::TenantResponse;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use edge::extract::IdPath;
use identity::Identity;
use identity::service::tenants::TenantChanges;
use platform::TenantId;
use serde::Deserialize;
use utoipa::ToSchema;

/// The fields to change; absent fields stay as they are.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTenantRequest {
    pub name: Option<String>,
    pub slug: Option<String>,
    /// Replaces the whole settings object; at most 16 KiB as JSON.
    #[schema(value_type = Option<Object>)]
    pub settings: Option<serde_json::Value>,
}

#[utoipa::path(patch, path = "/v1/tenants/{id}", tag = "tenants", request_body = UpdateTenantRequest,
    params(("id" = TenantId, Path, description = "The tenant's id")),
    responses(
        (status = 200, description = "The updated tenant", body = TenantResponse),
        (status = 401, description = "UNAUTHENTICATED"),
        (status = 403, description = "FORBIDDEN"),
        (status = 404, description = "NOT_FOUND"),
        (status = 409, description = "SLUG_TAKEN"),
        (status = 422, description = "VALIDATION_FAILED (name, slug, settings)"),
    ))]
pub async fn update(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<TenantId>,
    ApiJson(request): ApiJson<UpdateTenantRequest>,
) -> Result<Json<TenantResponse>, ApiError> {
    let changes =
        TenantChanges { name: request.name, slug: request.slug, settings: request.settings };
    let tenant = identity.update_tenant(&context, &principal, id, changes).await?;
    Ok(Json(tenant.into()))
}
