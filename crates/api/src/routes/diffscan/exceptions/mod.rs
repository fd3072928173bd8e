//! `/v1/diffscan/exceptions`: a rule (or selector) accepted under a path glob until a day, for a
//! reason, under one policy or all of them. An expired exception stops applying and is reported
//! in every result until it is deleted. Reading needs `DIFFSCAN_VIEW`, changing
//! `POLICIES_MANAGE`.

pub mod create;
pub mod delete;
pub mod get_one;
pub mod list;
pub mod update;

use crate::guard;
use crate::routes::diffscan::nullable;
use chrono::{DateTime, NaiveDate, Utc};
use diffscan::model::{ExceptionId, ExceptionRecord, PolicyId};
use diffscan::service::policies::ExceptionInput;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::UserId;
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

/// An exception to create, or the changes to one (absent fields stay as they are).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExceptionRequest {
    /// The policy it belongs to; absent or null: every policy of the tenant.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<PolicyId>, nullable)]
    pub policy_id: Option<Option<PolicyId>>,
    /// A rule id (`secrets.jwt`), a pattern (`secrets.*`) or a family (`family:secrets`).
    pub rule: Option<String>,
    /// A path glob (`tests/**`; `*` stays inside a directory).
    pub path: Option<String>,
    /// The last day it applies, `YYYY-MM-DD` (today or later).
    pub expires: Option<String>,
    /// Why the finding is accepted: at least eight letters.
    pub reason: Option<String>,
}

impl From<ExceptionRequest> for ExceptionInput {
    fn from(request: ExceptionRequest) -> Self {
        ExceptionInput {
            policy_id: request.policy_id,
            rule: request.rule,
            path: request.path,
            expires: request.expires,
            reason: request.reason,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExceptionItem {
    pub id: ExceptionId,
    /// null: under every policy of the tenant.
    pub policy_id: Option<PolicyId>,
    pub rule: String,
    pub path: String,
    pub expires: NaiveDate,
    /// It expired: it no longer applies and results report it.
    pub expired: bool,
    pub reason: String,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<ExceptionRecord> for ExceptionItem {
    fn from(exception: ExceptionRecord) -> Self {
        ExceptionItem {
            expired: exception.is_expired(Utc::now().date_naive()),
            id: exception.id,
            policy_id: exception.policy_id,
            rule: exception.rule,
            path: exception.path_glob,
            expires: exception.expires_on,
            reason: exception.reason,
            created_by: exception.created_by,
            created_at: exception.created_at,
            updated_at: exception.updated_at,
        }
    }
}
