//! Correlation: `/v1/correlation-rules` (what links alerts, over which window, how many make an
//! incident candidate — read with `ALERTS_VIEW`, managed with `RULES_MANAGE`) and
//! `/v1/correlation-groups` (the groups they formed, with `ALERTS_VIEW`).

pub mod group_get;
pub mod groups_list;
pub mod rule_create;
pub mod rule_delete;
pub mod rule_get;
pub mod rule_update;
pub mod rules_list;

use crate::guard;
use alerts::model::correlation::link_word;
use alerts::model::{CorrelationGroup, CorrelationRule, severity_word};
use alerts::service::correlation::CorrelationInput;
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
        .routes(guard(manage(), Tier::General, routes!(rule_create::create)))
        .routes(guard(view(), Tier::General, routes!(rules_list::list)))
        .routes(guard(view(), Tier::General, routes!(rule_get::get_one)))
        .routes(guard(manage(), Tier::General, routes!(rule_update::update, rule_delete::delete)))
        .routes(guard(view(), Tier::General, routes!(groups_list::list)))
        .routes(guard(view(), Tier::General, routes!(group_get::get_one)))
}

/// A correlation rule to create, or the changes to one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CorrelationRuleRequest {
    /// 1 to 100 characters, unique in the tenant. Required on creation.
    pub name: Option<String>,
    /// Default true.
    pub enabled: Option<bool>,
    /// What links alerts: `host`, `user`, `technique`, or an observable type (`ip`, `domain`,
    /// `file_hash`, `url`, `email`, `process`, `file_name`). Default: host, user, ip, domain,
    /// file_hash, technique.
    pub link_by: Option<Vec<String>>,
    /// How far apart two linked alerts may be: 60 to 604800 seconds (default 1800).
    pub window_secs: Option<i64>,
    /// Members at which a group becomes an incident candidate: 2 to 10000 (default 3).
    pub threshold: Option<i64>,
    /// Less severe alerts are left out (default: none).
    pub min_severity: Option<String>,
}

impl From<CorrelationRuleRequest> for CorrelationInput {
    fn from(r: CorrelationRuleRequest) -> Self {
        CorrelationInput {
            name: r.name,
            enabled: r.enabled,
            link_by: r.link_by,
            window_secs: r.window_secs,
            threshold: r.threshold,
            min_severity: r.min_severity,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CorrelationRuleItem {
    pub id: uuid::Uuid,
    pub name: String,
    pub enabled: bool,
    pub link_by: Vec<String>,
    pub window_secs: i64,
    pub threshold: usize,
    pub min_severity: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<CorrelationRule> for CorrelationRuleItem {
    fn from(rule: CorrelationRule) -> Self {
        CorrelationRuleItem {
            id: rule.id.as_uuid(),
            name: rule.name,
            enabled: rule.enabled,
            link_by: rule.link_by.iter().map(|k| link_word(*k).to_string()).collect(),
            window_secs: rule.window.num_seconds(),
            threshold: rule.threshold,
            min_severity: severity_word(rule.min_severity).into(),
            created_at: rule.created_at,
            updated_at: rule.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SharedKey {
    pub kind: String,
    pub value: String,
}

#[derive(Serialize, ToSchema)]
pub struct GroupMemberItem {
    pub alert_id: uuid::Uuid,
    pub added_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct CorrelationGroupItem {
    pub id: uuid::Uuid,
    pub rule_id: uuid::Uuid,
    pub first_seen_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub member_count: i32,
    /// The indicators its members share.
    pub keys: Vec<SharedKey>,
    /// When it became an incident candidate (`incident.candidate` was emitted).
    pub candidate_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Its alerts (in `GET /v1/correlation-groups/{id}` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<Vec<GroupMemberItem>>,
}

impl CorrelationGroupItem {
    pub fn new(group: CorrelationGroup, with_members: bool) -> Self {
        CorrelationGroupItem {
            id: group.id.as_uuid(),
            rule_id: group.rule_id.as_uuid(),
            first_seen_at: group.first_seen_at,
            last_seen_at: group.last_seen_at,
            member_count: group.member_count,
            keys: group.keys.into_iter().map(|(kind, value)| SharedKey { kind, value }).collect(),
            candidate_at: group.candidate_at,
            created_at: group.created_at,
            updated_at: group.updated_at,
            members: with_members.then(|| {
                group
                    .members
                    .into_iter()
                    .map(|m| GroupMemberItem {
                        alert_id: m.alert_id.as_uuid(),
                        added_at: m.added_at,
                    })
                    .collect()
            }),
        }
    }
}
