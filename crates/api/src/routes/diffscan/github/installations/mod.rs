//! `/v1/diffscan/github/installations`: a GitHub API (github.com or Enterprise Server) with a
//! token that may read pull requests and write checks, the webhook secret that signs its
//! deliveries (generated and shown once unless given), the check run's name and a default
//! policy. Tokens and secrets are sealed at rest and never returned.

pub mod create;
pub mod delete;
pub mod get_one;
pub mod list;
pub mod update;

use crate::guard;
use crate::routes::diffscan::nullable;
use chrono::{DateTime, Utc};
use diffscan::model::{InstallationId, PolicyId};
use diffscan::service::github::{InstallationInput, InstallationView};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::Secret;
use platform::access::Permission;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let view = || Access::Permission(Permission::DIFFSCAN_VIEW);
    let manage = || Access::Permission(Permission::POLICIES_MANAGE);
    OpenApiRouter::new()
        .routes(guard(manage(), Tier::General, routes!(create::create)))
        .routes(guard(view(), Tier::General, routes!(list::list)))
        .routes(guard(view(), Tier::General, routes!(get_one::get_one)))
        .routes(guard(manage(), Tier::General, routes!(update::update)))
        .routes(guard(manage(), Tier::General, routes!(delete::delete)))
}

/// An installation to create, or the changes to one (absent fields stay as they are).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InstallationRequest {
    /// 1 to 100 characters, unique in the tenant. Required on creation.
    pub name: Option<String>,
    /// The REST API's base URL: `https://api.github.com` (default) or
    /// `https://HOST/api/v3`; checked by the outbound guard.
    pub api_url: Option<String>,
    /// A token with pull requests: read and checks: write (sealed, never shown). Required on
    /// creation.
    pub token: Option<String>,
    /// The webhook secret (16 to 1024 visible characters); generated when absent on creation.
    pub webhook_secret: Option<String>,
    /// Generates a new webhook secret, shown in this response only.
    #[serde(default)]
    pub rotate_webhook_secret: bool,
    /// The check run's name on each pull request (default `Palisade Diffscan`).
    pub check_name: Option<String>,
    /// The policy its scans use when the repository names none; null clears it.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<PolicyId>, nullable)]
    pub policy_id: Option<Option<PolicyId>>,
    pub enabled: Option<bool>,
}

impl From<InstallationRequest> for InstallationInput {
    fn from(request: InstallationRequest) -> Self {
        InstallationInput {
            name: request.name,
            api_url: request.api_url,
            token: request.token.map(Secret::new),
            webhook_secret: request.webhook_secret.map(Secret::new),
            rotate_webhook_secret: request.rotate_webhook_secret,
            check_name: request.check_name,
            policy_id: request.policy_id,
            enabled: request.enabled,
        }
    }
}

/// An installation: never its token or webhook secret (except a generated secret, once).
#[derive(Serialize, ToSchema)]
pub struct InstallationItem {
    pub id: InstallationId,
    pub name: String,
    pub api_url: String,
    pub check_name: String,
    pub policy_id: Option<PolicyId>,
    pub enabled: bool,
    /// Set this as the webhook's payload URL (content type `application/json`, event
    /// "Pull requests").
    pub webhook_url: String,
    /// A generated webhook secret: shown in this response only.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub webhook_secret: Option<String>,
    /// The id of the key its secrets are sealed with.
    pub secret_key_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<InstallationView> for InstallationItem {
    fn from(view: InstallationView) -> Self {
        let installation = view.installation;
        InstallationItem {
            id: installation.id,
            name: installation.name,
            api_url: installation.api_url,
            check_name: installation.check_name,
            policy_id: installation.policy_id,
            enabled: installation.enabled,
            webhook_url: view.webhook_url,
            webhook_secret: view.webhook_secret.map(|s| s.expose().clone()),
            secret_key_id: installation.token.key_id,
            created_at: installation.created_at,
            updated_at: installation.updated_at,
        }
    }
}
