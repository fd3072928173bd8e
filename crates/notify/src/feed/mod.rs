//! The live feed's hub: one per process. It listens on PostgreSQL's `palisade_events`
//! notification channel (which `platform::outbox::emit` notifies at commit with ids only), reads
//! each announced event tenant-scoped, and broadcasts its summary to that tenant's room, where
//! every connected socket of the tenant is subscribed. Several server processes each run their
//! own hub on the same database, so a commit anywhere reaches sockets everywhere.
//!
//! * [`Hub`] owns the rooms: bounded broadcast channels, one per tenant with subscribers, dropped
//!   when its last subscriber leaves. A subscriber that falls more than `room_capacity` messages
//!   behind is told it is too slow (and the socket is closed), never buffered without bound.
//! * [`Hub::run`] is the listener; spawn it once per process with the shutdown signal.
//! * [`protocol`] is the wire format the api crate speaks over `/v1/ws`.
//!
//! It must not know about WebSockets or HTTP (no axum): the api crate authenticates sockets and
//! moves the hub's messages to them. It reads only the event's summary columns, never its payload.

mod hub;
mod listen;
pub mod protocol;
mod store;

pub use hub::{Hub, Received, Subscription};
pub use store::FeedEvent;

use std::time::Duration;

/// How the feed behaves; the defaults suit production, tests shorten the intervals.
#[derive(Clone, Debug)]
pub struct FeedSettings {
    /// Messages a subscriber may fall behind before it is dropped as too slow.
    pub room_capacity: usize,
    /// How long a socket may take to authenticate with its first message.
    pub auth_timeout: Duration,
    /// How often the server pings a socket.
    pub ping_interval: Duration,
    /// A socket from which nothing (not even a pong) arrived for this long is closed.
    pub idle_timeout: Duration,
    /// How often a socket's credential is checked again (logout, revocation, blocked user).
    pub recheck_interval: Duration,
    /// The longest one message may take to leave; a socket slower than that is dropped.
    pub send_timeout: Duration,
}

impl Default for FeedSettings {
    fn default() -> Self {
        Self {
            room_capacity: 256,
            auth_timeout: Duration::from_secs(5),
            ping_interval: Duration::from_secs(20),
            idle_timeout: Duration::from_secs(60),
            recheck_interval: Duration::from_secs(30),
            send_timeout: Duration::from_secs(10),
        }
    }
}
