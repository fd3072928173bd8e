//! `POST /v1/diffscan/github/deliveries/{id}/replay`: processes a stored delivery again (after
//! fixing a repository's configuration, say); answers 202.

use axum::extract::State;
use axum::http::StatusCode;
use diffscan::Diffscan;
use diffscan::model::WebhookDeliveryId;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;

#[utoipa::path(post, path = "/v1/diffscan/github/deliveries/{id}/replay", tag = "diffscan",
    params(("id" = WebhookDeliveryId, Path, description = "Delivery id")),
    responses(
        (status = 202, description = "Queued again"),
        (status = 404, description = "NOT_FOUND: no such delivery in this tenant"),
        (status = 409, description = "CONFLICT: retention removed its body"),
    ))]
pub async fn replay(
    State(diffscan): State<Diffscan>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<WebhookDeliveryId>,
) -> Result<StatusCode, ApiError> {
    diffscan.replay_delivery(&context, &principal, id).await?;
    Ok(StatusCode::ACCEPTED)
}
