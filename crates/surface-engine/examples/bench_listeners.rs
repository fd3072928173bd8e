//! The listeners of `bench/surface-scan.sh`, whose scanner under test is `palisade scan`:
//! `bench_listeners --plain N --tls M --truth FILE` starts N plain listeners (cycling an SSH
//! banner, an HTTP answer, accept-then-close and silence) and M TLS listeners (each with its own
//! rcgen certificate) on 127.0.0.1, writes the ground truth to FILE (`plain PORT KIND` and
//! `tls PORT SHA256 DER-HEX` lines), and serves until killed.
//!
//! It is built only with `--features bench` and is not part of the library.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use rcgen::{CertificateParams, KeyPair};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime =
        tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap();
    if flag_value(&args, "--truth").is_none() {
        eprintln!("usage: bench_listeners --plain N --tls M --truth FILE");
        std::process::exit(2);
    }
    runtime.block_on(serve(&args));
}

fn flag_value<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter().position(|arg| arg == name).and_then(|at| args.get(at + 1)).map(String::as_str)
}

async fn serve(args: &[String]) {
    let plain: usize = flag_value(args, "--plain").unwrap_or("0").parse().unwrap();
    let tls: usize = flag_value(args, "--tls").unwrap_or("0").parse().unwrap();
    let truth_path = flag_value(args, "--truth").expect("--truth FILE");
    let mut truth = String::new();
    for index in 0..plain {
        let kind = ["ssh", "http", "close", "silent"][index % 4];
        let port = listen_plain(kind).await;
        truth.push_str(&format!("plain {port} {kind}\n"));
    }
    for index in 0..tls {
        let (port, der) = listen_tls(index).await;
        truth.push_str(&format!(
            "tls {port} {} {}\n",
            hex::encode(Sha256::digest(&der)),
            hex::encode(&der)
        ));
    }
    // Written whole and renamed, so the script never reads half a file.
    let partial = format!("{truth_path}.partial");
    std::fs::write(&partial, truth).unwrap();
    std::fs::rename(&partial, truth_path).unwrap();
    std::future::pending::<()>().await;
}

async fn listen_plain(kind: &'static str) -> u16 {
    let listener = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            tokio::spawn(serve_plain(stream, kind));
        }
    });
    port
}

async fn serve_plain(mut stream: TcpStream, kind: &str) {
    let mut buffer = [0u8; 512];
    match kind {
        "ssh" => {
            let _ = stream.write_all(b"SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n").await;
        }
        "http" => {
            if matches!(stream.read(&mut buffer).await, Ok(read) if read > 0) {
                let _ = stream
                    .write_all(b"HTTP/1.1 200 OK\r\nServer: bench\r\nContent-Length: 0\r\n\r\n")
                    .await;
            }
            return;
        }
        "close" => return,
        _ => {}
    }
    let wait = tokio::time::timeout(std::time::Duration::from_secs(30), async {
        while matches!(stream.read(&mut buffer).await, Ok(read) if read > 0) {}
    });
    let _ = wait.await;
}

async fn listen_tls(index: usize) -> (u16, Vec<u8>) {
    let key = KeyPair::generate().unwrap();
    let cert = CertificateParams::new(vec![format!("tls{index}.bench.test")])
        .unwrap()
        .self_signed(&key)
        .unwrap();
    let der = cert.der().to_vec();
    let chain = vec![CertificateDer::from(der.clone())];
    let private = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .unwrap();
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind((LOOPBACK, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut session) = acceptor.accept(stream).await else { return };
                let mut buffer = [0u8; 512];
                if matches!(session.read(&mut buffer).await, Ok(read) if read > 0) {
                    let _ =
                        session.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n").await;
                    let _ = session.shutdown().await;
                }
            });
        }
    });
    (port, der)
}
