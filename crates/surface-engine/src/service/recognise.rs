//! What is said on the wire: the one probe sent to a port that does not speak first, and when
//! (at once on ports whose protocol waits for the client, after the greeting wait elsewhere); and
//! the recognisers, from the bytes a server sent to a protocol name, using only markers the
//! protocols' specifications fix (the SSH identification string of RFC 4253, reply codes of
//! RFC 5321 and RFC 959, the `+OK` of RFC 1939, the untagged `* OK` of RFC 9051, the MySQL
//! handshake packet, telnet's IAC option negotiation, the RFB version string, TLS record headers,
//! HTTP status lines).
//!
//! Every probe is a request a client sends before authenticating and that changes nothing on the
//! server, one per connection. A recogniser must not guess from the port number alone: the port
//! only breaks the tie between FTP and SMTP, which both greet with `220`.

use super::{Protocol, ServiceHint};

/// The longest product text kept.
const PRODUCT_CAP: usize = 100;
/// The longest banner excerpt kept, in characters after escaping.
const BANNER_CAP: usize = 160;

/// A probe and its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Probe {
    /// `HEAD / HTTP/1.0`, without a `Host` header (Redis drops connections that send one).
    HttpHead,
    /// The 8-byte SSLRequest a PostgreSQL client sends first; the server answers `S` or `N`.
    PostgresSslRequest,
    /// An inline `PING`; Redis answers `+PONG`, or `-NOAUTH` when a password is required.
    RedisPing,
    /// An X.224 Connection Request carrying an RDP negotiation request (TLS and CredSSP).
    RdpNegotiation,
}

/// What to do on a port.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Plan {
    pub(super) probe: Probe,
    pub(super) wait_for_greeting: bool,
}

/// Ports where HTTP (or TLS, answered here with an alert) is the expected protocol.
const HTTP_PORTS: &[u16] =
    &[80, 81, 443, 591, 3000, 5000, 8000, 8008, 8080, 8081, 8088, 8443, 8888, 9000, 9090, 9443];

/// Implicit-TLS ports whose protocol speaks first once the handshake is done (SMTPS, FTPS,
/// telnets, IMAPS, POP3S).
const SERVER_FIRST_INSIDE_TLS: &[u16] = &[465, 990, 992, 993, 995];

impl Probe {
    pub(super) fn bytes(self) -> &'static [u8] {
        match self {
            Probe::HttpHead => b"HEAD / HTTP/1.0\r\n\r\n",
            Probe::PostgresSslRequest => &[0x00, 0x00, 0x00, 0x08, 0x04, 0xd2, 0x16, 0x2f],
            Probe::RedisPing => b"PING\r\n",
            Probe::RdpNegotiation => &[
                0x03, 0x00, 0x00, 0x13, // TPKT, 19 bytes
                0x0e, 0xe0, 0x00, 0x00, 0x00, 0x00, 0x00, // X.224 Connection Request
                0x01, 0x00, 0x08, 0x00, 0x03, 0x00, 0x00, 0x00, // RDP_NEG_REQ: TLS | CredSSP
            ],
        }
    }
}

/// The plan for `port`; `in_tls` when the stream is the inside of a TLS session.
pub(super) fn plan(port: u16, in_tls: bool) -> Plan {
    if in_tls {
        let wait_for_greeting = SERVER_FIRST_INSIDE_TLS.contains(&port);
        return Plan { probe: Probe::HttpHead, wait_for_greeting };
    }
    match port {
        5432 => Plan { probe: Probe::PostgresSslRequest, wait_for_greeting: false },
        6379 => Plan { probe: Probe::RedisPing, wait_for_greeting: false },
        3389 => Plan { probe: Probe::RdpNegotiation, wait_for_greeting: false },
        port if HTTP_PORTS.contains(&port) => {
            Plan { probe: Probe::HttpHead, wait_for_greeting: false }
        }
        _ => Plan { probe: Probe::HttpHead, wait_for_greeting: true },
    }
}

/// Recognises what a server sends before the client says anything.
pub(super) fn greeting(bytes: &[u8], port: u16) -> Option<ServiceHint> {
    if bytes.starts_with(b"SSH-") {
        let product = first_line(bytes).splitn(3, '-').nth(2).and_then(product);
        return Some(hint(Protocol::Ssh, product));
    }
    if is_tls_record(bytes) {
        return Some(ServiceHint { protocol: Protocol::Tls, product: None, tls: true });
    }
    if let [0xff, 0xfb..=0xfe, ..] = bytes {
        return Some(hint(Protocol::Telnet, None));
    }
    if let Some(hint) = mysql_greeting(bytes) {
        return Some(hint);
    }
    if bytes.starts_with(b"RFB ") {
        return Some(hint(Protocol::Vnc, first_line(bytes).get(4..).and_then(product)));
    }
    text_greeting(&first_line(bytes), port)
}

/// Recognises the answer to `probe` (after [`greeting`] found nothing in it).
pub(super) fn reply(probe: Probe, bytes: &[u8]) -> Option<ServiceHint> {
    if bytes.starts_with(b"HTTP/1.") || bytes.starts_with(b"HTTP/2") {
        return Some(hint(Protocol::Http, http_server_header(bytes)));
    }
    if is_redis_reply(bytes) {
        return Some(hint(Protocol::Redis, None));
    }
    match probe {
        Probe::PostgresSslRequest if is_postgres_reply(bytes) => {
            Some(hint(Protocol::Postgres, None))
        }
        Probe::RdpNegotiation if is_x224_connection_confirm(bytes) => {
            Some(hint(Protocol::Rdp, None))
        }
        _ => None,
    }
}

/// A printable excerpt of the first line, non-printable bytes escaped as `\xNN`.
pub(super) fn banner_excerpt(bytes: &[u8]) -> Option<String> {
    let line_end = bytes.iter().position(|b| *b == b'\n').unwrap_or(bytes.len());
    let line = bytes[..line_end].strip_suffix(b"\r").unwrap_or(&bytes[..line_end]);
    let mut excerpt = String::new();
    for byte in line {
        if excerpt.len() >= BANNER_CAP {
            break;
        }
        match byte {
            b' '..=b'~' => excerpt.push(char::from(*byte)),
            other => excerpt.push_str(&format!("\\x{other:02x}")),
        }
    }
    let excerpt = excerpt.trim_end().to_owned();
    (!excerpt.is_empty()).then_some(excerpt)
}

fn hint(protocol: Protocol, product: Option<String>) -> ServiceHint {
    ServiceHint { protocol, product, tls: false }
}

fn text_greeting(line: &str, port: u16) -> Option<ServiceHint> {
    if line.starts_with("+OK") {
        return Some(hint(Protocol::Pop3, None));
    }
    if ["* OK", "* PREAUTH", "* BYE"].iter().any(|marker| line.starts_with(marker)) {
        return Some(hint(Protocol::Imap, None));
    }
    let is_220 =
        line.starts_with("220") && matches!(line.as_bytes().get(3), Some(b' ' | b'-') | None);
    if !is_220 {
        return None;
    }
    let lower = line.to_ascii_lowercase();
    if lower.contains("ftp") {
        return Some(hint(Protocol::Ftp, None));
    }
    if ["smtp", "mail", "postfix", "exim", "sendmail"].iter().any(|word| lower.contains(word)) {
        return Some(hint(Protocol::Smtp, None));
    }
    match port {
        21 | 2121 => Some(hint(Protocol::Ftp, None)),
        25 | 465 | 587 | 2525 => Some(hint(Protocol::Smtp, None)),
        _ => None,
    }
}

/// A TLS record header: content type alert (21) or handshake (22), then version 3.x.
fn is_tls_record(bytes: &[u8]) -> bool {
    matches!(bytes, [0x15 | 0x16, 0x03, 0x00..=0x04, ..])
}

/// The MySQL initial handshake (protocol 10) or an error packet sent instead of it (the host is
/// not allowed, too many connections): a 3-byte length, sequence number 0, then the marker.
fn mysql_greeting(bytes: &[u8]) -> Option<ServiceHint> {
    let [l0, l1, l2, 0x00, marker, rest @ ..] = bytes else { return None };
    let length = usize::from(*l0) | usize::from(*l1) << 8 | usize::from(*l2) << 16;
    if !(8..=1024).contains(&length) {
        return None;
    }
    match marker {
        0x0a => {
            let version_end = rest.iter().position(|b| *b == 0)?;
            let version = std::str::from_utf8(&rest[..version_end]).ok()?;
            let looks_like_version = version.starts_with(|c: char| c.is_ascii_digit());
            looks_like_version.then(|| hint(Protocol::Mysql, product(version)))
        }
        0xff if rest.len() >= 2 => Some(hint(Protocol::Mysql, None)),
        _ => None,
    }
}

fn http_server_header(bytes: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(bytes);
    text.lines().skip(1).take_while(|line| !line.trim().is_empty()).find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim().eq_ignore_ascii_case("server").then(|| product(value)).flatten()
    })
}

/// Redis answers an unknown inline command (our `HEAD`) with `-ERR`, and `PING` with `+PONG` or
/// an authentication error.
fn is_redis_reply(bytes: &[u8]) -> bool {
    [&b"+PONG"[..], b"-ERR ", b"-NOAUTH", b"-DENIED", b"-WRONGPASS"]
        .iter()
        .any(|marker| bytes.starts_with(marker))
}

/// `S` (go ahead with TLS) or `N` (no TLS) alone, or an ErrorResponse (`E` and a length).
fn is_postgres_reply(bytes: &[u8]) -> bool {
    matches!(bytes, [b'S'] | [b'N'] | [b'E', 0x00, 0x00, _, _, ..])
}

/// TPKT version 3, then an X.224 Connection Confirm (code 0xd0).
fn is_x224_connection_confirm(bytes: &[u8]) -> bool {
    matches!(bytes, [0x03, 0x00, _, _, _, code, ..] if code & 0xf0 == 0xd0)
}

fn first_line(bytes: &[u8]) -> String {
    let line_end = bytes.iter().position(|b| *b == b'\n').unwrap_or(bytes.len());
    String::from_utf8_lossy(&bytes[..line_end]).trim_end_matches('\r').to_owned()
}

/// Printable ASCII only, trimmed and capped; `None` when nothing printable is left.
fn product(text: &str) -> Option<String> {
    let kept: String =
        text.chars().filter(|c| c.is_ascii_graphic() || *c == ' ').take(PRODUCT_CAP).collect();
    let kept = kept.trim();
    (!kept.is_empty()).then(|| kept.to_owned())
}
