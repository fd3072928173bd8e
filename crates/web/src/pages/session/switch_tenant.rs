//! `POST /session/tenant`: continues in another tenant of the same user. The new tenant gets a
//! session of its own and the old one ends, so one browser holds one session.

use crate::error::PageError;
use crate::form::Submitted;
use crate::session::Cookie;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use identity::SessionKind;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    let target = form.get("tenant").ok_or_else(|| PageError::bad_request("Choose a tenant."))?;
    let identity = &state.services.identity;
    let principal = &form.viewer.principal;
    let pair = identity
        .switch_tenant(&context, principal, target, SessionKind::Console)
        .await?
        .ok_or_else(|| PageError::not_found("tenant"))?;
    if let Err(error) = identity.logout(&context, principal).await {
        tracing::warn!(error = %error, "ending the session left by a tenant switch failed");
    }
    let max_age = identity.settings().console_max_age.num_seconds();
    let cookie = Cookie::session(pair.access_token.expose(), max_age);
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, HeaderValue::from_static("/")), (header::SET_COOKIE, cookie.header())],
    )
        .into_response())
}
