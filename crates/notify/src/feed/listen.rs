//! `Hub::run`: the process's one LISTEN connection on `platform::outbox::EVENTS_CHANNEL`, and the
//! reader that turns announced ids into room messages.
//!
//! The listener only parses and queues notifications; the reader drains the queue in batches,
//! keeps the tenants that have a room here, reads their events (one tenant transaction per
//! tenant, a few at a time) and publishes them in commit order per tenant. A lost connection is
//! re-established with backoff and every room is told of the gap. It must not read an event of a
//! tenant without a room here, nor trust the notification's tenant beyond choosing the scope.

use super::{Hub, protocol, store};
use platform::outbox::EVENTS_CHANNEL;
use platform::{EventId, TenantId};
use serde::Deserialize;
use sqlx::postgres::PgListener;
use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;
use tokio::sync::mpsc;
use tokio::task::JoinSet;

/// Notifications parsed but not yet read; the listener waits when this many are queued.
const QUEUE: usize = 4096;
/// Notifications handled together.
const BATCH: usize = 512;
/// Tenants whose events are read at the same time (each holds a pooled connection briefly).
const READERS: usize = 4;
const RETRY_FIRST: Duration = Duration::from_millis(250);
const RETRY_MAX: Duration = Duration::from_secs(30);

/// The notification's payload, as `platform::outbox::emit` writes it.
#[derive(Debug, Deserialize)]
struct Notice {
    tenant_id: TenantId,
    event_id: EventId,
}

enum Ended {
    /// The pool was closed (the process is stopping) or the reader is gone.
    Stopped,
    Failed(sqlx::Error),
}

impl Hub {
    /// Listens for events and fills the rooms until `stop` completes; then closes every room, so
    /// that each socket is closed as the server shuts down. Spawn once per process.
    pub async fn run(self, stop: impl Future<Output = ()>) {
        let (queue, notices) = mpsc::channel(QUEUE);
        tokio::select! {
            () = stop => {}
            _ = async { tokio::join!(self.listen(queue), self.read(notices)) } => {}
        }
        self.close();
        tracing::debug!("live feed stopped");
    }

    async fn listen(&self, queue: mpsc::Sender<Notice>) {
        let mut wait = RETRY_FIRST;
        loop {
            let ended = self.listen_once(&queue, &mut wait).await;
            self.set_listening(false);
            match ended {
                Ended::Stopped => return,
                Ended::Failed(error) => {
                    tracing::warn!(%error, retry_in_ms = wait.as_millis(), "the live feed lost its database listener");
                }
            }
            // Whatever was committed meanwhile was not heard.
            self.publish_everywhere(&protocol::gap());
            tokio::time::sleep(wait).await;
            wait = (wait * 2).min(RETRY_MAX);
        }
    }

    async fn listen_once(&self, queue: &mpsc::Sender<Notice>, wait: &mut Duration) -> Ended {
        let mut listener = match PgListener::connect_with(self.db().pool()).await {
            Ok(listener) => listener,
            Err(error) => return ended(error),
        };
        if let Err(error) = listener.listen(EVENTS_CHANNEL).await {
            return ended(error);
        }
        *wait = RETRY_FIRST;
        self.set_listening(true);
        tracing::debug!(channel = EVENTS_CHANNEL, "live feed listening");
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    match serde_json::from_str::<Notice>(notification.payload()) {
                        Ok(notice) => {
                            if queue.send(notice).await.is_err() {
                                return Ended::Stopped;
                            }
                        }
                        Err(error) => {
                            tracing::warn!(%error, "ignoring a malformed event notification")
                        }
                    }
                }
                // The connection dropped and was re-established: notifications in between are lost.
                Ok(None) => {
                    tracing::warn!("the live feed's database listener reconnected");
                    self.publish_everywhere(&protocol::gap());
                }
                Err(error) => return ended(error),
            }
        }
    }

    async fn read(&self, mut notices: mpsc::Receiver<Notice>) {
        let mut batch = Vec::with_capacity(BATCH);
        while notices.recv_many(&mut batch, BATCH).await > 0 {
            let mut wanted: Vec<(TenantId, Vec<EventId>)> = Vec::new();
            let mut position: HashMap<TenantId, usize> = HashMap::new();
            for notice in batch.drain(..) {
                if !self.has_room(notice.tenant_id) {
                    continue;
                }
                let index = *position.entry(notice.tenant_id).or_insert_with(|| {
                    wanted.push((notice.tenant_id, Vec::new()));
                    wanted.len() - 1
                });
                if let Some((_, ids)) = wanted.get_mut(index) {
                    ids.push(notice.event_id);
                }
            }
            let mut tenants = wanted.into_iter();
            let mut readers = JoinSet::new();
            loop {
                for (tenant, ids) in tenants.by_ref().take(READERS.saturating_sub(readers.len())) {
                    readers.spawn(self.clone().publish_events(tenant, ids));
                }
                if readers.join_next().await.is_none() {
                    break;
                }
            }
        }
    }

    async fn publish_events(self, tenant: TenantId, ids: Vec<EventId>) {
        match store::read(self.db(), tenant, &ids).await {
            Ok(events) => {
                for event in &events {
                    self.publish(tenant, protocol::event(event));
                }
            }
            Err(error) => {
                tracing::warn!(%error, %tenant, "reading events for the live feed failed");
                self.publish(tenant, protocol::gap());
            }
        }
    }
}

fn ended(error: sqlx::Error) -> Ended {
    match error {
        sqlx::Error::PoolClosed => Ended::Stopped,
        error => Ended::Failed(error),
    }
}
