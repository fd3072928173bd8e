//! Surface's typed values and entities: the ids, an asset's port list and tags, the lifecycle of
//! an asset and of a scan, how an authorization was proven, and the asset, scan, snapshot and
//! change as the service hands them out. Asset values themselves (domain, IP, CIDR) are the
//! engine's `AssetValue`, parsed there. SQL lives in `store`; parsing request fields in
//! `service::input`.

use chrono::{DateTime, Utc};
use platform::{Timestamp, UserId};
use serde::{Deserialize, Serialize};
use std::fmt;
use surface_engine::values::PortSpec;
pub use surface_engine::values::{AssetKind, AssetValue};

use crate::schedule::Schedule;

platform::id!(
    /// A domain, IP address or CIDR block a tenant monitors.
    pub AssetId,
    "asset"
);
platform::id!(
    /// One scan of one asset.
    pub ScanId,
    "scan"
);
platform::id!(
    /// The normalized result of one completed scan.
    pub SnapshotId,
    "snapshot"
);
platform::id!(
    /// One change event between a snapshot and its asset's baseline.
    pub ChangeId,
    "change"
);

macro_rules! text_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
        pub enum $name { $(#[serde(rename = $text)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

text_enum!(
    /// Where an asset is in its life: registered (`pending`), a challenge issued (`verifying`),
    /// proven (`authorized`), a check that failed (`failed`), or proof that was lost on a
    /// re-check (`revoked`). Only `authorized` assets are scanned.
    AssetStatus {
        Pending => "pending",
        Verifying => "verifying",
        Authorized => "authorized",
        Failed => "failed",
        Revoked => "revoked",
    }
);

text_enum!(
    /// How an asset's authorization to scan was proven.
    AuthMethod {
        DnsTxt => "dns_txt",
        HttpFile => "http_file",
        ReverseDns => "reverse_dns",
        Attestation => "attestation",
    }
);

text_enum!(
    /// Where a scan is: waiting for the worker, running, or finished one of three ways.
    ScanStatus {
        Queued => "queued",
        Running => "running",
        Completed => "completed",
        Failed => "failed",
        Cancelled => "cancelled",
    }
);

text_enum!(
    /// Who asked for a scan.
    ScanTrigger {
        Manual => "manual",
        Schedule => "schedule",
    }
);

impl ScanStatus {
    /// Whether the scan is over (nothing more will change it).
    pub fn is_final(self) -> bool {
        matches!(self, ScanStatus::Completed | ScanStatus::Failed | ScanStatus::Cancelled)
    }
}

/// The ports an asset is scanned on, as the user wrote them (items trimmed, joined by commas,
/// profile names kept) and as the set they name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ports {
    text: String,
    spec: PortSpec,
}

impl Ports {
    /// What an asset is scanned on when its creator does not say.
    pub const DEFAULT: &'static str = "top-1000";
    const MAX_CHARS: usize = 2000;

    pub fn parse(text: &str) -> Result<Ports, String> {
        if text.chars().count() > Self::MAX_CHARS {
            return Err(format!("at most {} characters", Self::MAX_CHARS));
        }
        let spec = PortSpec::parse(text).map_err(|e| e.to_string())?;
        let text = text.split(',').map(str::trim).collect::<Vec<_>>().join(",");
        Ok(Ports { text, spec })
    }

    pub fn default_ports() -> Ports {
        let spec = PortSpec::parse(Self::DEFAULT)
            .unwrap_or_else(|_| PortSpec::profile(surface_engine::values::PortProfile::Top1000));
        Ports { text: Self::DEFAULT.to_string(), spec }
    }

    pub fn as_str(&self) -> &str {
        &self.text
    }

    pub fn spec(&self) -> &PortSpec {
        &self.spec
    }
}

/// An asset's labels: at most 20, each 1 to 64 of `a-z 0-9 . _ : / -` after lowercasing, each
/// once, in the order given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tags(Vec<String>);

impl Tags {
    pub const MAX: usize = 20;
    const MAX_CHARS: usize = 64;

    pub fn parse(tags: &[String]) -> Result<Tags, String> {
        if tags.len() > Self::MAX {
            return Err(format!("at most {} tags", Self::MAX));
        }
        let mut kept: Vec<String> = Vec::with_capacity(tags.len());
        for tag in tags {
            let tag = Tags::parse_one(tag)?;
            if !kept.contains(&tag) {
                kept.push(tag);
            }
        }
        Ok(Tags(kept))
    }

    /// One tag, as a list filter names it.
    pub fn parse_one(tag: &str) -> Result<String, String> {
        let tag = tag.trim().to_lowercase();
        let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || "._:/-".contains(c);
        if tag.is_empty() || tag.chars().count() > Self::MAX_CHARS || !tag.chars().all(allowed) {
            return Err(format!(
                "`{tag:.64}` is not a tag: 1 to 64 of a-z, 0-9, `.`, `_`, `:`, `/` and `-`"
            ));
        }
        Ok(tag)
    }

    pub fn as_slice(&self) -> &[String] {
        &self.0
    }
}

/// The open challenge of an asset: the token to publish, and when it was issued.
#[derive(Clone, Debug)]
pub struct Challenge {
    pub token: String,
    pub issued_at: DateTime<Utc>,
}

/// How and when an asset's authorization was proven.
#[derive(Clone, Debug)]
pub struct Authorization {
    pub method: AuthMethod,
    pub authorized_at: DateTime<Utc>,
    /// The last time the proof was checked again (and held).
    pub checked_at: DateTime<Utc>,
    /// For an attestation: who attested, and why.
    pub attested_by: Option<UserId>,
    pub reason: Option<String>,
}

/// A monitored asset.
#[derive(Clone, Debug)]
pub struct Asset {
    pub id: AssetId,
    pub value: AssetValue,
    pub ports: Ports,
    pub tags: Tags,
    pub schedule: Option<Schedule>,
    pub status: AssetStatus,
    /// Why the last check failed or the asset was revoked.
    pub status_reason: Option<String>,
    pub challenge: Option<Challenge>,
    pub authorization: Option<Authorization>,
    pub baseline_snapshot_id: Option<SnapshotId>,
    pub next_scan_at: Option<DateTime<Utc>>,
    pub last_scan_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Asset {
    pub fn kind(&self) -> AssetKind {
        self.value.kind()
    }
}

/// A scan's progress: port verdicts reached out of all it will reach, and hosts finished.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ScanProgress {
    pub done: i64,
    pub total: i64,
    pub hosts_done: i32,
}

/// One scan of an asset.
#[derive(Clone, Debug)]
pub struct Scan {
    pub id: ScanId,
    pub asset_id: AssetId,
    pub trigger: ScanTrigger,
    pub status: ScanStatus,
    /// The port list scanned (the asset's, when the scan was asked for).
    pub ports: String,
    pub requested_by: Option<UserId>,
    pub progress: ScanProgress,
    /// Hosts that answered and their open ports, once completed.
    pub hosts_up: Option<i32>,
    pub open_ports: Option<i32>,
    /// Change events the scan produced, once completed.
    pub changes: Option<i32>,
    pub snapshot_id: Option<SnapshotId>,
    /// Why it failed.
    pub error: Option<String>,
    pub cancel_requested_at: Option<DateTime<Utc>>,
    pub queued_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A stored snapshot; `document` is the engine's canonical snapshot.
#[derive(Clone, Debug)]
pub struct SnapshotRecord {
    pub id: SnapshotId,
    pub asset_id: AssetId,
    pub scan_id: ScanId,
    pub sha256: String,
    pub hosts: i32,
    pub open_ports: i32,
    pub document: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

/// A stored change event.
#[derive(Clone, Debug)]
pub struct Change {
    pub id: ChangeId,
    pub asset_id: AssetId,
    pub scan_id: ScanId,
    pub snapshot_id: SnapshotId,
    /// `PORT_OPENED`, `CERT_ROTATED`, …
    pub kind: String,
    pub severity: String,
    pub address: String,
    pub server_name: Option<String>,
    pub port: Option<i32>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    /// The outbox event it was announced with.
    pub event_id: platform::EventId,
    pub acked_at: Option<DateTime<Utc>>,
    pub acked_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
}

/// Filters of the assets list; `None` does not filter.
#[derive(Clone, Debug, Default)]
pub struct AssetFilter {
    pub kind: Option<AssetKind>,
    pub status: Option<AssetStatus>,
    pub tag: Option<String>,
}

/// Filters of the changes list; `None` does not filter.
#[derive(Clone, Debug, Default)]
pub struct ChangeFilter {
    pub asset_id: Option<AssetId>,
    /// `PORT_OPENED`, … (any of them).
    pub kinds: Vec<String>,
    /// Exactly one of these severities (any of them).
    pub severities: Vec<String>,
    /// At least this severe.
    pub min_severity: Option<platform::outbox::Severity>,
    pub acked: Option<bool>,
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ports_keep_the_users_spelling_and_the_set_it_names() {
        let ports = Ports::parse(" 22 , 80,8000-8100 ").unwrap_or_else(|_| Ports::default_ports());
        assert_eq!(ports.as_str(), "22,80,8000-8100");
        assert_eq!(ports.spec().len(), 103);
        assert_eq!(Ports::parse("top-100,61999").map(|p| p.spec().len()), Ok(101));
        assert!(Ports::parse("0").is_err());
        assert!(Ports::parse("99999999999999999999").is_err());
        assert!(Ports::parse(&"1,".repeat(1500)).is_err());
        assert_eq!(Ports::default_ports().spec().len(), 1000);
    }

    #[test]
    fn tags_are_lowercased_deduplicated_and_bounded() {
        let tags = Tags::parse(&["Prod".into(), "prod".into(), "team:web".into()]);
        assert_eq!(tags.map(|t| t.as_slice().to_vec()), Ok(vec!["prod".into(), "team:web".into()]));
        assert!(Tags::parse(&["has space".into()]).is_err());
        assert!(Tags::parse(&["".into()]).is_err());
        assert!(Tags::parse(&vec!["a".to_string(); 21]).is_err());
    }

    #[test]
    fn statuses_round_trip_through_their_names() {
        for status in AssetStatus::ALL {
            assert_eq!(AssetStatus::parse(status.as_str()), Some(*status));
        }
        assert!(ScanStatus::Cancelled.is_final() && !ScanStatus::Running.is_final());
        assert_eq!(AuthMethod::parse("dns_txt"), Some(AuthMethod::DnsTxt));
    }
}
