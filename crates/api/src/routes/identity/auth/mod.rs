//! `/v1/auth`: logging in and out, refreshing and switching tenant, registering, and `/me`.

pub mod login;
pub mod logout;
pub mod me;
pub mod refresh;
pub mod register;
pub mod switch_tenant;

use crate::guard;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use identity::service::sessions::TokenPair;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(guard(Access::Public, Tier::Auth, routes!(login::login)))
        .routes(guard(Access::Public, Tier::Auth, routes!(refresh::refresh)))
        .routes(guard(Access::Public, Tier::Auth, routes!(register::register)))
        .routes(guard(Access::Authenticated, Tier::General, routes!(logout::logout)))
        .routes(guard(Access::Authenticated, Tier::General, routes!(me::me)))
        .routes(guard(Access::Authenticated, Tier::General, routes!(switch_tenant::switch_tenant)))
}

/// A token pair as the client receives it.
#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    pub access_token: String,
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

impl From<TokenPair> for TokenResponse {
    fn from(pair: TokenPair) -> Self {
        TokenResponse {
            access_token: pair.access_token.expose().clone(),
            refresh_token: pair.refresh_token.expose().clone(),
            token_type: "Bearer",
            expires_in: pair.expires_in,
        }
    }
}
