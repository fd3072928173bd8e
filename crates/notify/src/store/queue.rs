//! The relay's queue, `relay.due`: which deliveries are due, for every tenant (ids and times
//! only). A dispatcher claims a batch with a lease; the delivery itself is then read and written
//! in its tenant's transaction. This is platform data like the job queue, so the claim runs on
//! the pool, not in a `TenantTx`; what a row leads to is decided in `crate::relay`.

use chrono::{DateTime, Utc};
use platform::{ChannelId, DeliveryId, TenantId, TenantTx};
use sqlx::PgPool;
use std::time::Duration;

/// A claimed queue row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, sqlx::FromRow)]
pub(crate) struct Due {
    pub tenant_id: TenantId,
    pub delivery_id: DeliveryId,
    pub channel_id: ChannelId,
}

/// What one claim may take.
#[derive(Debug)]
pub(crate) struct ClaimLimits<'a> {
    pub batch: i64,
    pub per_tenant: i64,
    pub per_channel: i64,
    pub lease: Duration,
    /// Tenants and channels already at their cap of sends in flight: nothing of theirs.
    pub busy_tenants: &'a [TenantId],
    pub busy_channels: &'a [ChannelId],
    /// Sends already in flight per tenant and per channel, which count against the caps.
    pub tenants_in_flight: (&'a [TenantId], &'a [i64]),
    pub channels_in_flight: (&'a [ChannelId], &'a [i64]),
}

/// Claims up to `batch` due rows (oldest first, at most `per_tenant` of a tenant and
/// `per_channel` of a channel, counting those in flight) with a lease. Rows another dispatcher
/// is claiming at the same moment are skipped.
#[tracing::instrument(skip(pool))]
pub(crate) async fn claim(pool: &PgPool, limits: &ClaimLimits<'_>) -> sqlx::Result<Vec<Due>> {
    // The candidates are ranked without a lock and only the chosen rows are locked: locking
    // while scanning (`for update` beside the window functions is not allowed) locked every
    // candidate, a few times the batch, and with one busy channel that was thirty row locks per
    // row claimed. A row another claim took meanwhile is skipped while locked and, once that
    // claim committed, fails the lease check on its new version; the loser of a race claims less
    // and looks again when a send ends or the next row falls due.
    sqlx::query_as(
        "with candidates as (
             select delivery_id, tenant_id, channel_id, due_at from relay.due
              where due_at <= now() and (lease_until is null or lease_until < now())
                and tenant_id <> all ($5) and channel_id <> all ($6)
              order by due_at
              limit $1 * 4),
         ranked as (
             select c.delivery_id, c.due_at,
                    row_number() over (partition by c.tenant_id order by c.due_at)
                        + coalesce(t.n, 0) as in_tenant,
                    row_number() over (partition by c.channel_id order by c.due_at)
                        + coalesce(ch.n, 0) as in_channel
               from candidates c
               left join unnest($7::uuid[], $8::int8[]) as t (tenant_id, n)
                 on t.tenant_id = c.tenant_id
               left join unnest($9::uuid[], $10::int8[]) as ch (channel_id, n)
                 on ch.channel_id = c.channel_id),
         chosen as (
             select d.delivery_id from relay.due d
              where d.delivery_id = any (array(
                        select delivery_id from ranked
                         where in_tenant <= $3 and in_channel <= $4
                         order by due_at limit $1))
                and (d.lease_until is null or d.lease_until < now())
              for update skip locked)
         update relay.due d set lease_until = now() + make_interval(secs => $2)
           from chosen where d.delivery_id = chosen.delivery_id
         returning d.tenant_id, d.delivery_id, d.channel_id",
    )
    .bind(limits.batch)
    .bind(limits.lease.as_secs_f64())
    .bind(limits.per_tenant)
    .bind(limits.per_channel)
    .bind(limits.busy_tenants)
    .bind(limits.busy_channels)
    .bind(limits.tenants_in_flight.0)
    .bind(limits.tenants_in_flight.1)
    .bind(limits.channels_in_flight.0)
    .bind(limits.channels_in_flight.1)
    .fetch_all(pool)
    .await
}

/// Claims the one row of `delivery` of `tenant` when it is due and not leased.
#[tracing::instrument(skip(pool))]
pub(crate) async fn claim_one(
    pool: &PgPool,
    tenant: TenantId,
    delivery: DeliveryId,
    lease: Duration,
) -> sqlx::Result<Option<Due>> {
    sqlx::query_as(
        "update relay.due set lease_until = now() + make_interval(secs => $3)
          where delivery_id = $1 and tenant_id = $2 and due_at <= now()
            and (lease_until is null or lease_until < now())
         returning tenant_id, delivery_id, channel_id",
    )
    .bind(delivery)
    .bind(tenant)
    .bind(lease.as_secs_f64())
    .fetch_optional(pool)
    .await
}

/// When the next unleased row that `limits` would let a claim take falls due, if any (the
/// dispatcher sleeps until then).
#[tracing::instrument(skip(pool))]
pub(crate) async fn next_due(
    pool: &PgPool,
    limits: &ClaimLimits<'_>,
) -> sqlx::Result<Option<DateTime<Utc>>> {
    sqlx::query_scalar(
        "select min(due_at) from relay.due
          where (lease_until is null or lease_until < now())
            and tenant_id <> all ($1) and channel_id <> all ($2)",
    )
    .bind(limits.busy_tenants)
    .bind(limits.busy_channels)
    .fetch_one(pool)
    .await
}

/// Removes the rows of deliveries that are finished (delivered, dead) or gone.
#[tracing::instrument(skip(tx))]
pub(crate) async fn remove(tx: &mut TenantTx, deliveries: &[DeliveryId]) -> sqlx::Result<()> {
    if deliveries.is_empty() {
        return Ok(());
    }
    sqlx::query("delete from relay.due where tenant_id = $1 and delivery_id = any ($2)")
        .bind(tx.tenant())
        .bind(deliveries)
        .execute(&mut **tx)
        .await
        .map(|_| ())
}
