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
}

/// Claims up to `batch` due rows (oldest first, at most `per_tenant` of a tenant and
/// `per_channel` of a channel) with a lease. Rows another dispatcher is claiming are skipped.
#[tracing::instrument(skip(pool))]
pub(crate) async fn claim(pool: &PgPool, limits: &ClaimLimits<'_>) -> sqlx::Result<Vec<Due>> {
    // Window functions cannot sit beside `for update`, so the rows are locked first (a few more
    // than needed) and ranked after.
    sqlx::query_as(
        "with candidates as (
             select delivery_id, tenant_id, channel_id, due_at from relay.due
              where due_at <= now() and (lease_until is null or lease_until < now())
                and tenant_id <> all ($5) and channel_id <> all ($6)
              order by due_at
              limit $1 * 4
              for update skip locked),
         ranked as (
             select delivery_id, due_at,
                    row_number() over (partition by tenant_id order by due_at) as in_tenant,
                    row_number() over (partition by channel_id order by due_at) as in_channel
               from candidates),
         chosen as (
             select delivery_id from ranked
              where in_tenant <= $3 and in_channel <= $4
              order by due_at limit $1)
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

/// Gives claimed rows back unsent (over a cap after the claim): claimable again at once.
#[tracing::instrument(skip(pool))]
pub(crate) async fn release(pool: &PgPool, deliveries: &[DeliveryId]) -> sqlx::Result<()> {
    sqlx::query("update relay.due set lease_until = null where delivery_id = any ($1)")
        .bind(deliveries)
        .execute(pool)
        .await
        .map(|_| ())
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

/// Makes failed deliveries due again at their next attempt, unleased.
#[tracing::instrument(skip(tx))]
pub(crate) async fn reschedule(
    tx: &mut TenantTx,
    deliveries: &[DeliveryId],
    due_at: &[DateTime<Utc>],
) -> sqlx::Result<()> {
    if deliveries.is_empty() {
        return Ok(());
    }
    sqlx::query(
        "update relay.due d set due_at = r.due_at, lease_until = null
           from unnest($2::uuid[], $3::timestamptz[]) as r (delivery_id, due_at)
          where d.tenant_id = $1 and d.delivery_id = r.delivery_id",
    )
    .bind(tx.tenant())
    .bind(deliveries)
    .bind(due_at)
    .execute(&mut **tx)
    .await
    .map(|_| ())
}
