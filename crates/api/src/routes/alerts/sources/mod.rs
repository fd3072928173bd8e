//! `/v1/alert-sources`: the SIEMs and scripts that push alerts with credentials of their own (a
//! token, or a Standard Webhooks / `X-Signature-256` signing secret), with `RULES_MANAGE`. The
//! credential is in the creation and rotation answers only.

pub mod create;
pub mod delete;
pub mod get_one;
pub mod list;
pub mod rotate;
pub mod update;

use crate::guard;
use alerts::model::AlertSource;
use alerts::service::sources::{SourceInput, SourceWithSecret};
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
    let manage = || Access::Permission(Permission::RULES_MANAGE);
    OpenApiRouter::new()
        .routes(guard(manage(), Tier::General, routes!(create::create, list::list)))
        .routes(guard(
            manage(),
            Tier::General,
            routes!(get_one::get_one, update::update, delete::delete),
        ))
        .routes(guard(manage(), Tier::General, routes!(rotate::rotate)))
}

/// A source to create, or the changes to one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SourceRequest {
    /// 1 to 100 characters, unique in the tenant. Required on creation.
    pub name: Option<String>,
    /// The adapter its pushes go through: `palisade`, `wazuh`, `elastic`, `ocsf`, `sentinel` or
    /// `splunk`. Required on creation; cannot change.
    pub kind: Option<String>,
    /// `token` (default), `standard_webhooks` or `signature_256`. Cannot change.
    pub auth: Option<String>,
    /// Default true; a disabled source's pushes are refused.
    pub enabled: Option<bool>,
}

impl From<SourceRequest> for SourceInput {
    fn from(request: SourceRequest) -> Self {
        SourceInput {
            name: request.name,
            kind: request.kind,
            auth: request.auth,
            enabled: request.enabled,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SourceItem {
    pub id: uuid::Uuid,
    pub name: String,
    pub kind: String,
    pub auth: String,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
}

impl From<AlertSource> for SourceItem {
    fn from(source: AlertSource) -> Self {
        SourceItem {
            id: source.id.as_uuid(),
            name: source.name,
            kind: source.kind.as_str().into(),
            auth: source.auth.as_str().into(),
            enabled: source.enabled,
            created_at: source.created_at,
            updated_at: source.updated_at,
            last_used_at: source.last_used_at,
        }
    }
}

/// A source and its credential, shown this once.
#[derive(Serialize, ToSchema)]
pub struct SourceWithSecretItem {
    #[serde(flatten)]
    pub source: SourceItem,
    /// token: `pit_…`, sent as `X-Palisade-Token`; standard_webhooks: the `whsec_…` signing
    /// secret; signature_256: the hex key of `X-Signature-256`.
    pub secret: String,
}

impl From<SourceWithSecret> for SourceWithSecretItem {
    fn from(made: SourceWithSecret) -> Self {
        SourceWithSecretItem { source: made.source.into(), secret: made.secret.expose().clone() }
    }
}
