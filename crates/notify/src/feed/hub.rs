//! `Hub`: the rooms of one process, one bounded broadcast channel per tenant with subscribers.
//! A room is made by its first subscriber and removed with its last, so a quiet tenant costs
//! nothing and the listener skips reading events nobody here would receive.
//!
//! It must not read the database (the listener does) nor hold a message for a subscriber beyond
//! the room's capacity: the broadcast channel overwrites, and the lagging subscriber is told it
//! is too slow.

use super::FeedSettings;
use bytes::Bytes;
use platform::{Db, TenantId};
use std::collections::HashMap;
use std::fmt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use tokio::sync::{broadcast, watch};

struct Inner {
    db: Db,
    settings: FeedSettings,
    rooms: Mutex<Rooms>,
    /// Whether the listener holds its LISTEN now.
    listening: watch::Sender<bool>,
}

struct Rooms {
    /// False once the hub stopped: every room is gone and new subscribers are closed at once.
    open: bool,
    by_tenant: HashMap<TenantId, broadcast::Sender<Bytes>>,
}

/// The live feed of this process. Cheap to clone.
#[derive(Clone)]
pub struct Hub {
    inner: Arc<Inner>,
}

impl fmt::Debug for Hub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hub").field("subscribers", &self.subscribers()).finish()
    }
}

/// What a subscriber receives next.
#[derive(Debug, PartialEq, Eq)]
pub enum Received {
    /// A protocol message (JSON text) to send as it is.
    Message(Bytes),
    /// The subscriber fell more than the room's capacity behind: drop it.
    TooSlow,
    /// The hub stopped (the server is shutting down).
    Closed,
}

impl Hub {
    /// A hub reading events through `db`. Nothing is heard until [`Hub::run`] is spawned.
    pub fn new(db: Db, settings: FeedSettings) -> Hub {
        let rooms = Rooms { open: true, by_tenant: HashMap::new() };
        let listening = watch::Sender::new(false);
        Hub { inner: Arc::new(Inner { db, settings, rooms: Mutex::new(rooms), listening }) }
    }

    pub fn settings(&self) -> &FeedSettings {
        &self.inner.settings
    }

    pub(crate) fn db(&self) -> &Db {
        &self.inner.db
    }

    /// Completes once the listener is listening: every event committed afterwards is heard (until
    /// the connection drops, which is announced as a gap).
    pub async fn listening(&self) {
        let _ = self.inner.listening.subscribe().wait_for(|listening| *listening).await;
    }

    pub(crate) fn set_listening(&self, listening: bool) {
        self.inner.listening.send_replace(listening);
    }

    /// Joins `tenant`'s room: from now on every message published there is received.
    pub fn subscribe(&self, tenant: TenantId) -> Subscription {
        let mut rooms = self.rooms();
        let receiver = if rooms.open {
            let capacity = self.inner.settings.room_capacity.max(1);
            rooms
                .by_tenant
                .entry(tenant)
                .or_insert_with(|| broadcast::channel(capacity).0)
                .subscribe()
        } else {
            // Its sender is dropped here, so the first receive says Closed.
            broadcast::channel(1).1
        };
        Subscription { hub: self.clone(), tenant, receiver: Some(receiver) }
    }

    /// Sockets connected to this process.
    pub fn subscribers(&self) -> usize {
        self.rooms().by_tenant.values().map(broadcast::Sender::receiver_count).sum()
    }

    /// Whether anyone here listens to `tenant`.
    pub fn has_room(&self, tenant: TenantId) -> bool {
        self.rooms().by_tenant.contains_key(&tenant)
    }

    /// Sends `message` to everyone in `tenant`'s room; answers how many receive it.
    pub fn publish(&self, tenant: TenantId, message: Bytes) -> usize {
        let sender = self.rooms().by_tenant.get(&tenant).cloned();
        sender.map_or(0, |sender| sender.send(message).unwrap_or(0))
    }

    /// Sends `message` to every room.
    pub(crate) fn publish_everywhere(&self, message: &Bytes) {
        let senders: Vec<_> = self.rooms().by_tenant.values().cloned().collect();
        for sender in senders {
            let _ = sender.send(message.clone());
        }
    }

    /// Removes every room: each subscriber receives `Closed` once it has read what was sent.
    pub(crate) fn close(&self) {
        let mut rooms = self.rooms();
        rooms.open = false;
        rooms.by_tenant.clear();
    }

    fn rooms(&self) -> MutexGuard<'_, Rooms> {
        // A panic while holding the lock leaves the map consistent (every change is one call).
        self.inner.rooms.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// One subscriber's place in its tenant's room; leaving the room is dropping this.
pub struct Subscription {
    hub: Hub,
    tenant: TenantId,
    receiver: Option<broadcast::Receiver<Bytes>>,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription").field("tenant", &self.tenant).finish()
    }
}

impl Subscription {
    pub fn tenant(&self) -> TenantId {
        self.tenant
    }

    /// The next message of the room. Cancel-safe.
    pub async fn recv(&mut self) -> Received {
        let Some(receiver) = self.receiver.as_mut() else { return Received::Closed };
        match receiver.recv().await {
            Ok(message) => Received::Message(message),
            Err(broadcast::error::RecvError::Lagged(_)) => Received::TooSlow,
            Err(broadcast::error::RecvError::Closed) => Received::Closed,
        }
    }
}

impl Subscription {
    /// The next message if one is already waiting; never waits.
    pub fn try_recv(&mut self) -> Option<Received> {
        use broadcast::error::TryRecvError;
        match self.receiver.as_mut()?.try_recv() {
            Ok(message) => Some(Received::Message(message)),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Lagged(_)) => Some(Received::TooSlow),
            Err(TryRecvError::Closed) => Some(Received::Closed),
        }
    }
}

impl Drop for Subscription {
    fn drop(&mut self) {
        let mut rooms = self.hub.rooms();
        // Dropped under the lock, so that a concurrent subscribe either sees this room still
        // counted or finds it removed, never a room about to be removed.
        self.receiver.take();
        if rooms.by_tenant.get(&self.tenant).is_some_and(|sender| sender.receiver_count() == 0) {
            rooms.by_tenant.remove(&self.tenant);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sqlx::postgres::PgPoolOptions;

    fn hub(capacity: usize) -> Hub {
        let pool = PgPoolOptions::new()
            .connect_lazy("postgres://nobody@127.0.0.1:1/none")
            .expect("lazy pool");
        Hub::new(Db::new(pool), FeedSettings { room_capacity: capacity, ..FeedSettings::default() })
    }

    fn text(message: &str) -> Bytes {
        Bytes::from(message.to_string())
    }

    #[tokio::test]
    async fn a_message_reaches_its_tenants_room_and_no_other() {
        let hub = hub(8);
        let (a, b) = (TenantId::generate(), TenantId::generate());
        let (mut in_a, mut in_b) = (hub.subscribe(a), hub.subscribe(b));
        assert_eq!(hub.publish(a, text("for a")), 1);
        assert_eq!(in_a.recv().await, Received::Message(text("for a")));
        hub.publish(b, text("for b"));
        assert_eq!(in_b.recv().await, Received::Message(text("for b")));
        assert_eq!(hub.publish(TenantId::generate(), text("for nobody")), 0);
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_told_it_is_too_slow() {
        let hub = hub(4);
        let tenant = TenantId::generate();
        let mut slow = hub.subscribe(tenant);
        let mut fast = hub.subscribe(tenant);
        for n in 0..5 {
            hub.publish(tenant, text(&n.to_string()));
            assert_eq!(fast.recv().await, Received::Message(text(&n.to_string())));
        }
        assert_eq!(slow.recv().await, Received::TooSlow);
        assert_eq!(fast.try_recv(), None);
    }

    #[tokio::test]
    async fn a_room_is_removed_with_its_last_subscriber() {
        let hub = hub(4);
        let tenant = TenantId::generate();
        let first = hub.subscribe(tenant);
        let second = hub.subscribe(tenant);
        assert_eq!(hub.subscribers(), 2);
        drop(first);
        assert!(hub.has_room(tenant));
        drop(second);
        assert!(!hub.has_room(tenant));
        assert_eq!(hub.subscribers(), 0);
    }

    #[tokio::test]
    async fn closing_the_hub_closes_every_subscription_after_what_was_sent() {
        let hub = hub(4);
        let tenant = TenantId::generate();
        let mut subscription = hub.subscribe(tenant);
        hub.publish_everywhere(&text("gap"));
        hub.close();
        assert_eq!(subscription.recv().await, Received::Message(text("gap")));
        assert_eq!(subscription.recv().await, Received::Closed);
        assert_eq!(hub.subscribe(tenant).recv().await, Received::Closed);
    }
}
