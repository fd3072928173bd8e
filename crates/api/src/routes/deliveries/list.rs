//! `GET /v1/deliveries`: the tenant's deliveries, newest first, filtered by status, channel and
//! event.

use super::DeliveryItem;
use crate::auth::Auth;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, Page, PageParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use notify::model::DeliveryStatus;
use notify::store::deliveries::{DeliveryCursor, DeliveryFilter};
use serde::Deserialize;
use utoipa::IntoParams;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveriesQuery {
    /// `pending`, `delivering`, `delivered`, `failed` or `dead`.
    pub status: Option<String>,
    pub channel_id: Option<String>,
    pub event_id: Option<String>,
    /// 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn bad(detail: &str) -> ApiError {
    ApiError::new(ErrorCode::INVALID_QUERY, detail)
}

fn uuid(text: Option<&str>, name: &str) -> Result<Option<uuid::Uuid>, ApiError> {
    text.map(uuid::Uuid::parse_str).transpose().map_err(|_| bad(&format!("{name} is not a UUID")))
}

/// `<microseconds since the epoch>_<id>` of the previous page's last delivery.
fn cursor(text: Option<&str>) -> Result<DeliveryCursor, ApiError> {
    let Some(text) = text else { return Ok(None) };
    let parsed = text.split_once('_').and_then(|(micros, id)| {
        let at = DateTime::<Utc>::from_timestamp_micros(micros.parse().ok()?)?;
        Some((at, uuid::Uuid::parse_str(id).ok()?))
    });
    parsed.map(Some).ok_or_else(|| bad("cursor is not a cursor of this list"))
}

#[utoipa::path(get, path = "/v1/deliveries", tag = "deliveries", params(DeliveriesQuery),
    responses(
        (status = 200, description = "A page of deliveries, newest first", body = Page<DeliveryItem>),
        (status = 400, description = "INVALID_QUERY: a bad filter or cursor", body = crate::error::Problem),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiQuery(query): ApiQuery<DeliveriesQuery>,
) -> Result<Json<Page<DeliveryItem>>, ApiError> {
    let limit = PageParams { limit: query.limit, cursor: None }.limit()?;
    let status = query
        .status
        .as_deref()
        .map(|s| DeliveryStatus::parse(s).ok_or(()))
        .transpose()
        .map_err(|_| bad("status must be pending, delivering, delivered, failed or dead"))?;
    let filter = DeliveryFilter {
        status,
        channel_id: uuid(query.channel_id.as_deref(), "channel_id")?,
        event_id: uuid(query.event_id.as_deref(), "event_id")?,
    };
    let after = cursor(query.cursor.as_deref())?;
    let (rows, next) = state.notify.list_deliveries(&principal, &filter, after, limit).await?;
    Ok(Json(Page {
        items: rows.into_iter().map(DeliveryItem::from).collect(),
        next_cursor: next.map(|(at, id)| format!("{}_{id}", at.timestamp_micros())),
    }))
}
