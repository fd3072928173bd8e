//! `POST /v1/channels/{id}/test`: records a `notify.test` event for this channel only and queues
//! its delivery, which the relay sends like any other (watch it with `GET /v1/deliveries`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::IdPath;
use notify::Notify;
use platform::{ChannelId, DeliveryId, EventId};
use serde::Serialize;
use utoipa::ToSchema;

/// The queued test.
#[derive(Serialize, ToSchema)]
pub struct TestQueued {
    pub event_id: EventId,
    pub delivery_id: DeliveryId,
    /// Always `pending`: the relay sends it shortly.
    pub status: String,
}

#[utoipa::path(post, path = "/v1/channels/{id}/test", tag = "channels",
    params(("id" = ChannelId, Path, description = "Channel id")),
    responses(
        (status = 202, description = "The test event is queued for delivery", body = TestQueued),
        (status = 404, description = "NOT_FOUND: no such channel in this tenant"),
        (status = 409, description = "CONFLICT: the channel is disabled"),
    ))]
pub async fn test(
    State(notify): State<Notify>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<ChannelId>,
) -> Result<(StatusCode, Json<TestQueued>), ApiError> {
    let sent = notify.test_channel(&context, &principal, id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(TestQueued {
            event_id: sent.event_id,
            delivery_id: sent.delivery_id,
            status: "pending".into(),
        }),
    ))
}
