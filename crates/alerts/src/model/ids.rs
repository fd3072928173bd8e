//! The capability's typed ids, and the time-ordered ids of alerts: an alert's id is a UUIDv7
//! whose instant is its `created_at` (to the millisecond), so a created-at range is an id range
//! and "newest first" is the primary key read backwards.

use chrono::{DateTime, Utc};
use uuid::Uuid;

platform::id!(
    /// An alert of a tenant's queue.
    pub AlertId,
    "alert"
);
platform::id!(
    /// A configured ingest source (its token or signing secret).
    pub AlertSourceId,
    "alert source"
);
platform::id!(
    /// A Sigma detection rule of a tenant.
    pub DetectionRuleId,
    "detection rule"
);
platform::id!(
    /// A correlation rule of a tenant.
    pub CorrelationRuleId,
    "correlation rule"
);
platform::id!(
    /// A correlation group: alerts linked by shared indicators.
    pub CorrelationGroupId,
    "correlation group"
);
platform::id!(
    /// A bulk change by filter, run as a job.
    pub BulkJobId,
    "bulk job"
);

impl AlertId {
    /// A fresh id whose instant is `at` (cut to the millisecond).
    pub fn at(at: DateTime<Utc>) -> AlertId {
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        let mut bytes = lowest(millis);
        let random: [u8; 10] = rand::random();
        bytes[6] = 0x70 | (random[0] & 0x0f);
        bytes[7] = random[1];
        bytes[8] = 0x80 | (random[2] & 0x3f);
        bytes[9..].copy_from_slice(&random[3..10]);
        AlertId::from_uuid(Uuid::from_bytes(bytes))
    }

    /// The smallest id of the millisecond of `at`: alerts created at or after `at` have ids at
    /// or above it.
    pub fn floor(at: DateTime<Utc>) -> Uuid {
        let millis = u64::try_from(at.timestamp_millis()).unwrap_or(0);
        Uuid::from_bytes(lowest(millis))
    }

    /// The instant in the id.
    pub fn created_at(&self) -> DateTime<Utc> {
        let bytes = self.as_uuid().into_bytes();
        let mut millis = [0u8; 8];
        millis[2..].copy_from_slice(&bytes[..6]);
        DateTime::from_timestamp_millis(i64::from_be_bytes(millis)).unwrap_or_default()
    }
}

/// A UUIDv7 of `millis` with every other bit zero (but the version).
fn lowest(millis: u64) -> [u8; 16] {
    let mut bytes = [0u8; 16];
    bytes[..6].copy_from_slice(&millis.to_be_bytes()[2..]);
    bytes[6] = 0x70;
    bytes
}

/// `at` cut to the millisecond, as alert ids carry it.
pub fn to_millis(at: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(at.timestamp_millis()).unwrap_or(at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_alert_id_carries_its_instant_and_sorts_by_it() {
        let at = DateTime::parse_from_rfc3339("2026-12-20T10:00:00.123456Z").unwrap_or_default();
        let id = AlertId::at(at.with_timezone(&Utc));
        assert_eq!(id.created_at().to_rfc3339(), "2026-12-20T10:00:00.123+00:00");
        assert_eq!(id.as_uuid().get_version_num(), 7);
        assert!(AlertId::floor(id.created_at()) <= id.as_uuid());
        let later = AlertId::at(id.created_at() + chrono::TimeDelta::milliseconds(1));
        assert!(later.as_uuid() > id.as_uuid());
        assert!(AlertId::floor(later.created_at()) > id.as_uuid());
    }
}
