//! The S3-compatible object store: `PUT`, `GET` and `DELETE` of one object per key, each signed
//! with Signature Version 4 (`sigv4.rs`) and sent with reqwest. The endpoint is the operator's
//! (often a private address: MinIO, Ceph), so it is not subject to the SSRF guard, which is for
//! addresses tenants give; redirects are still refused and proxies from the environment ignored.
//! Errors name the key and the status, never the credentials or the signature.

use super::sigv4::{self, Credentials, EMPTY_SHA256};
use super::{ObjectError, ObjectKey, ObjectStore};
use crate::settings::S3Settings;
use async_trait::async_trait;
use bytes::Bytes;
use reqwest::{Method, StatusCode, Url};
use sha2::{Digest, Sha256};
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct S3Store {
    settings: S3Settings,
    client: reqwest::Client,
}

impl S3Store {
    pub fn new(settings: S3Settings, timeout: Duration) -> anyhow::Result<S3Store> {
        Url::parse(&settings.endpoint)
            .map_err(|_| anyhow::anyhow!("diffscan.objects.s3.endpoint is not a URL"))?;
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(timeout.max(Duration::from_secs(30)))
            .connect_timeout(timeout)
            .build()?;
        Ok(S3Store { settings, client })
    }

    /// The object's URL: `endpoint/bucket/prefix+key` (path style) or
    /// `scheme://bucket.host/prefix+key`.
    fn url(&self, key: &ObjectKey) -> Result<Url, ObjectError> {
        let bad =
            |message: &str| ObjectError::Remote { key: key.to_string(), message: message.into() };
        let object = format!("{}{}", self.settings.prefix, key.as_str());
        let mut url = Url::parse(&self.settings.endpoint).map_err(|_| bad("invalid endpoint"))?;
        let base = url.path().trim_end_matches('/').to_string();
        if self.settings.path_style {
            url.set_path(&format!("{base}/{}/{object}", self.settings.bucket));
        } else {
            let host = url.host_str().ok_or_else(|| bad("the endpoint has no host"))?;
            let virtual_host = format!("{}.{host}", self.settings.bucket);
            url.set_host(Some(&virtual_host)).map_err(|_| bad("invalid bucket host"))?;
            url.set_path(&format!("{base}/{object}"));
        }
        Ok(url)
    }

    async fn send(
        &self,
        method: Method,
        key: &ObjectKey,
        body: Option<Bytes>,
    ) -> Result<reqwest::Response, ObjectError> {
        let remote = |message: String| ObjectError::Remote { key: key.to_string(), message };
        let url = self.url(key)?;
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            (None, _) => return Err(remote("the endpoint has no host".into())),
        };
        let payload_sha256 = match &body {
            Some(bytes) => hex::encode(Sha256::digest(bytes)),
            None => EMPTY_SHA256.to_string(),
        };
        let amz_date = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
        let path = sigv4::encode_path(url.path());
        let headers = [
            ("host", host.as_str()),
            ("x-amz-content-sha256", payload_sha256.as_str()),
            ("x-amz-date", amz_date.as_str()),
        ];
        let credentials = Credentials {
            access_key_id: &self.settings.access_key_id,
            secret_access_key: self.settings.secret_access_key.expose(),
            region: &self.settings.region,
            service: "s3",
        };
        let request = sigv4::Request {
            method: method.as_str(),
            path: &path,
            query: &[],
            headers: &headers,
            payload_sha256: &payload_sha256,
            amz_date: &amz_date,
        };
        let authorization = sigv4::authorization(&credentials, &request);
        let mut builder = self
            .client
            .request(method, url)
            .header("x-amz-content-sha256", &payload_sha256)
            .header("x-amz-date", &amz_date)
            .header("authorization", authorization);
        if let Some(body) = body {
            builder = builder.body(body);
        }
        builder.send().await.map_err(|error| {
            let kind = if error.is_timeout() { "timed out" } else { "could not connect" };
            remote(format!("{kind} to {host}"))
        })
    }
}

fn status_error(key: &ObjectKey, status: StatusCode) -> ObjectError {
    ObjectError::Remote { key: key.to_string(), message: format!("HTTP {}", status.as_u16()) }
}

#[async_trait]
impl ObjectStore for S3Store {
    fn backend(&self) -> &'static str {
        "s3"
    }

    async fn put(&self, key: &ObjectKey, bytes: Bytes) -> Result<(), ObjectError> {
        let response = self.send(Method::PUT, key, Some(bytes)).await?;
        match response.status() {
            status if status.is_success() => Ok(()),
            status => Err(status_error(key, status)),
        }
    }

    async fn get(&self, key: &ObjectKey) -> Result<Option<Bytes>, ObjectError> {
        let response = self.send(Method::GET, key, None).await?;
        match response.status() {
            StatusCode::NOT_FOUND => Ok(None),
            status if status.is_success() => response.bytes().await.map(Some).map_err(|_| {
                ObjectError::Remote { key: key.to_string(), message: "the body was cut".into() }
            }),
            status => Err(status_error(key, status)),
        }
    }

    async fn delete(&self, key: &ObjectKey) -> Result<(), ObjectError> {
        let response = self.send(Method::DELETE, key, None).await?;
        match response.status() {
            StatusCode::NOT_FOUND => Ok(()),
            status if status.is_success() => Ok(()),
            status => Err(status_error(key, status)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::ScanId;
    use platform::{Secret, TenantId};

    fn store(endpoint: &str, path_style: bool) -> S3Store {
        S3Store::new(
            S3Settings {
                endpoint: endpoint.into(),
                bucket: "evidence".into(),
                region: "us-east-1".into(),
                access_key_id: "AKIA".into(),
                secret_access_key: Secret::new("secret".into()),
                prefix: "palisade/".into(),
                path_style,
            },
            Duration::from_secs(5),
        )
        .unwrap()
    }

    #[test]
    fn object_urls_follow_the_addressing_style() {
        let (tenant, scan) = (TenantId::generate(), ScanId::generate());
        let key = ObjectKey::diff(tenant, scan);
        assert_eq!(
            store("http://127.0.0.1:9000", true).url(&key).unwrap().as_str(),
            format!("http://127.0.0.1:9000/evidence/palisade/diffs/{tenant}/{scan}.diff")
        );
        let virtual_hosted = store("https://s3.example.com", false).url(&key).unwrap();
        assert_eq!(
            virtual_hosted.as_str(),
            format!("https://evidence.s3.example.com/palisade/diffs/{tenant}/{scan}.diff")
        );
        let shown = format!("{:?}", store("https://s3.example.com", true));
        assert!(!shown.contains("\"secret\""), "the secret is redacted: {shown}");
    }
}
