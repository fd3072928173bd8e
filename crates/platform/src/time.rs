//! `Timestamp`: an instant every part of the system can store. PostgreSQL's `timestamptz` spans
//! 4713 BC to 294276 AD and chrono's `DateTime` a different range, so an instant from a client (a
//! query filter, a cursor, a field of a body) is accepted only in years 1 to 9999, written as RFC
//! 3339. Outside that it is a clear client error, never a database error.
//!
//! It must not accept other formats silently (no bare dates, no epoch numbers).

use chrono::{DateTime, Datelike, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, sqlx::Type)]
#[sqlx(transparent)]
pub struct Timestamp(DateTime<Utc>);

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    #[error("not an RFC 3339 timestamp such as 2026-12-01T09:30:00Z")]
    Format,
    #[error("outside the years 1 to 9999")]
    OutOfRange,
}

impl Timestamp {
    pub fn now() -> Timestamp {
        Timestamp(Utc::now())
    }

    /// Parses RFC 3339 text (any offset, stored as UTC) in years 1 to 9999.
    pub fn parse(text: &str) -> Result<Timestamp, TimestampError> {
        let at = DateTime::parse_from_rfc3339(text.trim()).map_err(|_| TimestampError::Format)?;
        Timestamp::from_datetime(at.with_timezone(&Utc))
    }

    /// An instant of ours (the clock, a row), checked against the range like any other.
    pub fn from_datetime(at: DateTime<Utc>) -> Result<Timestamp, TimestampError> {
        match (1..=9999).contains(&at.year()) {
            true => Ok(Timestamp(at)),
            false => Err(TimestampError::OutOfRange),
        }
    }

    /// An instant of ours held to the range: the database's clock and rows are always inside it,
    /// so this is the identity for them (used for page keys made from rows).
    pub fn saturating(at: DateTime<Utc>) -> Timestamp {
        let bounds = (
            DateTime::<Utc>::from_timestamp(-62_135_596_800, 0),
            DateTime::<Utc>::from_timestamp(253_402_300_799, 999_999_999),
        );
        match bounds {
            (Some(first), _) if at < first => Timestamp(first),
            (_, Some(last)) if at > last => Timestamp(last),
            _ => Timestamp(at),
        }
    }

    pub fn as_datetime(&self) -> DateTime<Utc> {
        self.0
    }
}

impl From<Timestamp> for DateTime<Utc> {
    fn from(at: Timestamp) -> DateTime<Utc> {
        at.0
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true))
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<str>::deserialize(deserializer)?;
        Timestamp::parse(&text).map_err(|e| serde::de::Error::custom(format!("{text:.40}: {e}")))
    }
}

impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some("RFC 3339, years 1 to 9999"))
            .into()
    }
}

impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_in_years_one_to_9999_is_accepted_and_kept_as_utc() {
        let at = Timestamp::parse("2026-12-01T10:30:00+01:00").map(|t| t.to_string());
        assert_eq!(at.as_deref(), Ok("2026-12-01T09:30:00Z"));
        assert!(Timestamp::parse("0001-01-01T00:00:00Z").is_ok());
        assert!(Timestamp::parse("9999-12-31T23:59:59Z").is_ok());
    }

    #[test]
    fn saturating_keeps_instants_in_range_and_clamps_the_rest() {
        let now = Utc::now();
        assert_eq!(Timestamp::saturating(now).as_datetime(), now);
        assert_eq!(Timestamp::saturating(DateTime::<Utc>::MIN_UTC).as_datetime().year(), 1);
        assert_eq!(Timestamp::saturating(DateTime::<Utc>::MAX_UTC).as_datetime().year(), 9999);
    }

    #[test]
    fn other_formats_and_years_outside_the_range_are_refused() {
        assert_eq!(Timestamp::parse("yesterday"), Err(TimestampError::Format));
        assert_eq!(Timestamp::parse("2026-12-01"), Err(TimestampError::Format));
        assert_eq!(Timestamp::parse("0000-01-01T00:00:00Z"), Err(TimestampError::OutOfRange));
        let ancient = serde_json::from_str::<Timestamp>("\"-100000-01-01T00:00:00Z\"");
        assert!(ancient.is_err());
    }
}
