//! `/v1/assets`: the domains, addresses and blocks a tenant monitors. Register, list, show,
//! change (ports, tags, schedule), delete; issue a challenge (`authorize`), check it (`verify`),
//! attest (tenant administrators, for addresses and blocks), and accept the latest snapshot as
//! the baseline.

pub mod attest;
pub mod authorize;
pub mod baseline;
pub mod create;
pub mod delete;
pub mod get_one;
pub mod list;
pub mod update;
pub mod verify;

use crate::guard;
use chrono::{DateTime, Utc};
use edge::AppState;
use edge::auth::Access;
use edge::rate_limit::Tier;
use platform::UserId;
use platform::access::Permission;
use serde::{Deserialize, Serialize};
use surface::model::{Asset, SnapshotId};
use surface::service::input::AssetInput;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    let view = || Access::Permission(Permission::ASSETS_VIEW);
    let manage = || Access::Permission(Permission::ASSETS_MANAGE);
    OpenApiRouter::new()
        .routes(guard(manage(), Tier::General, routes!(create::create)))
        .routes(guard(view(), Tier::General, routes!(list::list)))
        .routes(guard(view(), Tier::General, routes!(get_one::get_one)))
        .routes(guard(manage(), Tier::General, routes!(update::update, delete::delete)))
        .routes(guard(manage(), Tier::General, routes!(authorize::authorize)))
        .routes(guard(manage(), Tier::Expensive, routes!(verify::verify)))
        .routes(guard(manage(), Tier::General, routes!(attest::attest)))
        .routes(guard(manage(), Tier::General, routes!(baseline::baseline)))
}

/// An asset to register, or the changes to one (absent fields stay as they are).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssetRequest {
    /// `domain`, `ip` or `cidr`. Required on registration; cannot change.
    pub kind: Option<String>,
    /// A domain (Unicode or ASCII; stored lowercase IDNA), an IPv4 or IPv6 address, or a CIDR
    /// block of at most 65,536 addresses. Required on registration; cannot change.
    pub value: Option<String>,
    /// Ports and ranges (`22,80,8000-8100`) and profiles (`top-100`, `top-1000`, `all`);
    /// default `top-1000`.
    pub ports: Option<String>,
    /// At most 20 labels of `a-z 0-9 . _ : / -`.
    pub tags: Option<Vec<String>>,
    /// An interval (`15m` to `90d`) or five cron fields in UTC (`0 3 * * *`); none by default.
    /// On a change, an empty text removes it.
    pub schedule: Option<String>,
}

impl From<AssetRequest> for AssetInput {
    fn from(request: AssetRequest) -> Self {
        AssetInput {
            kind: request.kind,
            value: request.value,
            ports: request.ports,
            tags: request.tags,
            schedule: request.schedule,
        }
    }
}

/// How an asset's authorization was proven.
#[derive(Serialize, ToSchema)]
pub struct AuthorizationItem {
    /// `dns_txt`, `http_file`, `reverse_dns` or `attestation`.
    pub method: String,
    pub authorized_at: DateTime<Utc>,
    /// The last time the proof was checked again and held.
    pub checked_at: DateTime<Utc>,
    /// For an attestation: the administrator.
    pub attested_by: Option<UserId>,
    /// For an attestation: why the tenant may scan it.
    pub reason: Option<String>,
}

/// The challenge to publish: `palisade-verify=<token>` in DNS, or the token as a file's body.
#[derive(Serialize, ToSchema)]
pub struct ChallengeItem {
    pub token: String,
    pub issued_at: DateTime<Utc>,
}

/// A monitored asset.
#[derive(Serialize, ToSchema)]
pub struct AssetItem {
    pub id: surface::model::AssetId,
    /// `domain`, `ip` or `cidr`.
    pub kind: String,
    /// Normalized: lowercase IDNA domains, canonical addresses and blocks.
    pub value: String,
    pub ports: String,
    pub tags: Vec<String>,
    pub schedule: Option<String>,
    /// `pending`, `verifying`, `authorized`, `failed` or `revoked`; only `authorized` assets
    /// are scanned.
    pub status: String,
    /// Why the last check failed or the authorization was revoked.
    pub status_reason: Option<String>,
    pub challenge: Option<ChallengeItem>,
    pub authorization: Option<AuthorizationItem>,
    /// The snapshot changes are reported against.
    pub baseline_snapshot_id: Option<SnapshotId>,
    pub next_scan_at: Option<DateTime<Utc>>,
    pub last_scan_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<Asset> for AssetItem {
    fn from(asset: Asset) -> Self {
        AssetItem {
            id: asset.id,
            kind: asset.kind().as_str().to_string(),
            value: asset.value.to_string(),
            ports: asset.ports.as_str().to_string(),
            tags: asset.tags.as_slice().to_vec(),
            schedule: asset.schedule.as_ref().map(ToString::to_string),
            status: asset.status.as_str().to_string(),
            status_reason: asset.status_reason,
            challenge: asset
                .challenge
                .map(|c| ChallengeItem { token: c.token, issued_at: c.issued_at }),
            authorization: asset.authorization.map(|a| AuthorizationItem {
                method: a.method.as_str().to_string(),
                authorized_at: a.authorized_at,
                checked_at: a.checked_at,
                attested_by: a.attested_by,
                reason: a.reason,
            }),
            baseline_snapshot_id: asset.baseline_snapshot_id,
            next_scan_at: asset.next_scan_at,
            last_scan_at: asset.last_scan_at,
            created_at: asset.created_at,
            updated_at: asset.updated_at,
        }
    }
}
