//! `GET /v1/audit-log`: one page of the caller's tenant audit chain, newest first, filtered by
//! actor, action (exact, or a prefix ending in `*`), target and time; `?scope=platform` reads the
//! platform chain (global administrators only). The benchmark hot path: one query, no count.

use crate::auth::Auth;
use crate::error::{ApiError, ErrorCode};
use crate::extract::{ApiQuery, Page, PageParams};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use identity::service::audit_log::{AuditScope, parse_action};
use identity::store::audit::{AuditFilter, AuditRow};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditLogQuery {
    /// Only rows by this actor (a user's or API key's id).
    pub actor_id: Option<uuid::Uuid>,
    /// An exact action (`user.create`) or a prefix ending in `*` (`user.*`).
    pub action: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// RFC 3339; rows that occurred at or after it.
    pub since: Option<DateTime<Utc>>,
    /// RFC 3339; rows that occurred before it.
    pub until: Option<DateTime<Utc>>,
    /// `tenant` (default) or `platform` (global administrators only).
    pub scope: Option<ScopeParam>,
    /// How many items to return, 1 to 200 (default 50).
    pub limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Clone, Copy, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum ScopeParam {
    Tenant,
    Platform,
}

/// One audit row.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditItem {
    pub id: uuid::Uuid,
    /// Position in the tenant's chain, from 1.
    pub seq: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor: AuditActor,
    pub action: String,
    pub target: AuditTarget,
    pub request_id: Option<String>,
    pub source_ip: Option<String>,
    pub user_agent: Option<String>,
    /// What changed (secrets redacted).
    #[schema(value_type = Object)]
    pub summary: serde_json::Value,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditActor {
    /// `user`, `api_key` or `system`.
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Option<uuid::Uuid>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditTarget {
    #[serde(rename = "type")]
    pub kind: String,
    pub id: Option<String>,
}

impl From<AuditRow> for AuditItem {
    fn from(row: AuditRow) -> Self {
        AuditItem {
            id: row.id,
            seq: row.seq,
            occurred_at: row.occurred_at,
            actor: AuditActor { kind: row.actor_type, id: row.actor_id },
            action: row.action,
            target: AuditTarget { kind: row.target_type, id: row.target_id },
            request_id: row.request_id,
            source_ip: row.source_ip,
            user_agent: row.user_agent,
            summary: row.summary,
        }
    }
}

#[utoipa::path(get, path = "/v1/audit-log", tag = "audit_log", params(AuditLogQuery),
    responses(
        (status = 200, description = "A page of audit rows, newest first", body = Page<AuditItem>),
        (status = 400, description = "INVALID_QUERY: a bad filter or cursor", body = crate::error::Problem),
        (status = 403, description = "FORBIDDEN: platform scope without being a global administrator", body = crate::error::Problem),
    ))]
pub async fn list(
    State(state): State<AppState>,
    Auth(principal): Auth,
    ApiQuery(query): ApiQuery<AuditLogQuery>,
) -> Result<Json<Page<AuditItem>>, ApiError> {
    let limit = PageParams { limit: query.limit, cursor: None }.limit()?;
    let before_seq = match query.cursor.as_deref() {
        None => None,
        Some(text) => Some(text.parse::<i64>().ok().filter(|seq| *seq > 0).ok_or_else(|| {
            ApiError::new(ErrorCode::INVALID_QUERY, "cursor is not a cursor of this list")
        })?),
    };
    let scope = match query.scope {
        None | Some(ScopeParam::Tenant) => AuditScope::Tenant,
        Some(ScopeParam::Platform) => AuditScope::Platform,
    };
    let filter = AuditFilter {
        actor_id: query.actor_id,
        action: query.action.as_deref().map(parse_action),
        target_type: query.target_type,
        target_id: query.target_id,
        since: query.since,
        until: query.until,
        before_seq,
    };
    let page = state.identity.audit_log(&principal, scope, &filter, limit).await?;
    Ok(Json(Page {
        items: page.items.into_iter().map(AuditItem::from).collect(),
        next_cursor: page.next_cursor.map(|seq| seq.to_string()),
    }))
}
