//! The delivery relay: the job behind `platform::outbox::RELAY_JOB`. One run makes at most one
//! attempt at one delivery:
//!
//! 1. in the tenant's transaction, lock the delivery row (`for update skip locked`): a row held by
//!    another relay, already delivered or dead, or whose next attempt is not due, is left alone;
//! 2. mark it `delivering` with one more attempt and send through the channel's sender, still
//!    holding the lock (an attempt is bounded by the send timeout), so two relays racing on one
//!    delivery can never both send;
//! 3. record the outcome: `delivered`; or `failed` with the error and the next attempt queued
//!    after a backoff; or `dead` after `MAX_DELIVERY_ATTEMPTS`.
//!
//! A relay that dies mid-way (process killed) rolls back: the row is as before the attempt and the
//! job is recovered by the runners, so nothing is lost (the receiver may see the message twice,
//! with the same `webhook-id`: at least once). `last_error` never carries a URL or a secret.

use crate::crypto::channel_aad;
use crate::error::NotifyError;
use crate::model::{Channel, DeliveryStatus, EventRow};
use crate::send::{Attempt, SendError};
use crate::service::Notify;
use crate::store;
use chrono::{DateTime, Utc};
use platform::jobs::{EnqueueOptions, Job, JobContext, JobRunnerBuilder, enqueue_named};
use platform::outbox::{MAX_DELIVERY_ATTEMPTS, RELAY_JOB, RelayPayload};
use platform::{DeliveryId, TenantId, TenantTx};
use serde::{Deserialize, Serialize};

/// The relay job: its payload is the outbox's `RelayPayload`.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct RelayDelivery(pub RelayPayload);

impl Job for RelayDelivery {
    const NAME: &'static str = RELAY_JOB;

    async fn run(self, ctx: JobContext) -> anyhow::Result<()> {
        let notify = ctx.extension::<Notify>().ok_or_else(|| {
            anyhow::anyhow!("the job runner has no Notify (see notify::register_jobs)")
        })?;
        notify.relay(self.0.tenant_id, self.0.delivery_id).await?;
        Ok(())
    }
}

/// Registers the relay job, with the service it needs, on a job runner.
pub fn register_jobs(builder: JobRunnerBuilder, notify: &Notify) -> JobRunnerBuilder {
    builder.extension(notify.clone()).job::<RelayDelivery>()
}

/// What one relay run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayOutcome {
    /// Nothing to do: unknown, held by another relay, already delivered or dead, or not due.
    Skipped,
    Delivered {
        attempts: i32,
    },
    Failed {
        attempts: i32,
        error: String,
        next_attempt_at: DateTime<Utc>,
    },
    Dead {
        attempts: i32,
        error: String,
    },
}

impl Notify {
    /// Makes at most one attempt at the delivery `id` of `tenant` (see the module documentation).
    #[tracing::instrument(skip(self))]
    pub async fn relay(
        &self,
        tenant: TenantId,
        id: DeliveryId,
    ) -> Result<RelayOutcome, NotifyError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(locked) = store::deliveries::lock(&mut tx, id).await? else {
            return Ok(RelayOutcome::Skipped);
        };
        let row = locked.row;
        match DeliveryStatus::parse(&row.status) {
            Some(DeliveryStatus::Delivered | DeliveryStatus::Dead) => {
                return Ok(RelayOutcome::Skipped);
            }
            Some(DeliveryStatus::Failed) if locked.not_due => return Ok(RelayOutcome::Skipped),
            _ => {}
        }
        let Some(channel) = store::channels::get(&mut tx, row.channel_id, false).await? else {
            return Ok(RelayOutcome::Skipped);
        };
        let event = store::events::get(&mut tx, row.event_id)
            .await?
            .ok_or_else(|| anyhow::anyhow!("delivery {id} has no event"))?;
        if !channel.enabled {
            let error = "the channel is disabled".to_string();
            store::deliveries::finish_attempt(
                &mut tx,
                id,
                DeliveryStatus::Dead,
                Some(&error),
                None,
            )
            .await?;
            tx.commit().await?;
            return Ok(RelayOutcome::Dead { attempts: row.attempts, error });
        }
        let attempts = store::deliveries::start_attempt(&mut tx, id).await?;
        let sent = self.attempt(tenant, &event, &channel).await;
        let outcome = match sent {
            Ok(()) => {
                store::deliveries::finish_attempt(
                    &mut tx,
                    id,
                    DeliveryStatus::Delivered,
                    None,
                    None,
                )
                .await?;
                tracing::info!(delivery = %id, attempts, "delivered");
                RelayOutcome::Delivered { attempts }
            }
            Err(error) if attempts >= MAX_DELIVERY_ATTEMPTS => {
                let error = error.to_string();
                store::deliveries::finish_attempt(
                    &mut tx,
                    id,
                    DeliveryStatus::Dead,
                    Some(&error),
                    None,
                )
                .await?;
                tracing::warn!(delivery = %id, attempts, error, "delivery dead after its last attempt");
                RelayOutcome::Dead { attempts, error }
            }
            Err(error) => {
                let error = error.to_string();
                let wait = chrono::Duration::from_std(self.settings().backoff(attempts))
                    .map_err(|e| NotifyError::Unexpected(e.into()))?;
                let next_attempt_at = Utc::now() + wait;
                store::deliveries::finish_attempt(
                    &mut tx,
                    id,
                    DeliveryStatus::Failed,
                    Some(&error),
                    Some(next_attempt_at),
                )
                .await?;
                requeue(&mut tx, id, next_attempt_at).await?;
                tracing::info!(delivery = %id, attempts, error, %next_attempt_at, "delivery failed; will retry");
                RelayOutcome::Failed { attempts, error, next_attempt_at }
            }
        };
        tx.commit().await?;
        Ok(outcome)
    }

    /// Opens the channel's secret and sends.
    async fn attempt(
        &self,
        tenant: TenantId,
        event: &EventRow,
        channel: &Channel,
    ) -> Result<(), SendError> {
        let secret = match &channel.sealed {
            None => None,
            Some(sealed) => {
                let keyring = self
                    .keyring()
                    .await
                    .map_err(|_| SendError::new("the encryption key is unavailable"))?;
                let opened =
                    keyring.open(&channel_aad(tenant, channel.id), sealed).map_err(|e| {
                        SendError::new(format!("the channel's secret cannot be opened: {e}"))
                    })?;
                Some(opened)
            }
        };
        let attempt = Attempt { tenant, event, channel, secret: secret.as_ref() };
        self.sender().send(&attempt).await
    }
}

/// Queues the next attempt at `run_at`, replacing any relay job of this delivery still waiting.
async fn requeue(
    tx: &mut TenantTx,
    id: DeliveryId,
    run_at: DateTime<Utc>,
) -> Result<(), NotifyError> {
    let payload = serde_json::to_value(RelayPayload { tenant_id: tx.tenant(), delivery_id: id })
        .map_err(|e| NotifyError::Unexpected(e.into()))?;
    let options = EnqueueOptions {
        job_key: Some(format!("delivery:{id}")),
        run_at: Some(run_at),
        ..EnqueueOptions::default()
    };
    enqueue_named(tx, RELAY_JOB, &payload, options).await?;
    Ok(())
}
