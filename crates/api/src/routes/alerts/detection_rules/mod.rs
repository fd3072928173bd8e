//! `/v1/detection-rules`: the tenant's Sigma rules, evaluated on every ingested alert and event —
//! read with `ALERTS_VIEW`; created, changed, enabled, disabled, deleted and tested with
//! `RULES_MANAGE`. A rule that does not compile is refused with the parser's message and line.

pub mod create;
pub mod delete;
pub mod enable;
pub mod get_one;
pub mod list;
pub mod test;
pub mod update;

use crate::guard;
use alerts::model::{DetectionRule, severity_word};
use alerts::service::rules::RuleInput;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::access::Permission;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let view = || Access::Permission(Permission::ALERTS_VIEW);
    let manage = || Access::Permission(Permission::RULES_MANAGE);
    OpenApiRouter::new()
        .routes(guard(manage(), Tier::General, routes!(create::create)))
        .routes(guard(view(), Tier::General, routes!(list::list)))
        .routes(guard(view(), Tier::General, routes!(get_one::get_one)))
        .routes(guard(manage(), Tier::General, routes!(update::update, delete::delete)))
        .routes(guard(manage(), Tier::General, routes!(enable::enable)))
        .routes(guard(manage(), Tier::General, routes!(enable::disable)))
        .routes(guard(manage(), Tier::General, routes!(test::test)))
}

/// A rule to create, or the changes to one (absent fields stay as they are).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleRequest {
    /// The rule in SigmaHQ YAML (at most 64 KiB). Required on creation.
    pub yaml: Option<String>,
    /// Default true.
    pub enabled: Option<bool>,
    /// Known-good activity that must not alert: each a Sigma selection (field names with
    /// optional modifiers, to a value or a list of values), e.g. `{"User": "svc_backup"}` or
    /// `{"Image|endswith": "\\backup.exe", "Computer|startswith": "build-"}`. At most 100.
    #[schema(value_type = Option<Vec<Object>>)]
    pub exceptions: Option<Vec<serde_json::Value>>,
}

impl From<RuleRequest> for RuleInput {
    fn from(request: RuleRequest) -> Self {
        RuleInput { yaml: request.yaml, enabled: request.enabled, exceptions: request.exceptions }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RuleItem {
    pub id: uuid::Uuid,
    pub title: String,
    /// The rule's own `id:` (a SigmaHQ UUID), unique in the tenant.
    pub sigma_id: Option<String>,
    pub enabled: bool,
    /// The rule's level: the severity of the alerts it raises.
    pub level: String,
    pub tags: Vec<String>,
    pub yaml: String,
    #[schema(value_type = Vec<Object>)]
    pub exceptions: Vec<serde_json::Value>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<DetectionRule> for RuleItem {
    fn from(rule: DetectionRule) -> Self {
        RuleItem {
            id: rule.id.as_uuid(),
            title: rule.title,
            sigma_id: rule.sigma_id,
            enabled: rule.enabled,
            level: severity_word(rule.level).into(),
            tags: rule.tags,
            yaml: rule.yaml,
            exceptions: rule.exceptions,
            created_at: rule.created_at,
            updated_at: rule.updated_at,
        }
    }
}
