//! `POST /v1/channels/{id}/test`: records a `notify.test` event for this channel only and queues
//! its delivery, which the relay sends like any other (watch it with `GET /v1/deliveries`).

use super::ChannelId;
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

/// The queued test.
#[derive(Serialize, ToSchema)]
pub struct TestQueued {
    pub event_id: uuid::Uuid,
    pub delivery_id: uuid::Uuid,
    /// Always `pending`: the relay sends it shortly.
    pub status: String,
}

#[utoipa::path(post, path = "/v1/channels/{id}/test", tag = "channels",
    params(("id" = uuid::Uuid, Path, description = "Channel id")),
    responses(
        (status = 202, description = "The test event is queued for delivery", body = TestQueued),
        (status = 404, description = "NOT_FOUND: no such channel in this tenant", body = crate::error::Problem),
        (status = 409, description = "CONFLICT: the channel is disabled", body = crate::error::Problem),
    ))]
pub async fn test(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(ChannelId(id)): IdPath<ChannelId>,
) -> Result<(StatusCode, Json<TestQueued>), ApiError> {
    let sent = state.notify.test_channel(&context, &principal, id).await?;
    Ok((
        StatusCode::ACCEPTED,
        Json(TestQueued {
            event_id: sent.event_id,
            delivery_id: sent.delivery_id,
            status: "pending".into(),
        }),
    ))
}
