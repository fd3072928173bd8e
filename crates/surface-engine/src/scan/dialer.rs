//! The dialer: connection attempts as a scan makes them, each taking its turn under the rate
//! cap, a silent port tried again up to the configured number of times, and a failure on our own
//! side (no file descriptor or ephemeral port free for a moment) retried after a pause.
//!
//! The rate cap allows at most N attempts a second across the whole scan, spaced evenly rather
//! than in bursts, so a cap of 100/s never sends 100 SYNs in the same millisecond; every attempt
//! (sweep, retry, confirmation, banner, TLS) takes its turn the same way. It must not decide what
//! an outcome means for the report; the sweep and the examination do.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use super::connect::{self, Attempt, Started};

/// Retries after a failure on our side, with pauses of 25 ms, 100 ms, 400 ms and 1.6 s: long
/// enough for other attempts to give their sockets back.
const LOCAL_RETRIES: u32 = 4;
const FIRST_LOCAL_PAUSE: Duration = Duration::from_millis(25);

#[derive(Debug)]
pub(crate) struct Dialer {
    connect_timeout: Duration,
    timeout_retries: u8,
    rate: RateLimiter,
}

impl Dialer {
    pub(crate) fn new(connect_timeout: Duration, timeout_retries: u8, rate: RateLimiter) -> Self {
        Dialer { connect_timeout, timeout_retries, rate }
    }

    /// Waits for a turn under the rate cap, then starts an attempt.
    pub(crate) async fn start(&self, peer: SocketAddr) -> Started {
        self.rate.wait_turn().await;
        connect::start(peer)
    }

    /// One attempt from start to verdict, with retries.
    pub(crate) async fn connect(&self, peer: SocketAddr) -> Attempt {
        let started = self.start(peer).await;
        self.complete(started, peer).await
    }

    /// Takes an attempt already started to its verdict, retrying a silent port and our own
    /// failures. Cancellation is the caller's: it drops this future.
    pub(crate) async fn complete(&self, started: Started, peer: SocketAddr) -> Attempt {
        let mut started = started;
        let mut silent_retries = 0;
        let mut local_retries = 0;
        loop {
            let attempt = match started {
                Started::Done(attempt) => attempt,
                Started::InProgress(socket) => {
                    connect::finish(socket, peer, self.connect_timeout).await
                }
            };
            match attempt {
                Attempt::TimedOut if silent_retries < self.timeout_retries => silent_retries += 1,
                Attempt::LocalError(_) if local_retries < LOCAL_RETRIES => {
                    tokio::time::sleep(FIRST_LOCAL_PAUSE * 4u32.pow(local_retries)).await;
                    local_retries += 1;
                }
                verdict => return verdict,
            }
            started = self.start(peer).await;
        }
    }
}

/// Hands out evenly spaced start times; without a cap every turn is now.
#[derive(Debug)]
pub(crate) struct RateLimiter {
    spacing: Option<Duration>,
    next_turn: Mutex<Instant>,
}

impl RateLimiter {
    pub(crate) fn new(per_second: Option<NonZeroU32>) -> RateLimiter {
        let spacing = per_second.map(|rate| Duration::from_secs(1) / rate.get());
        RateLimiter { spacing, next_turn: Mutex::new(Instant::now()) }
    }

    /// Waits until this caller may start one attempt. Turns are reserved in call order, so a
    /// caller that gives up (cancellation) only leaves a gap, never a burst.
    pub(crate) async fn wait_turn(&self) {
        let Some(spacing) = self.spacing else { return };
        let turn = {
            let mut next_turn =
                self.next_turn.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let turn = (*next_turn).max(Instant::now());
            *next_turn = turn + spacing;
            turn
        };
        tokio::time::sleep_until(turn).await;
    }
}
