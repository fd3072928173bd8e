//! Scans: refused for an asset that is not authorized and while another scan of it is queued
//! or running; cancelled; a certificate close to expiry announced once; proof re-checked before
//! probing and on its schedule (lost proof revokes the asset); scheduled scans.

use super::peers::{self, TlsServer};
use super::{Site, authorized_ip, changes, create_asset, id, scan, start_scan, wait_scan};
use chrono::{Datelike, Utc};
use serde_json::{Value, json};
use std::sync::atomic::Ordering;
use std::time::Duration;
use testapp::ResponseExt;

#[tokio::test]
async fn a_scan_of_an_unverified_asset_answers_409_and_queues_nothing() {
    let site = Site::start().await;
    let app = site.app().await;
    let admin = app.admin_of("acme").await;
    let asset =
        create_asset(&app, &admin.token, &json!({"kind": "ip", "value": site.ip.to_string()}))
            .await;
    let response =
        app.post_as(&admin.token, &format!("/v1/assets/{}/scans", id(&asset)), &json!({})).await;
    let problem = response.problem().await;
    assert_eq!((problem.status, problem.code.as_str()), (409, "ASSET_NOT_AUTHORIZED"));
    let scans: Value = app
        .get_as(&admin.token, &format!("/v1/assets/{}/scans", id(&asset)))
        .await
        .expect_json(200)
        .await;
    assert!(scans["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_second_concurrent_scan_answers_409_scan_in_progress() {
    let site = Site::start().await;
    let app = site.app().await;
    let admin = app.admin_of("acme").await;
    let asset = authorized_ip(&app, &admin.token, &site, "22").await;
    let path = format!("/v1/assets/{}/scans", id(&asset));
    // No job runner: the first scan stays queued. Two requests at once: one wins.
    let empty = json!({});
    let (first, second) = tokio::join!(
        app.post_as(&admin.token, &path, &empty),
        app.post_as(&admin.token, &path, &empty)
    );
    let mut statuses = [first.status().as_u16(), second.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [202, 409]);
    let third = app.post_as(&admin.token, &path, &json!({})).await.problem().await;
    assert_eq!((third.status, third.code.as_str()), (409, "SCAN_IN_PROGRESS"));
    let scans: Value = app.get_as(&admin.token, &path).await.expect_json(200).await;
    let items = scans["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["status"], "queued");

    // Cancelled while queued: at once, and then another scan may start.
    let cancel = format!("/v1/scans/{}/cancel", id(&items[0]));
    let cancelled: Value =
        app.post_as(&admin.token, &cancel, &json!({})).await.expect_json(202).await;
    assert_eq!(cancelled["status"], "cancelled");
    let again = app.post_as(&admin.token, &cancel, &json!({})).await.problem().await;
    assert_eq!((again.status, again.code.as_str()), (409, "SCAN_FINISHED"));
    assert_eq!(start_scan(&app, &admin.token, &id(&asset)).await["status"], "queued");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_certificate_expiring_in_ten_days_is_announced_once() {
    let site = Site::start().await;
    let soon = Utc::now() + chrono::Duration::days(10);
    let key = peers::certificate(
        &["soon.example.test"],
        (soon.year(), soon.month() as u8, soon.day() as u8),
    );
    let tls = TlsServer::start(site.ip, key.clone()).await;
    let app = site.app().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let asset = authorized_ip(&app, &admin.token, &site, &tls.port.to_string()).await;
    let first = scan(&app, &admin.token, &id(&asset)).await;
    assert_eq!(
        (first["status"].as_str(), first["changes"].as_i64()),
        (Some("completed"), Some(1)),
        "{first}"
    );
    let second = scan(&app, &admin.token, &id(&asset)).await;
    assert_eq!(second["changes"], 0, "announced once per certificate and window: {second}");
    let found = changes(&app, &admin.token, &id(&asset)).await;
    assert_eq!(found.len(), 1);
    let expiring = &found[0];
    assert_eq!(expiring["type"], "CERT_EXPIRING");
    assert_eq!(expiring["severity"], "medium", "more than 7 days left");
    assert_eq!(expiring["port"], tls.port);
    assert_eq!(expiring["after"]["value"]["sha256_fingerprint"], peers::fingerprint(&key));
    assert_eq!(expiring["after"]["value"]["window_days"], 30);
    let days = expiring["after"]["value"]["days_left"].as_i64().unwrap();
    assert!((9..=10).contains(&days), "{days}");
    let listed: Value = app
        .get_as(&admin.token, "/v1/changes?type=CERT_EXPIRING&min_severity=medium")
        .await
        .expect_json(200)
        .await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_checks_the_proof_again_and_probes_nothing_once_it_is_gone() {
    let site = Site::start().await;
    let (ssh, accepted) = peers::ssh_listener(site.ip).await;
    let app = site.app().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let asset = authorized_ip(&app, &admin.token, &site, &ssh.to_string()).await;
    site.files.withdraw();
    let checks = site.files.requests();
    let ended = scan(&app, &admin.token, &id(&asset)).await;
    assert!(site.files.requests() > checks, "the proof was fetched again before probing");
    assert_eq!(ended["status"], "failed");
    assert!(ended["error"].as_str().unwrap().contains("proof of authorization is gone"), "{ended}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0, "nothing was probed");
    let now: Value = app
        .get_as(&admin.token, &format!("/v1/assets/{}", id(&asset)))
        .await
        .expect_json(200)
        .await;
    assert_eq!(now["status"], "revoked");
    assert!(now["status_reason"].as_str().unwrap().contains("HTTP 404"), "{now}");
    assert_eq!(app.audit_summaries("asset.revoke").await.len(), 1);
    let refused =
        app.post_as(&admin.token, &format!("/v1/assets/{}/scans", id(&asset)), &json!({})).await;
    assert_eq!(refused.problem().await.code, "ASSET_NOT_AUTHORIZED");
    for kind in ["scan.failed", "surface.asset_revoked"] {
        let path = format!("/v1/events?type={kind}");
        let events: Value = app.get_as(&admin.token, &path).await.expect_json(200).await;
        assert_eq!(events["items"].as_array().unwrap().len(), 1, "{kind}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_scheduled_recheck_revokes_an_asset_whose_proof_is_gone() {
    let site = Site::start().await;
    let app =
        site.app_with(|settings| settings.surface.recheck_interval = Duration::from_secs(2)).await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let asset = authorized_ip(&app, &admin.token, &site, "22").await;
    let path = format!("/v1/assets/{}", id(&asset));
    // The first re-check finds the file: still authorized, checked again.
    for _ in 0..100 {
        let now: Value = app.get_as(&admin.token, &path).await.expect_json(200).await;
        if now["authorization"]["checked_at"] != asset["authorization"]["checked_at"] {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let checked: Value = app.get_as(&admin.token, &path).await.expect_json(200).await;
    assert_eq!(checked["status"], "authorized");
    assert_ne!(checked["authorization"]["checked_at"], asset["authorization"]["checked_at"]);
    site.files.withdraw();
    for _ in 0..100 {
        let now: Value = app.get_as(&admin.token, &path).await.expect_json(200).await;
        if now["status"] == "revoked" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the asset was not revoked");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_running_scan_is_cancelled_within_seconds_and_keeps_no_snapshot() {
    let site = Site::start().await;
    let app = site
        .app_with(|settings| {
            settings.surface.scan.connects_per_second = std::num::NonZeroU32::new(20);
        })
        .await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let asset = authorized_ip(&app, &admin.token, &site, "1-2000").await;
    let queued = start_scan(&app, &admin.token, &id(&asset)).await;
    let scan_path = format!("/v1/scans/{}", id(&queued));
    for _ in 0..100 {
        let now: Value = app.get_as(&admin.token, &scan_path).await.expect_json(200).await;
        if now["status"] == "running" && now["progress"]["done"].as_i64().unwrap_or(0) > 0 {
            assert_eq!(now["progress"]["total"], 2000);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let asked: Value = app
        .post_as(&admin.token, &format!("{scan_path}/cancel"), &json!({}))
        .await
        .expect_json(202)
        .await;
    assert!(asked["cancel_requested_at"].is_string());
    let ended = wait_scan(&app, &admin.token, &id(&queued)).await;
    assert_eq!(ended["status"], "cancelled", "{ended}");
    assert!(ended["snapshot_id"].is_null());
    let snapshots: Value = app
        .get_as(&admin.token, &format!("/v1/assets/{}/snapshots", id(&asset)))
        .await
        .expect_json(200)
        .await;
    assert!(snapshots["items"].as_array().unwrap().is_empty());
    assert_eq!(app.audit_summaries("scan.cancel").await.len(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_due_schedule_queues_a_scan_and_its_next_occurrence() {
    let site = Site::start().await;
    let (ssh, _) = peers::ssh_listener(site.ip).await;
    let app = site.app().await;
    let admin = app.admin_of("acme").await;
    let asset = authorized_ip(&app, &admin.token, &site, &ssh.to_string()).await;
    let path = format!("/v1/assets/{}", id(&asset));
    let scheduled: Value = app
        .send_as(reqwest::Method::PATCH, &admin.token, &path, &json!({"schedule": "15m"}))
        .await
        .expect_json(200)
        .await;
    let next: chrono::DateTime<Utc> = scheduled["next_scan_at"].as_str().unwrap().parse().unwrap();
    assert!((next - Utc::now()).num_minutes() >= 14);
    // Not due yet: nothing happens.
    let asset_id: surface::model::AssetId = id(&asset).parse().unwrap();
    app.services.surface.scheduled_scan(admin.tenant, asset_id).await.unwrap();
    let none: Value =
        app.get_as(&admin.token, &format!("{path}/scans")).await.expect_json(200).await;
    assert!(none["items"].as_array().unwrap().is_empty());
    // Due: a scan is queued by the schedule and the next run is 15 minutes later.
    sqlx::query("update assets set next_scan_at = now() - interval '1 second' where id = $1::uuid")
        .bind(id(&asset))
        .execute(&app.db.superuser().await)
        .await
        .unwrap();
    app.services.surface.scheduled_scan(admin.tenant, asset_id).await.unwrap();
    let queued: Value =
        app.get_as(&admin.token, &format!("{path}/scans")).await.expect_json(200).await;
    let items = queued["items"].as_array().unwrap();
    assert_eq!(items.len(), 1);
    assert_eq!(
        (items[0]["trigger"].as_str(), items[0]["status"].as_str()),
        (Some("schedule"), Some("queued"))
    );
    let moved: Value = app.get_as(&admin.token, &path).await.expect_json(200).await;
    let next: chrono::DateTime<Utc> = moved["next_scan_at"].as_str().unwrap().parse().unwrap();
    assert!((next - Utc::now()).num_minutes() >= 14);
    let _jobs = app.start_jobs().await;
    let ended = wait_scan(&app, &admin.token, &id(&items[0])).await;
    assert_eq!(ended["status"], "completed", "{ended}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_domain_is_scanned_where_its_dns_points_with_its_name_as_sni_and_never_at_denied_addresses()
 {
    let site = Site::start().await;
    site.dns.a("www.example.test", site.ip).await;
    let tls =
        TlsServer::start(site.ip, peers::certificate(&["www.example.test"], (2090, 1, 1))).await;
    let app = site.app().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let body =
        json!({"kind": "domain", "value": "WWW.example.test", "ports": tls.port.to_string()});
    let asset = create_asset(&app, &admin.token, &body).await;
    let token = super::authorize(&app, &admin.token, &id(&asset)).await["token"]
        .as_str()
        .unwrap()
        .to_string();
    site.dns.txt("_palisade-challenge.www.example.test", &format!("palisade-verify={token}")).await;
    assert_eq!(super::verify(&app, &admin.token, &id(&asset), None).await["result"], "authorized");

    let done = scan(&app, &admin.token, &id(&asset)).await;
    assert_eq!(done["status"], "completed", "{done}");
    let snapshot: Value = app
        .get_as(&admin.token, &format!("/v1/snapshots/{}", done["snapshot_id"].as_str().unwrap()))
        .await
        .expect_json(200)
        .await;
    let host = &snapshot["document"]["hosts"][0];
    assert_eq!(
        (host["address"].as_str(), host["server_name"].as_str()),
        (Some(site.ip.to_string().as_str()), Some("www.example.test"))
    );
    let flags = host["ports"][0]["tls"]["flags"].as_array().unwrap();
    assert!(
        flags.contains(&json!("self_signed")) && flags.contains(&json!("untrusted")),
        "{flags:?}"
    );
    assert!(
        !flags.contains(&json!("hostname_mismatch")),
        "the name was sent as SNI and matches: {flags:?}"
    );

    // The name now also points at a private address: the scan is refused before any probe.
    site.dns.a("www.example.test", "10.9.9.9".parse().unwrap()).await;
    let refused = scan(&app, &admin.token, &id(&asset)).await;
    assert_eq!(refused["status"], "failed");
    assert!(
        refused["error"].as_str().unwrap().contains("refused by the outbound policy"),
        "{refused}"
    );
}
