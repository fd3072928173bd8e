//! `POST /admin/users/invite`: invites an address with a role (identity's `invite`: the inviter
//! must hold every permission of the role, and mail must be configured); the invitee gets a link
//! by email. `POST /admin/invitations/{id}/revoke` withdraws a pending invitation. A refusal of
//! what was typed is said on the invitation form, with the address and role kept.

use super::users::{Forms, UsersQuery, render};
use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::notice::Notice;
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use identity::model::InvitationId;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    let email = form.get("email").unwrap_or_default();
    let role = form.get("role").unwrap_or_default();
    let identity = &state.services.identity;
    let refused = match identity.invite(&context, &form.viewer.principal, email, role).await {
        Ok(_) => return Ok(see_other("/admin/users")),
        Err(refused) => refused,
    };
    let (status, notice) = Notice::refusal(refused.into())?;
    let forms = Forms {
        invite: notice,
        email: email.chars().take(254).collect(),
        role: role.chars().take(40).collect(),
        ..Forms::default()
    };
    let page = render(&state, &form.viewer, UsersQuery::default(), forms).await?;
    Ok((status, Html(page)).into_response())
}

pub async fn revoke(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id: InvitationId = parse_id(&id)?;
    let identity = &state.services.identity;
    let refused = match identity.revoke_invitation(&context, &form.viewer.principal, id).await {
        Ok(_) => return Ok(see_other("/admin/users")),
        Err(refused) => refused,
    };
    let (status, notice) = Notice::refusal(refused.into())?;
    let forms = Forms { invite: notice, ..Forms::default() };
    let page = render(&state, &form.viewer, UsersQuery::default(), forms).await?;
    Ok((status, Html(page)).into_response())
}
