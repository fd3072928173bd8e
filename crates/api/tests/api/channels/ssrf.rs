//! The SSRF guard on channels, with the production policy (no allowlist): internal addresses in
//! every disguise are refused at creation with `URL_NOT_ALLOWED` and never connected to; and a
//! channel whose address became refused fails at send time without connecting.
//!
//! A *name* resolving to `10.0.0.1` cannot be made here without editing /etc/hosts; `localhost`
//! stands for the name-resolving case, and `10.0.0.1` itself (plus the guard's classification of
//! every private range) is covered by the guard's own table-driven tests in platform.

use crate::receivers::{Tripwire, create_channel, send_test, uuid};
use notify::{Notify, NotifySettings, RelayOutcome};
use platform::outbound::OutboundPolicy;
use serde_json::{Value, json};
use std::time::Duration;
use testapp::TestApp;

#[tokio::test]
async fn without_the_allowlist_internal_addresses_are_refused_at_creation_and_never_connected() {
    let app =
        TestApp::spawn_with(|config| config.platform.outbound = OutboundPolicy::deny_private())
            .await;
    let admin = app.admin_of("acme").await;
    let tripwire = Tripwire::start().await;
    let (ip, port) = (tripwire.ip, tripwire.port);
    let bits = ip.to_bits();
    let cases = [
        (format!("http://{ip}:{port}/hook"), "loopback address"),
        (format!("http://[::ffff:{ip}]:{port}/hook"), "loopback address"),
        (format!("http://0x{bits:08x}:{port}/hook"), "non-canonical IPv4"),
        (format!("http://0{bits:o}:{port}/hook"), "non-canonical IPv4"),
        ("http://169.254.169.254/latest/meta-data/".to_string(), "cloud metadata"),
        (format!("http://localhost:{port}/hook?token=abc123"), "resolves to a non-public address"),
        ("http://10.0.0.1/hook".to_string(), "private-use address"),
    ];
    for (kind, (url, reason)) in
        ["webhook", "slack"].iter().flat_map(|k| cases.iter().map(move |c| (k, c)))
    {
        let body = json!({"name": "internal", "kind": kind, "url": url});
        let response = app.post_as(&admin.token, "/v1/channels", &body).await;
        assert_eq!(response.status(), 422, "{kind} {url}");
        let problem: Value = response.json().await.unwrap();
        let error = &problem["errors"][0];
        assert_eq!(
            (error["field"].as_str(), error["code"].as_str()),
            (Some("url"), Some("URL_NOT_ALLOWED")),
            "{url}"
        );
        let message = error["message"].as_str().unwrap();
        assert!(message.contains(reason), "{url}: {message}");
        assert!(
            !message.contains("abc123"),
            "the message never repeats the URL's query: {message}"
        );
        if url.contains("localhost") {
            // No DNS oracle: which internal address a name has is not said.
            assert!(!message.contains("127.0.0") && !message.contains("loopback"), "{message}");
        }
    }
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(tripwire.accepted(), 0, "nothing connected to the refused addresses");
    let listed: Value = app.get_as(&admin.token, "/v1/channels").await.json().await.unwrap();
    assert!(listed["items"].as_array().unwrap().is_empty());
    // The same guard refuses an SMTP relay on loopback.
    let mail = json!({"name": "mail", "kind": "email", "smtp_host": ip.to_string(), "smtp_port": port,
                      "from": "bot@palisade.test", "to": ["soc@palisade.test"]});
    let response: Value =
        app.post_as(&admin.token, "/v1/channels", &mail).await.json().await.unwrap();
    assert_eq!(response["errors"][0]["code"], "HOST_NOT_ALLOWED");
}

#[tokio::test]
async fn a_send_to_an_address_refused_at_send_time_fails_without_connecting() {
    // Created while loopback was allowlisted; sent by a relay whose policy no longer allows it.
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let tripwire = Tripwire::start().await;
    let url = format!("http://{}:{}/hook?token=abc123", tripwire.ip, tripwire.port);
    let channel =
        create_channel(&app, &admin.token, &json!({"name": "hook", "kind": "webhook", "url": url}))
            .await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let strict = Notify::new(
        app.services.db.clone(),
        OutboundPolicy::deny_private(),
        NotifySettings::new("https://palisade.test"),
        app.services.keyring.clone(),
    );
    let outcome = strict.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    let RelayOutcome::Failed { attempts: 1, error, .. } = outcome else { panic!("{outcome:?}") };
    assert!(error.contains("refused") && error.contains("loopback"), "{error}");
    assert!(!error.contains("abc123"), "{error}");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(tripwire.accepted(), 0, "the relay never connected");
}

#[tokio::test]
async fn credential_endpoints_stay_refused_when_link_local_is_allowlisted() {
    let app = TestApp::spawn_with(|config| {
        config.platform.outbound =
            OutboundPolicy::parse_allowlist("169.254.0.0/16, 168.63.0.0/16, 192.0.0.0/24").unwrap();
    })
    .await;
    let admin = app.admin_of("acme").await;
    for url in [
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials",
        "http://192.0.0.192/opc/v1/instance/",
        "http://168.63.129.16/machine",
        "http://metadata.google.internal/computeMetadata/v1/",
    ] {
        let body = json!({"name": "creds", "kind": "webhook", "url": url});
        let response = app.post_as(&admin.token, "/v1/channels", &body).await;
        assert_eq!(response.status(), 422, "{url}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["errors"][0]["code"], "URL_NOT_ALLOWED", "{url}");
        let message = problem["errors"][0]["message"].as_str().unwrap();
        assert!(message.contains("metadata"), "{url}: {message}");
    }
}
