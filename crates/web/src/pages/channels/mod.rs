//! Notification channel pages.

use axum::Router;
use edge::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
