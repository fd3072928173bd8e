//! `POST /v1/alerts/{id}/reopen`: `closed` → `acknowledged`; the disposition is cleared.

use super::CommentRequest;
use crate::routes::alerts::queue::AlertDetail;
use alerts::Alerts;
use alerts::model::AlertId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};

#[utoipa::path(post, path = "/v1/alerts/{id}/reopen", tag = "alerts", request_body = CommentRequest,
    params(("id" = AlertId, Path, description = "Alert id")),
    responses(
        (status = 200, description = "The alert as it now is", body = AlertDetail),
        (status = 404, description = "NOT_FOUND: no such alert in this tenant"),
        (status = 409, description = "ALERT_TRANSITION_NOT_ALLOWED: the alert is open; CONFLICT: another open alert folds its repeats"),
    ))]
pub async fn reopen(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AlertId>,
    ApiJson(request): ApiJson<CommentRequest>,
) -> Result<Json<AlertDetail>, ApiError> {
    let alert = alerts.reopen(&context, &principal, id, request.comment.as_deref()).await?;
    Ok(Json(alert.into()))
}
