//! `POST /admin/tenants` creates a tenant (name and slug; the default role matrix), and
//! `POST /admin/tenants/{id}/suspend` and `/restore` change its status, through identity's tenant
//! services (`TENANTS_MANAGE`: global administrators only; the tenant one is signed in to cannot
//! be suspended). A refusal of what was typed (a bad or taken slug) is said on the form with the
//! fields kept; anything else is the error page. Success goes back to the list.

use super::tenants::{TenantForm, TenantsQuery, render};
use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::notice::Notice;
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use platform::TenantId;

pub async fn create(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    let name = form.get("name").unwrap_or_default();
    let slug = form.get("slug").unwrap_or_default();
    let identity = &state.services.identity;
    let refused = match identity.create_tenant(&context, &form.viewer.principal, name, slug).await {
        Ok(_) => return Ok(see_other("/admin/tenants")),
        Err(refused) => refused,
    };
    let (status, notice) = Notice::refusal(refused.into())?;
    let typed = TenantForm {
        name: name.chars().take(200).collect(),
        slug: slug.chars().take(63).collect(),
        notice,
    };
    let page = render(&state, &form.viewer, TenantsQuery::default(), typed, Notice::default());
    Ok((status, Html(page.await?)).into_response())
}

pub async fn suspend(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id: TenantId = parse_id(&id)?;
    let identity = &state.services.identity;
    let done = identity.suspend_tenant(&context, &form.viewer.principal, id).await;
    answer(&state, &form, done.map(|_| ()).map_err(PageError::from)).await
}

pub async fn restore(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id: TenantId = parse_id(&id)?;
    let identity = &state.services.identity;
    let done = identity.restore_tenant(&context, &form.viewer.principal, id).await;
    answer(&state, &form, done.map(|_| ()).map_err(PageError::from)).await
}

/// Back to the list on success; the list with the refusal above it otherwise.
async fn answer(
    state: &AppState,
    form: &Submitted,
    done: Result<(), PageError>,
) -> Result<Response, PageError> {
    let Err(refused) = done else { return Ok(see_other("/admin/tenants")) };
    let (status, notice) = Notice::refusal(refused)?;
    let page =
        render(state, &form.viewer, TenantsQuery::default(), TenantForm::default(), notice).await?;
    Ok((status, Html(page)).into_response())
}
