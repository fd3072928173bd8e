//! `POST /v1/alerts/{id}/close`: an open alert → `closed`, with a disposition.

use crate::routes::alerts::queue::AlertDetail;
use alerts::Alerts;
use alerts::model::{AlertId, Disposition};
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};
use platform::{FieldCode, Invalid};
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CloseRequest {
    /// `true_positive`, `false_positive`, `benign`, `duplicate` or `test`.
    pub disposition: String,
    /// At most 4000 characters.
    pub comment: Option<String>,
}

pub fn disposition(text: &str) -> Result<Disposition, ApiError> {
    Disposition::parse(text).ok_or_else(|| {
        Invalid::new(
            "disposition",
            FieldCode::INVALID_DISPOSITION,
            "one of true_positive, false_positive, benign, duplicate, test",
        )
        .into()
    })
}

#[utoipa::path(post, path = "/v1/alerts/{id}/close", tag = "alerts", request_body = CloseRequest,
    params(("id" = AlertId, Path, description = "Alert id")),
    responses(
        (status = 200, description = "The alert as it now is", body = AlertDetail),
        (status = 404, description = "NOT_FOUND: no such alert in this tenant"),
        (status = 409, description = "ALERT_TRANSITION_NOT_ALLOWED: the alert is already closed"),
    ))]
pub async fn close(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AlertId>,
    ApiJson(request): ApiJson<CloseRequest>,
) -> Result<Json<AlertDetail>, ApiError> {
    let disposition = disposition(&request.disposition)?;
    let alert =
        alerts.close(&context, &principal, id, disposition, request.comment.as_deref()).await?;
    Ok(Json(alert.into()))
}
