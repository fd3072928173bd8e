//! `GET /admin/tenants` (global administrators: `TENANTS_MANAGE`): every tenant, oldest first,
//! optionally only the active or suspended ones, with cursor paging; the form to create one and
//! a suspend/restore button per tenant (`tenant_actions`). Anyone else gets the service's 403.

use super::{SubNavItem, filter_text, link, subnav};
use crate::error::PageError;
use crate::layout::Layout;
use crate::notice::Notice;
use crate::query::PageQuery;
use crate::session::Viewer;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use chrono::{DateTime, Utc};
use edge::AppState;
use identity::model::TenantRow;
use platform::PageRequest;
use serde::Deserialize;

#[derive(Debug, Default, Deserialize)]
pub struct TenantsQuery {
    pub status: Option<String>,
    pub cursor: Option<String>,
}

/// The creation form as typed, and what was refused in it.
#[derive(Debug, Default)]
pub struct TenantForm {
    pub name: String,
    pub slug: String,
    pub notice: Notice,
}

pub struct TenantView {
    pub id: String,
    pub name: String,
    pub slug: String,
    pub status: String,
    pub created: DateTime<Utc>,
    pub suspended: bool,
    /// The tenant the administrator is signed in to, which they cannot suspend.
    pub current: bool,
}

#[derive(Template)]
#[template(path = "admin/tenants.html")]
struct TenantsPage {
    layout: Layout,
    subnav: Vec<SubNavItem>,
    query: TenantsQuery,
    tenants: Vec<TenantView>,
    next: Option<String>,
    list_error: Option<String>,
    form: TenantForm,
    /// A refusal of a suspend or restore.
    action: Notice,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(query): PageQuery<TenantsQuery>,
) -> Result<Html<String>, PageError> {
    Ok(Html(render(&state, &viewer, query, TenantForm::default(), Notice::default()).await?))
}

/// The page, with the creation form as given and what an action has to say.
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    query: TenantsQuery,
    form: TenantForm,
    action: Notice,
) -> Result<String, PageError> {
    let (tenants, next, list_error) = match list(state, viewer, &query).await {
        Ok((tenants, next)) => (tenants, next, None),
        Err(refused) => match refused.form_errors() {
            Some((detail, _)) => (Vec::new(), None, Some(detail)),
            None => return Err(refused),
        },
    };
    let layout = Layout::load(state, viewer, "admin", "Tenants").await?;
    let page = TenantsPage {
        layout,
        subnav: subnav(viewer, "tenants"),
        query,
        tenants,
        next,
        list_error,
        form,
        action,
    };
    Ok(page.render()?)
}

async fn list(
    state: &AppState,
    viewer: &Viewer,
    query: &TenantsQuery,
) -> Result<(Vec<TenantView>, Option<String>), PageError> {
    let status = filter_text("status", &query.status, 20)?;
    let page = PageRequest::new(None, query.cursor.clone())?;
    let identity = &state.services.identity;
    let found = identity.list_tenants(&viewer.principal, status.as_deref(), &page).await?;
    let here = viewer.principal.acting_from.unwrap_or(viewer.principal.tenant);
    let tenants = found.items.into_iter().map(|t| tenant_view(t, here)).collect();
    let next = found.next_cursor.map(|cursor| {
        link("/admin/tenants", &[("status", &query.status)], Some(("cursor", &cursor)))
    });
    Ok((tenants, next))
}

fn tenant_view(tenant: TenantRow, here: platform::TenantId) -> TenantView {
    TenantView {
        id: tenant.id.to_string(),
        current: tenant.id == here,
        suspended: tenant.status == "suspended",
        name: tenant.name,
        slug: tenant.slug,
        status: tenant.status,
        created: tenant.created_at,
    }
}
