//! `GET /admin/api-keys`: the tenant's API keys, newest first with cursor paging (name, prefix,
//! scopes, created, last used, expiry, revocation) with a revoke button per live key, and the
//! form to create one (a name, scopes among the permissions the user holds, an optional expiry
//! date). Never the key itself: only the page answering its creation shows it (`created`), once.

use super::{SubNavItem, subnav};
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
use identity::model::ApiKeyRow;
use platform::PageRequest;
use platform::access::Permission;
use serde::Deserialize;
use std::collections::BTreeSet;

#[derive(Debug, Default, Deserialize)]
pub struct KeysQuery {
    pub cursor: Option<String>,
}

/// The creation form as typed, and what was refused in it.
#[derive(Debug, Default)]
pub struct KeyForm {
    pub name: String,
    pub scopes: BTreeSet<String>,
    pub expires_on: String,
    pub notice: Notice,
}

/// A key just created: the only page that ever shows it.
pub struct Created {
    pub name: String,
    pub prefix: String,
    pub key: String,
}

pub struct KeyView {
    pub id: String,
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub created: DateTime<Utc>,
    pub last_used: Option<DateTime<Utc>>,
    pub expires: Option<DateTime<Utc>>,
    pub expired: bool,
    pub revoked: Option<DateTime<Utc>>,
}

#[derive(Template)]
#[template(path = "admin/api_keys.html")]
struct KeysPage {
    layout: Layout,
    subnav: Vec<SubNavItem>,
    keys: Vec<KeyView>,
    next: Option<String>,
    /// The permissions a new key may have: the user's own.
    grantable: Vec<&'static str>,
    form: KeyForm,
    created: Option<Created>,
    /// The earliest expiry date the form offers (tomorrow, UTC).
    tomorrow: String,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(query): PageQuery<KeysQuery>,
) -> Result<Html<String>, PageError> {
    Ok(Html(render(&state, &viewer, query.cursor, KeyForm::default(), None).await?))
}

/// The list page at `cursor`, with the creation form as given and the key just created.
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    cursor: Option<String>,
    form: KeyForm,
    created: Option<Created>,
) -> Result<String, PageError> {
    let page = PageRequest::new(None, cursor)?;
    let found = state.services.identity.list_api_keys(&viewer.principal, &page).await?;
    let now = Utc::now();
    let keys = found.items.into_iter().map(|row| key_view(row, now)).collect();
    let next = found.next_cursor.map(|cursor| {
        let query = serde_urlencoded::to_string([("cursor", cursor)]).unwrap_or_default();
        format!("/admin/api-keys?{query}")
    });
    let layout = Layout::load(state, viewer, "keys", "API keys").await?;
    let grantable =
        Permission::ALL.iter().filter(|p| viewer.can(**p)).map(|p| p.as_str()).collect();
    let tomorrow = (now + chrono::Duration::days(1)).format("%Y-%m-%d").to_string();
    let page = KeysPage {
        layout,
        subnav: subnav(viewer, "api-keys"),
        keys,
        next,
        grantable,
        form,
        created,
        tomorrow,
    };
    Ok(page.render()?)
}

fn key_view(row: ApiKeyRow, now: DateTime<Utc>) -> KeyView {
    KeyView {
        id: row.id.to_string(),
        name: row.name,
        prefix: row.prefix,
        scopes: row.scopes.join(", "),
        created: row.created_at,
        last_used: row.last_used_at,
        expires: row.expires_at,
        expired: row.expires_at.is_some_and(|at| at <= now),
        revoked: row.revoked_at,
    }
}
