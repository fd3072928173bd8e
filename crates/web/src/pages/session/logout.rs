//! `POST /logout`: ends the console session everywhere (its token and its family are revoked, the
//! live feed closes) and clears the cookie.

use crate::error::PageError;
use crate::form::Submitted;
use crate::session::{Cookie, SESSION_COOKIE};
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    state.services.identity.logout(&context, &form.viewer.principal).await?;
    let clear = Cookie::clear(SESSION_COOKIE, "/").header();
    Ok((
        StatusCode::SEE_OTHER,
        [(header::LOCATION, HeaderValue::from_static("/login")), (header::SET_COOKIE, clear)],
    )
        .into_response())
}
