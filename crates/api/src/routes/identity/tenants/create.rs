//! `POST /v1/tenants`: creates a tenant with the default role matrix. Parsing and the rules live
//! in `Identity::create_tenant`; this handler only maps HTTP to it.

use super::TenantResponse;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use identity::Identity;
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
        (status = 401, description = "UNAUTHENTICATED"),
        (status = 403, description = "FORBIDDEN"),
        (status = 409, description = "SLUG_TAKEN"),
        (status = 422, description = "VALIDATION_FAILED (name, slug)"),
    ))]
pub async fn create(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<CreateTenantRequest>,
) -> Result<(StatusCode, Json<TenantResponse>), ApiError> {
    let tenant = identity.create_tenant(&context, &principal, &request.name, &request.slug).await?;
    Ok((StatusCode::CREATED, Json(tenant.into())))
}
