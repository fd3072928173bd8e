//! Service hints from real loopback listeners that greet or answer like the protocol would.

use crate::support::{Behaviour, LOOPBACK, listen, quick_options, scan_host};
use surface_engine::scan::{OpenPort, ScanOptions};
use surface_engine::service::{Protocol, ServiceHint};

/// A MySQL 8 initial handshake packet: length 21, sequence 0, protocol 10, version, thread id,
/// the first part of the salt, filler, capability flags.
const MYSQL_GREETING: &[u8] = &[
    21, 0, 0, 0, 0x0a, b'8', b'.', b'0', b'.', b'3', b'6', 0, 7, 0, 0, 0, b'a', b'b', b'c', b'd',
    b'e', b'f', b'g', b'h', 0, 0xff, 0xf7,
];

async fn examine(behaviour: Behaviour) -> OpenPort {
    examine_with(behaviour, &quick_options()).await
}

async fn examine_with(behaviour: Behaviour, options: &ScanOptions) -> OpenPort {
    let port = listen(behaviour).await;
    let report = scan_host(LOOPBACK, &port.to_string(), options).await;
    assert_eq!(report.open.len(), 1, "{report:?}");
    report.open.into_iter().next().unwrap()
}

fn protocol(open: &OpenPort) -> Option<Protocol> {
    open.service.as_ref().map(|hint| hint.protocol)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listener_that_writes_an_ssh_banner_is_ssh_with_its_software_version() {
    let open = examine(Behaviour::Greet(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n")).await;
    let want = ServiceHint {
        protocol: Protocol::Ssh,
        product: Some("OpenSSH_9.2p1 Debian-2+deb12u3".to_owned()),
        tls: false,
    };
    assert_eq!(open.service, Some(want));
    assert_eq!(open.banner.as_deref(), Some("SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_listener_that_answers_http_is_http_with_its_server_header() {
    let reply = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nServer: Apache/2.4.57\r\n\r\n";
    let open = examine(Behaviour::Answer(reply)).await;
    assert_eq!(protocol(&open), Some(Protocol::Http));
    assert_eq!(open.service.unwrap().product.as_deref(), Some("Apache/2.4.57"));
    assert_eq!(open.banner.as_deref(), Some("HTTP/1.1 404 Not Found"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn greetings_of_mail_and_file_servers_name_their_protocol() {
    let cases: [(&'static [u8], Protocol); 5] = [
        (b"220 mx.example.com ESMTP Postfix (Debian/GNU)\r\n", Protocol::Smtp),
        (b"220 (vsFTPd 3.0.3)\r\n", Protocol::Ftp),
        (b"+OK Dovecot ready.\r\n", Protocol::Pop3),
        (b"* OK [CAPABILITY IMAP4rev1 STARTTLS] Dovecot ready.\r\n", Protocol::Imap),
        (b"RFB 003.008\n", Protocol::Vnc),
    ];
    for (greeting, want) in cases {
        let open = examine(Behaviour::Greet(greeting)).await;
        assert_eq!(protocol(&open), Some(want), "{}", String::from_utf8_lossy(greeting));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mysql_handshake_is_mysql_with_its_version() {
    let open = examine(Behaviour::Greet(MYSQL_GREETING)).await;
    assert_eq!(protocol(&open), Some(Protocol::Mysql));
    assert_eq!(open.service.unwrap().product.as_deref(), Some("8.0.36"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn telnet_option_negotiation_is_telnet() {
    let open = examine(Behaviour::Greet(&[0xff, 0xfd, 0x18, 0xff, 0xfb, 0x01])).await;
    assert_eq!(protocol(&open), Some(Protocol::Telnet));
    assert_eq!(open.banner.as_deref(), Some("\\xff\\xfd\\x18\\xff\\xfb\\x01"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_silent_server_that_rejects_our_head_like_redis_is_redis() {
    let open = examine(Behaviour::Answer(b"-ERR unknown command 'HEAD'\r\n")).await;
    assert_eq!(protocol(&open), Some(Protocol::Redis));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_answering_with_a_tls_alert_is_tls() {
    let open = examine(Behaviour::Answer(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x32])).await;
    let hint = open.service.unwrap();
    assert_eq!((hint.protocol, hint.tls), (Protocol::Tls, true));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_greeting_keeps_its_banner_but_names_no_protocol() {
    let open = examine(Behaviour::Greet(b"WELCOME TO THE BBS\r\n")).await;
    assert_eq!(open.service, None);
    assert_eq!(open.banner.as_deref(), Some("WELCOME TO THE BBS"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn with_service_hints_off_nothing_is_read_or_sent() {
    let mut options = quick_options();
    options.service_hints = false;
    let open = examine_with(Behaviour::Greet(b"SSH-2.0-OpenSSH_9.2p1\r\n"), &options).await;
    assert_eq!((open.service, open.banner), (None, None));
}
