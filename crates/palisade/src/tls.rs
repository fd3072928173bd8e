//! The server's certificate: the configured PEM files, or a self-signed certificate for the
//! configured host names, generated into `<data_dir>/tls` on first start and reused afterwards.

use crate::config::Config;
use anyhow::Context;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;

pub fn server_config(config: &Config) -> anyhow::Result<rustls::ServerConfig> {
    // Only the ring provider is compiled in; installing it twice is harmless.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let (cert, key) = match (&config.tls.cert_file, &config.tls.key_file) {
        (Some(cert), Some(key)) => (cert.clone(), key.clone()),
        _ => self_signed(config)?,
    };
    let chain = CertificateDer::pem_file_iter(&cert)
        .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
        .with_context(|| format!("reading the TLS certificate chain {}", cert.display()))?;
    let private = PrivateKeyDer::from_pem_file(&key)
        .with_context(|| format!("reading the TLS private key {}", key.display()))?;
    rustls::ServerConfig::builder()
        .with_no_client_auth()
        .with_single_cert(chain, private)
        .with_context(|| {
            format!("the certificate {} does not fit the key {}", cert.display(), key.display())
        })
}

fn self_signed(config: &Config) -> anyhow::Result<(PathBuf, PathBuf)> {
    let dir = config.app.platform.data_dir.join("tls");
    let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
    if cert.is_file() && key.is_file() {
        return Ok((cert, key));
    }
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    let generated = rcgen::generate_simple_self_signed(config.tls.hostnames.clone())
        .context("generating a self-signed certificate")?;
    write_private(&key, generated.signing_key.serialize_pem().as_bytes())?;
    std::fs::write(&cert, generated.cert.pem())
        .with_context(|| format!("writing {}", cert.display()))?;
    tracing::warn!(
        cert = %cert.display(),
        hostnames = ?config.tls.hostnames,
        "generated a self-signed TLS certificate; configure tls.cert_file/tls.key_file for production"
    );
    Ok((cert, key))
}

fn write_private(path: &PathBuf, contents: &[u8]) -> anyhow::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("writing {}", path.display()))?;
    file.write_all(contents).with_context(|| format!("writing {}", path.display()))
}
