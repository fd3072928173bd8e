//! `/v1/alerts`: the queue — a filtered page newest first, one alert whole (OCSF finding, raw
//! payload, history, correlation groups, SLA due times) and statistics, with `ALERTS_VIEW`.

pub mod get_one;
pub mod list;
pub mod stats;

use crate::guard;
use alerts::model::{Alert, AlertSummary, HistoryEntry, severity_word};
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::access::Permission;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let view = || Access::Permission(Permission::ALERTS_VIEW);
    OpenApiRouter::new()
        .routes(guard(view(), Tier::General, routes!(list::list)))
        .routes(guard(view(), Tier::General, routes!(stats::stats)))
        .routes(guard(view(), Tier::General, routes!(get_one::get_one)))
}

/// The rule that raised an alert, as its source names it.
#[derive(Serialize, ToSchema)]
pub struct RuleRef {
    pub uid: Option<String>,
    pub name: Option<String>,
}

/// An alert as the queue lists it.
#[derive(Serialize, ToSchema)]
pub struct AlertItem {
    pub id: uuid::Uuid,
    pub title: String,
    /// `unknown`, `informational`, `low`, `medium`, `high`, `critical` or `fatal`.
    pub severity: String,
    /// OCSF `severity_id` (0 to 6).
    pub severity_id: u8,
    /// `new`, `acknowledged`, `investigating` or `closed`.
    pub status: String,
    /// Closed alerts only: `true_positive`, `false_positive`, `benign`, `duplicate` or `test`.
    pub disposition: Option<String>,
    /// `palisade`, `wazuh`, `elastic`, `ocsf`, `sentinel`, `splunk`, or `sigma` (raised by a
    /// detection rule).
    pub source: String,
    pub rule: RuleRef,
    /// The detection rule that raised it, and the alert it matched on.
    pub detection_rule_id: Option<uuid::Uuid>,
    pub parent_alert_id: Option<uuid::Uuid>,
    pub assignee_id: Option<uuid::Uuid>,
    /// How many times it was reported (repeats fold into one alert).
    pub occurrences: i64,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    /// When the activity happened, as the source says.
    pub event_time: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub acknowledged_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// When the SLA check found its time-to-acknowledge or time-to-close target missed.
    pub ack_breached_at: Option<DateTime<Utc>>,
    pub close_breached_at: Option<DateTime<Utc>>,
}

impl From<AlertSummary> for AlertItem {
    fn from(alert: AlertSummary) -> Self {
        AlertItem {
            id: alert.id.as_uuid(),
            title: alert.title,
            severity: severity_word(alert.severity).into(),
            severity_id: alert.severity.ocsf_id(),
            status: alert.status.as_str().into(),
            disposition: alert.disposition.map(|d| d.as_str().into()),
            source: alert.source,
            rule: RuleRef { uid: alert.rule_uid, name: alert.rule_name },
            detection_rule_id: alert.detection_rule_id.map(|id| id.as_uuid()),
            parent_alert_id: alert.parent_alert_id.map(|id| id.as_uuid()),
            assignee_id: alert.assignee_id.map(|id| id.as_uuid()),
            occurrences: alert.occurrences,
            first_seen_at: alert.first_seen_at,
            last_seen_at: alert.last_seen_at,
            event_time: alert.event_time,
            created_at: alert.created_at,
            updated_at: alert.updated_at,
            acknowledged_at: alert.acknowledged_at,
            closed_at: alert.closed_at,
            ack_breached_at: alert.ack_breached_at,
            close_breached_at: alert.close_breached_at,
        }
    }
}

/// One state change of an alert.
#[derive(Serialize, ToSchema)]
pub struct HistoryItem {
    pub at: DateTime<Utc>,
    /// `user`, `api_key` or `system`.
    pub actor_type: String,
    pub actor_id: Option<uuid::Uuid>,
    /// `acknowledge`, `investigate`, `close`, `reopen` or `assign`.
    pub action: String,
    pub from_status: String,
    pub to_status: String,
    pub from_assignee: Option<uuid::Uuid>,
    pub to_assignee: Option<uuid::Uuid>,
    pub disposition: Option<String>,
    pub comment: Option<String>,
    /// The bulk change or bulk job that made it.
    pub bulk_id: Option<uuid::Uuid>,
}

impl From<HistoryEntry> for HistoryItem {
    fn from(entry: HistoryEntry) -> Self {
        HistoryItem {
            at: entry.at,
            actor_type: entry.actor_type,
            actor_id: entry.actor_id,
            action: entry.action,
            from_status: entry.from_status.as_str().into(),
            to_status: entry.to_status.as_str().into(),
            from_assignee: entry.from_assignee.map(|id| id.as_uuid()),
            to_assignee: entry.to_assignee.map(|id| id.as_uuid()),
            disposition: entry.disposition.map(|d| d.as_str().into()),
            comment: entry.comment,
            bulk_id: entry.bulk_id,
        }
    }
}

/// When the tenant's SLA wants the alert acknowledged and closed (none: no target).
#[derive(Serialize, ToSchema)]
pub struct SlaDue {
    pub acknowledge_by: Option<DateTime<Utc>>,
    pub close_by: Option<DateTime<Utc>>,
}

/// One alert whole.
#[derive(Serialize, ToSchema)]
pub struct AlertDetail {
    #[serde(flatten)]
    pub alert: AlertItem,
    pub description: Option<String>,
    /// The OCSF 1.8 Detection Finding (class 2004), with its status, count and first/last
    /// seen as they are now.
    #[schema(value_type = Object)]
    pub finding: serde_json::Value,
    /// The payload as the source sent it.
    #[schema(value_type = Object)]
    pub raw: serde_json::Value,
    /// Every state change, oldest first.
    pub history: Vec<HistoryItem>,
    pub correlation_group_ids: Vec<uuid::Uuid>,
    pub sla: SlaDue,
}

impl From<Alert> for AlertDetail {
    fn from(alert: Alert) -> Self {
        AlertDetail {
            alert: alert.summary.into(),
            description: alert.description,
            finding: alert.finding,
            raw: alert.raw,
            history: alert.history.into_iter().map(HistoryItem::from).collect(),
            correlation_group_ids: alert.correlation_groups.iter().map(|id| id.as_uuid()).collect(),
            sla: SlaDue { acknowledge_by: alert.ack_due_at, close_by: alert.close_due_at },
        }
    }
}
