//! The HTTP server every listener runs: it accepts TCP connections, admits them under the
//! connection caps, performs the TLS handshake (ALPN `h2` and `http/1.1`), and serves HTTP/1.1
//! (with upgrades, for the live feed) or HTTP/2 with the router, each connection watched by
//! its deadlines; on shutdown it stops accepting and drains open connections for the grace period.
//!
//! Slow clients are the reason this is ours and not a library's loop: a connection must finish
//! its TLS handshake and send its first request's headers within `header_read_timeout`, an
//! HTTP/1.1 connection must send each next request's headers within it too, and any connection
//! with no bytes either way for `idle_timeout` is closed. It must not look at requests beyond
//! attaching the peer's address (`ConnectInfo`); everything else is the router's.

mod admission;
mod watchdog;

pub use admission::Admission;

use crate::settings::ConnectionSettings;
use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;
use tower::ServiceExt;
use watchdog::{Activity, Watched};

/// How a listener serves: the router, TLS or not, and the connection limits.
#[derive(Clone)]
pub struct Server {
    router: Router,
    tls: Option<TlsAcceptor>,
    settings: ConnectionSettings,
    admission: Admission,
}

impl Server {
    pub fn new(router: Router, settings: ConnectionSettings) -> Server {
        let admission = Admission::new(settings.max_connections, settings.max_connections_per_ip);
        Server { router, tls: None, settings, admission }
    }

    /// Serves HTTPS with `config` (its ALPN protocols are set here: `h2`, then `http/1.1`).
    pub fn with_tls(mut self, mut config: rustls::ServerConfig) -> Server {
        config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
        self.tls = Some(TlsAcceptor::from(Arc::new(config)));
        self
    }

    /// Accepts on `listener` until `shutdown` completes, then lets open connections finish for
    /// at most `grace`.
    pub async fn serve(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()>,
        grace: Duration,
    ) {
        let graceful = GracefulShutdown::new();
        let server = Arc::new(self);
        tokio::pin!(shutdown);
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = &mut shutdown => break,
            };
            let (stream, peer) = match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, most likely: wait instead of spinning.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            };
            let Some(admitted) = server.admission.admit(peer.ip()) else {
                tracing::debug!(%peer, "connection refused: over the connection caps");
                continue;
            };
            let watcher = graceful.watcher();
            let server = server.clone();
            tokio::spawn(async move {
                let _admitted = admitted;
                server.connection(stream, peer, watcher).await;
            });
        }
        drop(listener);
        if tokio::time::timeout(grace, graceful.shutdown()).await.is_err() {
            tracing::warn!(
                grace_secs = grace.as_secs(),
                "connections still open after the grace period"
            );
        }
    }

    async fn connection(
        &self,
        stream: TcpStream,
        peer: SocketAddr,
        watcher: hyper_util::server::graceful::Watcher,
    ) {
        let _ = stream.set_nodelay(true);
        let activity = Activity::new();
        let stream = Watched::new(stream, activity.clone());
        let deadline = self.settings.header_read_timeout;
        match &self.tls {
            None => self.http(stream, peer, activity, watcher).await,
            Some(tls) => match tokio::time::timeout(deadline, tls.accept(stream)).await {
                Ok(Ok(stream)) => self.http(stream, peer, activity, watcher).await,
                Ok(Err(e)) => tracing::debug!(%peer, error = %e, "TLS handshake failed"),
                Err(_) => tracing::debug!(%peer, "TLS handshake took too long"),
            },
        }
    }

    async fn http<IO>(
        &self,
        io: IO,
        peer: SocketAddr,
        activity: Activity,
        watcher: hyper_util::server::graceful::Watcher,
    ) where
        IO: AsyncRead + AsyncWrite + Unpin + Send + 'static,
    {
        let router = self.router.clone();
        let requests = activity.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
            requests.request_started();
            request.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(request.map(axum::body::Body::new))
        });
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder
            .http1()
            .timer(TokioTimer::new())
            .header_read_timeout(self.settings.header_read_timeout)
            .keep_alive(true);
        builder.http2().timer(TokioTimer::new()).max_concurrent_streams(100);
        let connection = builder.serve_connection_with_upgrades(TokioIo::new(io), service);
        let connection = watcher.watch(connection.into_owned());
        let limits = watchdog::Limits {
            first_request: self.settings.header_read_timeout,
            idle: self.settings.idle_timeout,
        };
        tokio::select! {
            served = connection => {
                if let Err(e) = served {
                    tracing::debug!(%peer, error = %e, "connection ended with an error");
                }
            }
            reason = activity.expired(limits) => {
                tracing::debug!(%peer, reason, "connection closed");
            }
        }
    }
}
