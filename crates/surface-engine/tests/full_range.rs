//! The zero-false-results guarantee: a scan of every port of 127.0.0.1 reports open exactly the
//! ports something listens on. Ground truth is our own listeners plus what the kernel lists as
//! listening (`/proc/net/tcp`, `/proc/net/tcp6`) before and after the scan, since other programs
//! on the machine may listen too. This file holds one test so that no other test's listeners
//! come and go during the scan.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "engine/support/mod.rs"]
mod support;

use std::collections::BTreeSet;
use std::time::Duration;

use support::{Behaviour, LOOPBACK, listen, open_ports, quick_options, scan_host};
use surface_engine::service::Protocol;

/// Ports the kernel lists as listening where a connection to 127.0.0.1 reaches them: `must` on
/// 127.0.0.1 or 0.0.0.0, `may` on `::` (dual-stack unless the socket is IPv6-only).
#[derive(Default)]
struct Listening {
    must: BTreeSet<u16>,
    may: BTreeSet<u16>,
}

fn listening_now() -> Listening {
    let mut listening = Listening::default();
    for (file, v6) in [("/proc/net/tcp", false), ("/proc/net/tcp6", true)] {
        let Ok(table) = std::fs::read_to_string(file) else { continue };
        for line in table.lines().skip(1) {
            let fields: Vec<&str> = line.split_whitespace().collect();
            let (Some(local), Some(state)) = (fields.get(1), fields.get(3)) else { continue };
            if *state != "0A" {
                continue;
            }
            let Some((address, port)) = local.split_once(':') else { continue };
            let port = u16::from_str_radix(port, 16).unwrap();
            match (v6, address) {
                (false, "0100007F" | "00000000") => listening.must.insert(port),
                (true, "0000000000000000FFFF00000100007F") => listening.must.insert(port),
                (true, "00000000000000000000000000000000") => listening.may.insert(port),
                _ => false,
            };
        }
    }
    listening
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_range_scan_of_loopback_reports_exactly_the_ports_that_listen() {
    let ssh = listen(Behaviour::Greet(b"SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")).await;
    let http = listen(Behaviour::Answer(b"HTTP/1.1 200 OK\r\nServer: nginx\r\n\r\n")).await;
    let closing = listen(Behaviour::AcceptThenClose).await;
    let silent = listen(Behaviour::Silent).await;
    let ours = BTreeSet::from([ssh, http, closing, silent]);
    let before = listening_now();
    // Other programs' listeners may come and go during the scan; watch the kernel's table
    // meanwhile, so that a port that listened only for a moment is not called a false positive.
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let watcher = std::thread::spawn(move || {
        let mut seen = BTreeSet::new();
        while stopped.recv_timeout(Duration::from_millis(20)).is_err() {
            let now = listening_now();
            seen.extend(now.must.into_iter().chain(now.may));
        }
        seen
    });

    let report = scan_host(LOOPBACK, "1-65535", &quick_options()).await;
    let after = listening_now();
    stop.send(()).unwrap();
    let seen_during = watcher.join().unwrap();

    let reported: BTreeSet<u16> = open_ports(&report).into_iter().collect();
    let stable: BTreeSet<u16> = before.must.intersection(&after.must).copied().collect();
    let possible: BTreeSet<u16> = [&before.must, &after.must, &before.may, &after.may, &ours]
        .into_iter()
        .flatten()
        .chain(&seen_during)
        .copied()
        .collect();
    let false_positives: Vec<u16> = reported.difference(&possible).copied().collect();
    let false_negatives: Vec<u16> =
        ours.union(&stable).filter(|p| !reported.contains(p)).copied().collect();
    eprintln!("reported open: {reported:?}; ours: {ours:?}; others listening: {stable:?}");
    assert!(false_positives.is_empty(), "reported open but nothing listens: {false_positives:?}");
    assert!(false_negatives.is_empty(), "listening but not reported open: {false_negatives:?}");
    assert!(!report.all_ports_open);
    assert_eq!(report.counts.scanned, 65_535);
    assert_eq!(report.counts.failed, 0, "{:?}", report.failure);
    assert_eq!(report.counts.open + report.counts.closed + report.counts.filtered, 65_535);

    let hint = |port: u16| {
        report.open.iter().find(|open| open.port == port).and_then(|open| open.service.clone())
    };
    assert_eq!(hint(ssh).map(|h| h.protocol), Some(Protocol::Ssh));
    assert_eq!(hint(http).map(|h| h.protocol), Some(Protocol::Http));
}
