//! `GET /admin/audit`: the tenant's audit log, newest first, with identity's filters kept in the
//! URL — action (exact, or a prefix ending in `*`), actor id, target type and id, a time range —
//! and cursor paging; global administrators may read the platform chain (`scope=platform`).
//! Actors are shown by email when the viewer may list the members. A filter that cannot be read
//! is said beside its field and nothing is listed.

use super::{SubNavItem, filter_text, link, subnav};
use crate::error::PageError;
use crate::layout::Layout;
use crate::notice::Notice;
use crate::query::PageQuery;
use crate::session::Viewer;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use chrono::{DateTime, NaiveDateTime, Utc};
use edge::AppState;
use identity::model::{ActionMatch, AuditFilter, AuditRow};
use identity::service::audit_log::AuditScope;
use identity::service::users::MemberQuery;
use platform::access::Permission;
use platform::{FieldCode, Invalid, PageRequest, Timestamp};
use serde::Deserialize;
use std::collections::HashMap;

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    pub action: Option<String>,
    pub actor: Option<String>,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    pub since: Option<String>,
    pub until: Option<String>,
    pub scope: Option<String>,
    pub cursor: Option<String>,
}

impl AuditQuery {
    fn pairs(&self) -> [(&'static str, &Option<String>); 7] {
        [
            ("action", &self.action),
            ("actor", &self.actor),
            ("target_type", &self.target_type),
            ("target_id", &self.target_id),
            ("since", &self.since),
            ("until", &self.until),
            ("scope", &self.scope),
        ]
    }

    fn parse(&self) -> Result<(AuditScope, AuditFilter), PageError> {
        let scope = match self.scope.as_deref().map(str::trim) {
            None | Some("") | Some("tenant") => AuditScope::Tenant,
            Some("platform") => AuditScope::Platform,
            Some(_) => {
                let message = "tenant or platform";
                return Err(Invalid::new("scope", FieldCode::INVALID_TEXT, message).into());
            }
        };
        let actor = filter_text("actor", &self.actor, 64)?
            .map(|id| uuid::Uuid::try_parse(&id))
            .transpose()
            .map_err(|_| Invalid::new("actor", FieldCode::INVALID_TEXT, "a user's or key's id"))?;
        let filter = AuditFilter {
            actor_id: actor,
            action: filter_text("action", &self.action, 100)?.map(|a| ActionMatch::parse(&a)),
            target_type: filter_text("target_type", &self.target_type, 100)?,
            target_id: filter_text("target_id", &self.target_id, 200)?,
            since: instant("since", &self.since)?,
            until: instant("until", &self.until)?,
        };
        Ok((scope, filter))
    }
}

/// RFC 3339, or the `datetime-local` form `2026-12-01T09:30` read as UTC; years 1 to 9999.
fn instant(field: &'static str, text: &Option<String>) -> Result<Option<Timestamp>, PageError> {
    let Some(text) = filter_text(field, text, 40)? else { return Ok(None) };
    let invalid =
        || Invalid::new(field, FieldCode::INVALID_TIMESTAMP, "a time such as 2026-12-01T09:30");
    if let Ok(at) = Timestamp::parse(&text) {
        return Ok(Some(at));
    }
    let local = NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(&text, "%Y-%m-%dT%H:%M:%S"))
        .map_err(|_| invalid())?;
    Ok(Some(Timestamp::from_datetime(local.and_utc()).map_err(|_| invalid())?))
}

pub struct RowView {
    pub at: DateTime<Utc>,
    pub actor_type: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub target_type: String,
    pub target_id: Option<String>,
    pub source_ip: Option<String>,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    subnav: Vec<SubNavItem>,
    query: AuditQuery,
    rows: Vec<RowView>,
    next: Option<String>,
    notice: Notice,
    platform: bool,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(query): PageQuery<AuditQuery>,
) -> Result<Response, PageError> {
    let (status, rows, next, notice) = match list(&state, &viewer, &query).await {
        Ok((rows, next)) => (StatusCode::OK, rows, next, Notice::default()),
        Err(refused) => {
            let (status, notice) = Notice::refusal(refused)?;
            (status, Vec::new(), None, notice)
        }
    };
    let layout = Layout::load(&state, &viewer, "admin", "Audit log").await?;
    let page = AuditPage {
        layout,
        subnav: subnav(&viewer, "audit"),
        rows,
        next,
        notice,
        platform: viewer.principal.is_global_admin,
        query,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn list(
    state: &AppState,
    viewer: &Viewer,
    query: &AuditQuery,
) -> Result<(Vec<RowView>, Option<String>), PageError> {
    let (scope, filter) = query.parse()?;
    let page = PageRequest::new(None, query.cursor.clone())?;
    let identity = &state.services.identity;
    let found = identity.audit_log(&viewer.principal, scope, &filter, &page).await?;
    let names = member_emails(state, viewer).await?;
    let rows = found.items.into_iter().map(|row| row_view(row, &names)).collect();
    let next = found
        .next_cursor
        .map(|cursor| link("/admin/audit", &query.pairs(), Some(("cursor", &cursor))));
    Ok((rows, next))
}

/// The emails of the tenant's members by id (the first page), when the viewer may list them.
async fn member_emails(
    state: &AppState,
    viewer: &Viewer,
) -> Result<HashMap<uuid::Uuid, String>, PageError> {
    if !viewer.can(Permission::USERS_VIEW) {
        return Ok(HashMap::new());
    }
    let first = PageRequest::first(platform::page::MAX_LIMIT);
    let identity = &state.services.identity;
    let members = identity.list_members(&viewer.principal, MemberQuery::default(), &first).await?;
    Ok(members.items.into_iter().map(|m| (m.id.as_uuid(), m.email)).collect())
}

fn row_view(row: AuditRow, names: &HashMap<uuid::Uuid, String>) -> RowView {
    RowView {
        at: row.occurred_at,
        actor_name: row.actor_id.and_then(|id| names.get(&id).cloned()),
        actor_id: row.actor_id.map(|id| id.to_string()),
        actor_type: row.actor_type,
        action: row.action,
        target_type: row.target_type,
        target_id: row.target_id,
        source_ip: row.source_ip,
        summary: serde_json::to_string(&row.summary).unwrap_or_default(),
    }
}
