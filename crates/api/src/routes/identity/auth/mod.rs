//! `/v1/auth`: logging in and out, refreshing and switching tenant, registering and verifying an
//! address, resetting a forgotten password by email, and the user's own account (`/me`, the
//! password).

pub mod change_password;
pub mod login;
pub mod logout;
pub mod me;
pub mod password_reset;
pub mod password_reset_confirm;
pub mod refresh;
pub mod register;
pub mod switch_tenant;
pub mod update_me;
pub mod verify_email;

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
        // Login is held by identity's login throttle, which slows failures and never a correct
        // password from an address that is not failing: not by a per-address request rate,
        // which everyone behind one NAT would share.
        .routes(guard(Access::Public, Tier::General, routes!(login::login)))
        .routes(guard(Access::Public, Tier::Auth, routes!(refresh::refresh)))
        .routes(guard(Access::Public, Tier::Auth, routes!(register::register)))
        .routes(guard(Access::Public, Tier::Auth, routes!(verify_email::verify_email)))
        .routes(guard(Access::Public, Tier::Auth, routes!(password_reset::password_reset)))
        .routes(guard(
            Access::Public,
            Tier::Auth,
            routes!(password_reset_confirm::password_reset_confirm),
        ))
        .routes(guard(Access::Authenticated, Tier::General, routes!(logout::logout)))
        .routes(guard(Access::Authenticated, Tier::General, routes!(me::me, update_me::update_me)))
        .routes(guard(Access::Authenticated, Tier::Auth, routes!(change_password::change_password)))
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
