//! Real peers on loopback for the surface tests: an authoritative DNS server (hickory-server)
//! serving a test zone and its reverse zone, whose records a test adds as it goes; an HTTP
//! server for the well-known file; TCP listeners that greet like SSH, opened now or later; and
//! TLS servers with rcgen certificates that can be rotated while they run.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use hickory_server::ServerFuture;
use hickory_server::authority::{AuthorityObject, Catalog, ZoneType};
use hickory_server::proto::rr::rdata::{A, PTR, SOA, TXT};
use hickory_server::proto::rr::{LowerName, Name, RData, Record};
use hickory_server::store::in_memory::InMemoryAuthority;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::server::{ClientHello, ResolvesServerCert};
use rustls::sign::CertifiedKey;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpSocket, UdpSocket};

/// The zone the test DNS server is authoritative for.
pub const ZONE: &str = "example.test";

/// An authoritative DNS server on loopback for `example.test` and `in-addr.arpa`.
pub struct DnsServer {
    pub addr: SocketAddr,
    zone: Arc<InMemoryAuthority>,
    reverse: Arc<InMemoryAuthority>,
    serial: AtomicU32,
}

fn name(text: &str) -> Name {
    let mut name = Name::from_str(text).unwrap();
    name.set_fqdn(true);
    name
}

fn authority(origin: &str) -> Arc<InMemoryAuthority> {
    let mut authority = InMemoryAuthority::empty(name(origin), ZoneType::Primary, false);
    let soa = SOA::new(
        name(&format!("ns.{ZONE}")),
        name(&format!("admin.{ZONE}")),
        1,
        3600,
        600,
        86400,
        5,
    );
    authority.upsert_mut(Record::from_rdata(name(origin), 5, RData::SOA(soa)), 1);
    Arc::new(authority)
}

impl DnsServer {
    pub async fn start() -> DnsServer {
        let (zone, reverse) = (authority(ZONE), authority("in-addr.arpa"));
        let mut catalog = Catalog::new();
        catalog.upsert(LowerName::from(name(ZONE)), vec![zone.clone() as Arc<dyn AuthorityObject>]);
        catalog.upsert(
            LowerName::from(name("in-addr.arpa")),
            vec![reverse.clone() as Arc<dyn AuthorityObject>],
        );
        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let addr = udp.local_addr().unwrap();
        let mut server = ServerFuture::new(catalog);
        server.register_socket(udp);
        // TCP on the same port for truncated answers, when that port is free for TCP too.
        if let Ok(tcp) = TcpListener::bind(addr).await {
            server.register_listener(tcp, Duration::from_secs(5));
        }
        tokio::spawn(async move {
            let _ = server.block_until_done().await;
        });
        DnsServer { addr, zone, reverse, serial: AtomicU32::new(2) }
    }

    async fn add(&self, authority: &InMemoryAuthority, record: Record) {
        let serial = self.serial.fetch_add(1, Ordering::SeqCst);
        assert!(authority.upsert(record, serial).await, "the record was not added");
    }

    /// A TXT record at `owner` (a name under the zone).
    pub async fn txt(&self, owner: &str, text: &str) {
        let record = Record::from_rdata(name(owner), 5, RData::TXT(TXT::new(vec![text.into()])));
        self.add(&self.zone, record).await;
    }

    /// An A record: `owner` resolves to `ip`.
    pub async fn a(&self, owner: &str, ip: Ipv4Addr) {
        self.add(&self.zone, Record::from_rdata(name(owner), 5, RData::A(A(ip)))).await;
    }

    /// A PTR record: `ip`'s reverse name points at `target`.
    pub async fn ptr(&self, ip: Ipv4Addr, target: &str) {
        let mut owner = Name::from(IpAddr::V4(ip));
        owner.set_fqdn(true);
        self.add(&self.reverse, Record::from_rdata(owner, 5, RData::PTR(PTR(name(target))))).await;
    }
}

/// An HTTP server for `/.well-known/palisade-verify/<token>`: it answers the body it is told
/// to for the token it is told to, and 404 for anything else.
pub struct FileServer {
    pub port: u16,
    served: Arc<Mutex<Option<(String, String)>>>,
    requests: Arc<AtomicUsize>,
}

#[derive(Clone)]
struct Files {
    served: Arc<Mutex<Option<(String, String)>>>,
    requests: Arc<AtomicUsize>,
}

async fn well_known(State(files): State<Files>, Path(token): Path<String>) -> (StatusCode, String) {
    files.requests.fetch_add(1, Ordering::SeqCst);
    match files.served.lock().unwrap().clone() {
        Some((served, body)) if served == token => (StatusCode::OK, body),
        _ => (StatusCode::NOT_FOUND, "not here".into()),
    }
}

impl FileServer {
    pub async fn start(ip: Ipv4Addr) -> FileServer {
        let served = Arc::new(Mutex::new(None));
        let requests = Arc::new(AtomicUsize::new(0));
        let files = Files { served: served.clone(), requests: requests.clone() };
        let app = axum::Router::new()
            .route("/.well-known/palisade-verify/{token}", axum::routing::get(well_known))
            .with_state(files);
        let listener = TcpListener::bind((ip, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FileServer { port, served, requests }
    }

    /// Serves `body` for `token` from now on.
    pub fn serve(&self, token: &str, body: &str) {
        *self.served.lock().unwrap() = Some((token.to_string(), body.to_string()));
    }

    /// Answers 404 for every token from now on.
    pub fn withdraw(&self) {
        *self.served.lock().unwrap() = None;
    }

    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }
}

/// A port bound on `ip` that refuses connections until `open` starts listening on it, which
/// then greets every connection like an SSH server and counts it.
pub struct LaterPort {
    pub port: u16,
    socket: Option<TcpSocket>,
    pub accepted: Arc<AtomicUsize>,
}

impl LaterPort {
    pub fn reserve(ip: Ipv4Addr) -> LaterPort {
        let socket = TcpSocket::new_v4().unwrap();
        socket.bind(SocketAddr::new(IpAddr::V4(ip), 0)).unwrap();
        let port = socket.local_addr().unwrap().port();
        LaterPort { port, socket: Some(socket), accepted: Arc::new(AtomicUsize::new(0)) }
    }

    pub fn open(&mut self) {
        let listener = self.socket.take().expect("opened once").listen(128).unwrap();
        serve_ssh(listener, self.accepted.clone());
    }
}

/// A listener on `ip` that greets like an SSH server; answers its port and a connection count.
pub async fn ssh_listener(ip: Ipv4Addr) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind((ip, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    serve_ssh(listener, accepted.clone());
    (port, accepted)
}

fn serve_ssh(listener: TcpListener, accepted: Arc<AtomicUsize>) {
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            accepted.fetch_add(1, Ordering::SeqCst);
            tokio::spawn(async move {
                let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n").await;
                tokio::time::sleep(Duration::from_secs(5)).await;
            });
        }
    });
}

/// A self-signed certificate for `names`, valid until `not_after` (year, month, day).
pub fn certificate(names: &[&str], not_after: (i32, u8, u8)) -> Arc<CertifiedKey> {
    let mut params =
        rcgen::CertificateParams::new(names.iter().map(|n| n.to_string()).collect::<Vec<_>>())
            .unwrap();
    params.distinguished_name.push(rcgen::DnType::CommonName, names[0]);
    params.not_before = rcgen::date_time_ymd(2024, 1, 1);
    params.not_after = rcgen::date_time_ymd(not_after.0, not_after.1, not_after.2);
    let key = rcgen::KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    let der: CertificateDer<'static> = cert.der().clone();
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = rustls::crypto::ring::default_provider();
    Arc::new(CertifiedKey::from_der(vec![der], private, &provider).unwrap())
}

/// The SHA-256 fingerprint of a served certificate, as snapshots write it.
pub fn fingerprint(key: &CertifiedKey) -> String {
    use sha2::Digest;
    hex(&sha2::Sha256::digest(key.cert[0].as_ref()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug)]
struct Rotating(RwLock<Arc<CertifiedKey>>);

impl ResolvesServerCert for Rotating {
    fn resolve(&self, _: ClientHello<'_>) -> Option<Arc<CertifiedKey>> {
        self.0.read().ok().map(|key| key.clone())
    }
}

/// A TLS server on `ip` presenting a certificate that `rotate` replaces.
pub struct TlsServer {
    pub port: u16,
    current: Arc<Rotating>,
}

impl TlsServer {
    pub async fn start(ip: Ipv4Addr, key: Arc<CertifiedKey>) -> TlsServer {
        let current = Arc::new(Rotating(RwLock::new(key)));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_cert_resolver(current.clone());
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
        let listener = TcpListener::bind((ip, 0)).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    if let Ok(mut tls) = acceptor.accept(stream).await {
                        let _ = tls
                            .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                            .await;
                        let _ = tls.shutdown().await;
                    }
                });
            }
        });
        TlsServer { port, current }
    }

    pub fn rotate(&self, key: Arc<CertifiedKey>) {
        *self.current.0.write().unwrap() = key;
    }
}

/// A port on `ip` where nothing listens (connections are refused).
pub fn closed_port(ip: Ipv4Addr) -> u16 {
    let socket = std::net::TcpListener::bind((ip, 0)).unwrap();
    socket.local_addr().unwrap().port()
}
