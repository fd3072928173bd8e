//! Small answers every console action shares: after a successful form, the page to go to next
//! (303 See Other, so a reload does not post again).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

/// 303 to `path`, which must be one of our own paths (callers build it from ids and constants).
pub fn see_other(path: &str) -> Response {
    let location = HeaderValue::from_str(path).unwrap_or(HeaderValue::from_static("/"));
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}
