//! `POST /admin/users/{id}/role`, `/block` and `/restore`: change a member's role, block them
//! (their sessions in this tenant end) or make them active again, through identity's member
//! services (`USERS_MANAGE`, the access policy: no own role, no protected user, the tenant keeps
//! an administrator). A refusal of that kind is said at the top of the member list; anything
//! else (403, 404) is the error page. Success goes back to the list the user came from.

use super::users::{Forms, UsersQuery, render};
use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::notice::Notice;
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use identity::model::MembershipStatus;
use identity::service::users::MemberChanges;
use platform::UserId;

pub async fn change_role(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let user: UserId = parse_id(&id)?;
    let role = form.get("role").unwrap_or_default();
    let changes = MemberChanges { role: Some(role), display_name: None };
    let done = state
        .services
        .identity
        .update_member(&context, &form.viewer.principal, user, changes)
        .await
        .map(|_| ());
    answer(&state, &form, done.map_err(PageError::from)).await
}

pub async fn block(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    set_status(state, context, id, form, MembershipStatus::Blocked).await
}

pub async fn restore(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    set_status(state, context, id, form, MembershipStatus::Active).await
}

async fn set_status(
    state: AppState,
    context: platform::audit::RequestContext,
    id: String,
    form: Submitted,
    status: MembershipStatus,
) -> Result<Response, PageError> {
    let user: UserId = parse_id(&id)?;
    let done = state
        .services
        .identity
        .set_member_status(&context, &form.viewer.principal, user, status)
        .await
        .map(|_| ());
    answer(&state, &form, done.map_err(PageError::from)).await
}

/// Back to the list on success; the list with the refusal at its top otherwise.
async fn answer(
    state: &AppState,
    form: &Submitted,
    done: Result<(), PageError>,
) -> Result<Response, PageError> {
    let refused = match done {
        Ok(()) => return Ok(see_other(&back_to_list(form.get("back")))),
        Err(refused) => refused,
    };
    let (status, notice) = Notice::refusal(refused)?;
    let forms = Forms { members: notice, ..Forms::default() };
    let page = render(state, &form.viewer, UsersQuery::default(), forms).await?;
    Ok((status, Html(page)).into_response())
}

/// The member list the form was on (its filters kept), else the list.
fn back_to_list(back: Option<&str>) -> String {
    back.filter(|path| *path == "/admin/users" || path.starts_with("/admin/users?"))
        .filter(|path| path.bytes().all(|b| b.is_ascii_graphic()))
        .unwrap_or("/admin/users")
        .to_string()
}
