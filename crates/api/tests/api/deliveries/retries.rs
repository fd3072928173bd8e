//! Retries with backoff (50 ms base in tests) through a real job runner, the dead letter after
//! five attempts, the manual retry, and what `last_error` may say.

use crate::receivers::{
    HookReceiver, Reply, Tripwire, create_channel, own_loopback, send_test, uuid, wait_for_status,
};
use notify::RelayOutcome;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::time::Duration;
use testapp::TestApp;

/// A test app whose retries wait `base`, 4·base, 16·base, 64·base.
async fn app_with_backoff(base: Duration) -> TestApp {
    TestApp::spawn_with(|config| config.notify.backoff_base = base).await
}

#[tokio::test]
async fn a_receiver_failing_four_times_then_succeeding_gets_one_delivery_after_five_attempts() {
    let app = app_with_backoff(Duration::from_millis(20)).await;
    let admin = app.admin_of("acme").await;
    let failures =
        vec![Reply::Status(500), Reply::Status(503), Reply::Status(500), Reply::Status(429)];
    let receiver = HookReceiver::start(failures, 200).await;
    let channel = create_channel(
        &app,
        &admin.token,
        &json!({"name": "hook", "kind": "webhook", "url": receiver.url("/")}),
    )
    .await;
    let runner = app.start_jobs().await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let done =
        wait_for_status(&app, &admin.token, sent["delivery_id"].as_str().unwrap(), "delivered")
            .await;
    runner.shutdown().await.unwrap();

    assert_eq!(done["attempts"], 5);
    assert!(done["last_error"].is_null());
    let got = receiver.received();
    assert_eq!(got.len(), 5);
    assert_eq!(receiver.ok_answers(), 1, "exactly one request was acknowledged");
    let ids: BTreeSet<_> =
        got.iter().map(|r| r.headers["webhook-id"].to_str().unwrap().to_string()).collect();
    assert_eq!(ids.len(), 1, "webhook-id is the same on every retry");
    assert_eq!(ids.first().unwrap(), sent["event_id"].as_str().unwrap());
    let secret = channel["secret"].as_str().unwrap();
    for request in &got {
        crate::receivers::verify_standard_webhook(secret, &request.headers, &request.body).unwrap();
    }
}

#[tokio::test]
async fn a_receiver_that_always_fails_leaves_the_delivery_dead_until_it_is_retried() {
    let app = app_with_backoff(Duration::from_millis(20)).await;
    let admin = app.admin_of("acme").await;
    let receiver = HookReceiver::start(vec![], 500).await;
    let url = receiver.url("/hook?token=s3cr3t-token");
    let channel =
        create_channel(&app, &admin.token, &json!({"name": "hook", "kind": "webhook", "url": url}))
            .await;
    let runner = app.start_jobs().await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let id = sent["delivery_id"].as_str().unwrap();
    let dead = wait_for_status(&app, &admin.token, id, "dead").await;
    assert_eq!(dead["attempts"], 5);
    assert_eq!(dead["last_error"], format!("HTTP 500 from {}", receiver.addr.ip()));
    assert_eq!(receiver.received().len(), 5);
    let listed: Value =
        app.get_as(&admin.token, "/v1/deliveries?status=dead").await.json().await.unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);

    // The manual retry re-queues it with a fresh set of attempts, audited once.
    let retried =
        app.post_as(&admin.token, &format!("/v1/deliveries/{id}/retry"), &json!({})).await;
    assert_eq!(retried.status(), 202);
    let retried: Value = retried.json().await.unwrap();
    assert_eq!(
        (retried["status"].as_str(), retried["attempts"].as_i64()),
        (Some("pending"), Some(0))
    );
    assert!(retried["last_error"].is_null());
    let dead_again = wait_for_status(&app, &admin.token, id, "dead").await;
    runner.shutdown().await.unwrap();
    assert_eq!(dead_again["attempts"], 5);
    // Every request the receiver saw is one counted attempt: none sent twice, none lost.
    assert_eq!(receiver.received().len(), 10, "after the retry: {dead_again}");
    let audits: Vec<Value> =
        sqlx::query_scalar("select summary from audit_log where action = 'delivery.retry'")
            .fetch_all(&app.db.superuser().await)
            .await
            .unwrap();
    assert_eq!(audits.len(), 1);
    assert_eq!(audits[0]["event_id"], sent["event_id"]);
}

#[tokio::test]
async fn a_redirect_is_a_failure_and_is_never_followed() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let elsewhere = Tripwire::start().await;
    let location = format!("http://{}:{}/stolen", elsewhere.ip, elsewhere.port);
    let receiver = HookReceiver::start(vec![Reply::Redirect(location)], 200).await;
    let channel = create_channel(
        &app,
        &admin.token,
        &json!({"name": "hook", "kind": "webhook", "url": receiver.url("/")}),
    )
    .await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let outcome =
        app.services.notify.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    let RelayOutcome::Failed { attempts: 1, error, .. } = outcome else { panic!("{outcome:?}") };
    let from = receiver.addr.ip();
    assert_eq!(error, format!("HTTP 302 from {from} (redirects are not followed)"));
    assert_eq!(elsewhere.accepted(), 0);
}

#[tokio::test]
async fn an_unreachable_receiver_fails_the_attempt_with_a_message_naming_only_the_host() {
    let app = app_with_backoff(Duration::from_secs(30)).await;
    let admin = app.admin_of("acme").await;
    // A port nothing listens on: bind, note it, close.
    let ip = own_loopback();
    let port = std::net::TcpListener::bind((ip, 0)).unwrap().local_addr().unwrap().port();
    let url = format!("http://{ip}:{port}/hook?token=s3cr3t-token");
    let channel =
        create_channel(&app, &admin.token, &json!({"name": "hook", "kind": "webhook", "url": url}))
            .await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let outcome =
        app.services.notify.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    let RelayOutcome::Failed { error, next_attempt_at, .. } = outcome else {
        panic!("{outcome:?}")
    };
    assert!(error.starts_with(&format!("could not connect to {ip}")), "{error}");
    assert!(!error.contains("s3cr3t") && !error.contains("/hook"), "{error}");
    assert!(next_attempt_at > chrono::Utc::now() + chrono::Duration::seconds(20));
    // Not due yet: relaying again at once does nothing.
    let early = app.services.notify.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    assert_eq!(early, RelayOutcome::Skipped);
}
