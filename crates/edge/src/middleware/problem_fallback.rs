//! Guarantees that every error response is problem+json: a 4xx/5xx produced below us without a
//! problem body (axum's 405, a body-limit 413, a panic-free rejection we did not wrap) is replaced
//! by the problem for its status. The console's HTML error pages are answers written on purpose
//! and pass as they are.

use crate::error::{ApiError, ErrorCode, PROBLEM_JSON};
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn layer(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let content_type = response.headers().get(header::CONTENT_TYPE);
    let is_answer = content_type.is_some_and(|v| {
        v.as_bytes().starts_with(PROBLEM_JSON.as_bytes()) || v.as_bytes().starts_with(b"text/html")
    });
    if status.as_u16() < 400 || is_answer {
        return response;
    }
    let (code, detail) = match status {
        StatusCode::NOT_FOUND => (ErrorCode::NOT_FOUND, "No resource at this path."),
        StatusCode::METHOD_NOT_ALLOWED => {
            (ErrorCode::METHOD_NOT_ALLOWED, "This resource does not support this method.")
        }
        StatusCode::PAYLOAD_TOO_LARGE => {
            (ErrorCode::PAYLOAD_TOO_LARGE, "The request body is larger than allowed.")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => {
            (ErrorCode::UNSUPPORTED_MEDIA_TYPE, "This content type is not accepted here.")
        }
        StatusCode::UNAUTHORIZED => (ErrorCode::UNAUTHENTICATED, "Authentication is required."),
        StatusCode::FORBIDDEN => (ErrorCode::FORBIDDEN, "You are not allowed to do this."),
        StatusCode::TOO_MANY_REQUESTS => (ErrorCode::RATE_LIMITED, "Too many requests."),
        s if s.is_server_error() => (ErrorCode::INTERNAL_ERROR, "An internal error occurred."),
        _ => (ErrorCode::BAD_REQUEST, "The request could not be processed."),
    };
    let mut problem = ApiError::new(code, detail).into_response();
    // Keep headers such as Allow (405) and Retry-After (429) that describe the error.
    for (name, value) in response.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            problem.headers_mut().insert(name.clone(), value.clone());
        }
    }
    problem
}
