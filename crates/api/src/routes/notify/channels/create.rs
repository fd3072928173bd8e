//! `POST /v1/channels`: creates a channel and answers 201. A webhook's signing secret
//! (`whsec_…`) is in this response only; store it now.

use super::{ChannelItem, ChannelRequest};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use notify::Notify;
use serde::Serialize;
use utoipa::ToSchema;

/// The new channel, and for a webhook its signing secret, shown this once.
#[derive(Serialize, ToSchema)]
pub struct CreatedChannelResponse {
    #[serde(flatten)]
    pub channel: ChannelItem,
    /// webhook only: `whsec_` + base64 of 24 random bytes, the Standard Webhooks signing key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

#[utoipa::path(post, path = "/v1/channels", tag = "channels", request_body = ChannelRequest,
    responses(
        (status = 201, description = "Created; a webhook's secret is shown this once", body = CreatedChannelResponse),
        (status = 409, description = "CONFLICT: the name is taken, or the tenant has 100 channels"),
        (status = 422, description = "VALIDATION_FAILED: e.g. URL_NOT_ALLOWED (the SSRF guard refused the address), INVALID_URL, REQUIRED, NOT_APPLICABLE"),
    ))]
pub async fn create(
    State(notify): State<Notify>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<ChannelRequest>,
) -> Result<(StatusCode, Json<CreatedChannelResponse>), ApiError> {
    let input = request.into_input()?;
    let created = notify.create_channel(&context, &principal, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedChannelResponse {
            channel: created.channel.into(),
            secret: created.secret.map(|s| s.expose().clone()),
        }),
    ))
}
