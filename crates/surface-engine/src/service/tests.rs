//! Recognisers and probe plans on the exact bytes servers send, including the protocols whose
//! probes only go to their own well-known ports (PostgreSQL, Redis, RDP), which a test cannot
//! count on binding.
#![allow(clippy::unwrap_used)]

use super::Protocol;
use super::recognise::{Probe, banner_excerpt, greeting, plan, reply};

fn greeted(bytes: &[u8], port: u16) -> Option<Protocol> {
    greeting(bytes, port).map(|hint| hint.protocol)
}

fn answered(probe: Probe, bytes: &[u8]) -> Option<Protocol> {
    reply(probe, bytes).map(|hint| hint.protocol)
}

#[test]
fn a_bare_220_greeting_is_told_apart_by_its_port_only() {
    assert_eq!(greeted(b"220 ready\r\n", 21), Some(Protocol::Ftp));
    assert_eq!(greeted(b"220 ready\r\n", 587), Some(Protocol::Smtp));
    assert_eq!(greeted(b"220 ready\r\n", 4000), None);
    assert_eq!(greeted(b"220-mail.example.com ESMTP\r\n", 4000), Some(Protocol::Smtp));
    assert_eq!(greeted(b"2200 not a reply code\r\n", 25), None);
}

#[test]
fn postgres_answers_the_ssl_request_with_one_byte() {
    assert_eq!(answered(Probe::PostgresSslRequest, b"S"), Some(Protocol::Postgres));
    assert_eq!(answered(Probe::PostgresSslRequest, b"N"), Some(Protocol::Postgres));
    let error = b"E\x00\x00\x00\x50SFATAL\x00";
    assert_eq!(answered(Probe::PostgresSslRequest, error), Some(Protocol::Postgres));
    assert_eq!(answered(Probe::HttpHead, b"S"), None, "one byte means nothing to other probes");
}

#[test]
fn redis_answers_ping_even_when_it_wants_a_password() {
    assert_eq!(answered(Probe::RedisPing, b"+PONG\r\n"), Some(Protocol::Redis));
    let locked = b"-NOAUTH Authentication required.\r\n";
    assert_eq!(answered(Probe::RedisPing, locked), Some(Protocol::Redis));
}

#[test]
fn rdp_answers_the_negotiation_request_with_a_connection_confirm() {
    let confirm = [0x03, 0x00, 0x00, 0x13, 0x0e, 0xd0, 0x00, 0x00, 0x12, 0x34, 0x00, 0x02];
    assert_eq!(answered(Probe::RdpNegotiation, &confirm), Some(Protocol::Rdp));
    assert_eq!(answered(Probe::RdpNegotiation, &[0x03, 0x00, 0x00, 0x0b, 0x06, 0xe0]), None);
}

#[test]
fn a_mysql_error_packet_sent_instead_of_the_handshake_is_still_mysql() {
    let refused = b"\x45\x00\x00\x00\xff\x6a\x04Host '10.0.0.5' is not allowed to connect";
    assert_eq!(greeted(refused, 3306), Some(Protocol::Mysql));
    assert_eq!(greeted(b"\x45\x00\x00\x01\xff\x6a\x04", 3306), None, "sequence must be 0");
}

#[test]
fn tls_records_are_recognised_by_their_header() {
    assert_eq!(greeted(&[0x16, 0x03, 0x01, 0x00, 0x10], 9999), Some(Protocol::Tls));
    assert_eq!(greeted(&[0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28], 9999), Some(Protocol::Tls));
    assert_eq!(greeted(&[0x17, 0x03, 0x03], 9999), None);
}

#[test]
fn client_first_ports_are_probed_at_once_and_others_after_the_greeting_wait() {
    assert_eq!(plan(5432, false).probe, Probe::PostgresSslRequest);
    assert_eq!(plan(6379, false).probe, Probe::RedisPing);
    assert_eq!(plan(3389, false).probe, Probe::RdpNegotiation);
    assert!(!plan(80, false).wait_for_greeting);
    assert!(plan(22, false).wait_for_greeting);
    assert!(plan(40000, false).wait_for_greeting);
    assert!(!plan(443, true).wait_for_greeting, "HTTPS waits for the client");
    assert!(plan(993, true).wait_for_greeting, "IMAPS greets once TLS is up");
}

#[test]
fn banner_excerpts_are_one_printable_line() {
    assert_eq!(banner_excerpt(b"+OK ready\r\nmore\r\n").as_deref(), Some("+OK ready"));
    assert_eq!(banner_excerpt(b"\x00\x01ab").as_deref(), Some("\\x00\\x01ab"));
    assert_eq!(banner_excerpt(b"\r\n"), None);
    assert_eq!(banner_excerpt(&[b'a'; 500]).unwrap().len(), 160);
}
