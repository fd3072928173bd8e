//! `/login`: the sign-in form and its submission. A successful sign-in starts a console session
//! (a new session id every time, so a cookie planted before sign-in is worth nothing) and goes to
//! the page the user first asked for, if that was one of ours.
//!
//! There is no session yet to bind a CSRF token to, so the form carries a random token that must
//! match a short-lived cookie set with the form (double submit), and the `Origin` must be ours.
//! Failures are slowed by identity's login throttle, as for the API.

use crate::error::PageError;
use crate::query::PageQuery;
use crate::session::{Cookie, csrf, read_cookie};
use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use edge::AppState;
use edge::auth::Context;
use identity::{LoginError, SessionKind};
use platform::Secret;
use rand::Rng;
use serde::Deserialize;

const LOGIN_COOKIE: &str = "palisade_login";
const LOGIN_COOKIE_PATH: &str = "/login";
/// How long a sign-in form may wait before it is submitted.
const FORM_LIFETIME_SECONDS: i64 = 30 * 60;

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage<'a> {
    token: &'a str,
    next: &'a str,
    email: &'a str,
    tenant: &'a str,
    error: Option<&'a str>,
}

#[derive(Debug, Deserialize)]
pub struct Next {
    next: Option<String>,
}

/// Only a path of ours may be returned to (never `//host` or a scheme).
fn safe_next(next: Option<&str>) -> &str {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.contains('\\')
                && path.len() <= 2048
                && path.bytes().all(|b| b.is_ascii_graphic()) =>
        {
            path
        }
        _ => "/",
    }
}

fn form(
    status: StatusCode,
    next: &str,
    email: &str,
    tenant: &str,
    error: Option<&str>,
) -> Result<Response, PageError> {
    let token = hex::encode(rand::rng().random::<[u8; 20]>());
    let page = LoginPage { token: &token, next, email, tenant, error };
    let cookie = Cookie::with(LOGIN_COOKIE, &token, LOGIN_COOKIE_PATH, FORM_LIFETIME_SECONDS);
    Ok((status, [(header::SET_COOKIE, cookie.header())], Html(page.render()?)).into_response())
}

pub async fn show(PageQuery(query): PageQuery<Next>) -> Result<Response, PageError> {
    form(StatusCode::OK, safe_next(query.next.as_deref()), "", "", None)
}

#[derive(Debug, Deserialize)]
pub struct Credentials {
    #[serde(rename = "_login")]
    token: String,
    email: String,
    password: String,
    #[serde(default)]
    tenant: String,
    #[serde(default)]
    next: String,
}

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Response, PageError> {
    let allowed = csrf::allowed_origin(&state);
    let sent: Credentials = serde_urlencoded::from_bytes(&body)
        .map_err(|_| PageError::bad_request("The sign-in form could not be read."))?;
    let expected = read_cookie(&headers, LOGIN_COOKIE);
    if !csrf::same_origin(&headers, &allowed) || expected.as_deref() != Some(sent.token.as_str()) {
        return Err(PageError::forged(
            "This sign-in did not come from the console's own form; reload the page and try again.",
        ));
    }
    let next = safe_next(Some(&sent.next));
    if [&sent.email, &sent.password, &sent.tenant]
        .iter()
        .any(|f| f.contains('\0') || f.len() > 1024)
    {
        return form(
            StatusCode::UNPROCESSABLE_ENTITY,
            next,
            "",
            "",
            Some("The email, password or tenant is not valid."),
        );
    }
    let tenant = Some(sent.tenant.trim()).filter(|t| !t.is_empty());
    let password = Secret::new(sent.password);
    let identity = &state.services.identity;
    let refused =
        |status, message: &str| form(status, next, &sent.email, &sent.tenant, Some(message));
    match identity.login(&context, &sent.email, &password, tenant, SessionKind::Console).await {
        Ok(pair) => {
            let max_age = identity.settings().console_max_age.num_seconds();
            let session = Cookie::session(pair.access_token.expose(), max_age);
            let mut response = (
                StatusCode::SEE_OTHER,
                [(
                    header::LOCATION,
                    HeaderValue::from_str(next).unwrap_or(HeaderValue::from_static("/")),
                )],
            )
                .into_response();
            let cookies = response.headers_mut();
            cookies.append(header::SET_COOKIE, session.header());
            cookies.append(
                header::SET_COOKIE,
                Cookie::clear(LOGIN_COOKIE, LOGIN_COOKIE_PATH).header(),
            );
            Ok(response)
        }
        Err(LoginError::InvalidCredentials) => refused(
            StatusCode::UNAUTHORIZED,
            "The email or password is not right, or you have no access to that tenant.",
        ),
        Err(LoginError::EmailNotVerified) => refused(
            StatusCode::FORBIDDEN,
            "Verify your email address first: open the link we sent you.",
        ),
        Err(LoginError::Throttled { retry_after }) => refused(
            StatusCode::TOO_MANY_REQUESTS,
            &format!(
                "Too many failed attempts; try again in {} seconds.",
                retry_after.as_secs().max(1)
            ),
        ),
        Err(other) => Err(other.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_our_own_paths_are_returned_to() {
        assert_eq!(safe_next(Some("/alerts?status=new")), "/alerts?status=new");
        for hostile in ["//evil.example", "https://evil.example", "/\\evil", "alerts", "/a b"] {
            assert_eq!(safe_next(Some(hostile)), "/", "{hostile}");
        }
        assert_eq!(safe_next(None), "/");
    }
}
