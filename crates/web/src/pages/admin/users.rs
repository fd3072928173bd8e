//! `GET /admin/users`: the members of the tenant (email, name, role, status, when they joined),
//! filtered by status and role in the URL with cursor paging, and the latest invitations. With
//! `USERS_MANAGE` each member gets a role change and block/restore, and an invitation form sits
//! above the list. The actions (`members`, `invite`) render this page again to say a refusal.

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
use identity::model::{Invitation, InvitationStatus, MemberRow, MembershipStatus};
use identity::service::users::MemberQuery;
use platform::PageRequest;
use platform::access::{Permission, Role};
use serde::Deserialize;

/// How many invitations the page shows (the newest).
const INVITATIONS_SHOWN: u32 = 20;

#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    pub status: Option<String>,
    pub role: Option<String>,
    pub cursor: Option<String>,
}

pub struct MemberView {
    pub id: String,
    pub email: String,
    pub display_name: String,
    pub role: &'static str,
    pub status: &'static str,
    pub joined: DateTime<Utc>,
    pub is_global_admin: bool,
    pub is_protected: bool,
    pub is_me: bool,
    pub blocked: bool,
}

pub struct InvitationView {
    pub id: String,
    pub email: String,
    pub role: &'static str,
    pub status: &'static str,
    pub expires: DateTime<Utc>,
    pub pending: bool,
}

/// What the forms of the page say, and what the invitation form keeps of what was typed.
#[derive(Debug, Default)]
pub struct Forms {
    pub members: Notice,
    pub invite: Notice,
    pub email: String,
    pub role: String,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    subnav: Vec<SubNavItem>,
    query: UsersQuery,
    members: Vec<MemberView>,
    next: Option<String>,
    list_error: Option<String>,
    invitations: Vec<InvitationView>,
    can_manage: bool,
    /// Roles the viewer may give (only a global administrator gives GLOBAL_ADMIN).
    assignable: Vec<&'static str>,
    all_roles: Vec<&'static str>,
    statuses: [&'static str; 3],
    /// This view, for the member actions to come back to.
    back: String,
    forms: Forms,
}

pub async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    PageQuery(query): PageQuery<UsersQuery>,
) -> Result<Html<String>, PageError> {
    Ok(Html(render(&state, &viewer, query, Forms::default()).await?))
}

/// The page, with what `forms` has to say.
pub async fn render(
    state: &AppState,
    viewer: &Viewer,
    query: UsersQuery,
    forms: Forms,
) -> Result<String, PageError> {
    let identity = &state.services.identity;
    let (members, next, list_error) = match list(state, viewer, &query).await {
        Ok((members, next)) => (members, next, None),
        Err(refused) => match refused.form_errors() {
            Some((detail, _)) => (Vec::new(), None, Some(detail)),
            None => return Err(refused),
        },
    };
    let invitations = identity
        .list_invitations(&viewer.principal, &PageRequest::first(INVITATIONS_SHOWN))
        .await?
        .items
        .into_iter()
        .map(invitation_view)
        .collect();
    let layout = Layout::load(state, viewer, "admin", "Users").await?;
    let assignable = Role::ALL
        .iter()
        .filter(|r| **r != Role::GLOBAL_ADMIN || viewer.principal.is_global_admin)
        .map(|r| r.as_str())
        .collect();
    let back = link("/admin/users", &[("status", &query.status), ("role", &query.role)], None);
    let page = UsersPage {
        back,
        layout,
        subnav: subnav(viewer, "users"),
        query,
        members,
        next,
        list_error,
        invitations,
        can_manage: viewer.can(Permission::USERS_MANAGE),
        assignable,
        all_roles: Role::ALL.iter().map(|r| r.as_str()).collect(),
        statuses: ["active", "blocked", "deleted"],
        forms,
    };
    Ok(page.render()?)
}

async fn list(
    state: &AppState,
    viewer: &Viewer,
    query: &UsersQuery,
) -> Result<(Vec<MemberView>, Option<String>), PageError> {
    let status = filter_text("status", &query.status, 20)?;
    let role = filter_text("role", &query.role, 40)?;
    let filter = MemberQuery { status: status.as_deref(), role: role.as_deref() };
    let page = PageRequest::new(None, query.cursor.clone())?;
    let found = state.services.identity.list_members(&viewer.principal, filter, &page).await?;
    let me = viewer.principal.user;
    let members = found.items.into_iter().map(|m| member_view(m, me)).collect();
    let next = found.next_cursor.map(|cursor| {
        let pairs = [("status", &query.status), ("role", &query.role)];
        link("/admin/users", &pairs, Some(("cursor", &cursor)))
    });
    Ok((members, next))
}

fn member_view(member: MemberRow, me: Option<platform::UserId>) -> MemberView {
    MemberView {
        id: member.id.to_string(),
        is_me: me == Some(member.id),
        email: member.email,
        display_name: member.display_name,
        role: member.role.as_str(),
        status: member.status.as_str(),
        blocked: member.status != MembershipStatus::Active,
        joined: member.created_at,
        is_global_admin: member.is_global_admin,
        is_protected: member.is_protected,
    }
}

fn invitation_view(invitation: Invitation) -> InvitationView {
    let status = invitation.status(Utc::now());
    InvitationView {
        id: invitation.id.to_string(),
        email: invitation.email,
        role: invitation.role.as_str(),
        status: status.as_str(),
        expires: invitation.expires_at,
        pending: status == InvitationStatus::Pending,
    }
}
