//! `POST /v1/alerts/bulk`: one change to up to 10,000 listed alerts, in one transaction.

use super::ActionRequest;
use alerts::Alerts;
use alerts::model::AlertId;
use axum::Json;
use axum::extract::State;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkRequest {
    /// `acknowledge`, `close` or `assign`.
    pub action: String,
    /// close: `true_positive`, `false_positive`, `benign`, `duplicate` or `test`.
    pub disposition: Option<String>,
    /// assign: an active member of the tenant; null or absent unassigns.
    pub assignee_id: Option<platform::UserId>,
    /// At most 4000 characters, kept in each alert's history.
    pub comment: Option<String>,
    /// 1 to 10,000 alert ids (repeats count once).
    pub ids: Vec<AlertId>,
}

#[derive(Serialize, ToSchema)]
pub struct BulkResponse {
    /// Alerts changed.
    pub changed: Vec<uuid::Uuid>,
    /// Alerts the change does not apply to (already acknowledged, closed …), left as they were.
    pub unchanged: Vec<uuid::Uuid>,
    /// Ids that are no alert of this tenant.
    pub not_found: Vec<uuid::Uuid>,
}

#[utoipa::path(post, path = "/v1/alerts/bulk", tag = "alerts", request_body = BulkRequest,
    responses(
        (status = 200, description = "What changed, what did not, what does not exist", body = BulkResponse),
        (status = 422, description = "VALIDATION_FAILED: TOO_MANY (over 10,000 ids), INVALID_DISPOSITION, INVALID_ASSIGNEE …"),
    ))]
pub async fn bulk(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<BulkRequest>,
) -> Result<Json<BulkResponse>, ApiError> {
    let action = ActionRequest {
        action: request.action,
        disposition: request.disposition,
        assignee_id: request.assignee_id,
        comment: request.comment,
    }
    .action()?;
    let outcome = alerts.bulk(&context, &principal, &action, &request.ids).await?;
    let ids = |ids: Vec<AlertId>| ids.into_iter().map(|id| id.as_uuid()).collect();
    Ok(Json(BulkResponse {
        changed: ids(outcome.changed),
        unchanged: ids(outcome.unchanged),
        not_found: ids(outcome.not_found),
    }))
}
