//! Attack-surface pages: assets, scans, changes.

use axum::Router;
use edge::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
}
