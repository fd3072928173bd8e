//! Administration pages: the tenant's members and invitations, the role matrix, API keys, the
//! audit log, and (for global administrators) the tenants. Every page and action calls identity's
//! services, which check the permission again; the pages only hide what the user may not use.
//!
//! This module owns what the admin pages share: their routes and the sub-navigation at the top
//! of each page.

mod api_key_create;
mod api_key_revoke;
mod api_keys;
mod audit;
mod invite;
mod members;
mod roles;
mod roles_save;
mod tenant_actions;
mod tenants;
mod users;

use super::tiered;
use crate::error::PageError;
use crate::session::Viewer;
use axum::Router;
use axum::routing::{get, post};
use edge::AppState;
use edge::rate_limit::Tier;
use platform::access::Permission;

pub fn routes() -> Router<AppState> {
    let general = |route| tiered(Tier::General, route);
    Router::new()
        .route("/admin/users", general(get(users::show)))
        .route("/admin/users/invite", general(post(invite::submit)))
        .route("/admin/users/{id}/role", general(post(members::change_role)))
        .route("/admin/users/{id}/block", general(post(members::block)))
        .route("/admin/users/{id}/restore", general(post(members::restore)))
        .route("/admin/invitations/{id}/revoke", general(post(invite::revoke)))
        .route("/admin/roles", general(get(roles::show).post(roles_save::save)))
        .route("/admin/roles/reset", general(post(roles_save::reset)))
        .route("/admin/api-keys", general(get(api_keys::show).post(api_key_create::submit)))
        .route("/admin/api-keys/{id}/revoke", general(post(api_key_revoke::submit)))
        .route("/admin/audit", general(get(audit::show)))
        .route("/admin/tenants", general(get(tenants::show).post(tenant_actions::create)))
        .route("/admin/tenants/{id}/suspend", general(post(tenant_actions::suspend)))
        .route("/admin/tenants/{id}/restore", general(post(tenant_actions::restore)))
}

/// One link of the administration sub-navigation.
#[derive(Debug)]
pub struct SubNavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub current: bool,
}

/// The admin pages: (key, link, label, what opening it needs).
const PAGES: [(&str, &str, &str, Permission); 5] = [
    ("users", "/admin/users", "Users", Permission::USERS_VIEW),
    ("roles", "/admin/roles", "Roles", Permission::ROLES_VIEW),
    ("api-keys", "/admin/api-keys", "API keys", Permission::API_KEYS_MANAGE),
    ("audit", "/admin/audit", "Audit log", Permission::AUDIT_VIEW),
    ("tenants", "/admin/tenants", "Tenants", Permission::TENANTS_MANAGE),
];

/// The admin pages the viewer may open, `current` marked (`templates/admin/nav.html`).
pub fn subnav(viewer: &Viewer, current: &str) -> Vec<SubNavItem> {
    PAGES
        .iter()
        .filter(|(_, _, _, needs)| viewer.can(*needs))
        .map(|(key, href, label, _)| SubNavItem { href, label, current: *key == current })
        .collect()
}

/// A query-string value as a filter: trimmed, empty as absent; refused when it holds control
/// characters (a NUL cannot reach the database) or is longer than `max` characters.
pub fn filter_text(
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Result<Option<String>, PageError> {
    let Some(text) = value.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.chars().any(char::is_control) || text.chars().count() > max {
        return Err(platform::Invalid::new(
            field,
            platform::FieldCode::INVALID_TEXT,
            format!("at most {max} characters, no control characters"),
        )
        .into());
    }
    Ok(Some(text.to_string()))
}

/// `path` with `pairs` (empty values left out) and `extra` as its query string.
pub fn link(path: &str, pairs: &[(&str, &Option<String>)], extra: Option<(&str, &str)>) -> String {
    let mut kept: Vec<(&str, &str)> = pairs
        .iter()
        .filter_map(|(k, v)| v.as_deref().filter(|v| !v.is_empty()).map(|v| (*k, v)))
        .collect();
    kept.extend(extra);
    match serde_urlencoded::to_string(kept).unwrap_or_default() {
        query if query.is_empty() => path.to_string(),
        query => format!("{path}?{query}"),
    }
}
