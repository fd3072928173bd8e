//! `POST /v1/deliveries/{id}/retry`: sends a dead or failed delivery again, with a fresh set of
//! attempts (audited as `delivery.retry`).

use super::{DeliveryId, DeliveryItem};
use crate::auth::{Auth, Context};
use crate::error::ApiError;
use crate::extract::IdPath;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;

#[utoipa::path(post, path = "/v1/deliveries/{id}/retry", tag = "deliveries",
    params(("id" = uuid::Uuid, Path, description = "Delivery id")),
    responses(
        (status = 202, description = "Queued again: status pending, attempts 0", body = DeliveryItem),
        (status = 404, description = "NOT_FOUND: no such delivery in this tenant", body = crate::error::Problem),
        (status = 409, description = "CONFLICT: only a dead or failed delivery can be retried", body = crate::error::Problem),
    ))]
pub async fn retry(
    State(state): State<AppState>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(DeliveryId(id)): IdPath<DeliveryId>,
) -> Result<(StatusCode, Json<DeliveryItem>), ApiError> {
    let row = state.notify.retry_delivery(&context, &principal, id).await?;
    Ok((StatusCode::ACCEPTED, Json(row.into())))
}
