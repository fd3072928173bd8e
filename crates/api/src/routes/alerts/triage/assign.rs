//! `POST /v1/alerts/{id}/assign`: an open alert to a member of the tenant, or to nobody.

use crate::routes::alerts::queue::AlertDetail;
use alerts::Alerts;
use alerts::model::AlertId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::{ApiJson, IdPath};
use platform::UserId;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRequest {
    /// An active member of the tenant; null or absent unassigns.
    pub assignee_id: Option<UserId>,
    /// At most 4000 characters.
    pub comment: Option<String>,
}

#[utoipa::path(post, path = "/v1/alerts/{id}/assign", tag = "alerts", request_body = AssignRequest,
    params(("id" = AlertId, Path, description = "Alert id")),
    responses(
        (status = 200, description = "The alert as it now is", body = AlertDetail),
        (status = 404, description = "NOT_FOUND: no such alert in this tenant"),
        (status = 409, description = "ALERT_TRANSITION_NOT_ALLOWED: the alert is closed"),
        (status = 422, description = "VALIDATION_FAILED: INVALID_ASSIGNEE (not an active member)"),
    ))]
pub async fn assign(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    IdPath(id): IdPath<AlertId>,
    ApiJson(request): ApiJson<AssignRequest>,
) -> Result<Json<AlertDetail>, ApiError> {
    let alert = alerts
        .assign(&context, &principal, id, request.assignee_id, request.comment.as_deref())
        .await?;
    Ok(Json(alert.into()))
}
