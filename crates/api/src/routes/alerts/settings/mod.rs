//! `/v1/alerts/settings`: a tenant's SLA targets per severity and dedup keys per source — read
//! with `ALERTS_VIEW`, replaced with `RULES_MANAGE`.

pub mod get_one;
pub mod update;

use crate::guard;
use edge::ApiError;
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::access::Permission;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(guard(
            Access::Permission(Permission::ALERTS_VIEW),
            Tier::General,
            routes!(get_one::get_one),
        ))
        .routes(guard(
            Access::Permission(Permission::RULES_MANAGE),
            Tier::General,
            routes!(update::update),
        ))
}

/// The settings document. Absent parts take their defaults.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingsDocument {
    /// Per severity word (`critical`, `high` …): the SLA targets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sla: Option<BTreeMap<String, SlaTargets>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dedup: Option<Dedup>,
}

/// Each target 60 to 7,776,000 seconds (90 days), or null for none.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SlaTargets {
    pub acknowledge_secs: Option<i64>,
    pub close_secs: Option<i64>,
}

/// Which keys make two alerts "the same": `analytic` (the rule), `resource` (the hosts), or an
/// observable type (`hostname`, `user`, `ip`, `domain`, `file_hash` …).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Dedup {
    /// Keys for every source (default: analytic, hostname, user, ip).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Vec<String>>,
    /// Keys per source (`wazuh`, `elastic` …), instead of the default.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sources: Option<BTreeMap<String, Vec<String>>>,
}

impl SettingsDocument {
    pub fn from_settings(settings: &alerts::model::TenantAlertSettings) -> Result<Self, ApiError> {
        serde_json::from_value(settings.to_json()).map_err(|e| ApiError::internal(e.into()))
    }
}
