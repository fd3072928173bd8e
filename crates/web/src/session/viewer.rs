//! `Viewer`: the signed-in user of a console page, with the session's CSRF token for the forms it
//! renders. Without a session a page answers with the way to the login page: a redirect for a
//! page load, `HX-Redirect` for an htmx request.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use edge::AppState;
use edge::auth::AuthOutcome;
use platform::access::{Credential, Permission, Principal};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct Viewer {
    pub principal: Arc<Principal>,
    pub csrf: String,
}

impl Viewer {
    pub fn can(&self, permission: Permission) -> bool {
        self.principal.can(permission)
    }
}

/// Where an unauthenticated page request is sent.
#[derive(Debug)]
pub struct SignInFirst {
    back_to: String,
    htmx: bool,
}

impl IntoResponse for SignInFirst {
    fn into_response(self) -> Response {
        let target = format!("/login?next={}", percent(&self.back_to));
        let location = HeaderValue::from_str(&target).unwrap_or(HeaderValue::from_static("/login"));
        if self.htmx {
            return (StatusCode::UNAUTHORIZED, [("hx-redirect", location)]).into_response();
        }
        (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
    }
}

/// `text` percent-encoded for a query value (unreserved characters and `/` kept).
pub fn percent(text: &str) -> String {
    text.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = SignInFirst;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, SignInFirst> {
        let refused = || SignInFirst {
            back_to: parts.uri.path_and_query().map(|p| p.as_str()).unwrap_or("/").to_string(),
            htmx: parts.headers.contains_key("hx-request"),
        };
        let Some(AuthOutcome::Authenticated(principal)) = parts.extensions.get::<AuthOutcome>()
        else {
            return Err(refused());
        };
        // Only a console session reaches a page: a bearer token sent by a script is an API
        // client's, and it has no CSRF binding.
        if !matches!(principal.credential, Credential::AccessToken { .. })
            || parts.headers.contains_key(header::AUTHORIZATION)
        {
            return Err(refused());
        }
        let csrf = state.services.identity.csrf_token(principal).ok_or_else(refused)?;
        Ok(Viewer { principal: principal.clone(), csrf })
    }
}
