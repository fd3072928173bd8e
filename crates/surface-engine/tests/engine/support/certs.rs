//! Certificates for the TLS tests, made with rcgen: self-signed ones with chosen names and
//! validity, and a private CA with leaves it signs.

use rcgen::{
    BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, SignatureAlgorithm,
    date_time_ymd,
};
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A certificate and the key that goes with it.
pub struct Served {
    pub chain: Vec<CertificateDer<'static>>,
    pub key: PrivateKeyDer<'static>,
}

/// Validity as (year, month, day) pairs.
pub type Validity = ((i32, u8, u8), (i32, u8, u8));

/// Valid from 2020 to 2090: valid at any clock a test uses unless it says otherwise.
pub const LONG_VALIDITY: Validity = ((2020, 1, 1), (2090, 1, 1));

fn params(names: &[&str], common_name: &str, validity: Validity) -> CertificateParams {
    let names: Vec<String> = names.iter().map(|name| (*name).to_owned()).collect();
    let mut params = CertificateParams::new(names).unwrap();
    params.distinguished_name.push(DnType::CommonName, common_name);
    let ((y1, m1, d1), (y2, m2, d2)) = validity;
    params.not_before = date_time_ymd(y1, m1, d1);
    params.not_after = date_time_ymd(y2, m2, d2);
    params
}

fn key_der(key: &KeyPair) -> PrivateKeyDer<'static> {
    PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()))
}

/// A self-signed certificate for `names` with an ECDSA P-256 key.
pub fn self_signed(names: &[&str], validity: Validity) -> Served {
    self_signed_with(names, validity, &rcgen::PKCS_ECDSA_P256_SHA256)
}

pub fn self_signed_with(
    names: &[&str],
    validity: Validity,
    alg: &'static SignatureAlgorithm,
) -> Served {
    let key = KeyPair::generate_for(alg).unwrap();
    let common_name = names.first().copied().unwrap_or("test");
    let cert = params(names, common_name, validity).self_signed(&key).unwrap();
    Served { chain: vec![cert.der().clone()], key: key_der(&key) }
}

/// A private certificate authority.
pub struct TestCa {
    pub certificate: CertificateDer<'static>,
    issuer: Issuer<'static, KeyPair>,
}

impl TestCa {
    pub fn new() -> TestCa {
        let key = KeyPair::generate().unwrap();
        let mut params = params(&[], "Surface Test Root CA", LONG_VALIDITY);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        let certificate = params.self_signed(&key).unwrap().der().clone();
        TestCa { certificate, issuer: Issuer::new(params, key) }
    }

    /// A leaf for `names` signed by this CA; the chain served is the leaf, then the CA.
    pub fn leaf(&self, names: &[&str], validity: Validity) -> Served {
        let key = KeyPair::generate().unwrap();
        let cert = params(names, names[0], validity).signed_by(&key, &self.issuer).unwrap();
        Served { chain: vec![cert.der().clone(), self.certificate.clone()], key: key_der(&key) }
    }
}
