//! GitHub installations, repositories and webhook deliveries as stored (never a token or a
//! webhook secret in the clear).

use super::{BaselineId, InstallationId, PolicyId, RepositoryId, ScanId, WebhookDeliveryId, word};
use chrono::{DateTime, Utc};
use platform::sealing::Sealed;

#[derive(Clone, Debug)]
pub struct InstallationRecord {
    pub id: InstallationId,
    pub name: String,
    /// `https://api.github.com`, or a GitHub Enterprise Server's `https://HOST/api/v3`.
    pub api_url: String,
    /// The name of the check run on each pull request.
    pub check_name: String,
    pub policy_id: Option<PolicyId>,
    pub enabled: bool,
    pub token: Sealed,
    pub webhook_secret: Sealed,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, sqlx::FromRow)]
pub struct RepositoryRecord {
    pub id: RepositoryId,
    pub installation_id: InstallationId,
    /// `owner/name`, as GitHub spells it.
    pub full_name: String,
    pub policy_id: Option<PolicyId>,
    pub baseline_id: Option<BaselineId>,
    pub enabled: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryStatus {
    /// Verified, stored and waiting for its job.
    Queued,
    /// A scan was created for it.
    Processed,
    /// Nothing to do: another event or action, an unconfigured repository, a ping.
    Ignored,
    /// Its job could not handle it (see `detail`).
    Failed,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 4] = [
        DeliveryStatus::Queued,
        DeliveryStatus::Processed,
        DeliveryStatus::Ignored,
        DeliveryStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Queued => "queued",
            DeliveryStatus::Processed => "processed",
            DeliveryStatus::Ignored => "ignored",
            DeliveryStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<DeliveryStatus> {
        word(&DeliveryStatus::ALL, DeliveryStatus::as_str, text)
    }
}

/// A stored webhook delivery; its raw body is read only by its job.
#[derive(Clone, Debug, sqlx::FromRow)]
pub struct DeliveryRecord {
    pub id: WebhookDeliveryId,
    pub installation_id: InstallationId,
    pub delivery_guid: String,
    pub event: String,
    pub action: Option<String>,
    /// The GitHub headers of the delivery (`X-GitHub-*`, `User-Agent`, `Content-Type`).
    pub headers: serde_json::Value,
    pub body_bytes: Option<i32>,
    pub status: String,
    pub detail: Option<String>,
    pub scan_id: Option<ScanId>,
    pub received_at: DateTime<Utc>,
    pub processed_at: Option<DateTime<Utc>>,
}
