//! AWS Signature Version 4 for S3 requests, written from AWS's description of the algorithm:
//! the canonical request (method, URI with each segment percent-encoded, sorted query, sorted
//! lowercase headers, the signed header list, the payload's SHA-256), the string to sign
//! (`AWS4-HMAC-SHA256`, the time, the scope `date/region/s3/aws4_request`, the canonical request's
//! hash), the signing key derived by HMAC from `AWS4<secret>` through date, region, service and
//! `aws4_request`, and the `Authorization` header.
//!
//! It signs what it is given and must not send anything; the signature is never logged.

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// The SHA-256 of an empty payload, as `x-amz-content-sha256` sends it.
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Who signs and for where.
#[derive(Clone, Copy)]
pub struct Credentials<'a> {
    pub access_key_id: &'a str,
    pub secret_access_key: &'a str,
    pub region: &'a str,
    pub service: &'a str,
}

/// One request to sign. `headers` must include `host`, `x-amz-date` and `x-amz-content-sha256`
/// (names in any case); every header given is signed.
pub struct Request<'a> {
    pub method: &'a str,
    /// The path as sent, already percent-encoded by [`encode_path`].
    pub path: &'a str,
    pub query: &'a [(&'a str, &'a str)],
    pub headers: &'a [(&'a str, &'a str)],
    pub payload_sha256: &'a str,
    /// `YYYYMMDDTHHMMSSZ`.
    pub amz_date: &'a str,
}

/// Percent-encodes each segment of an object path the way S3 expects: everything but
/// `A-Z a-z 0-9 - . _ ~` (and the `/` between segments).
pub fn encode_path(path: &str) -> String {
    path.split('/').map(encode).collect::<Vec<_>>().join("/")
}

fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

pub fn canonical_request(request: &Request<'_>) -> (String, String) {
    let mut query: Vec<(String, String)> =
        request.query.iter().map(|(k, v)| (encode(k), encode(v))).collect();
    query.sort();
    let query = query.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("&");
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(name, value)| {
            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
            (name.to_ascii_lowercase(), value)
        })
        .collect();
    headers.sort();
    let canonical_headers: String =
        headers.iter().map(|(name, value)| format!("{name}:{value}\n")).collect();
    let signed = headers.iter().map(|(name, _)| name.as_str()).collect::<Vec<_>>().join(";");
    let text = format!(
        "{}\n{}\n{}\n{}\n{}\n{}",
        request.method, request.path, query, canonical_headers, signed, request.payload_sha256
    );
    (text, signed)
}

pub fn string_to_sign(credentials: &Credentials<'_>, request: &Request<'_>) -> (String, String) {
    let (canonical, signed) = canonical_request(request);
    let date = &request.amz_date[..request.amz_date.len().min(8)];
    let scope = format!("{date}/{}/{}/aws4_request", credentials.region, credentials.service);
    let hashed = hex::encode(Sha256::digest(canonical.as_bytes()));
    (format!("AWS4-HMAC-SHA256\n{}\n{scope}\n{hashed}", request.amz_date), signed)
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    match HmacSha256::new_from_slice(key) {
        Ok(mac) => mac.chain_update(data).finalize().into_bytes().to_vec(),
        // HMAC takes keys of any length.
        Err(_) => Vec::new(),
    }
}

/// The hex signature of `request`.
pub fn signature(credentials: &Credentials<'_>, request: &Request<'_>) -> String {
    let (to_sign, _) = string_to_sign(credentials, request);
    let date = &request.amz_date[..request.amz_date.len().min(8)];
    let secret = format!("AWS4{}", credentials.secret_access_key);
    let key = [credentials.region, credentials.service, "aws4_request"]
        .iter()
        .fold(hmac(secret.as_bytes(), date.as_bytes()), |key, part| hmac(&key, part.as_bytes()));
    hex::encode(hmac(&key, to_sign.as_bytes()))
}

/// The `Authorization` header of `request`.
pub fn authorization(credentials: &Credentials<'_>, request: &Request<'_>) -> String {
    let (_, signed) = canonical_request(request);
    let date = &request.amz_date[..request.amz_date.len().min(8)];
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{date}/{}/{}/aws4_request,SignedHeaders={signed},Signature={}",
        credentials.access_key_id,
        credentials.region,
        credentials.service,
        signature(credentials, request)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The "GET Object" example of AWS's Signature Version 4 documentation for S3 (example
    /// credentials published there).
    #[test]
    fn signs_the_get_object_example_of_the_s3_documentation() {
        let credentials = Credentials {
            access_key_id: "AKIAIOSFODNN7EXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
            service: "s3",
        };
        let headers = [
            ("Host", "examplebucket.s3.amazonaws.com"),
            ("Range", "bytes=0-9"),
            ("x-amz-content-sha256", EMPTY_SHA256),
            ("x-amz-date", "20130524T000000Z"),
        ];
        let request = Request {
            method: "GET",
            path: "/test.txt",
            query: &[],
            headers: &headers,
            payload_sha256: EMPTY_SHA256,
            amz_date: "20130524T000000Z",
        };
        let (to_sign, _) = string_to_sign(&credentials, &request);
        assert!(to_sign.ends_with(
            "20130524/us-east-1/s3/aws4_request\n7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        ));
        assert_eq!(
            authorization(&credentials, &request),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,\
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,\
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn paths_are_encoded_per_segment() {
        assert_eq!(encode_path("/bucket/test$file.text"), "/bucket/test%24file.text");
        assert_eq!(encode_path("/b/a b/c~d"), "/b/a%20b/c~d");
    }
}
