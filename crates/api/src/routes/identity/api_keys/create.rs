//! `POST /v1/api-keys`: creates an API key limited to `scopes` (no more than the caller's own
//! permissions) and answers 201 with the key, which is never shown again.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use identity::Identity;
use identity::service::api_keys::ApiKeyRequest;
use platform::ApiKeyId;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// 1 to 100 characters.
    pub name: String,
    /// Permission names, at least one, all held by the caller.
    pub scopes: Vec<String>,
    /// RFC 3339, in the future; none: the key does not expire.
    pub expires_at: Option<String>,
}

/// The new key. `key` is shown in this response only; store it now.
#[derive(Serialize, ToSchema)]
pub struct CreatedApiKeyResponse {
    pub id: ApiKeyId,
    pub name: String,
    pub prefix: String,
    pub scopes: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub expires_at: Option<DateTime<Utc>>,
    /// `pal_<prefix>_<secret>`: send as `Authorization: Bearer <key>`.
    pub key: String,
}

#[utoipa::path(post, path = "/v1/api-keys", tag = "api_keys", request_body = CreateApiKeyRequest,
    responses(
        (status = 201, description = "Created; the key is shown this once", body = CreatedApiKeyResponse),
        (status = 403, description = "FORBIDDEN: a scope the caller lacks"),
        (status = 422, description = "VALIDATION_FAILED: name, scopes or expires_at"),
    ))]
pub async fn create(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<CreateApiKeyRequest>,
) -> Result<(StatusCode, Json<CreatedApiKeyResponse>), ApiError> {
    let request = ApiKeyRequest {
        name: &request.name,
        scopes: &request.scopes,
        expires_at: request.expires_at.as_deref(),
    };
    let created = identity.create_api_key(&context, &principal, &request).await?;
    let row = created.row;
    Ok((
        StatusCode::CREATED,
        Json(CreatedApiKeyResponse {
            id: row.id,
            name: row.name,
            prefix: row.prefix,
            scopes: row.scopes,
            created_at: row.created_at,
            expires_at: row.expires_at,
            key: created.key.expose().clone(),
        }),
    ))
}
