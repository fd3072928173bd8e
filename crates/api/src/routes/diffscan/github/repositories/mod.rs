//! Repositories of an installation whose pull requests are scanned
//! (`/v1/diffscan/github/installations/{id}/repositories`, `/v1/diffscan/github/repositories/{id}`),
//! each with an optional policy and baseline. Deliveries for other repositories are recorded and
//! ignored.

pub mod create;
pub mod delete;
pub mod get_one;
pub mod list;
pub mod update;

use crate::guard;
use crate::routes::diffscan::nullable;
use chrono::{DateTime, Utc};
use diffscan::model::{BaselineId, InstallationId, PolicyId, RepositoryId, RepositoryRecord};
use diffscan::service::github::RepositoryInput;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
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

/// A repository to add, or the changes to one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RepositoryRequest {
    /// `owner/name`, as on GitHub. Required when adding.
    pub full_name: Option<String>,
    /// The policy of its scans; null: the installation's (then the tenant's default).
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<PolicyId>, nullable)]
    pub policy_id: Option<Option<PolicyId>>,
    /// The baseline of its scans; null: none.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<BaselineId>, nullable)]
    pub baseline_id: Option<Option<BaselineId>>,
    pub enabled: Option<bool>,
}

impl From<RepositoryRequest> for RepositoryInput {
    fn from(request: RepositoryRequest) -> Self {
        RepositoryInput {
            full_name: request.full_name,
            policy_id: request.policy_id,
            baseline_id: request.baseline_id,
            enabled: request.enabled,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RepositoryItem {
    pub id: RepositoryId,
    pub installation_id: InstallationId,
    pub full_name: String,
    pub policy_id: Option<PolicyId>,
    pub baseline_id: Option<BaselineId>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<RepositoryRecord> for RepositoryItem {
    fn from(repository: RepositoryRecord) -> Self {
        RepositoryItem {
            id: repository.id,
            installation_id: repository.installation_id,
            full_name: repository.full_name,
            policy_id: repository.policy_id,
            baseline_id: repository.baseline_id,
            enabled: repository.enabled,
            created_at: repository.created_at,
            updated_at: repository.updated_at,
        }
    }
}
