//! `/v1/diffscan/baselines`: named sets of accepted findings by fingerprint. Filled from entries
//! or from a scan's open findings (`add_from_scan`); a scan naming a baseline (or whose
//! repository does) marks findings in it `baselined`, and they no longer block. Reading needs
//! `DIFFSCAN_VIEW`, changing `POLICIES_MANAGE`.

pub mod create;
pub mod delete;
pub mod entries;
pub mod get_one;
pub mod list;
pub mod update;

use crate::guard;
use chrono::{DateTime, Utc};
use diffscan::model::{BaselineEntry, BaselineId, BaselineRecord, ScanId};
use diffscan::service::baselines::BaselineInput;
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
        .routes(guard(view(), Tier::General, routes!(entries::entries)))
}

/// One accepted finding.
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EntryItem {
    /// The finding's `fingerprint` (64 lowercase hex digits).
    pub fingerprint: String,
    /// Its rule id, for people reading the baseline.
    pub rule: String,
    pub path: Option<String>,
}

impl From<BaselineEntry> for EntryItem {
    fn from(entry: BaselineEntry) -> Self {
        EntryItem { fingerprint: entry.fingerprint, rule: entry.rule, path: entry.path }
    }
}

/// A baseline to create, or the changes to one (absent fields stay as they are).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BaselineRequest {
    /// 1 to 100 characters, unique in the tenant. Required on creation.
    pub name: Option<String>,
    pub description: Option<String>,
    /// Entries to add (at most 10000 per request).
    #[serde(default)]
    pub entries: Vec<EntryItem>,
    /// Adds every open finding of this finished scan.
    pub add_from_scan: Option<ScanId>,
    /// Fingerprints to remove (at most 10000 per request).
    #[serde(default)]
    pub remove: Vec<String>,
}

impl From<BaselineRequest> for BaselineInput {
    fn from(request: BaselineRequest) -> Self {
        BaselineInput {
            name: request.name,
            description: request.description,
            add: request.entries.into_iter().map(|e| (e.fingerprint, e.rule, e.path)).collect(),
            add_from_scan: request.add_from_scan,
            remove: request.remove,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BaselineItem {
    pub id: BaselineId,
    pub name: String,
    pub description: String,
    /// How many findings it accepts (`GET /v1/diffscan/baselines/{id}/entries`).
    pub entries: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<BaselineRecord> for BaselineItem {
    fn from(baseline: BaselineRecord) -> Self {
        BaselineItem {
            id: baseline.id,
            name: baseline.name,
            description: baseline.description,
            entries: baseline.entries,
            created_at: baseline.created_at,
            updated_at: baseline.updated_at,
        }
    }
}
