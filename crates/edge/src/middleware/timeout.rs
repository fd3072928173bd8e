//! Answers 503 REQUEST_TIMEOUT when a handler takes longer than the configured time; the handler's
//! future is dropped, which rolls back any open transaction.

use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub async fn layer(State(state): State<AppState>, request: Request, next: Next) -> Response {
    match tokio::time::timeout(state.http.request_timeout, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::new(
            ErrorCode::REQUEST_TIMEOUT,
            format!(
                "The request did not finish within {} seconds and was abandoned.",
                state.http.request_timeout.as_secs()
            ),
        )
        .into_response(),
    }
}
