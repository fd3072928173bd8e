//! The surface data flow end to end: register → authorize → verify by the well-known file →
//! scan → baseline; then one more port opens and one certificate rotates → rescan → exactly one
//! PORT_OPENED and one CERT_ROTATED, delivered to a webhook channel and seen on the live feed;
//! an unchanged rescan reports nothing again.

use super::peers::{self, LaterPort, TlsServer};
use super::{Site, authorized_ip, changes, id, scan};
use crate::receivers::{HookReceiver, create_channel};
use crate::ws::{next, subscribed};
use serde_json::{Value, json};
use std::time::Duration;
use testapp::ResponseExt;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_new_port_and_a_rotated_certificate_are_reported_once_to_the_webhook_and_the_feed() {
    let site = Site::start().await;
    let (ssh, _) = peers::ssh_listener(site.ip).await;
    let first = peers::certificate(&["web.example.test"], (2090, 1, 1));
    let tls = TlsServer::start(site.ip, first.clone()).await;
    let mut later = LaterPort::reserve(site.ip);
    let app = site.app().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let hook = HookReceiver::start(vec![], 200).await;
    create_channel(
        &app,
        &admin.token,
        &json!({"name": "surface", "kind": "webhook", "url": hook.url("/hook"),
                "event_types": ["surface.port_opened", "surface.cert_rotated"]}),
    )
    .await;
    let mut feed = subscribed(&app, &admin.token).await;

    let ports = format!("{ssh},{},{}", tls.port, later.port);
    let asset = authorized_ip(&app, &admin.token, &site, &ports).await;
    assert_eq!(asset["status"], "authorized");
    assert_eq!(asset["authorization"]["method"], "http_file");
    let asset_id = id(&asset);

    let baseline = scan(&app, &admin.token, &asset_id).await;
    assert_eq!(baseline["status"], "completed", "{baseline}");
    assert_eq!(
        (baseline["hosts_up"].as_i64(), baseline["open_ports"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(baseline["changes"], 0, "the first snapshot is the baseline");
    let shown: Value =
        app.get_as(&admin.token, &format!("/v1/assets/{asset_id}")).await.expect_json(200).await;
    assert_eq!(shown["baseline_snapshot_id"], baseline["snapshot_id"]);
    let snapshot: Value = app
        .get_as(
            &admin.token,
            &format!("/v1/snapshots/{}", baseline["snapshot_id"].as_str().unwrap()),
        )
        .await
        .expect_json(200)
        .await;
    let open: Vec<u64> = snapshot["document"]["hosts"][0]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["port"].as_u64().unwrap())
        .collect();
    assert_eq!(open, [u64::from(ssh.min(tls.port)), u64::from(ssh.max(tls.port))]);
    assert_eq!(snapshot["sha256"].as_str().unwrap().len(), 64);
    let tls_port = snapshot["document"]["hosts"][0]["ports"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["port"] == tls.port)
        .unwrap()
        .clone();
    assert_eq!(tls_port["tls"]["certificate"]["sha256_fingerprint"], peers::fingerprint(&first));

    // Accepting the latest snapshot as the baseline is audited.
    let accepted: Value = app
        .post_as(&admin.token, &format!("/v1/assets/{asset_id}/baseline"), &json!({}))
        .await
        .expect_json(200)
        .await;
    assert_eq!(accepted["baseline_snapshot_id"], baseline["snapshot_id"]);
    let audited = app.audit_summaries("asset.baseline").await;
    assert_eq!(audited.len(), 1);
    assert_eq!(audited[0]["snapshot_id"], baseline["snapshot_id"]);

    later.open();
    let second = peers::certificate(&["web.example.test"], (2090, 1, 1));
    tls.rotate(second.clone());
    let rescan = scan(&app, &admin.token, &asset_id).await;
    assert_eq!(rescan["status"], "completed", "{rescan}");
    assert_eq!(rescan["changes"], 2, "{rescan}");
    let found = changes(&app, &admin.token, &asset_id).await;
    let mut kinds: Vec<&str> = found.iter().map(|c| c["type"].as_str().unwrap()).collect();
    kinds.sort();
    assert_eq!(kinds, ["CERT_ROTATED", "PORT_OPENED"], "{found:?}");
    let opened = found.iter().find(|c| c["type"] == "PORT_OPENED").unwrap();
    assert_eq!(opened["port"], later.port);
    assert_eq!(opened["severity"], "high", "an SSH port is remote administration");
    assert_eq!(opened["after"]["value"]["service"]["protocol"], "ssh");
    let rotated = found.iter().find(|c| c["type"] == "CERT_ROTATED").unwrap();
    assert_eq!(rotated["before"]["value"]["sha256_fingerprint"], peers::fingerprint(&first));
    assert_eq!(rotated["after"]["value"]["sha256_fingerprint"], peers::fingerprint(&second));

    // Delivered: exactly one webhook each, with the change in the payload.
    hook.wait_for_requests(2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let delivered: Vec<Value> =
        hook.received().iter().map(|r| serde_json::from_slice(&r.body).unwrap()).collect();
    let mut types: Vec<&str> = delivered.iter().map(|e| e["type"].as_str().unwrap()).collect();
    types.sort();
    assert_eq!(types, ["surface.cert_rotated", "surface.port_opened"]);
    let port_event = delivered.iter().find(|e| e["type"] == "surface.port_opened").unwrap();
    assert_eq!(port_event["payload"]["change_id"], opened["id"]);
    assert_eq!(port_event["payload"]["asset_id"], asset_id.as_str());

    // Seen on the live feed, among the scan events.
    let mut seen = Vec::new();
    while let Some(message) = next(&mut feed, Duration::from_secs(3)).await {
        if message["type"] == "event" {
            seen.push(message["event"]["type"].as_str().unwrap().to_string());
        }
    }
    let count = |kind: &str| seen.iter().filter(|s| s.as_str() == kind).count();
    assert_eq!((count("surface.port_opened"), count("surface.cert_rotated")), (1, 1), "{seen:?}");
    assert_eq!((count("scan.started"), count("scan.completed")), (2, 2), "{seen:?}");

    // Nothing changed since: the hash is equal, nothing is reported again.
    let again = scan(&app, &admin.token, &asset_id).await;
    assert_eq!(again["changes"], 0, "{again}");
    assert_eq!(changes(&app, &admin.token, &asset_id).await.len(), 2);
    let snapshots: Value = app
        .get_as(&admin.token, &format!("/v1/assets/{asset_id}/snapshots"))
        .await
        .expect_json(200)
        .await;
    let items = snapshots["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0]["sha256"], items[1]["sha256"], "an unchanged surface hashes the same");
    assert_ne!(items[1]["sha256"], items[2]["sha256"]);
}
