//! The examination of a swept host: each port that answered is connected to a second time, and
//! only a port that answers again is reported open (a single answer can be a fluke, such as a
//! simultaneous open between two of our own sockets on loopback). On that second connection the
//! TLS probe runs first when asked for (a TLS server then needs no greeting wait; a plain-text
//! server fails the handshake at once or times out), and the plain-text service is identified on
//! it, or on a third connection after a failed handshake.
//!
//! A host over the all-open rule is reported as such, without examining its ports. It must not
//! validate certificates: the report carries observations, validation needs a clock.

use std::net::SocketAddr;
use std::sync::Arc;

use tokio::net::TcpStream;
use tokio::task::JoinSet;
use tokio_rustls::client::TlsStream;

use super::connect::Attempt;
use super::report::{HostReport, OpenPort};
use super::shared::Shared;
use super::sweep::{HostTally, SweepFindings, Verdict};
use crate::service::{self, Identified, Protocol, ServiceHint, Waits};
use crate::tls::TlsObservation;
use crate::values::ScanTarget;

/// What the second connection to an answering port showed.
enum Finding {
    Open(OpenPort),
    NotConfirmed(Verdict),
}

/// Examines a swept host and sends its report, unless the scan stops first.
pub(super) async fn examine_host(shared: Arc<Shared>, host: Arc<HostTally>) {
    let stop = shared.stop.clone();
    tokio::select! {
        () = stop.cancelled() => {}
        report = build_report(&shared, &host) => {
            let _ = shared.reports.send(report);
        }
    }
}

async fn build_report(shared: &Arc<Shared>, host: &HostTally) -> HostReport {
    let SweepFindings { mut answered, mut counts, mut failure } = host.take_findings();
    counts.scanned = u32::try_from(shared.ports.len()).unwrap_or(u32::MAX);
    answered.sort_unstable();
    let target = host.target.clone();
    if host.is_all_open() || shared.options.all_open.is_all_open(answered.len(), shared.ports.len())
    {
        counts.open = u32::try_from(answered.len()).unwrap_or(u32::MAX);
        return HostReport { target, open: Vec::new(), all_ports_open: true, counts, failure };
    }
    let mut examinations = JoinSet::new();
    for port in answered {
        let Some(slot) = shared.slot().await else { break };
        let (shared, target) = (Arc::clone(shared), target.clone());
        examinations.spawn(async move {
            let finding = examine_port(&shared, &target, port).await;
            drop(slot);
            finding
        });
    }
    let mut open = Vec::new();
    while let Some(joined) = examinations.join_next().await {
        match joined {
            Ok(Finding::Open(port)) => open.push(port),
            Ok(Finding::NotConfirmed(verdict)) => {
                verdict.count_into(&mut counts);
                failure = failure.or(verdict.failure());
            }
            Err(_panicked_or_aborted) => counts.failed += 1,
        }
    }
    open.sort_by_key(|port| port.port);
    counts.open = u32::try_from(open.len()).unwrap_or(u32::MAX);
    HostReport { target, open, all_ports_open: false, counts, failure }
}

async fn examine_port(shared: &Shared, target: &ScanTarget, port: u16) -> Finding {
    let confirmed = match connect(shared, target, port).await {
        Ok(stream) => stream,
        Err(verdict) => return Finding::NotConfirmed(verdict),
    };
    let mut tls_failure = None;
    let plain_stream = match &shared.tls {
        None => Some(confirmed),
        Some(prober) => {
            let timeout = shared.options.tls_timeout;
            let name = target.server_name();
            match prober.handshake(confirmed, target.address(), name, timeout).await {
                Ok((session, observation)) => {
                    return Finding::Open(open_over_tls(shared, port, session, observation).await);
                }
                Err(error) => {
                    tls_failure = Some(error.to_string());
                    None
                }
            }
        }
    };
    let plain = identify_plain(shared, target, port, plain_stream).await;
    let spoke_tls = plain.hint.as_ref().is_some_and(|hint| hint.protocol == Protocol::Tls);
    let tls_error = tls_failure.filter(|_| spoke_tls);
    Finding::Open(OpenPort {
        port,
        service: plain.hint,
        banner: plain.banner,
        tls: None,
        tls_error,
    })
}

/// A connection that completed with the peer, or the verdict of one that did not.
async fn connect(shared: &Shared, target: &ScanTarget, port: u16) -> Result<TcpStream, Verdict> {
    match shared.dialer.connect(SocketAddr::new(target.address(), port)).await {
        Attempt::Connected(connection) => {
            connection.into_stream().map_err(|error| Verdict::Failed(error.raw_os_error()))
        }
        Attempt::Refused => Err(Verdict::Closed),
        other => Err(Verdict::of(other)),
    }
}

/// The port's plain-text service, on `stream` or, when the TLS probe used that one up, on a new
/// connection.
async fn identify_plain(
    shared: &Shared,
    target: &ScanTarget,
    port: u16,
    stream: Option<TcpStream>,
) -> Identified {
    if !shared.options.service_hints {
        return Identified::default();
    }
    let stream = match stream {
        Some(stream) => Ok(stream),
        None => connect(shared, target, port).await,
    };
    match stream {
        Ok(mut stream) => service::identify(&mut stream, port, waits(shared), false).await,
        Err(_) => Identified::default(),
    }
}

/// The open port as reported after a TLS handshake: the service is what speaks inside TLS.
async fn open_over_tls(
    shared: &Shared,
    port: u16,
    mut session: TlsStream<TcpStream>,
    observation: TlsObservation,
) -> OpenPort {
    let inside = if shared.options.service_hints {
        service::identify(&mut session, port, waits(shared), true).await
    } else {
        Identified::default()
    };
    let tls_only = ServiceHint { protocol: Protocol::Tls, product: None, tls: true };
    let service = Some(inside.hint.unwrap_or(tls_only));
    OpenPort { port, service, banner: inside.banner, tls: Some(observation), tls_error: None }
}

fn waits(shared: &Shared) -> Waits {
    Waits { greeting: shared.options.greeting_wait, reply: shared.options.probe_reply_wait }
}
