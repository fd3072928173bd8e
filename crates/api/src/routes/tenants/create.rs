//! `POST /v1/tenants`: creates a tenant with the default role matrix. Parsing and the rules live
//! in `Identity::create_tenant`; this handler only maps HTTP to it.

use super::TenantResponse;
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::ApiJson;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTenantRequest {
    /// 1 to 200 characters.
    pub name: String,
    /// 1 to 63 lowercase letters, digits and dashes, not starting with a dash; unique.
    pub slug: String,
}

#[utoipa::path(post, path = "/v1/tenants", tag = "tenants", request_body = CreateTenantRequest,
    responses(
        (status = 201, description = "The created tenant", body = TenantResponse),
        (status = 401, description = "UNAUTHENTICATED", body = crate::error::Problem),
        (status = 403, description = "FORBIDDEN", body = crate::error::Problem),
        (status = 409, description = "SLUG_TAKEN", body = crate::error::Problem),
        (status = 422, description = "VALIDATION_FAILED (name, slug)", body = crate::error::Problem),
    ))]
pub async fn create(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<CreateTenantRequest>,
) -> Result<(StatusCode, Json<TenantResponse>), ApiError> {
    let tenant =
        state.identity.create_tenant(&context, &principal, &request.name, &request.slug).await?;
    Ok((StatusCode::CREATED, Json(tenant.into())))
}
