//! `Layout`: what every signed-in page shows around its content — who and where the user is, the
//! tenants they can switch to, the navigation their permissions allow, the CSRF token for the
//! page's forms. The navigation hides what the user may not open; the services refuse it anyway.

use crate::error::PageError;
use crate::session::Viewer;
use edge::AppState;
use platform::access::Permission;

#[derive(Debug)]
pub struct NavItem {
    pub href: &'static str,
    pub label: &'static str,
    pub key: &'static str,
    pub current: bool,
}

#[derive(Debug)]
pub struct TenantChoice {
    pub id: String,
    pub name: String,
    pub current: bool,
}

#[derive(Debug)]
pub struct Layout {
    pub title: String,
    pub email: String,
    pub display_name: String,
    pub role: String,
    pub tenant_name: String,
    pub tenants: Vec<TenantChoice>,
    pub csrf: String,
    pub nav: Vec<NavItem>,
    pub live_feed: bool,
}

/// Sections of the console: (key, link, label, what opening it needs).
const SECTIONS: [(&str, &str, &str, Option<Permission>); 8] = [
    ("dashboard", "/", "Dashboard", None),
    ("alerts", "/alerts", "Alerts", Some(Permission::ALERTS_VIEW)),
    ("assets", "/assets", "Assets", Some(Permission::ASSETS_VIEW)),
    ("changes", "/changes", "Changes", Some(Permission::ASSETS_VIEW)),
    ("rules", "/rules", "Detection rules", Some(Permission::RULES_MANAGE)),
    ("channels", "/channels", "Channels", Some(Permission::CHANNELS_MANAGE)),
    ("admin", "/admin/users", "Administration", Some(Permission::USERS_VIEW)),
    ("keys", "/admin/api-keys", "API keys", Some(Permission::API_KEYS_MANAGE)),
];

impl Layout {
    /// The frame of a page titled `title` in section `section`.
    pub async fn load(
        state: &AppState,
        viewer: &Viewer,
        section: &str,
        title: impl Into<String>,
    ) -> Result<Layout, PageError> {
        let identity = &state.services.identity;
        let profile = identity.profile(&viewer.principal).await?;
        let tenants = identity
            .switchable_tenants(&viewer.principal)
            .await?
            .into_iter()
            .map(|(id, name, _)| TenantChoice {
                current: id == profile.tenant_id,
                id: id.to_string(),
                name,
            })
            .collect();
        let nav = SECTIONS
            .iter()
            .filter(|(_, _, _, needs)| needs.is_none_or(|p| viewer.can(p)))
            .map(|(key, href, label, _)| NavItem { href, label, key, current: *key == section })
            .collect();
        Ok(Layout {
            title: title.into(),
            email: profile.email.unwrap_or_default(),
            display_name: profile.display_name.unwrap_or_default(),
            role: profile
                .role
                .map(|r| r.as_str().to_ascii_lowercase().replace('_', " "))
                .unwrap_or_default(),
            tenant_name: profile.tenant_name,
            tenants,
            csrf: viewer.csrf.clone(),
            nav,
            live_feed: viewer.can(Permission::EVENTS_VIEW),
        })
    }
}
