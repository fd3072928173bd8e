//! Request body limits: `http.body_limit_bytes` for every route, and a larger limit for the few
//! paths a router declares (`HttpSettings::route_body_limits`: the alert ingestion routes take
//! 10 MiB). A declared length over the limit is answered 413 at once; a body that grows past it
//! while being read fails its extractor with the same 413. It must not read the body itself.

use crate::error::{ApiError, ErrorCode};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// The limits of every path.
#[derive(Clone, Debug)]
pub struct BodyLimits {
    default: usize,
    routes: Arc<Vec<(String, usize)>>,
}

impl BodyLimits {
    pub fn new(default: usize, routes: &[(String, usize)]) -> BodyLimits {
        BodyLimits { default, routes: Arc::new(routes.to_vec()) }
    }

    /// The largest body allowed on `path`.
    pub fn for_path(&self, path: &str) -> usize {
        self.routes
            .iter()
            .filter(|(prefix, _)| path.starts_with(prefix.as_str()))
            .map(|(_, limit)| *limit)
            .max()
            .unwrap_or(self.default)
    }
}

pub async fn layer(State(limits): State<BodyLimits>, request: Request, next: Next) -> Response {
    let limit = limits.for_path(request.uri().path());
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit as u64) {
        return ApiError::new(
            ErrorCode::PAYLOAD_TOO_LARGE,
            "The request body is larger than allowed.",
        )
        .into_response();
    }
    let (parts, body) = request.into_parts();
    let body = Body::new(http_body_util::Limited::new(body, limit));
    next.run(Request::from_parts(parts, body)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_prefix_gets_its_own_limit_and_everything_else_the_default() {
        let limits = BodyLimits::new(1024, &[("/v1/alerts/ingest".to_string(), 10 << 20)]);
        assert_eq!(limits.for_path("/v1/alerts/ingest/wazuh"), 10 << 20);
        assert_eq!(limits.for_path("/v1/alerts"), 1024);
        assert_eq!(limits.for_path("/healthz"), 1024);
    }
}
