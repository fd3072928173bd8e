//! The transactional outbox: `emit` records an event, one delivery per matching channel and its
//! place in the relay's queue (`relay.due`), inside the caller's own transaction, and at commit
//! wakes the relay and announces the event to the live feed. Nothing is dual-written: if the business write rolls back, so does all of
//! this. A capability calls `emit(&mut tx, &Event { kind, severity, subject, payload })` inside
//! the transaction of the change that caused the event.
//!
//! It is the only writer of `events` and `deliveries` rows (a channel's test event goes through
//! `emit_to_channel`); it must not send anything (the relay in the notify crate does) nor know
//! how a channel delivers.

use crate::{ChannelId, DeliveryId, EventId, TenantTx};
use serde::{Deserialize, Serialize};
use std::fmt;

/// The channel PostgreSQL notifies at commit with `{"tenant_id", "event_id"}`: ids only, so that
/// listeners read the row tenant-scoped.
pub const EVENTS_CHANNEL: &str = "palisade_events";

/// The channel PostgreSQL notifies at commit when deliveries became due: the relay's wake-up.
pub const RELAY_CHANNEL: &str = "palisade_relay";

/// At most this many delivery attempts, then the delivery is dead.
pub const MAX_DELIVERY_ATTEMPTS: i32 = 5;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL: [Severity; 5] =
        [Severity::Info, Severity::Low, Severity::Medium, Severity::High, Severity::Critical];

    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        Severity::ALL.into_iter().find(|s| s.as_str() == text)
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An event as a domain describes it.
#[derive(Clone, Debug)]
pub struct Event<'a> {
    /// `<capability>.<what happened>`, e.g. `surface.port_opened` (lowercase, digits, `_`, `.`).
    pub kind: &'a str,
    pub severity: Severity,
    /// One line saying what happened, as a message subject or feed summary (cut at 500
    /// characters).
    pub subject: &'a str,
    pub payload: serde_json::Value,
}

/// What `emit` wrote.
#[derive(Debug)]
pub struct Emitted {
    pub event_id: EventId,
    pub deliveries: Vec<DeliveryId>,
}

/// Which channels get a delivery.
enum Audience {
    /// Every enabled channel whose event types and minimum severity match.
    Subscribers,
    /// This one channel, whatever its filters (its test event).
    Channel(ChannelId),
}

/// Records `event` for the transaction's tenant, with one queued delivery per matching channel,
/// in the caller's transaction.
pub async fn emit(tx: &mut TenantTx, event: &Event<'_>) -> Result<Emitted, sqlx::Error> {
    record(tx, event, Audience::Subscribers).await
}

/// Records `event` with one delivery, to `channel` only (a channel's test), in the caller's
/// transaction.
pub async fn emit_to_channel(
    tx: &mut TenantTx,
    event: &Event<'_>,
    channel: ChannelId,
) -> Result<Emitted, sqlx::Error> {
    record(tx, event, Audience::Channel(channel)).await
}

#[tracing::instrument(skip_all, fields(kind = event.kind, tenant = %tx.tenant()), err)]
async fn record(
    tx: &mut TenantTx,
    event: &Event<'_>,
    audience: Audience,
) -> Result<Emitted, sqlx::Error> {
    let tenant = tx.tenant();
    let event_id = EventId::generate();
    let subject: String = event.subject.chars().take(500).collect();
    // One round trip, since every write of every capability pays it: the event, a delivery per
    // matching channel with its queue row, the relay's wake-up when there is one, and the live
    // feed's notification (both sent by PostgreSQL at commit, never before). The deliveries'
    // foreign key to the event is checked at the end of the statement, when the event exists.
    let deliveries: Vec<DeliveryId> = sqlx::query_scalar(
        "with event as (
             insert into events (tenant_id, id, type, severity, title, payload)
             values ($1, $2, $3, $4, $6, $7)),
         inserted as (
             insert into deliveries (tenant_id, id, event_id, channel_id)
             select $1, gen_random_uuid(), $2, c.id from channels c
              where c.tenant_id = $1
                and case when $5::uuid is null
                         then c.enabled
                              and (cardinality(c.event_types) = 0 or $3 = any (c.event_types))
                              and severity_rank($4) >= severity_rank(c.min_severity)
                         else c.id = $5 end
             returning tenant_id, id, channel_id),
         queued as (
             insert into relay.due (delivery_id, tenant_id, channel_id)
             select id, tenant_id, channel_id from inserted),
         woken as (
             select pg_notify($8, '') from inserted limit 1),
         fed as (
             select pg_notify($9, $10))
         select array(select id from inserted)
           from (select count(*) from woken) as w, (select count(*) from fed) as f",
    )
    .bind(tenant)
    .bind(event_id)
    .bind(event.kind)
    .bind(event.severity.as_str())
    .bind(match audience {
        Audience::Subscribers => None,
        Audience::Channel(channel) => Some(channel),
    })
    .bind(&subject)
    .bind(&event.payload)
    .bind(RELAY_CHANNEL)
    .bind(EVENTS_CHANNEL)
    .bind(serde_json::json!({ "tenant_id": tenant, "event_id": event_id }).to_string())
    .fetch_one(&mut **tx)
    .await?;
    Ok(Emitted { event_id, deliveries })
}

/// Puts one delivery of the transaction's tenant (back) in the relay's queue, due now: a dead or
/// failed delivery retried by hand.
pub async fn relay(
    tx: &mut TenantTx,
    delivery_id: DeliveryId,
    channel_id: ChannelId,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "insert into relay.due (delivery_id, tenant_id, channel_id) values ($1, $2, $3)
         on conflict (delivery_id) do update set due_at = now(), lease_until = null",
    )
    .bind(delivery_id)
    .bind(tx.tenant())
    .bind(channel_id)
    .execute(&mut **tx)
    .await?;
    wake_relay(tx).await
}

/// Wakes the relay's dispatchers at commit.
async fn wake_relay(tx: &mut TenantTx) -> Result<(), sqlx::Error> {
    sqlx::query("select pg_notify($1, '')").bind(RELAY_CHANNEL).execute(&mut **tx).await.map(|_| ())
}
