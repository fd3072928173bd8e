//! What every handler can reach: the services, the rate limiter, the HTTP settings and the
//! metrics. Cheap to clone. Handlers take the part they need (`State<Identity>`, `State<Notify>`,
//! `State<Db>` …) through the `FromRef` sub-states, so a handler's signature says what it uses.

use crate::metrics::Metrics;
use crate::rate_limit::{RateLimiter, RateLimits};
use crate::services::Services;
use crate::settings::HttpSettings;
use alerts::Alerts;
use axum::extract::FromRef;
use diffscan::Diffscan;
use identity::Identity;
use notify::Notify;
use notify::feed::Hub;
use platform::Db;
use std::sync::Arc;
use surface::Surface;

/// Cheap to clone (one reference count): every middleware and extractor of every request takes
/// a copy, and copying the services and settings themselves cost a dozen reference counts and
/// the settings' allocations each time.
#[derive(Clone)]
pub struct AppState {
    shared: Arc<Shared>,
}

/// What the state holds.
#[derive(Clone)]
pub struct Shared {
    pub services: Services,
    pub limiter: RateLimiter,
    pub http: HttpSettings,
    pub metrics: Arc<Metrics>,
}

impl std::ops::Deref for AppState {
    type Target = Shared;

    fn deref(&self) -> &Shared {
        &self.shared
    }
}

/// Changing a state (a router adding its body limits before it serves, a test adjusting a
/// setting) changes this copy only: the shared part is copied first if others hold it.
impl std::ops::DerefMut for AppState {
    fn deref_mut(&mut self) -> &mut Shared {
        Arc::make_mut(&mut self.shared)
    }
}

impl AppState {
    pub fn new(services: Services, http: HttpSettings, limits: RateLimits) -> Self {
        let mut metrics = Metrics::new();
        services.diffscan.metrics().register(metrics.registry_mut());
        let limiter = RateLimiter::new(limits);
        let metrics = Arc::new(metrics);
        AppState { shared: Arc::new(Shared { services, limiter, http, metrics }) }
    }
}

impl FromRef<AppState> for Db {
    fn from_ref(state: &AppState) -> Db {
        state.services.db.clone()
    }
}

impl FromRef<AppState> for Identity {
    fn from_ref(state: &AppState) -> Identity {
        state.services.identity.clone()
    }
}

impl FromRef<AppState> for Notify {
    fn from_ref(state: &AppState) -> Notify {
        state.services.notify.clone()
    }
}

impl FromRef<AppState> for Alerts {
    fn from_ref(state: &AppState) -> Alerts {
        state.services.alerts.clone()
    }
}

impl FromRef<AppState> for Diffscan {
    fn from_ref(state: &AppState) -> Diffscan {
        state.services.diffscan.clone()
    }
}

impl FromRef<AppState> for Surface {
    fn from_ref(state: &AppState) -> Surface {
        state.services.surface.clone()
    }
}

impl FromRef<AppState> for Hub {
    fn from_ref(state: &AppState) -> Hub {
        state.services.feed.clone()
    }
}

impl FromRef<AppState> for Arc<Metrics> {
    fn from_ref(state: &AppState) -> Arc<Metrics> {
        state.metrics.clone()
    }
}

impl FromRef<AppState> for RateLimiter {
    fn from_ref(state: &AppState) -> RateLimiter {
        state.limiter.clone()
    }
}
