//! `GET /v1/audit-log`: one page of the caller's tenant audit chain, newest first, filtered by
//! actor, action (exact, or a prefix ending in `*`), target and time; `?scope=platform` reads the
//! platform chain (global administrators only). The benchmark hot path: one query, no count.

use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use edge::ApiError;
use edge::auth::Auth;
use edge::extract::{Listing, PageParams};
use identity::Identity;
use identity::model::{ActionMatch, AuditFilter, AuditRow};
use identity::service::audit_log::AuditScope;
use platform::{Page, Timestamp};
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
    pub since: Option<Timestamp>,
    /// RFC 3339; rows that occurred before it.
    pub until: Option<Timestamp>,
    /// `tenant` (default) or `platform` (global administrators only).
    #[param(inline)]
    pub scope: Option<ScopeParam>,
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

#[utoipa::path(get, path = "/v1/audit-log", tag = "audit_log", params(PageParams, AuditLogQuery),
    responses(
        (status = 200, description = "A page of audit rows, newest first", body = Page<AuditItem>),
        (status = 403, description = "FORBIDDEN: platform scope without being a global administrator"),
    ))]
pub async fn list(
    State(identity): State<Identity>,
    Auth(principal): Auth,
    Listing(page, query): Listing<AuditLogQuery>,
) -> Result<Json<Page<AuditItem>>, ApiError> {
    let scope = match query.scope {
        None | Some(ScopeParam::Tenant) => AuditScope::Tenant,
        Some(ScopeParam::Platform) => AuditScope::Platform,
    };
    let filter = AuditFilter {
        actor_id: query.actor_id,
        action: query.action.as_deref().map(ActionMatch::parse),
        target_type: query.target_type,
        target_id: query.target_id,
        since: query.since,
        until: query.until,
    };
    let rows = identity.audit_log(&principal, scope, &filter, &page).await?;
    Ok(Json(rows.map(AuditItem::from)))
}
