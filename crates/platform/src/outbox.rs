//! The transactional outbox: `emit` records an event, one delivery per matching channel and one
//! relay job per delivery, inside the caller's own transaction, and announces the event to the
//! live feed at commit. Nothing is dual-written: if the business write rolls back, so does all of
//! this.
//!
//! It owns the `events` and `deliveries` rows and the notification; it must not send anything
//! (the relay in the notify crate does) nor know how a channel delivers.

use crate::jobs::{EnqueueOptions, JobsError, enqueue_named};
use crate::{TenantId, TenantTx};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// The channel PostgreSQL notifies at commit with `{"tenant_id", "event_id"}`: ids only, so that
/// listeners read the row tenant-scoped.
pub const EVENTS_CHANNEL: &str = "palisade_events";

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
pub struct NewEvent<'a> {
    /// `<capability>.<what happened>`, e.g. `surface.port_opened`.
    pub kind: &'a str,
    pub severity: Severity,
    pub title: &'a str,
    pub payload: serde_json::Value,
}

/// The relay job's name; its handler (the notify crate) reads a `RelayPayload`.
pub const RELAY_JOB: &str = "notify.relay_delivery";

/// What the relay job is told: which delivery to send.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct RelayPayload {
    pub tenant_id: TenantId,
    pub delivery_id: Uuid,
}

#[derive(Debug)]
pub struct Emitted {
    pub event_id: Uuid,
    pub deliveries: Vec<Uuid>,
}

/// Records `event` for `tenant` with its deliveries and relay jobs, in the caller's transaction.
#[tracing::instrument(skip(tx, event), fields(kind = event.kind), err)]
pub async fn emit(
    tx: &mut TenantTx,
    tenant: TenantId,
    event: &NewEvent<'_>,
) -> Result<Emitted, JobsError> {
    let event_id = Uuid::now_v7();
    sqlx::query(
        "insert into events (tenant_id, id, type, severity, title, payload) values ($1, $2, $3, $4, $5, $6)",
    )
    .bind(tenant)
    .bind(event_id)
    .bind(event.kind)
    .bind(event.severity.as_str())
    .bind(event.title)
    .bind(&event.payload)
    .execute(&mut **tx)
    .await?;
    let deliveries: Vec<Uuid> = sqlx::query_scalar(
        "insert into deliveries (tenant_id, id, event_id, channel_id)
         select $1, gen_random_uuid(), $2, c.id from channels c
          where c.tenant_id = $1 and c.enabled
            and (cardinality(c.event_types) = 0 or $3 = any (c.event_types))
            and severity_rank($4) >= severity_rank(c.min_severity)
         returning id",
    )
    .bind(tenant)
    .bind(event_id)
    .bind(event.kind)
    .bind(event.severity.as_str())
    .fetch_all(&mut **tx)
    .await?;
    for delivery_id in &deliveries {
        relay(tx, tenant, *delivery_id).await?;
    }
    sqlx::query("select pg_notify($1, $2)")
        .bind(EVENTS_CHANNEL)
        .bind(serde_json::json!({ "tenant_id": tenant, "event_id": event_id }).to_string())
        .execute(&mut **tx)
        .await?;
    Ok(Emitted { event_id, deliveries })
}

/// Queues the relay job of one delivery (also used to re-queue a dead one).
pub async fn relay(
    tx: &mut TenantTx,
    tenant: TenantId,
    delivery_id: Uuid,
) -> Result<(), JobsError> {
    let payload = RelayPayload { tenant_id: tenant, delivery_id };
    // One relay job per delivery at a time: re-queuing replaces a pending one.
    let options = EnqueueOptions {
        job_key: Some(format!("delivery:{delivery_id}")),
        ..EnqueueOptions::default()
    };
    enqueue_named(tx, RELAY_JOB, &serde_json::to_value(payload)?, options).await.map(|_| ())
}
