//! Alert statistics over a range of creation hours: counts by status and severity, mean time to
//! acknowledge and to close, and SLA breaches. They come from the hourly roll-up, so a range is
//! whole hours: `from` is rounded down and `to` up to the hour.

use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use detect::Severity;
use std::collections::BTreeMap;

/// The hours a statistics request covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StatsRange {
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
}

impl StatsRange {
    /// The range widened to whole hours.
    pub fn hours(self) -> StatsRange {
        let hour = TimeDelta::hours(1);
        let down = |at: DateTime<Utc>| at.duration_trunc(hour).unwrap_or(at);
        let up = |at: DateTime<Utc>| {
            let floor = down(at);
            if floor == at { at } else { floor + hour }
        };
        StatsRange { from: self.from.map(down), to: self.to.map(up) }
    }
}

/// Counts of one severity (or of all), by status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub new: i64,
    pub acknowledged: i64,
    pub investigating: i64,
    pub closed: i64,
}

impl StatusCounts {
    pub fn total(&self) -> i64 {
        self.new + self.acknowledged + self.investigating + self.closed
    }

    pub fn add(&mut self, other: &StatusCounts) {
        self.new += other.new;
        self.acknowledged += other.acknowledged;
        self.investigating += other.investigating;
        self.closed += other.closed;
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct AlertStats {
    /// The range the figures cover (whole hours).
    pub range: StatsRange,
    pub by_status: StatusCounts,
    pub by_severity: BTreeMap<Severity, StatusCounts>,
    /// Mean time from creation to the first acknowledgement, of the alerts acknowledged.
    pub mtta_seconds: Option<f64>,
    /// Mean time from creation to closing, of the alerts closed.
    pub mttr_seconds: Option<f64>,
    pub ack_breaches: i64,
    pub close_breaches: i64,
}
