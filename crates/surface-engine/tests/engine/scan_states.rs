//! How the scanner classifies ports on real loopback listeners, and how it reports, paces and
//! stops a scan.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use crate::support::{
    Behaviour, LOOPBACK, listen, listen_on, open_ports, quick_options, scan_host, spec_of,
};
use surface_engine::scan::{self, AllOpenRule, CancellationToken, ScanEvent};
use surface_engine::values::{PortSpec, ScanTarget};

/// A loopback address no test listens on, so its ports are closed unless something listens on
/// every address.
const QUIET_ADDRESS: &str = "127.0.0.77";

fn quiet_address() -> IpAddr {
    QUIET_ADDRESS.parse().unwrap()
}

/// A port free on the quiet address.
async fn closed_port() -> u16 {
    let listener = tokio::net::TcpListener::bind((quiet_address(), 0)).await.unwrap();
    listener.local_addr().unwrap().port()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_port_answering_rst_is_reported_closed() {
    let port = closed_port().await;
    let report = scan_host(quiet_address(), &port.to_string(), &quick_options()).await;
    assert!(report.open.is_empty());
    assert_eq!(report.counts.closed, 1);
    assert_eq!(report.counts.filtered, 0);
    assert!(report.answered(), "a RST proves the host is there");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listener_that_accepts_then_closes_is_open() {
    let port = listen(Behaviour::AcceptThenClose).await;
    let report = scan_host(LOOPBACK, &port.to_string(), &quick_options()).await;
    assert_eq!(open_ports(&report), [port]);
    assert_eq!(report.counts.open, 1);
    assert_eq!(report.open[0].service, None, "nothing was said, so nothing is guessed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_listener_is_open_without_a_service_hint() {
    let port = listen(Behaviour::Silent).await;
    let report = scan_host(LOOPBACK, &port.to_string(), &quick_options()).await;
    assert_eq!(open_ports(&report), [port]);
    assert_eq!(report.open[0].service, None);
    assert_eq!(report.open[0].banner, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_port_that_drops_syns_is_filtered_after_its_retries() {
    let (port, _listener, _held) = crate::support::full_backlog_port().await;
    let mut options = quick_options();
    options.connect_timeout = Duration::from_millis(300);
    options.timeout_retries = 2;
    let started = Instant::now();
    let report = scan_host(LOOPBACK, &port.to_string(), &options).await;
    assert!(report.open.is_empty(), "a port that never answers is never open");
    assert_eq!(report.counts.filtered, 1);
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "three attempts of 300 ms each, took {:?}",
        started.elapsed()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_closed_and_filtered_ports_are_told_apart_in_one_scan() {
    let open = listen(Behaviour::AcceptThenClose).await;
    let (filtered, _listener, _held) = crate::support::full_backlog_port().await;
    let closed = crate::support::unused_port().await;
    let report = scan_host(LOOPBACK, &spec_of(&[open, filtered, closed]), &quick_options()).await;
    assert_eq!(open_ports(&report), [open]);
    assert_eq!((report.counts.closed, report.counts.filtered), (1, 1));
    assert_eq!(report.counts.scanned, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_answering_on_more_ports_than_the_threshold_is_flagged_instead_of_listed() {
    let ip: IpAddr = "127.0.0.78".parse().unwrap();
    let mut ports = Vec::new();
    for _ in 0..40 {
        ports.push(listen_on(ip, Behaviour::Silent).await);
    }
    let mut options = quick_options();
    options.all_open = AllOpenRule { max_open_ports: 30, max_open_share_percent: 100 };
    let report = scan_host(ip, &spec_of(&ports), &options).await;
    assert!(report.all_ports_open);
    assert!(report.open.is_empty(), "an all-open host lists no ports");
    assert!(report.counts.open > 30);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_host_answering_on_nearly_every_scanned_port_is_flagged_by_share() {
    let ip: IpAddr = "127.0.0.79".parse().unwrap();
    let mut ports = Vec::new();
    for _ in 0..25 {
        ports.push(listen_on(ip, Behaviour::AcceptThenClose).await);
    }
    let report = scan_host(ip, &spec_of(&ports), &quick_options()).await;
    assert!(report.all_ports_open, "25 of 25 ports is over the default 90 %");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_few_listeners_among_many_ports_are_listed_port_by_port() {
    let ip: IpAddr = "127.0.0.80".parse().unwrap();
    let mut listeners = Vec::new();
    for _ in 0..5 {
        listeners.push(listen_on(ip, Behaviour::AcceptThenClose).await);
    }
    listeners.sort_unstable();
    let low = *listeners.first().unwrap();
    let spec = format!("{},{}-{}", spec_of(&listeners), low.saturating_sub(100).max(1), low);
    let report = scan_host(ip, &spec, &quick_options()).await;
    assert!(!report.all_ports_open);
    assert_eq!(open_ports(&report), listeners);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_connect_rate_cap_spaces_attempts_out() {
    let mut options = quick_options();
    options.connects_per_second = NonZeroU32::new(40);
    let first = closed_port().await;
    let spec = format!("{first}-{}", first.saturating_add(19));
    let started = Instant::now();
    let report = scan_host(quiet_address(), &spec, &options).await;
    assert_eq!(report.counts.scanned, 20);
    // Twenty attempts at 40 a second need at least 19 gaps of 25 ms.
    assert!(started.elapsed() >= Duration::from_millis(450), "took {:?}", started.elapsed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_rises_to_the_total_and_every_host_is_reported_as_it_finishes() {
    let listening: IpAddr = "127.0.0.81".parse().unwrap();
    let port = listen_on(listening, Behaviour::AcceptThenClose).await;
    let targets: Vec<ScanTarget> = ["127.0.0.82", "127.0.0.81", "127.0.0.83"]
        .iter()
        .map(|ip| ScanTarget::of_address(ip.parse().unwrap()))
        .collect();
    let spec = PortSpec::parse(&format!("{port},{}-{}", port - 99, port - 1)).unwrap();
    let mut progress = Vec::new();
    let mut streamed = Vec::new();
    let summary = scan::scan(
        &targets,
        &spec,
        &quick_options(),
        &CancellationToken::new(),
        |event| match event {
            ScanEvent::Progress(step) => progress.push(step),
            ScanEvent::Host(report) => streamed.push((report.target.address(), progress.len())),
        },
    )
    .await
    .unwrap();
    let total = 3 * 100;
    assert!(progress.iter().all(|step| step.total == total));
    assert!(progress.windows(2).all(|pair| pair[0].done <= pair[1].done));
    assert_eq!(progress.last().unwrap().done, total);
    assert_eq!(streamed.len(), 3);
    let addresses: Vec<String> =
        summary.hosts.iter().map(|h| h.target.address().to_string()).collect();
    assert_eq!(addresses, ["127.0.0.81", "127.0.0.82", "127.0.0.83"]);
    assert_eq!(open_ports(&summary.hosts[0]), [port]);
    assert!(!summary.cancelled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_stops_a_long_scan_promptly_and_reports_no_unfinished_host() {
    let mut options = quick_options();
    options.connects_per_second = NonZeroU32::new(10);
    let targets = [ScanTarget::of_address(quiet_address())];
    let spec = PortSpec::parse("1-2000").unwrap();
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(500)).await;
        trigger.cancel();
    });
    let started = Instant::now();
    let summary = scan::scan(&targets, &spec, &options, &cancel, |_| {}).await.unwrap();
    assert!(summary.cancelled);
    assert!(summary.hosts.is_empty());
    assert!(summary.progress.done < summary.progress.total);
    // At 10 connects a second the full scan would take over three minutes.
    assert!(started.elapsed() < Duration::from_secs(30), "took {:?}", started.elapsed());
}
