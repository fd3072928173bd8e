//! `/v1/diffscan/rule-packs`: a tenant's own rules, in the built-in pack's YAML format. A pack is
//! validated by the engine before it is stored (regexes, globs, fields, and every rule's
//! positive and negative examples), refused with the line of each problem, and enabled packs run
//! beside the built-in pack in every scan of the tenant. Reading needs `DIFFSCAN_VIEW`, changing
//! `POLICIES_MANAGE`.

pub mod create;
pub mod delete;
pub mod get_one;
pub mod list;
pub mod update;

use crate::guard;
use chrono::{DateTime, Utc};
use diffscan::model::{RulePackId, RulePackRecord};
use diffscan::service::rule_packs::RulePackInput;
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

/// A pack to create, or the changes to one.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RulePackRequest {
    /// The pack's YAML (at most 2 MiB). Required on creation; its `name` names the pack.
    pub source: Option<String>,
    /// Default true; a disabled pack is kept but not run.
    pub enabled: Option<bool>,
}

impl From<RulePackRequest> for RulePackInput {
    fn from(request: RulePackRequest) -> Self {
        RulePackInput { source: request.source, enabled: request.enabled }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RulePackItem {
    pub id: RulePackId,
    pub name: String,
    pub version: i32,
    pub description: String,
    /// SHA-256 of the source: scans name it in their `rules_digest`.
    pub digest: String,
    pub rules: Vec<String>,
    pub enabled: bool,
    /// The YAML (only when one pack is read).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<RulePackRecord> for RulePackItem {
    fn from(pack: RulePackRecord) -> Self {
        RulePackItem {
            id: pack.id,
            name: pack.name,
            version: pack.version,
            description: pack.description,
            digest: pack.digest,
            rules: pack.rule_ids,
            enabled: pack.enabled,
            source: pack.source,
            created_at: pack.created_at,
            updated_at: pack.updated_at,
        }
    }
}
