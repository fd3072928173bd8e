//! Attack-surface monitoring through the API, against real peers the tests start on loopback
//! (`peers`): assets and their validation, proof of authorization by HTTP file, DNS TXT (a real
//! DNS server), reverse DNS and attestation, scans through the job runner, snapshots, baselines
//! and change events delivered to a webhook and the live feed.

mod assets;
mod authorization;
mod changes;
mod lifecycle;
pub mod peers;
mod scans;

use peers::{DnsServer, FileServer};
use serde_json::{Value, json};
use std::net::Ipv4Addr;
use std::time::Duration;
use testapp::{ResponseExt, TestApp};

/// What a test scans: its own loopback address, the well-known file server on it, and a DNS
/// server for `example.test` that the app asks.
pub struct Site {
    pub ip: Ipv4Addr,
    pub files: FileServer,
    pub dns: DnsServer,
}

impl Site {
    pub async fn start() -> Site {
        let ip = crate::receivers::own_loopback();
        let files = FileServer::start(ip).await;
        let dns = DnsServer::start().await;
        Site { ip, files, dns }
    }

    /// The app, pointed at this site's DNS server and file port (the HTTPS check goes to a
    /// closed port), with quick scans.
    pub async fn app(&self) -> TestApp {
        self.app_with(|_| {}).await
    }

    pub async fn app_with(&self, adjust: impl FnOnce(&mut edge::Settings)) -> TestApp {
        let (dns, http_port, https_port) =
            (self.dns.addr, self.files.port, peers::closed_port(self.ip));
        TestApp::spawn_with(|settings| {
            let surface = &mut settings.surface;
            surface.nameservers = vec![dns];
            surface.dns_timeout = Duration::from_secs(2);
            surface.verify_http_port = http_port;
            surface.verify_https_port = https_port;
            surface.verify_timeout = Duration::from_secs(5);
            surface.scan.connect_timeout = Duration::from_millis(500);
            surface.scan.tls_timeout = Duration::from_secs(3);
            adjust(settings);
        })
        .await
    }
}

/// Registers an asset; panics unless it answers 201.
pub async fn create_asset(app: &TestApp, token: &str, body: &Value) -> Value {
    app.post_as(token, "/v1/assets", body).await.expect_json(201).await
}

pub fn id(value: &Value) -> String {
    value["id"].as_str().unwrap_or_else(|| panic!("no id in {value}")).to_string()
}

/// Issues the challenge; answers the whole authorize response.
pub async fn authorize(app: &TestApp, token: &str, asset: &str) -> Value {
    app.post_as(token, &format!("/v1/assets/{asset}/authorize"), &json!({}))
        .await
        .expect_json(200)
        .await
}

pub async fn verify(app: &TestApp, token: &str, asset: &str, method: Option<&str>) -> Value {
    let body = match method {
        Some(method) => json!({ "method": method }),
        None => json!({}),
    };
    app.post_as(token, &format!("/v1/assets/{asset}/verify"), &body).await.expect_json(200).await
}

/// An IP asset of the site on `ports`, authorized by the well-known file.
pub async fn authorized_ip(app: &TestApp, token: &str, site: &Site, ports: &str) -> Value {
    let asset = create_asset(
        app,
        token,
        &json!({"kind": "ip", "value": site.ip.to_string(), "ports": ports}),
    )
    .await;
    let challenge = authorize(app, token, &id(&asset)).await;
    let secret = challenge["token"].as_str().unwrap();
    site.files.serve(secret, secret);
    let verified = verify(app, token, &id(&asset), Some("http_file")).await;
    assert_eq!(verified["result"], "authorized", "{verified}");
    verified["asset"].clone()
}

/// Starts a scan of `asset`; answers the queued scan.
pub async fn start_scan(app: &TestApp, token: &str, asset: &str) -> Value {
    app.post_as(token, &format!("/v1/assets/{asset}/scans"), &json!({}))
        .await
        .expect_json(202)
        .await
}

/// Polls the scan until it ended (at most 30 s).
pub async fn wait_scan(app: &TestApp, token: &str, scan: &str) -> Value {
    for _ in 0..600 {
        let found: Value =
            app.get_as(token, &format!("/v1/scans/{scan}")).await.expect_json(200).await;
        if ["completed", "failed", "cancelled"]
            .contains(&found["status"].as_str().unwrap_or_default())
        {
            return found;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("scan {scan} did not end");
}

/// Scans `asset` now and waits for the scan to end.
pub async fn scan(app: &TestApp, token: &str, asset: &str) -> Value {
    let queued = start_scan(app, token, asset).await;
    wait_scan(app, token, &id(&queued)).await
}

/// The asset's changes, oldest first.
pub async fn changes(app: &TestApp, token: &str, asset: &str) -> Vec<Value> {
    let page: Value = app
        .get_as(token, &format!("/v1/changes?asset_id={asset}&limit=200"))
        .await
        .expect_json(200)
        .await;
    let mut items = page["items"].as_array().unwrap().clone();
    items.reverse();
    items
}
