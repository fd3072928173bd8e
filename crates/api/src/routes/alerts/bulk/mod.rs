//! Bulk changes, with `ALERTS_BULK` on the bulk tier: `POST /v1/alerts/bulk` (up to 10,000
//! listed alerts, one transaction) and bulk jobs by filter (`/v1/alerts/bulk-jobs`: start, list,
//! show progress, cancel).

pub mod apply;
pub mod cancel_job;
pub mod create_job;
pub mod get_job;
pub mod list_jobs;

use crate::guard;
use crate::routes::alerts::triage::close::disposition;
use alerts::model::{BulkAction, BulkJob};
use chrono::{DateTime, Utc};
use edge::auth::Access;
use edge::rate_limit::Tier;
use edge::{ApiError, AppState};
use platform::access::Permission;
use platform::{FieldCode, Invalid, UserId};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let bulk = || Access::Permission(Permission::ALERTS_BULK);
    OpenApiRouter::new()
        .routes(guard(bulk(), Tier::Bulk, routes!(apply::bulk)))
        .routes(guard(bulk(), Tier::Bulk, routes!(create_job::create_job)))
        .routes(guard(bulk(), Tier::General, routes!(list_jobs::list_jobs)))
        .routes(guard(bulk(), Tier::General, routes!(get_job::get_job)))
        .routes(guard(bulk(), Tier::General, routes!(cancel_job::cancel_job)))
}

/// The change a bulk request or job makes (its fields are those of the request).
#[derive(Debug)]
pub struct ActionRequest {
    /// `acknowledge`, `close` or `assign`.
    pub action: String,
    /// close: `true_positive`, `false_positive`, `benign`, `duplicate` or `test`.
    pub disposition: Option<String>,
    /// assign: an active member of the tenant; null or absent unassigns.
    pub assignee_id: Option<UserId>,
    /// At most 4000 characters, kept in each alert's history.
    pub comment: Option<String>,
}

impl ActionRequest {
    pub fn action(self) -> Result<BulkAction, ApiError> {
        let not_applicable = |field: &'static str| -> Result<(), ApiError> {
            Err(Invalid::new(
                field,
                FieldCode::NOT_APPLICABLE,
                format!("not used by `{}`", self.action),
            )
            .into())
        };
        match self.action.as_str() {
            "acknowledge" => {
                if self.disposition.is_some() {
                    not_applicable("disposition")?;
                }
                if self.assignee_id.is_some() {
                    not_applicable("assignee_id")?;
                }
                Ok(BulkAction::Acknowledge { comment: self.comment })
            }
            "close" => {
                if self.assignee_id.is_some() {
                    not_applicable("assignee_id")?;
                }
                let word = self.disposition.as_deref().ok_or_else(|| {
                    ApiError::from(Invalid::new(
                        "disposition",
                        FieldCode::REQUIRED,
                        "closing needs a disposition",
                    ))
                })?;
                Ok(BulkAction::Close { disposition: disposition(word)?, comment: self.comment })
            }
            "assign" => {
                if self.disposition.is_some() {
                    not_applicable("disposition")?;
                }
                Ok(BulkAction::Assign { assignee: self.assignee_id, comment: self.comment })
            }
            _ => {
                Err(Invalid::new("action", FieldCode::INVALID_KIND, "acknowledge, close or assign")
                    .into())
            }
        }
    }
}

/// A bulk job and its progress.
#[derive(Serialize, ToSchema)]
pub struct BulkJobItem {
    pub id: uuid::Uuid,
    pub action: String,
    /// The change's parameters (`disposition`, `assignee`, `comment`).
    #[schema(value_type = Object)]
    pub params: serde_json::Value,
    /// `queued`, `running`, `succeeded`, `failed` or `cancelled`.
    pub status: String,
    /// Alerts the filter selected when the job was started.
    pub total: i64,
    /// Alerts looked at so far, and how many of them changed.
    pub processed: i64,
    pub changed: i64,
    pub error: Option<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub cancel_requested_at: Option<DateTime<Utc>>,
}

impl From<BulkJob> for BulkJobItem {
    fn from(job: BulkJob) -> Self {
        BulkJobItem {
            id: job.id.as_uuid(),
            action: job.action.name().into(),
            params: serde_json::to_value(&job.action).unwrap_or_default(),
            status: job.status.as_str().into(),
            total: job.total,
            processed: job.processed,
            changed: job.changed,
            error: job.error,
            created_at: job.created_at,
            started_at: job.started_at,
            finished_at: job.finished_at,
            cancel_requested_at: job.cancel_requested_at,
        }
    }
}
