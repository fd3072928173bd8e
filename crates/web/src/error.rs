//! How a console request fails: the way to the login page, or an HTML error page in plain words
//! with the status and stable code the API would answer. Internal detail is logged by the edge's
//! mapping (`ApiError::internal`), never shown.

use crate::session::viewer::SignInFirst;
use askama::Template;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use edge::{ApiError, ErrorCode, FieldError};

#[derive(Debug)]
pub enum PageError {
    SignIn(SignInFirst),
    Api(ApiError),
}

impl PageError {
    pub fn forged(message: &str) -> PageError {
        PageError::Api(ApiError::new(ErrorCode::FORBIDDEN, message))
    }

    pub fn bad_request(message: &str) -> PageError {
        PageError::Api(ApiError::new(ErrorCode::BAD_REQUEST, message))
    }

    pub fn not_found(what: &str) -> PageError {
        PageError::Api(ApiError::not_found(what))
    }

    /// The field errors and the sentence to show at the top of a form that was refused, when the
    /// refusal is about what was typed (anything else is an error page).
    pub fn form_errors(&self) -> Option<(String, Vec<FieldError>)> {
        let PageError::Api(error) = self else { return None };
        let problem = error.to_problem();
        matches!(problem.status, 400 | 409 | 422 | 429).then_some((problem.detail, problem.errors))
    }
}

macro_rules! from_domain_errors {
    ($($error:ty),* $(,)?) => {
        $(impl From<$error> for PageError {
            fn from(error: $error) -> Self {
                PageError::Api(ApiError::from(error))
            }
        })*
    };
}

from_domain_errors!(
    ApiError,
    alerts::AlertsError,
    surface::SurfaceError,
    notify::NotifyError,
    identity::ManageError,
    identity::LoginError,
    identity::RefreshError,
    anyhow::Error,
    platform::Invalid,
    platform::PageError,
);

impl From<identity::AuthError> for PageError {
    fn from(error: identity::AuthError) -> Self {
        PageError::Api(edge::auth::unauthenticated(&error))
    }
}

impl From<askama::Error> for PageError {
    fn from(error: askama::Error) -> Self {
        PageError::Api(ApiError::internal(anyhow::anyhow!("rendering a page: {error}")))
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    status: u16,
    title: &'a str,
    code: &'a str,
    detail: &'a str,
    request_id: Option<&'a str>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let error = match self {
            PageError::SignIn(redirect) => return redirect.into_response(),
            PageError::Api(error) => error,
        };
        let problem = error.to_problem();
        let page = ErrorPage {
            status: problem.status,
            title: &problem.title,
            code: &problem.code,
            detail: &problem.detail,
            request_id: problem.request_id.as_deref(),
        };
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = page.render().unwrap_or_else(|_| problem.detail.clone());
        let mut response = (status, Html(body)).into_response();
        if let Ok(code) = HeaderValue::from_str(&problem.code) {
            response.headers_mut().insert("x-palisade-error-code", code);
        }
        response
    }
}
