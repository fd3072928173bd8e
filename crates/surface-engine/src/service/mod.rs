//! Service hints: what an open port most likely runs, told from the first bytes the server sends
//! (SSH, SMTP, FTP, POP3, IMAP, MySQL, telnet and VNC speak first) or from its answer to one tiny,
//! harmless probe (an HTTP `HEAD /`, a PostgreSQL SSLRequest, a Redis `PING`, an RDP negotiation
//! request), and a printable excerpt of what it said.
//!
//! It must not send anything that changes state or authenticates, send more than one probe, or
//! read more than a few hundred bytes; a hint is a guess for the inventory, not a fingerprint.

mod recognise;
#[cfg(test)]
mod tests;

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::time::Instant;

/// The protocols a hint can name. `Tls` means TLS whose inner protocol was not recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Protocol {
    Ftp,
    Http,
    Imap,
    Mysql,
    Pop3,
    Postgres,
    Rdp,
    Redis,
    Smtp,
    Ssh,
    Telnet,
    Tls,
    Vnc,
}

/// What a port most likely runs. `product` is kept only where servers announce it stably (the SSH
/// software version, the HTTP `Server` header, the MySQL version, the VNC protocol version), so
/// that a greeting carrying the date never looks like a change of service.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ServiceHint {
    pub protocol: Protocol,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product: Option<String>,
    /// Whether the protocol was spoken inside TLS (`http` with `tls` is HTTPS).
    #[serde(default)]
    pub tls: bool,
}

/// What identification found: the hint, if any, and a printable excerpt of the first line the
/// server sent.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Identified {
    pub(crate) hint: Option<ServiceHint>,
    pub(crate) banner: Option<String>,
}

/// How long identification waits.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Waits {
    pub(crate) greeting: Duration,
    pub(crate) reply: Duration,
}

/// Most bytes read from one server.
const READ_CAP: usize = 1024;
/// Once bytes arrived, a pause this long means the server said what it had to say.
const QUIET_GAP: Duration = Duration::from_millis(100);

/// Identifies the service on a connected stream (plain TCP, or the inside of a TLS session).
pub(crate) async fn identify<S>(stream: &mut S, port: u16, waits: Waits, in_tls: bool) -> Identified
where
    S: AsyncRead + AsyncWrite + Unpin,
{
    let plan = recognise::plan(port, in_tls);
    let mut received = Vec::new();
    if plan.wait_for_greeting {
        let closed = read_some(stream, &mut received, waits.greeting).await;
        if !received.is_empty() || closed {
            return conclude(recognise::greeting(&received, port), &received, in_tls);
        }
    }
    let sent = tokio::time::timeout(waits.reply, stream.write_all(plan.probe.bytes())).await;
    if matches!(sent, Ok(Ok(()))) {
        read_some(stream, &mut received, waits.reply).await;
    }
    let hint =
        recognise::greeting(&received, port).or_else(|| recognise::reply(plan.probe, &received));
    conclude(hint, &received, in_tls)
}

fn conclude(hint: Option<ServiceHint>, received: &[u8], in_tls: bool) -> Identified {
    let hint = hint.map(|hint| ServiceHint { tls: hint.tls || in_tls, ..hint });
    Identified { hint, banner: recognise::banner_excerpt(received) }
}

/// Reads what the server sends within `wait`, until it pauses, closes, or the cap is reached.
/// Returns whether the server closed the connection.
async fn read_some<S: AsyncRead + Unpin>(
    stream: &mut S,
    into: &mut Vec<u8>,
    wait: Duration,
) -> bool {
    let deadline = Instant::now() + wait;
    let mut chunk = [0u8; READ_CAP];
    while into.len() < READ_CAP {
        let until =
            if into.is_empty() { deadline } else { deadline.min(Instant::now() + QUIET_GAP) };
        let room = READ_CAP - into.len();
        match tokio::time::timeout_at(until, stream.read(&mut chunk[..room])).await {
            Ok(Ok(0)) | Ok(Err(_)) => return true,
            Ok(Ok(read)) => into.extend_from_slice(&chunk[..read]),
            Err(_elapsed) => return false,
        }
    }
    false
}

impl Protocol {
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Ftp => "ftp",
            Protocol::Http => "http",
            Protocol::Imap => "imap",
            Protocol::Mysql => "mysql",
            Protocol::Pop3 => "pop3",
            Protocol::Postgres => "postgres",
            Protocol::Rdp => "rdp",
            Protocol::Redis => "redis",
            Protocol::Smtp => "smtp",
            Protocol::Ssh => "ssh",
            Protocol::Telnet => "telnet",
            Protocol::Tls => "tls",
            Protocol::Vnc => "vnc",
        }
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
