//! `GET /admin/roles`: the tenant's role matrix as a grid of checkboxes, one row per permission
//! and one column per role. The global administrator's column is locked (it grants everything)
//! and `TENANTS_MANAGE` belongs to global administrators only, so those boxes are disabled. With
//! `ROLES_MANAGE` the grid can be saved or reset to the defaults (`roles_save`); with
//! `ROLES_VIEW` only, every box is disabled and there is no button.

use super::{SubNavItem, subnav};
use crate::error::PageError;
use crate::layout::Layout;
use crate::notice::Notice;
use crate::query::PageQuery;
use crate::session::Viewer;
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use edge::AppState;
use identity::service::roles::RoleEntry;
use platform::access::Permission;
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The grid as a form posts it: role name -> the permission names checked for it.
pub type Grid = BTreeMap<String, BTreeSet<String>>;

#[derive(Debug, Deserialize)]
pub struct Done {
    done: Option<String>,
}

pub struct Column {
    pub role: &'static str,
    pub locked: bool,
}

pub struct Cell {
    /// `ROLE:PERMISSION`, the value the form posts for a checked box.
    pub value: String,
    pub checked: bool,
    pub disabled: bool,
}

pub struct GridRow {
    pub permission: &'static str,
    pub cells: Vec<Cell>,
}

#[derive(Template)]
#[template(path = "admin/roles.html")]
struct RolesPage {
    layout: Layout,
    subnav: Vec<SubNavItem>,
    columns: Vec<Column>,
    rows: Vec<GridRow>,
    can_manage: bool,
    notice: Notice,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(done): PageQuery<Done>,
) -> Result<Html<String>, PageError> {
    let notice = match done.done.as_deref() {
        Some("saved") => Notice::done("The role matrix was saved."),
        Some("reset") => Notice::done("The role matrix is back to the defaults."),
        _ => Notice::default(),
    };
    Ok(Html(render(&state, &viewer, notice, None).await?))
}

/// The grid as stored, or, after a refused save, as the user submitted it (`wanted`) so that
/// they can correct it.
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    notice: Notice,
    wanted: Option<&Grid>,
) -> Result<String, PageError> {
    let matrix = state.services.identity.role_matrix(&viewer.principal).await?;
    let layout = Layout::load(state, viewer, "admin", "Roles").await?;
    let can_manage = viewer.can(Permission::ROLES_MANAGE);
    let columns =
        matrix.iter().map(|e| Column { role: e.role.as_str(), locked: e.locked }).collect();
    let rows = Permission::ALL
        .iter()
        .map(|permission| GridRow {
            permission: permission.as_str(),
            cells: matrix
                .iter()
                .map(|entry| cell(entry, *permission, can_manage, wanted))
                .collect(),
        })
        .collect();
    let page =
        RolesPage { layout, subnav: subnav(viewer, "roles"), columns, rows, can_manage, notice };
    Ok(page.render()?)
}

fn cell(
    entry: &RoleEntry,
    permission: Permission,
    can_manage: bool,
    wanted: Option<&Grid>,
) -> Cell {
    let role = entry.role.as_str();
    let checked = match wanted.and_then(|grid| grid.get(role)) {
        Some(submitted) if !entry.locked => submitted.contains(permission.as_str()),
        _ => entry.permissions.contains(&permission),
    };
    // Nobody edits the locked role, and no editable role may hold TENANTS_MANAGE.
    let fixed = entry.locked || permission == Permission::TENANTS_MANAGE;
    Cell { value: format!("{role}:{permission}"), checked, disabled: fixed || !can_manage }
}
