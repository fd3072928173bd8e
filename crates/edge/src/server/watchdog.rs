//! A connection's deadlines: its first request must arrive within `first_request` of the
//! connection opening (the TLS handshake included), and a connection with no byte read or
//! written for `idle` is over. The I/O wrapper records activity; `Activity::expired` completes
//! when a deadline passes. It must not close anything itself: the server drops the connection.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::time::Instant;

#[derive(Clone, Copy, Debug)]
pub(super) struct Limits {
    pub first_request: Duration,
    pub idle: Duration,
}

#[derive(Debug)]
struct Shared {
    opened: Instant,
    /// Milliseconds after `opened` of the last byte in or out.
    last_ms: AtomicU64,
    requested: AtomicBool,
}

/// What a connection has done, shared by its I/O and its watchdog.
#[derive(Clone, Debug)]
pub(super) struct Activity(Arc<Shared>);

impl Activity {
    pub fn new() -> Activity {
        Activity(Arc::new(Shared {
            opened: Instant::now(),
            last_ms: AtomicU64::new(0),
            requested: AtomicBool::new(false),
        }))
    }

    pub fn request_started(&self) {
        self.0.requested.store(true, Ordering::Relaxed);
    }

    fn touch(&self) {
        let ms = self.0.opened.elapsed().as_millis() as u64;
        self.0.last_ms.fetch_max(ms, Ordering::Relaxed);
    }

    /// Completes, with the reason, when the connection has passed one of its deadlines.
    pub async fn expired(&self, limits: Limits) -> &'static str {
        loop {
            let now = Instant::now();
            let last =
                self.0.opened + Duration::from_millis(self.0.last_ms.load(Ordering::Relaxed));
            let idle_at = last + limits.idle;
            let first_at = self.0.opened + limits.first_request;
            let waiting_for_first = !self.0.requested.load(Ordering::Relaxed);
            if waiting_for_first && now >= first_at {
                return "no request within the header read timeout";
            }
            if now >= idle_at {
                return "idle";
            }
            let next = if waiting_for_first { first_at.min(idle_at) } else { idle_at };
            tokio::time::sleep_until(next).await;
        }
    }
}

/// A stream that records each byte moved in `Activity`.
#[derive(Debug)]
pub(super) struct Watched<IO> {
    io: IO,
    activity: Activity,
}

impl<IO> Watched<IO> {
    pub fn new(io: IO, activity: Activity) -> Watched<IO> {
        Watched { io, activity }
    }
}

impl<IO: AsyncRead + Unpin> AsyncRead for Watched<IO> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        let polled = Pin::new(&mut self.io).poll_read(cx, buf);
        if buf.filled().len() > before {
            self.activity.touch();
        }
        polled
    }
}

impl<IO: AsyncWrite + Unpin> AsyncWrite for Watched<IO> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write(cx, buf);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_shutdown(cx)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let polled = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        if matches!(polled, Poll::Ready(Ok(n)) if n > 0) {
            self.activity.touch();
        }
        polled
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits =
        Limits { first_request: Duration::from_secs(10), idle: Duration::from_secs(60) };

    #[tokio::test(start_paused = true)]
    async fn a_connection_without_a_request_expires_at_the_header_deadline() {
        let activity = Activity::new();
        let started = Instant::now();
        assert_eq!(activity.expired(LIMITS).await, "no request within the header read timeout");
        assert_eq!(started.elapsed(), Duration::from_secs(10));
    }

    #[tokio::test(start_paused = true)]
    async fn activity_pushes_the_idle_deadline_back() {
        let activity = Activity::new();
        activity.request_started();
        let started = Instant::now();
        let watching = activity.clone();
        let expiry = tokio::spawn(async move { watching.expired(LIMITS).await });
        tokio::time::sleep(Duration::from_secs(50)).await;
        activity.touch();
        assert_eq!(expiry.await.unwrap(), "idle");
        assert_eq!(started.elapsed(), Duration::from_secs(110));
    }
}
