//! `PATCH /v1/tenants/{id}`: changes a tenant's name, slug or settings. Parsing and the rules
//! live in `Identity::update_tenant`; this handler only maps HTTP to it.

use super::TenantResponse;
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
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
    params(("id" = uuid::Uuid, Path, description = "The tenant's id")),
    responses(
        (status = 200, description = "The updated tenant", body = TenantResponse),
        (status = 401, description = "UNAUTHENTICATED", body = crate::error::Problem),
        (status = 403, description = "FORBIDDEN", body = crate::error::Problem),
        (status = 404, description = "NOT_FOUND", body = crate::error::Problem),
        (status = 409, description = "SLUG_TAKEN", body = crate::error::Problem),
        (status = 422, description = "VALIDATION_FAILED (name, slug, settings)", body = crate::error::Problem),
    ))]
pub async fn update(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<TenantId>,
    ApiJson(request): ApiJson<UpdateTenantRequest>,
) -> Result<Json<TenantResponse>, ApiError> {
    let changes =
        TenantChanges { name: request.name, slug: request.slug, settings: request.settings };
    let tenant = state.identity.update_tenant(&context, &principal, id, changes).await?;
    Ok(Json(tenant.into()))
}
