//! The hourly roll-up `alert_stats`: deltas applied in the transaction of the change that causes
//! them (sorted, so that concurrent writers lock rows in one order), and the sums over a range
//! of hours that `GET /v1/alerts/stats` answers from.

use crate::model::AlertStatus;
use crate::model::stats::{StatsRange, StatusCounts};
use chrono::{DateTime, DurationRound, TimeDelta, Utc};
use platform::TenantTx;
use std::collections::BTreeMap;

/// What one change adds to one (hour, severity) row.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct Delta {
    pub counts: [i64; 4],
    pub acknowledged_total: i64,
    pub ack_seconds: f64,
    pub close_seconds: f64,
    pub ack_breaches: i64,
    pub close_breaches: i64,
}

impl Delta {
    pub fn count(status: AlertStatus, n: i64) -> Delta {
        let mut delta = Delta::default();
        delta.counts[slot(status)] = n;
        delta
    }

    pub fn moved(from: AlertStatus, to: AlertStatus) -> Delta {
        let mut delta = Delta::default();
        delta.counts[slot(from)] -= 1;
        delta.counts[slot(to)] += 1;
        delta
    }

    fn add(&mut self, other: &Delta) {
        for (mine, theirs) in self.counts.iter_mut().zip(other.counts) {
            *mine += theirs;
        }
        self.acknowledged_total += other.acknowledged_total;
        self.ack_seconds += other.ack_seconds;
        self.close_seconds += other.close_seconds;
        self.ack_breaches += other.ack_breaches;
        self.close_breaches += other.close_breaches;
    }
}

fn slot(status: AlertStatus) -> usize {
    match status {
        AlertStatus::New => 0,
        AlertStatus::Acknowledged => 1,
        AlertStatus::Investigating => 2,
        AlertStatus::Closed => 3,
    }
}

/// The hour an alert created at `at` is counted in.
pub(crate) fn bucket(at: DateTime<Utc>) -> DateTime<Utc> {
    at.duration_trunc(TimeDelta::hours(1)).unwrap_or(at)
}

/// Deltas summed per (hour, severity), ready to apply.
#[derive(Debug, Default)]
pub(crate) struct Deltas(BTreeMap<(DateTime<Utc>, i16), Delta>);

impl Deltas {
    pub fn add(&mut self, created_at: DateTime<Utc>, severity: i16, delta: Delta) {
        self.0.entry((bucket(created_at), severity)).or_default().add(&delta);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

#[tracing::instrument(skip_all, fields(rows = deltas.0.len()))]
pub(crate) async fn apply(tx: &mut TenantTx, deltas: &Deltas) -> sqlx::Result<()> {
    if deltas.is_empty() {
        return Ok(());
    }
    let mut buckets = Vec::new();
    let mut severities = Vec::new();
    let mut columns: [Vec<i64>; 7] = Default::default();
    let (mut ack_seconds, mut close_seconds) = (Vec::new(), Vec::new());
    for ((bucket, severity), delta) in &deltas.0 {
        buckets.push(*bucket);
        severities.push(*severity);
        for (column, value) in columns.iter_mut().zip([
            delta.counts[0],
            delta.counts[1],
            delta.counts[2],
            delta.counts[3],
            delta.acknowledged_total,
            delta.ack_breaches,
            delta.close_breaches,
        ]) {
            column.push(value);
        }
        ack_seconds.push(delta.ack_seconds);
        close_seconds.push(delta.close_seconds);
    }
    sqlx::query(
        "insert into alert_stats as s (tenant_id, bucket, severity, new_count, acknowledged_count,
                                       investigating_count, closed_count, acknowledged_total,
                                       ack_breaches, close_breaches, ack_seconds, close_seconds)
         select $1, u.* from unnest($2::timestamptz[], $3::int2[], $4::int8[], $5::int8[],
                                    $6::int8[], $7::int8[], $8::int8[], $9::int8[], $10::int8[],
                                    $11::float8[], $12::float8[]) as u
         on conflict (tenant_id, bucket, severity) do update
            set new_count = s.new_count + excluded.new_count,
                acknowledged_count = s.acknowledged_count + excluded.acknowledged_count,
                investigating_count = s.investigating_count + excluded.investigating_count,
                closed_count = s.closed_count + excluded.closed_count,
                acknowledged_total = s.acknowledged_total + excluded.acknowledged_total,
                ack_breaches = s.ack_breaches + excluded.ack_breaches,
                close_breaches = s.close_breaches + excluded.close_breaches,
                ack_seconds = s.ack_seconds + excluded.ack_seconds,
                close_seconds = s.close_seconds + excluded.close_seconds",
    )
    .bind(tx.tenant())
    .bind(&buckets)
    .bind(&severities)
    .bind(&columns[0])
    .bind(&columns[1])
    .bind(&columns[2])
    .bind(&columns[3])
    .bind(&columns[4])
    .bind(&columns[5])
    .bind(&columns[6])
    .bind(&ack_seconds)
    .bind(&close_seconds)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}

/// One severity's sums over a range.
#[derive(Debug, sqlx::FromRow)]
pub(crate) struct Sums {
    pub severity: i16,
    pub new_count: i64,
    pub acknowledged_count: i64,
    pub investigating_count: i64,
    pub closed_count: i64,
    pub acknowledged_total: i64,
    pub ack_seconds: f64,
    pub close_seconds: f64,
    pub ack_breaches: i64,
    pub close_breaches: i64,
}

impl Sums {
    pub fn counts(&self) -> StatusCounts {
        StatusCounts {
            new: self.new_count,
            acknowledged: self.acknowledged_count,
            investigating: self.investigating_count,
            closed: self.closed_count,
        }
    }
}

/// The sums per severity over the hours of `range` (whole hours already).
#[tracing::instrument(skip(tx))]
pub(crate) async fn sums(tx: &mut TenantTx, range: StatsRange) -> sqlx::Result<Vec<Sums>> {
    sqlx::query_as(
        "select severity, sum(new_count)::int8 as new_count,
                sum(acknowledged_count)::int8 as acknowledged_count,
                sum(investigating_count)::int8 as investigating_count,
                sum(closed_count)::int8 as closed_count,
                sum(acknowledged_total)::int8 as acknowledged_total,
                sum(ack_seconds)::float8 as ack_seconds, sum(close_seconds)::float8 as close_seconds,
                sum(ack_breaches)::int8 as ack_breaches, sum(close_breaches)::int8 as close_breaches
           from alert_stats
          where tenant_id = $1 and ($2::timestamptz is null or bucket >= $2)
            and ($3::timestamptz is null or bucket < $3)
          group by severity order by severity",
    )
    .bind(tx.tenant())
    .bind(range.from)
    .bind(range.to)
    .fetch_all(&mut **tx)
    .await
}

/// Alerts created per UTC day over the last `days` days (today included), oldest first; days
/// without alerts are absent.
#[tracing::instrument(skip(tx))]
pub(crate) async fn daily(
    tx: &mut TenantTx,
    days: i32,
) -> sqlx::Result<Vec<(chrono::NaiveDate, i64)>> {
    sqlx::query_as(
        "select (bucket at time zone 'utc')::date as day,
                sum(new_count + acknowledged_count + investigating_count + closed_count)::int8
           from alert_stats
          where tenant_id = $1
            and bucket >= date_trunc('day', now() at time zone 'utc') at time zone 'utc'
                          - make_interval(days => $2 - 1)
          group by 1 order by 1",
    )
    .bind(tx.tenant())
    .bind(days)
    .fetch_all(&mut **tx)
    .await
}
