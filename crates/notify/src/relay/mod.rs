//! The delivery relay: every delivery the outbox queued is sent at least once, never by two
//! senders at a time, with retries and backoff, and dead after `MAX_DELIVERY_ATTEMPTS`. No HTTP
//! or SMTP exchange ever happens inside a database transaction.
//!
//! One attempt is three steps (`attempt`):
//!
//! 1. **claim** — the queue row (`relay.due`) gets a lease, then, in the tenant's transaction,
//!    the delivery becomes `delivering` with one more attempt and a fresh attempt id; commit;
//! 2. **send** through the channel's sender, bounded by the send timeout (well inside the lease);
//! 3. **record** — in a second short tenant transaction, the outcome is written only if the
//!    delivery is still under that attempt id; `delivered` and `dead` leave the queue, `failed`
//!    falls due again after its backoff.
//!
//! A sender that dies mid-way leaves its lease to expire; the delivery is then claimed again
//! (that attempt counts, and the receiver may see the message twice with the same `webhook-id`:
//! at least once). The dispatcher (`dispatch`) runs these for many deliveries at once, in
//! batches, with caps per tenant and per channel so that one tenant's slow receivers never
//! hold the capacity another tenant's notifications need. `last_error` never carries a URL or
//! a secret.

mod attempt;
mod dispatch;

pub use dispatch::RelaySettings;

use crate::error::NotifyError;
use crate::service::Notify;
use crate::store::queue;
use chrono::{DateTime, Utc};
use platform::jobs::JobRunnerBuilder;
use platform::{DeliveryId, TenantId};

/// Registers the relay's dispatcher (a background loop of the runner) and the service it needs.
pub fn register_jobs(builder: JobRunnerBuilder, notify: &Notify) -> JobRunnerBuilder {
    let dispatcher = notify.clone();
    builder
        .extension(notify.clone())
        .background("notify.relay", move |stopping| dispatch::run(dispatcher, stopping))
}

/// What one relay run did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RelayOutcome {
    /// Nothing to do: unknown, claimed by another sender, already delivered or dead, or not due.
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
    /// Makes at most one attempt at the delivery `id` of `tenant`, now, if it is due and no one
    /// else holds it (see the module documentation). The dispatcher does the same in batches.
    #[tracing::instrument(skip(self))]
    pub async fn relay(
        &self,
        tenant: TenantId,
        id: DeliveryId,
    ) -> Result<RelayOutcome, NotifyError> {
        let lease = self.settings().relay.lease(self.settings().send_timeout);
        let Some(due) = queue::claim_one(self.db().pool(), tenant, id, lease).await? else {
            return Ok(RelayOutcome::Skipped);
        };
        let begun = self.begin(tenant, &[due]).await?;
        let Some(work) = begun.work.into_iter().next() else {
            return Ok(begun.given_up.into_iter().next().unwrap_or(RelayOutcome::Skipped));
        };
        let sent = self.perform(&work).await;
        let decided = self.decide(&work, sent);
        let outcome = decided.outcome();
        self.finish(tenant, vec![decided]).await?;
        Ok(outcome)
    }
}
