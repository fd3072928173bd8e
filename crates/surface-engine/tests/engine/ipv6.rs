//! IPv6 on `::1`: the same classification and hints as on IPv4. Skipped, saying so, where the
//! machine cannot bind `::1`.

use std::net::{IpAddr, Ipv6Addr};

use crate::support::{Behaviour, listen_on, open_ports, quick_options, scan_host, spec_of};
use surface_engine::service::Protocol;
use surface_engine::values::{Target, expand};

const V6_LOOPBACK: IpAddr = IpAddr::V6(Ipv6Addr::LOCALHOST);

async fn ipv6_available() -> bool {
    match tokio::net::TcpListener::bind((V6_LOOPBACK, 0)).await {
        Ok(_) => true,
        Err(error) => {
            eprintln!("SKIPPED: cannot bind [::1] on this machine ({error}); IPv6 not tested");
            false
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ports_on_ipv6_loopback_are_classified_and_identified() {
    if !ipv6_available().await {
        return;
    }
    let ssh = listen_on(V6_LOOPBACK, Behaviour::Greet(b"SSH-2.0-OpenSSH_9.2p1\r\n")).await;
    let closing = listen_on(V6_LOOPBACK, Behaviour::AcceptThenClose).await;
    let free = tokio::net::TcpListener::bind((V6_LOOPBACK, 0)).await.unwrap();
    let closed = free.local_addr().unwrap().port();
    drop(free);
    let report = scan_host(V6_LOOPBACK, &spec_of(&[ssh, closing, closed]), &quick_options()).await;
    let mut want = vec![ssh, closing];
    want.sort_unstable();
    assert_eq!(open_ports(&report), want);
    assert_eq!(report.counts.closed, 1);
    let ssh_port = report.open.iter().find(|open| open.port == ssh).unwrap();
    assert_eq!(ssh_port.service.as_ref().map(|hint| hint.protocol), Some(Protocol::Ssh));
    assert_eq!(report.target.address(), V6_LOOPBACK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ipv6_block_expands_and_its_listener_is_found() {
    if !ipv6_available().await {
        return;
    }
    let targets = expand(&[Target::parse("::1/128").unwrap()]).unwrap();
    assert_eq!(targets.len(), 1);
    let port = listen_on(V6_LOOPBACK, Behaviour::AcceptThenClose).await;
    let summary = crate::support::scan_targets(&targets, &port.to_string(), &quick_options()).await;
    assert_eq!(open_ports(&summary.hosts[0]), [port]);
}
