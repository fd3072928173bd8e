//! What every handler can reach: the database, identity, notifications, the rate limiter and the
//! HTTP settings. Cheap to clone.

use crate::metrics::Metrics;
use crate::rate_limit::{RateLimiter, RateLimits};
use identity::Identity;
use notify::Notify;
use notify::feed::Hub;
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
    pub identity: Identity,
    /// Channels, events, deliveries.
    pub notify: Notify,
    /// The live feed's rooms (`/v1/ws`); its listener is spawned by whoever serves the router.
    pub feed: Hub,
    pub limiter: RateLimiter,
    pub http: HttpSettings,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(
        identity: Identity,
        notify: Notify,
        feed: Hub,
        http: HttpSettings,
        limits: RateLimits,
    ) -> Self {
        Self {
            db: identity.db().clone(),
            identity,
            notify,
            feed,
            limiter: RateLimiter::new(limits),
            http,
            metrics: Arc::new(Metrics::new()),
        }
    }
}
