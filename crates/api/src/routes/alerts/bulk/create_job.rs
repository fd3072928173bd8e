//! `POST /v1/alerts/bulk-jobs`: starts a job changing every alert a filter selects (the list's
//! filters); answers 202 with the job, whose progress `GET /v1/alerts/bulk-jobs/{id}` shows.

use super::{ActionRequest, BulkJobItem};
use crate::routes::alerts::queue::list::AlertsQuery;
use alerts::Alerts;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use edge::ApiError;
use edge::auth::{Auth, Context};
use edge::extract::ApiJson;
use serde::Deserialize;
use utoipa::ToSchema;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BulkJobRequest {
    /// `acknowledge`, `close` or `assign`.
    pub action: String,
    /// close: `true_positive`, `false_positive`, `benign`, `duplicate` or `test`.
    pub disposition: Option<String>,
    /// assign: an active member of the tenant; null or absent unassigns.
    pub assignee_id: Option<platform::UserId>,
    /// At most 4000 characters, kept in each alert's history.
    pub comment: Option<String>,
    /// The alerts to change, as `GET /v1/alerts` filters them (`{}`: every alert).
    pub filter: AlertsQuery,
}

#[utoipa::path(post, path = "/v1/alerts/bulk-jobs", tag = "alerts", request_body = BulkJobRequest,
    responses((status = 202, description = "The job, queued", body = BulkJobItem)))]
pub async fn create_job(
    State(alerts): State<Alerts>,
    Auth(principal): Auth,
    Context(context): Context,
    ApiJson(request): ApiJson<BulkJobRequest>,
) -> Result<(StatusCode, Json<BulkJobItem>), ApiError> {
    let action = ActionRequest {
        action: request.action,
        disposition: request.disposition,
        assignee_id: request.assignee_id,
        comment: request.comment,
    }
    .action()?;
    let filter = request.filter.filter()?;
    let job = alerts.start_bulk_job(&context, &principal, &action, &filter).await?;
    Ok((StatusCode::ACCEPTED, Json(job.into())))
}
