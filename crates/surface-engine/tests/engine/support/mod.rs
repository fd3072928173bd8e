//! Real servers on loopback for the tests: listeners that accept and close, stay silent, greet
//! like a protocol, answer a probe, or serve TLS with an rcgen certificate; a port whose accept
//! queue is full (its SYNs are dropped, as behind a firewall); and certificates to serve.
#![allow(dead_code)]

pub mod certs;

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::Duration;

use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use surface_engine::scan::{self, CancellationToken, HostReport, ScanOptions, ScanSummary};
use surface_engine::tls::{TlsObservation, TlsProber};
use surface_engine::values::{DomainName, PortSpec, ScanTarget};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};

pub const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

/// How a listener treats each connection it accepts.
#[derive(Clone)]
pub enum Behaviour {
    /// Accept and close at once.
    AcceptThenClose,
    /// Accept and say nothing until the client leaves.
    Silent,
    /// Send these bytes on accept, then wait for the client to leave.
    Greet(&'static [u8]),
    /// Wait for the client's first bytes, then answer with these and close.
    Answer(&'static [u8]),
}

/// A listener on `ip` with `behaviour`; the task runs until the test ends.
pub async fn listen_on(ip: IpAddr, behaviour: Behaviour) -> u16 {
    let listener = TcpListener::bind(SocketAddr::new(ip, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            tokio::spawn(serve(stream, behaviour.clone()));
        }
    });
    port
}

pub async fn listen(behaviour: Behaviour) -> u16 {
    listen_on(LOOPBACK, behaviour).await
}

async fn serve(mut stream: TcpStream, behaviour: Behaviour) {
    let mut buffer = [0u8; 512];
    match behaviour {
        Behaviour::AcceptThenClose => {}
        Behaviour::Silent => drain(&mut stream).await,
        Behaviour::Greet(greeting) => {
            let _ = stream.write_all(greeting).await;
            drain(&mut stream).await;
        }
        Behaviour::Answer(answer) => {
            if matches!(stream.read(&mut buffer).await, Ok(read) if read > 0) {
                let _ = stream.write_all(answer).await;
            }
        }
    }
}

/// Reads until the client closes, for at most a minute.
async fn drain(stream: &mut TcpStream) {
    let mut buffer = [0u8; 512];
    let _ = tokio::time::timeout(Duration::from_secs(60), async {
        while matches!(stream.read(&mut buffer).await, Ok(read) if read > 0) {}
    })
    .await;
}

/// A TLS server presenting `served` on loopback, TLS 1.2 and 1.3.
pub async fn listen_tls(served: &certs::Served) -> u16 {
    let config = server_config(rustls::DEFAULT_VERSIONS)
        .with_single_cert(served.chain.clone(), served.key.clone_key())
        .unwrap();
    listen_tls_with(config).await
}

/// A TLS server that speaks only TLS 1.2.
pub async fn listen_tls12(served: &certs::Served) -> u16 {
    let config = server_config(&[&rustls::version::TLS12])
        .with_single_cert(served.chain.clone(), served.key.clone_key())
        .unwrap();
    listen_tls_with(config).await
}

/// A TLS server that presents the certificate named by the client's SNI, or `fallback`.
pub async fn listen_tls_by_sni(named: &[(&str, &certs::Served)], fallback: &certs::Served) -> u16 {
    let resolver = BySni {
        named: named.iter().map(|(name, served)| ((*name).to_owned(), certified(served))).collect(),
        fallback: certified(fallback),
    };
    let config = server_config(rustls::DEFAULT_VERSIONS).with_cert_resolver(Arc::new(resolver));
    listen_tls_with(config).await
}

fn server_config(
    versions: &[&'static rustls::SupportedProtocolVersion],
) -> rustls::ConfigBuilder<rustls::ServerConfig, rustls::server::WantsServerCert> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    rustls::ServerConfig::builder_with_provider(provider)
        .with_protocol_versions(versions)
        .unwrap()
        .with_no_client_auth()
}

fn certified(served: &certs::Served) -> Arc<CertifiedKey> {
    let provider = rustls::crypto::ring::default_provider();
    Arc::new(
        CertifiedKey::from_der(served.chain.clone(), served.key.clone_key(), &provider).unwrap(),
    )
}

#[derive(Debug)]
struct BySni {
    named: Vec<(String, Arc<CertifiedKey>)>,
    fallback: Arc<CertifiedKey>,
}

impl ResolvesServerCert for BySni {
    fn resolve(&self, hello: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        let wanted = hello.server_name();
        let found = self.named.iter().find(|(name, _)| Some(name.as_str()) == wanted);
        Some(Arc::clone(found.map_or(&self.fallback, |(_, key)| key)))
    }
}

/// Serves `config`; inside TLS it answers the first request like HTTP.
async fn listen_tls_with(config: rustls::ServerConfig) -> u16 {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else { return };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut session) = acceptor.accept(stream).await else { return };
                let mut buffer = [0u8; 512];
                if matches!(session.read(&mut buffer).await, Ok(read) if read > 0) {
                    let reply =
                        b"HTTP/1.1 200 OK\r\nServer: tls-test/2.0\r\nContent-Length: 0\r\n\r\n";
                    let _ = session.write_all(reply).await;
                    let _ = session.shutdown().await;
                }
            });
        }
    });
    port
}

/// The observation of one handshake with a TLS server on `port`, as the service would make it.
pub async fn observe_tls(port: u16, server_name: Option<&str>) -> TlsObservation {
    let stream = TcpStream::connect((LOOPBACK, port)).await.unwrap();
    let name = server_name.map(|name| DomainName::parse(name).unwrap());
    let prober = TlsProber::new().unwrap();
    let (_session, observation) =
        prober.handshake(stream, LOOPBACK, name.as_ref(), Duration::from_secs(10)).await.unwrap();
    observation
}

/// A port nothing listens on (bound for a moment to find a free one, then released).
pub async fn unused_port() -> u16 {
    let listener = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
    listener.local_addr().unwrap().port()
}

/// A port whose accept queue is full: the kernel drops every further SYN, so connecting to it
/// times out exactly as behind a dropping firewall. Keep the returned values alive.
pub async fn full_backlog_port() -> (u16, TcpListener, Vec<TcpStream>) {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(SocketAddr::new(LOOPBACK, 0)).unwrap();
    let port = socket.local_addr().unwrap().port();
    let listener = socket.listen(0).unwrap();
    let mut held = Vec::new();
    // With a backlog of 0 the queue holds one connection; connect until one no longer completes.
    for _ in 0..4 {
        let connect = TcpStream::connect((LOOPBACK, port));
        match tokio::time::timeout(Duration::from_millis(300), connect).await {
            Ok(Ok(stream)) => held.push(stream),
            _ => break,
        }
    }
    (port, listener, held)
}

/// Options for loopback tests: short connect timeouts (loopback answers at once), and greeting
/// and reply waits long enough that a loaded machine cannot make a listener seem silent.
pub fn quick_options() -> ScanOptions {
    ScanOptions {
        concurrency: NonZeroUsize::new(256).unwrap(),
        connect_timeout: Duration::from_millis(400),
        timeout_retries: 1,
        greeting_wait: Duration::from_secs(3),
        probe_reply_wait: Duration::from_secs(5),
        tls_timeout: Duration::from_secs(10),
        ..ScanOptions::default()
    }
}

/// Scans `ports` of one loopback address and returns its report.
pub async fn scan_host(ip: IpAddr, ports: &str, options: &ScanOptions) -> HostReport {
    let summary = scan_targets(&[ScanTarget::of_address(ip)], ports, options).await;
    summary.hosts.into_iter().next().expect("one host report")
}

pub async fn scan_targets(
    targets: &[ScanTarget],
    ports: &str,
    options: &ScanOptions,
) -> ScanSummary {
    let ports = PortSpec::parse(ports).unwrap();
    let cancel = CancellationToken::new();
    scan::scan(targets, &ports, options, &cancel, |_| {}).await.unwrap()
}

/// The open port numbers of a report.
pub fn open_ports(report: &HostReport) -> Vec<u16> {
    report.open.iter().map(|port| port.port).collect()
}

/// A port list for a spec.
pub fn spec_of(ports: &[u16]) -> String {
    ports.iter().map(u16::to_string).collect::<Vec<_>>().join(",")
}
