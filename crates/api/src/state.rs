//! What every handler can reach: the database and the HTTP settings. Cheap to clone.

use crate::metrics::Metrics;
use platform::Db;
use std::sync::Arc;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct HttpSettings {
    pub body_limit_bytes: usize,
    pub request_timeout: Duration,
    /// Whether HSTS may be sent: only when clients reach us over HTTPS.
    pub https: bool,
}

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub http: HttpSettings,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(db: Db, http: HttpSettings) -> Self {
        Self { db, http, metrics: Arc::new(Metrics::new()) }
    }
}
