//! The one call behind `palisade scan`: streamed host results as JSON lines, the snapshot, and
//! the exit codes.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use crate::support::{Behaviour, listen_on, quick_options};
use chrono::Utc;
use surface_engine::run::{ExitCode, ScanRequest, ScanRun, run_scan};
use surface_engine::scan::{CancellationToken, HostReport, PortCounts, ScanEvent};
use surface_engine::snapshot::{CertificateCheck, Scope, Snapshot};
use surface_engine::tls::TrustAnchors;
use surface_engine::values::{PortSpec, ScanTarget, Target, TargetError};

fn request(targets: &[&str], ports: &str) -> ScanRequest {
    ScanRequest {
        targets: targets.iter().map(|text| Target::parse(text).unwrap()).collect(),
        named: Vec::new(),
        ports: PortSpec::parse(ports).unwrap(),
        options: quick_options(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scan_streams_one_json_line_per_host_and_returns_the_snapshot() {
    let listening: IpAddr = "127.0.0.85".parse().unwrap();
    let port = listen_on(listening, Behaviour::Greet(b"SSH-2.0-OpenSSH_9.2p1\r\n")).await;
    let request = request(&["127.0.0.84/31"], &port.to_string());
    let anchors = TrustAnchors::webpki_roots();
    let check = CertificateCheck { now: Utc::now(), anchors: &anchors };
    let mut lines = Vec::new();
    let run = run_scan(&request, check, &CancellationToken::new(), |event| {
        if let ScanEvent::Host(report) = event {
            lines.push(serde_json::to_string(report).unwrap());
        }
    })
    .await
    .unwrap();
    assert_eq!(lines.len(), 2);
    let parsed: Vec<HostReport> =
        lines.iter().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert!(parsed.iter().all(|report| report.counts.scanned == 1));
    assert!(lines.iter().any(|line| line.contains("\"protocol\":\"ssh\"")), "{lines:?}");
    assert_eq!(run.exit_code(), ExitCode::Scanned);
    assert_eq!(run.exit_code().code(), 0);
    let hosts: Vec<String> = run.snapshot.hosts().iter().map(|h| h.address.to_string()).collect();
    assert_eq!(hosts, ["127.0.0.84", "127.0.0.85"], "a refusing host is there too");
    assert_eq!(run.snapshot.hosts()[1].ports[0].port, port);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_with_nothing_to_scan_exits_2() {
    let mut empty = request(&["127.0.0.1"], "22");
    empty.targets.clear();
    let anchors = TrustAnchors::webpki_roots();
    let check = CertificateCheck { now: Utc::now(), anchors: &anchors };
    let error = run_scan(&empty, check, &CancellationToken::new(), |_| {}).await.unwrap_err();
    assert!(matches!(error, surface_engine::run::RunError::Targets(TargetError::NoTargets)));
    assert_eq!(error.exit_code().code(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_interrupted_scan_exits_130() {
    let mut slow = request(&["127.0.0.86"], "1-1000");
    slow.options.connects_per_second = NonZeroU32::new(5);
    let anchors = TrustAnchors::webpki_roots();
    let check = CertificateCheck { now: Utc::now(), anchors: &anchors };
    let cancel = CancellationToken::new();
    let trigger = cancel.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(300)).await;
        trigger.cancel();
    });
    let run = run_scan(&slow, check, &cancel, |_| {}).await.unwrap();
    assert_eq!(run.exit_code().code(), 130);
}

#[test]
fn a_run_where_every_attempt_failed_on_our_side_exits_1() {
    let scope = Scope::new([Target::parse("127.0.0.1").unwrap()], PortSpec::parse("1-10").unwrap());
    let failed = HostReport {
        target: ScanTarget::of_address("127.0.0.1".parse().unwrap()),
        open: Vec::new(),
        all_ports_open: false,
        counts: PortCounts { scanned: 10, failed: 10, ..PortCounts::default() },
        failure: Some("Too many open files (os error 24)".to_owned()),
    };
    let run = ScanRun { snapshot: Snapshot::empty(scope), hosts: vec![failed], cancelled: false };
    assert_eq!(run.exit_code(), ExitCode::Failed);
    assert_eq!(run.exit_code().code(), 1);
}
