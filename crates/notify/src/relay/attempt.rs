//! The three steps of an attempt (see the module above): `begin` claims deliveries of one tenant
//! in its transaction, `perform` sends one with no transaction open, `decide` turns the answer
//! into an outcome and `finish` records a tenant's outcomes in one short transaction.

use super::RelayOutcome;
use crate::crypto::channel_aad;
use crate::error::NotifyError;
use crate::model::{Channel, DeliveryStatus, EventRow};
use crate::send::{Attempt, SendError};
use crate::service::Notify;
use crate::store;
use crate::store::deliveries::{Claimed, Outcome};
use crate::store::queue::Due;
use chrono::{DateTime, Utc};
use platform::db::PlannerHint;
use platform::outbox::MAX_DELIVERY_ATTEMPTS;
use platform::{ChannelId, DeliveryId, TenantId};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// A delivery claimed and ready to send.
#[derive(Debug)]
pub(super) struct Work {
    pub tenant: TenantId,
    pub claimed: Claimed,
    pub channel: Channel,
    pub event: EventRow,
}

/// What `begin` made of a batch: the deliveries to send, and those given up at once.
#[derive(Debug, Default)]
pub(super) struct Begun {
    pub work: Vec<Work>,
    pub given_up: Vec<RelayOutcome>,
}

/// The outcome of one attempt, still to be recorded.
#[derive(Debug)]
pub(super) struct Decided {
    pub id: DeliveryId,
    pub attempt_id: Uuid,
    pub attempts: i32,
    pub status: DeliveryStatus,
    pub error: Option<String>,
    pub next_attempt_at: Option<DateTime<Utc>>,
}

impl Decided {
    pub fn outcome(&self) -> RelayOutcome {
        let (attempts, error) = (self.attempts, self.error.clone().unwrap_or_default());
        match (self.status, self.next_attempt_at) {
            (DeliveryStatus::Delivered, _) => RelayOutcome::Delivered { attempts },
            (DeliveryStatus::Failed, Some(next_attempt_at)) => {
                RelayOutcome::Failed { attempts, error, next_attempt_at }
            }
            _ => RelayOutcome::Dead { attempts, error },
        }
    }
}

const CHANNEL_DISABLED: &str = "the channel is disabled";

impl Notify {
    /// Claims the deliveries of `dues` (all of `tenant`, their queue rows leased): those of a
    /// disabled or deleted channel are dead at once, finished or missing ones leave the queue,
    /// the rest get their attempt started.
    pub(super) async fn begin(&self, tenant: TenantId, dues: &[Due]) -> Result<Begun, NotifyError> {
        let lease = self.settings().relay.lease(self.settings().send_timeout);
        let channel_ids: Vec<ChannelId> =
            dues.iter().map(|d| d.channel_id).collect::<HashSet<_>>().into_iter().collect();
        let mut tx = self.db().tenant_tx_with(tenant, &[PlannerHint::CustomPlans]).await?;
        let channels: HashMap<ChannelId, Channel> =
            store::channels::get_many(&mut tx, &channel_ids)
                .await?
                .into_iter()
                .map(|channel| (channel.id, channel))
                .collect();
        let usable = |due: &&Due| channels.get(&due.channel_id).is_some_and(|c| c.enabled);
        let (sendable, unusable): (Vec<&Due>, Vec<&Due>) = dues.iter().partition(usable);
        let unusable: Vec<DeliveryId> = unusable.iter().map(|d| d.delivery_id).collect();
        let given_up = store::deliveries::give_up(&mut tx, &unusable, CHANNEL_DISABLED).await?;
        let sendable: Vec<DeliveryId> = sendable.iter().map(|d| d.delivery_id).collect();
        let started = store::deliveries::start_attempts(&mut tx, &sendable, lease).await?;
        let kept: HashSet<DeliveryId> = started.iter().map(|(claimed, _)| claimed.id).collect();
        let leaving: Vec<DeliveryId> =
            dues.iter().map(|d| d.delivery_id).filter(|id| !kept.contains(id)).collect();
        store::queue::remove(&mut tx, &leaving).await?;
        tx.commit().await?;
        let given_up = given_up
            .into_iter()
            .map(|(_, attempts)| RelayOutcome::Dead { attempts, error: CHANNEL_DISABLED.into() })
            .collect();
        let work = started
            .into_iter()
            .filter_map(|(claimed, event)| {
                let channel = channels.get(&claimed.channel_id)?.clone();
                Some(Work { tenant, claimed, channel, event })
            })
            .collect();
        Ok(Begun { work, given_up })
    }

    /// Opens the channel's secret and sends, bounded by the send timeout.
    pub(super) async fn perform(&self, work: &Work) -> Result<(), SendError> {
        let secret = match &work.channel.sealed {
            None => None,
            Some(sealed) => {
                let keyring = self
                    .keyring()
                    .await
                    .map_err(|_| SendError::new("the encryption key is unavailable"))?;
                let aad = channel_aad(work.tenant, work.channel.id);
                let opened = keyring.open(&aad, sealed).map_err(|e| {
                    SendError::new(format!("the channel's secret cannot be opened: {e}"))
                })?;
                Some(opened)
            }
        };
        let attempt = Attempt {
            tenant: work.tenant,
            event: &work.event,
            channel: &work.channel,
            secret: secret.as_ref(),
        };
        // The sender bounds each step; this bounds the whole, well inside the lease.
        let limit = self.settings().send_timeout + std::time::Duration::from_secs(1);
        match tokio::time::timeout(limit, self.sender().send(&attempt)).await {
            Ok(sent) => sent,
            Err(_) => Err(SendError::new("the attempt timed out")),
        }
    }

    /// The outcome of an attempt that answered `sent`.
    pub(super) fn decide(&self, work: &Work, sent: Result<(), SendError>) -> Decided {
        let Claimed { id, attempt_id, attempts, .. } = work.claimed;
        let decided = |status, error, next_attempt_at| Decided {
            id,
            attempt_id,
            attempts,
            status,
            error,
            next_attempt_at,
        };
        match sent {
            Ok(()) => {
                // The delivery row records it; a line per success would flood the log at load.
                tracing::debug!(delivery = %id, attempts, "delivered");
                decided(DeliveryStatus::Delivered, None, None)
            }
            Err(error) if attempts >= MAX_DELIVERY_ATTEMPTS => {
                let error = error.to_string();
                tracing::warn!(delivery = %id, attempts, error, "delivery dead after its last attempt");
                decided(DeliveryStatus::Dead, Some(error), None)
            }
            Err(error) => {
                let error = error.to_string();
                let wait = chrono::Duration::from_std(self.settings().backoff(attempts))
                    .unwrap_or(chrono::Duration::MAX);
                let next = Utc::now().checked_add_signed(wait).unwrap_or(DateTime::<Utc>::MAX_UTC);
                tracing::info!(delivery = %id, attempts, error, next_attempt_at = %next, "delivery failed; will retry");
                decided(DeliveryStatus::Failed, Some(error), Some(next))
            }
        }
    }

    /// Records the outcomes of `tenant`'s attempts in one transaction. An outcome whose claim was
    /// superseded (its lease expired and another sender claimed the delivery) is dropped.
    pub(super) async fn finish(
        &self,
        tenant: TenantId,
        decided: Vec<Decided>,
    ) -> Result<(), NotifyError> {
        let outcomes: Vec<Outcome> = decided
            .into_iter()
            .map(|d| Outcome {
                id: d.id,
                attempt_id: d.attempt_id,
                status: d.status,
                error: d.error,
                next_attempt_at: d.next_attempt_at,
            })
            .collect();
        let mut tx = self.db().tenant_tx_with(tenant, &[PlannerHint::CustomPlans]).await?;
        let recorded = store::deliveries::record_outcomes(&mut tx, &outcomes).await?;
        tx.commit().await?;
        if recorded.len() < outcomes.len() {
            tracing::warn!(
                superseded = outcomes.len() - recorded.len(),
                "outcomes of attempts whose lease had expired were dropped"
            );
        }
        Ok(())
    }
}
