//! One tenant cannot delay another's notifications: the relay sends outside transactions, holds
//! at most a few sends per tenant and per channel, and limits how often a channel is tested.

use crate::receivers::{HookReceiver, Reply, create_channel, send_test, wait_for_status};
use serde_json::json;
use std::time::{Duration, Instant};
use testapp::{ResponseExt, TestApp};

#[tokio::test]
async fn a_tenant_whose_receivers_hang_does_not_delay_another_tenants_delivery() {
    // Every request to this receiver hangs for 10 s, the send timeout. The relay's capacity is
    // made small so that the hanging tenant could fill it all if caps did not hold.
    let hanging = HookReceiver::start(vec![Reply::Stall(Duration::from_secs(10)); 64], 200).await;
    let app = TestApp::spawn_with(|s| {
        s.notify.relay.max_in_flight = 16;
        s.notify.relay.per_tenant = 8;
        s.notify.relay.per_channel = 4;
    })
    .await;
    let slow_tenant = app.admin_of("slow").await;
    let fast_tenant = app.admin_of("fast").await;
    for n in 0..12 {
        let body = json!({"name": format!("hang-{n}"), "kind": "webhook", "url": hanging.url("/")});
        let channel = create_channel(&app, &slow_tenant.token, &body).await;
        for _ in 0..3 {
            send_test(&app, &slow_tenant.token, &channel).await;
        }
    }
    let _relay = app.start_jobs().await;
    hanging.wait_for_requests(4).await;

    let receiver = HookReceiver::start(vec![], 200).await;
    let body = json!({"name": "soc", "kind": "webhook", "url": receiver.url("/")});
    let channel = create_channel(&app, &fast_tenant.token, &body).await;
    let started = Instant::now();
    let sent = send_test(&app, &fast_tenant.token, &channel).await;
    receiver.wait_for_requests(1).await;
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(2), "the other tenant's delivery took {waited:?}");
    let id = sent["delivery_id"].as_str().unwrap();
    wait_for_status(&app, &fast_tenant.token, id, "delivered").await;
    assert!(
        hanging.received().len() <= 8,
        "the hanging tenant holds at most its cap of sends: {}",
        hanging.received().len()
    );
}

#[tokio::test]
async fn a_channel_can_be_tested_five_times_a_minute() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let body = json!({"name": "hook", "kind": "webhook", "url": "http://127.0.0.1:9/"});
    let channel = create_channel(&app, &admin.token, &body).await;
    for _ in 0..5 {
        send_test(&app, &admin.token, &channel).await;
    }
    let path = format!("/v1/channels/{}/test", channel["id"].as_str().unwrap());
    let refused = app.post_as(&admin.token, &path, &json!({})).await;
    assert_eq!(refused.status(), 429);
    let wait: u64 = refused.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "Retry-After {wait}");
    assert_eq!(refused.problem().await.code, "RATE_LIMITED");
    // Another channel of the tenant is not held back.
    let other = json!({"name": "other", "kind": "webhook", "url": "http://127.0.0.1:9/"});
    let other = create_channel(&app, &admin.token, &other).await;
    send_test(&app, &admin.token, &other).await;
}
