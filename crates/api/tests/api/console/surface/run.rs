//! One whole run against a real host on loopback, through the console only: add an address,
//! prove it by the well-known file, verify, scan and follow the scan's page until it ends, see
//! its ports and certificate, open one more port, scan again, see the change, and acknowledge it
//! (which a read-only user may not).

use super::{Browser, add, post_on, redirected_id, signed_in, text_after};
use crate::surface::{Site, peers};
use platform::access::Role;
use serde_json::Value;
use std::time::Duration;
use testapp::{Member, ResponseExt, TestApp};

/// Follows the scan's page until it says the scan ended; answers its last status.
async fn wait_on_page(browser: &mut Browser<'_>, scan_path: &str) -> String {
    for _ in 0..300 {
        let page = browser.get(scan_path).await;
        let status = text_after(&page.body, r#"id="scan-status">"#).unwrap_or_default();
        if ["completed", "failed", "cancelled"].contains(&status.as_str()) {
            assert!(!page.body.contains("hx-trigger"), "a finished scan is not polled");
            return status;
        }
        assert!(page.body.contains(r#"hx-trigger="every 2s""#), "a running scan is polled");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{scan_path} did not end");
}

/// One role down: an auditor sees the open change but no button, and a forged acknowledgement
/// is refused and changes nothing.
async fn an_auditor_cannot_acknowledge(app: &TestApp, admin: &Member, asset: &str, change: &str) {
    let auditor = app.member(admin.tenant, "audrey@acme.test", Role::AUDITOR_READONLY).await;
    let mut browser = signed_in(app, &auditor).await;
    let list = browser.get(&format!("/changes?asset_id={asset}")).await;
    assert!(list.body.contains("PORT_OPENED"));
    assert!(!list.body.contains("Acknowledge</button>"), "no acknowledge button");
    let page = browser.get(&format!("/assets/{asset}")).await;
    assert!(!page.body.contains(r#"id="scan-now""#) && !page.body.contains(r#"id="verify""#));
    let forged = browser.post(&format!("/changes/{change}/ack"), &[("_csrf", &page.csrf())]).await;
    assert_eq!(forged.status, 403);
    let shown: Value =
        app.get_as(&admin.token, &format!("/v1/changes/{change}")).await.expect_json(200).await;
    assert!(shown["acked_at"].is_null(), "still open");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_asset_proven_by_its_file_is_scanned_from_the_console_and_its_new_port_acknowledged() {
    let site = Site::start().await;
    let (ssh, _) = peers::ssh_listener(site.ip).await;
    let mut later = peers::LaterPort::reserve(site.ip);
    let key = peers::certificate(&["web.example.test"], (2090, 1, 1));
    let tls = peers::TlsServer::start(site.ip, key.clone()).await;
    let app = site.app().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;

    let ports = format!("{ssh},{},{}", tls.port, later.port);
    let ip = site.ip.to_string();
    let added = add(&mut browser, &[("kind", "ip"), ("value", &ip), ("ports", &ports)]).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let id = redirected_id(added.location.as_deref(), "/assets/");
    let page_path = format!("/assets/{id}");
    post_on(&mut browser, &page_path, &format!("/assets/{id}/authorize"), &[]).await;
    let page = browser.get(&page_path).await;
    assert!(!page.body.contains("dns-name"), "an address has no DNS record to publish");
    let token = text_after(&page.body, r#"id="http-body" class="secret">"#).expect("the file body");
    let url = text_after(&page.body, r#"id="http-url-2">"#).expect("the http URL");
    assert_eq!(url, format!("http://{ip}:{}/.well-known/palisade-verify/{token}", site.files.port));
    site.files.serve(&token, &token);

    let verify = [("method", "http_file")];
    let verified =
        post_on(&mut browser, &page_path, &format!("/assets/{id}/verify"), &verify).await;
    assert_eq!(verified.status, 303);
    let proven = browser.get(&page_path).await;
    assert!(proven.body.contains(r#"id="asset-status">authorized<"#), "{}", proven.body);
    assert!(proven.body.contains("http_file") && proven.body.contains(r#"id="scan-now""#));

    let started = post_on(&mut browser, &page_path, &format!("/assets/{id}/scan"), &[]).await;
    let scan = redirected_id(started.location.as_deref(), "/scans/");
    assert_eq!(wait_on_page(&mut browser, &format!("/scans/{scan}")).await, "completed");
    let surface = browser.get(&page_path).await;
    assert!(surface.body.contains("(the baseline)"), "the first snapshot is the baseline");
    assert!(
        surface.body.contains(&format!("<td>{ssh}</td><td>ssh")),
        "the open port and its service"
    );
    assert!(surface.body.contains("No change since the baseline"));
    let certificates = &surface.body[surface.body.find(r#"id="certificates""#).expect("a table")..];
    assert!(certificates.contains(&format!("{ip}:{}", tls.port)));
    assert!(certificates.contains("web.example.test") && certificates.contains("2090-01-01"));
    assert!(certificates.contains(&peers::fingerprint(&key)), "the certificate's fingerprint");

    later.open();
    let rescan = post_on(&mut browser, &page_path, &format!("/assets/{id}/scan"), &[]).await;
    let rescan = redirected_id(rescan.location.as_deref(), "/scans/");
    assert_eq!(wait_on_page(&mut browser, &format!("/scans/{rescan}")).await, "completed");
    let scan_page = browser.get(&format!("/scans/{rescan}")).await;
    assert!(scan_page.body.contains(&format!("/changes?asset_id={id}")), "a link to the changes");

    let back = format!("/changes?asset_id={id}&acked=false");
    let changes = browser.get(&back).await;
    assert!(changes.body.contains("PORT_OPENED"), "{}", changes.body);
    assert!(changes.body.contains(&format!("{ip}:{}", later.port)));
    assert!(changes.body.contains(&format!("port {} (ssh", later.port)), "the value after");
    let change: Value = app
        .get_as(&admin.token, &format!("/v1/changes?asset_id={id}"))
        .await
        .expect_json(200)
        .await;
    let change_id = change["items"][0]["id"].as_str().unwrap().to_string();
    an_auditor_cannot_acknowledge(&app, &admin, &id, &change_id).await;
    let ack =
        post_on(&mut browser, &back, &format!("/changes/{change_id}/ack"), &[("back", &back)])
            .await;
    assert_eq!(ack.status, 303);
    assert_eq!(ack.location.as_deref(), Some(back.as_str()));
    let acked: Value =
        app.get_as(&admin.token, &format!("/v1/changes/{change_id}")).await.expect_json(200).await;
    assert!(acked["acked_at"].is_string());
    let open = browser.get(&back).await;
    assert!(open.body.contains("No changes match"), "nothing left to acknowledge");
    let asset_page = browser.get(&page_path).await;
    assert!(asset_page.body.contains("PORT_OPENED"), "the asset page lists its changes");
}
