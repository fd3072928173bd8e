//! `palisade scan` as an operator runs it: a real process against listeners this test starts on
//! loopback, JSON Lines out, and the documented exit codes (0 scanned, 2 bad arguments; 1,
//! nothing could be scanned, is the engine's `run` tests' to force). It needs no database and
//! reads no configuration.

use crate::process::run;
use serde_json::Value;
use std::io::Write;
use std::net::{Ipv4Addr, TcpListener};

/// An address of this test's own in 127.0.0.0/8, so other tests' listeners are not in the way.
fn own_loopback() -> Ipv4Addr {
    let [a, b, c, ..] = *uuid::Uuid::new_v4().as_bytes();
    Ipv4Addr::new(127, a, b, c.max(2))
}

/// A listener that greets every connection like an SSH server, on a thread.
fn ssh_listener(ip: Ipv4Addr) -> u16 {
    let listener = TcpListener::bind((ip, 0)).unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.6\r\n");
        }
    });
    port
}

fn json_lines(stdout: &[u8]) -> Vec<Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn a_scan_prints_a_json_line_per_host_and_a_summary_and_exits_0() {
    let ip = own_loopback();
    let open = ssh_listener(ip);
    let closed = TcpListener::bind((ip, 0)).unwrap().local_addr().unwrap().port();
    let ports = format!("{open},{closed}");
    // A configuration file that would stop `serve` is not read by `scan`.
    let output = run(
        &["scan", &ip.to_string(), "--ports", &ports, "--json", "--config", "/nonexistent.toml"],
        &[("PALISADE_LISTEN", "not an address")],
    );
    assert_eq!(output.status.code(), Some(0), "{}", String::from_utf8_lossy(&output.stderr));
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 2, "{lines:?}");
    let host = &lines[0];
    assert_eq!(
        (host["type"].as_str(), host["address"].as_str()),
        (Some("host"), Some(ip.to_string().as_str()))
    );
    assert_eq!(host["open"].as_array().unwrap().len(), 1);
    assert_eq!(host["open"][0]["port"], open);
    assert_eq!(host["open"][0]["service"]["protocol"], "ssh");
    assert_eq!(host["counts"]["closed"], 1);
    let summary = &lines[1];
    assert_eq!(summary["type"], "summary");
    assert_eq!((summary["hosts_up"].as_u64(), summary["open_ports"].as_u64()), (Some(1), Some(1)));
    assert_eq!(summary["snapshot_sha256"].as_str().unwrap().len(), 64);
}

#[test]
fn without_json_the_open_ports_are_listed_for_people() {
    let ip = own_loopback();
    let open = ssh_listener(ip);
    let output = run(&["scan", &ip.to_string(), "--ports", &open.to_string()], &[]);
    assert_eq!(output.status.code(), Some(0));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.contains(&format!("{open}/tcp  ssh OpenSSH_9.6")), "{text}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("1 open port(s)"));
}

#[test]
fn bad_arguments_exit_2_with_nothing_on_stdout() {
    for args in [
        vec!["scan", "127.0.0.1", "--ports", "0"],
        vec!["scan", "127.0.0.1", "--ports", "80-22"],
        vec!["scan", "10.0.0.1/8"],
        vec!["scan", "10.0.0.0/15"],
        vec!["scan", "exa mple.com"],
        vec!["scan"],
        vec!["scan", "127.0.0.1", "--retries", "9"],
    ] {
        let output = run(&args, &[]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(output.stdout.is_empty(), "{args:?}");
    }
}
