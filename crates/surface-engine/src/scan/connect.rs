//! One TCP connection attempt and what its outcome says about the port: connected (something
//! listens), refused (RST: nothing listens), no answer (timeout: dropped by a firewall), or
//! unreachable (ICMP), or a failure on our side that says nothing about the port at all.
//!
//! The attempt starts with a non-blocking `connect` and looks at the socket at once, before
//! registering it with the runtime: on loopback and nearby hosts the answer is usually already
//! there, which keeps a full-range sweep cheap. It must not retry, rate-limit or read: the dialer
//! and the sweep decide that.

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use socket2::{Domain, Protocol, SockAddr, Socket, Type};
use tokio::io::Interest;
use tokio::net::TcpStream;
use tokio::time::Instant;

/// What one attempt found.
#[derive(Debug)]
pub(crate) enum Attempt {
    /// The handshake completed with a peer other than ourselves.
    Connected(Connection),
    /// RST or connection refused; also a self-connect, which means nothing listens there.
    Refused,
    /// No answer within the timeout.
    TimedOut,
    /// An ICMP host or network unreachable came back.
    Unreachable,
    /// We could not make the attempt (file descriptors, ephemeral ports, memory, local policy).
    LocalError(io::Error),
}

/// An attempt that has either finished or still waits for the peer's answer.
#[derive(Debug)]
pub(crate) enum Started {
    Done(Attempt),
    InProgress(Socket),
}

/// A connected socket, not yet registered with the runtime when it connected at once.
#[derive(Debug)]
pub(crate) enum Connection {
    Socket(Socket),
    Stream(TcpStream),
}

impl Connection {
    /// The connection as a tokio stream, for reading a banner or a TLS handshake.
    pub(crate) fn into_stream(self) -> io::Result<TcpStream> {
        match self {
            Connection::Stream(stream) => Ok(stream),
            Connection::Socket(socket) => TcpStream::from_std(std::net::TcpStream::from(socket)),
        }
    }

    /// Closes with a RST instead of a FIN: a sweep only needed to know the port answers, and an
    /// abortive close leaves no TIME_WAIT behind, which matters on a host that answers on every
    /// port.
    pub(crate) fn abort(self) {
        let _ = match &self {
            Connection::Socket(socket) => socket.set_linger(Some(Duration::ZERO)),
            Connection::Stream(stream) => stream.set_zero_linger(),
        };
    }
}

/// Starts a connection to `peer` and reports the outcome when it is already known.
pub(crate) fn start(peer: SocketAddr) -> Started {
    let socket = match Socket::new(
        Domain::for_address(peer),
        Type::STREAM.nonblocking(),
        Some(Protocol::TCP),
    ) {
        Ok(socket) => socket,
        Err(error) => return Started::Done(Attempt::LocalError(error)),
    };
    match socket.connect(&SockAddr::from(peer)) {
        Ok(()) => Started::Done(connected(Connection::Socket(socket), peer)),
        Err(error) if is_in_progress(&error) => look_now(socket, peer),
        Err(error) => Started::Done(classify(error)),
    }
}

/// Waits up to `timeout` for an attempt that was still in progress.
pub(crate) async fn finish(socket: Socket, peer: SocketAddr, timeout: Duration) -> Attempt {
    let stream = match TcpStream::from_std(std::net::TcpStream::from(socket)) {
        Ok(stream) => stream,
        Err(error) => return Attempt::LocalError(error),
    };
    let deadline = Instant::now() + timeout;
    loop {
        match tokio::time::timeout_at(deadline, stream.writable()).await {
            Err(_elapsed) => return Attempt::TimedOut,
            Ok(Err(error)) => return Attempt::LocalError(error),
            Ok(Ok(())) => {}
        }
        match stream.take_error() {
            Ok(Some(error)) => return classify(error),
            Err(error) => return Attempt::LocalError(error),
            Ok(None) if stream.peer_addr().is_ok() => {
                return connected(Connection::Stream(stream), peer);
            }
            // A wake-up without a verdict: forget that readiness and wait for the next one.
            Ok(None) => {
                let _: io::Result<()> =
                    stream.try_io(Interest::WRITABLE, || Err(io::ErrorKind::WouldBlock.into()));
            }
        }
    }
}

/// On loopback the kernel has usually handled the SYN and its answer before `connect` returns.
fn look_now(socket: Socket, peer: SocketAddr) -> Started {
    match socket.take_error() {
        Ok(Some(error)) => Started::Done(classify(error)),
        Ok(None) if socket.peer_addr().is_ok() => {
            Started::Done(connected(Connection::Socket(socket), peer))
        }
        Ok(None) => Started::InProgress(socket),
        Err(error) => Started::Done(Attempt::LocalError(error)),
    }
}

/// A connection whose local address is its peer's is a TCP self-connect (simultaneous open of a
/// socket with itself): the kernel picked the target port as our ephemeral source port, which
/// proves nothing listens there.
fn connected(connection: Connection, peer: SocketAddr) -> Attempt {
    let local = match &connection {
        Connection::Socket(socket) => socket.local_addr().map(|addr| addr.as_socket()),
        Connection::Stream(stream) => stream.local_addr().map(Some),
    };
    match local {
        Ok(Some(local)) if local == peer => Attempt::Refused,
        Ok(_) => Attempt::Connected(connection),
        Err(error) => Attempt::LocalError(error),
    }
}

fn is_in_progress(error: &io::Error) -> bool {
    error.raw_os_error() == Some(libc::EINPROGRESS) || error.kind() == io::ErrorKind::WouldBlock
}

/// What a failed connect says about the port. Anything not known to come from the peer or the
/// path to it is our own failure and must never be read as "closed".
pub(crate) fn classify(error: io::Error) -> Attempt {
    match error.kind() {
        io::ErrorKind::ConnectionRefused | io::ErrorKind::ConnectionReset => Attempt::Refused,
        io::ErrorKind::TimedOut => Attempt::TimedOut,
        io::ErrorKind::HostUnreachable | io::ErrorKind::NetworkUnreachable => Attempt::Unreachable,
        _ => Attempt::LocalError(error),
    }
}
