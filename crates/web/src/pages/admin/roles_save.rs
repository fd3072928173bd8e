//! `POST /admin/roles`: saves the role grid through identity's `update_roles` (`ROLES_MANAGE`;
//! nobody grants what they do not hold, the locked role and the lock-out rules are the
//! service's). The form names every editable role it shows (`role`) and each checked box as
//! `grant=ROLE:PERMISSION`, so a role whose boxes are all cleared is saved empty rather than left
//! out. `POST /admin/roles/reset` restores the defaults (`reset_roles`). A refusal of what was
//! submitted is said above the grid, which shows what was submitted.

use super::roles::{Grid, render};
use crate::error::PageError;
use crate::form::Submitted;
use crate::notice::Notice;
use crate::respond::see_other;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use std::collections::BTreeMap;

/// More boxes than any grid has: a form this large is not ours.
const MAX_GRANTS: usize = 4096;

pub async fn save(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    let grid = submitted_grid(&form)?;
    let changes: BTreeMap<String, Vec<String>> =
        grid.iter().map(|(role, set)| (role.clone(), set.iter().cloned().collect())).collect();
    let identity = &state.services.identity;
    let refused = match identity.update_roles(&context, &form.viewer.principal, &changes).await {
        Ok(_) => return Ok(see_other("/admin/roles?done=saved")),
        Err(refused) => refused,
    };
    let (status, notice) = Notice::refusal(refused.into())?;
    let page = render(&state, &form.viewer, notice, Some(&grid)).await?;
    Ok((status, Html(page)).into_response())
}

pub async fn reset(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    let identity = &state.services.identity;
    let refused = match identity.reset_roles(&context, &form.viewer.principal).await {
        Ok(_) => return Ok(see_other("/admin/roles?done=reset")),
        Err(refused) => refused,
    };
    let (status, notice) = Notice::refusal(refused.into())?;
    let page = render(&state, &form.viewer, notice, None).await?;
    Ok((status, Html(page)).into_response())
}

/// The roles the form showed, each with the permissions checked for it. Names are checked by
/// the service; only the shape is checked here.
fn submitted_grid(form: &Submitted) -> Result<Grid, PageError> {
    let grants = form.all("grant");
    if grants.len() > MAX_GRANTS {
        return Err(PageError::bad_request("The form has more boxes than the grid."));
    }
    let mut grid: Grid =
        form.all("role").into_iter().map(|r| (r.to_string(), Default::default())).collect();
    for grant in grants {
        let (role, permission) = grant.split_once(':').ok_or_else(|| {
            PageError::bad_request("A box of the grid was not a role and a permission.")
        })?;
        grid.entry(role.to_string()).or_default().insert(permission.to_string());
    }
    Ok(grid)
}
