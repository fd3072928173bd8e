//! The console session: the `palisade_session` cookie carries the session's access token (a
//! console session of identity: an ordinary token family whose token lives the idle timeout and
//! is renewed past half of it). `layer` authenticates the cookie on the console's routes and
//! renews it; `Viewer` is the signed-in user for a page; `csrf` guards every state change.
//!
//! The cookie is `HttpOnly; Secure; SameSite=Strict; Path=/`: scripts cannot read it, no other
//! site's request carries it, and a plain-HTTP hop never sees it. It must never accept an API
//! key (a key is not a session: it cannot be logged out nor CSRF-bound).

mod cookie;
pub mod csrf;
pub(crate) mod viewer;

use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use edge::AppState;
use edge::auth::AuthOutcome;
use std::sync::Arc;

pub use cookie::{Cookie, read_cookie};
pub use viewer::Viewer;

pub use edge::auth::console::SESSION_COOKIE;

/// Authenticates the session cookie (when no bearer credential came with the request), renews
/// its token when due, and clears a cookie that no longer names a live session.
pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = authenticated(state, request, next).await;
    // Same-origin referrers let the browser name the origin of the console's own form posts
    // (under `no-referrer` it sends `Origin: null`); other sites still learn nothing.
    response.headers_mut().insert(header::REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    response
}

async fn authenticated(state: AppState, mut request: Request, next: Next) -> Response {
    let presented = read_cookie(request.headers(), SESSION_COOKIE);
    let already =
        matches!(request.extensions().get::<AuthOutcome>(), Some(AuthOutcome::Authenticated(_)));
    let (Some(token), false) = (presented, already) else { return next.run(request).await };
    let identity = &state.services.identity;
    let mut set_cookie = None;
    let outcome = if identity::credentials::looks_like_api_key(&token) {
        set_cookie = Some(Cookie::clear(SESSION_COOKIE, "/"));
        AuthOutcome::Anonymous
    } else {
        match identity.authenticate(&token, None).await {
            Ok(principal) => {
                match identity.renew_console_session(&principal).await {
                    Ok(Some(renewed)) => {
                        let max_age = identity.settings().console_max_age.num_seconds();
                        set_cookie = Some(Cookie::session(renewed.access_token.expose(), max_age));
                    }
                    Ok(None) => {}
                    Err(error) => {
                        tracing::warn!(error = %error, "renewing a console session failed")
                    }
                }
                AuthOutcome::Authenticated(Arc::new(principal))
            }
            Err(identity::AuthError::Unexpected(cause)) => {
                AuthOutcome::Refused(Arc::new(identity::AuthError::Unexpected(cause)))
            }
            Err(_) => {
                set_cookie = Some(Cookie::clear(SESSION_COOKIE, "/"));
                AuthOutcome::Anonymous
            }
        }
    };
    if let AuthOutcome::Authenticated(principal) = &outcome {
        tracing::Span::current().record("tenant_id", tracing::field::display(principal.tenant));
    }
    request.extensions_mut().insert(outcome);
    let mut response = next.run(request).await;
    if let Some(cookie) = set_cookie
        && !response.headers().contains_key(header::SET_COOKIE)
    {
        response.headers_mut().append(header::SET_COOKIE, cookie.header());
    }
    response
}
