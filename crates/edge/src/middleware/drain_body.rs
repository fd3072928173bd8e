//! Early answers reach the client: when a request is answered without its body having been read
//! to the end (a 401 before the handler, a 413 past the limit, a 404 for an unknown path), the
//! rest of the body is read and discarded after the answer goes out, within bounds.
//!
//! Without it, HTTP/2 resets the stream the moment the unread body is dropped, and common clients
//! (curl 7.88, for one) then report a framing error instead of the status they were sent. A client
//! that keeps sending past `DRAIN_LIMIT` bytes or `DRAIN_TIME` is reset as before. It must not
//! delay the answer nor read a body the handler still wants.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use http_body::{Body as _, Frame, SizeHint};
use http_body_util::BodyExt;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

/// The most of an unread body discarded after an early answer.
const DRAIN_LIMIT: usize = 16 * 1024 * 1024;
/// How long a client may take to finish sending a body nobody reads.
const DRAIN_TIME: Duration = Duration::from_secs(10);

type Slot = Arc<Mutex<Option<Body>>>;

pub async fn layer(request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if body.is_end_stream() {
        return next.run(Request::from_parts(parts, body)).await;
    }
    let slot: Slot = Arc::default();
    let body = Body::new(Returning { inner: Some(body), slot: slot.clone() });
    let response = next.run(Request::from_parts(parts, body)).await;
    let rest = slot.lock().unwrap_or_else(|e| e.into_inner()).take();
    if let Some(rest) = rest {
        tokio::spawn(discard(rest));
    }
    response
}

async fn discard(mut body: Body) {
    let mut read = 0usize;
    let drained = tokio::time::timeout(DRAIN_TIME, async {
        while read <= DRAIN_LIMIT {
            match body.frame().await {
                Some(Ok(frame)) => read += frame.data_ref().map_or(0, Bytes::len),
                Some(Err(_)) | None => return,
            }
        }
    })
    .await;
    if drained.is_err() || read > DRAIN_LIMIT {
        tracing::debug!(read, "stopped discarding an unread request body");
    }
}

/// The request body, handed back to the layer when it is dropped before its end.
struct Returning {
    inner: Option<Body>,
    slot: Slot,
}

impl http_body::Body for Returning {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        match self.inner.as_mut() {
            Some(body) => Pin::new(body).poll_frame(cx),
            None => Poll::Ready(None),
        }
    }

    fn is_end_stream(&self) -> bool {
        self.inner.as_ref().is_none_or(http_body::Body::is_end_stream)
    }

    fn size_hint(&self) -> SizeHint {
        self.inner
            .as_ref()
            .map(http_body::Body::size_hint)
            .unwrap_or_else(|| SizeHint::with_exact(0))
    }
}

impl Drop for Returning {
    fn drop(&mut self) {
        if let Some(body) = self.inner.take().filter(|body| !body.is_end_stream()) {
            *self.slot.lock().unwrap_or_else(|e| e.into_inner()) = Some(body);
        }
    }
}
