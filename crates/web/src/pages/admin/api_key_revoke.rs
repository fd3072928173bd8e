//! `POST /admin/api-keys/{id}/revoke`: revokes a key of the tenant through identity's
//! `revoke_api_key` (`API_KEYS_MANAGE`); it stops working at once, in every process. Revoking a
//! revoked key changes nothing; another tenant's key, or a malformed id, is not found. Back to
//! the key list.

use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::Response;
use edge::AppState;
use edge::auth::Context;
use platform::ApiKeyId;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id: ApiKeyId = parse_id(&id)?;
    state.services.identity.revoke_api_key(&context, &form.viewer.principal, id).await?;
    Ok(see_other("/admin/api-keys"))
}
