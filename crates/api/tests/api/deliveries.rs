//! Deliveries end to end, with real receivers on loopback: signed webhooks verified by an
//! independent Standard Webhooks implementation, racing relays, a relay killed mid-delivery, the
//! deliveries list and its permissions. Retries and the dead letter are in `retries`; Slack and
//! email in `kinds`.

mod fairness;
mod kinds;
mod retries;

use crate::receivers::{
    HookReceiver, Reply, create_channel, delivery, send_test, uuid, verify_standard_webhook,
    wait_for_status,
};
use notify::RelayOutcome;
use platform::access::Role;
use serde_json::{Value, json};
use std::time::Duration;
use testapp::TestApp;

#[tokio::test]
async fn a_webhook_is_signed_per_standard_webhooks_and_verified_independently() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let receiver = HookReceiver::start(vec![], 204).await;
    let body = json!({"name": "hook", "kind": "webhook", "url": receiver.url("/hooks/palisade")});
    let channel = create_channel(&app, &admin.token, &body).await;
    let sent = send_test(&app, &admin.token, &channel).await;
    assert_eq!(sent["status"], "pending");

    let outcome =
        app.services.notify.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    assert_eq!(outcome, RelayOutcome::Delivered { attempts: 1 });
    let got = receiver.received();
    assert_eq!(got.len(), 1);
    let secret = channel["secret"].as_str().unwrap();
    verify_standard_webhook(secret, &got[0].headers, &got[0].body).unwrap();
    assert!(
        verify_standard_webhook(
            "whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            &got[0].headers,
            &got[0].body
        )
        .is_err()
    );
    assert_eq!(got[0].headers["webhook-id"], sent["event_id"].as_str().unwrap());
    assert_eq!(got[0].headers["content-type"], "application/json");

    let event: Value = serde_json::from_slice(&got[0].body).unwrap();
    assert_eq!(event["id"], sent["event_id"]);
    assert_eq!(event["type"], "notify.test");
    assert_eq!(event["severity"], "info");
    assert_eq!(event["tenant_id"], admin.tenant.to_string());
    assert!(event["title"].as_str().unwrap().contains("hook"));
    assert!(event["created_at"].as_str().unwrap().ends_with('Z'));

    let shown = delivery(&app, &admin.token, sent["delivery_id"].as_str().unwrap()).await;
    assert_eq!(
        (shown["status"].as_str(), shown["attempts"].as_i64()),
        (Some("delivered"), Some(1))
    );
    assert!(shown["delivered_at"].is_string() && shown["last_error"].is_null());
    let audited: i64 =
        sqlx::query_scalar("select count(*) from audit_log where action = 'channel.test'")
            .fetch_one(&app.db.superuser().await)
            .await
            .unwrap();
    assert_eq!(audited, 1);
    // Relaying a delivered delivery again sends nothing.
    let again = app.services.notify.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    assert_eq!(again, RelayOutcome::Skipped);
    assert_eq!(receiver.received().len(), 1);
}

#[tokio::test]
async fn two_relays_racing_on_one_delivery_send_it_once() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let receiver = HookReceiver::start(vec![Reply::Stall(Duration::from_millis(400))], 200).await;
    let channel = create_channel(
        &app,
        &admin.token,
        &json!({"name": "hook", "kind": "webhook", "url": receiver.url("/")}),
    )
    .await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let id = uuid(&sent["delivery_id"]);
    let (one, two) = tokio::join!(
        app.services.notify.relay(admin.tenant, id),
        app.services.notify.relay(admin.tenant, id),
    );
    let mut outcomes = [one.unwrap(), two.unwrap()];
    outcomes.sort_by_key(|o| matches!(o, RelayOutcome::Skipped));
    assert_eq!(outcomes, [RelayOutcome::Delivered { attempts: 1 }, RelayOutcome::Skipped]);
    assert_eq!(receiver.received().len(), 1);
    assert_eq!(receiver.ok_answers(), 1);
    let shown = delivery(&app, &admin.token, sent["delivery_id"].as_str().unwrap()).await;
    assert_eq!(shown["attempts"], 1);
}

#[tokio::test]
async fn a_relay_killed_mid_delivery_loses_nothing_and_the_delivery_is_sent_when_its_lease_ends() {
    // A short send timeout and no lease margin: the killed claim expires after 4 s.
    let app = TestApp::spawn_with(|s| {
        s.notify.send_timeout = Duration::from_secs(2);
        s.notify.relay.lease_margin = Duration::ZERO;
    })
    .await;
    let admin = app.admin_of("acme").await;
    // The first request stalls past the kill; the next one is answered at once.
    let receiver = HookReceiver::start(vec![Reply::Stall(Duration::from_secs(8))], 200).await;
    let channel = create_channel(
        &app,
        &admin.token,
        &json!({"name": "hook", "kind": "webhook", "url": receiver.url("/")}),
    )
    .await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let id = sent["delivery_id"].as_str().unwrap().to_string();

    let notify = app.services.notify.clone();
    let (tenant, delivery_id) = (admin.tenant, uuid(&sent["delivery_id"]));
    let relay = tokio::spawn(async move { notify.relay(tenant, delivery_id).await });
    receiver.wait_for_requests(1).await;
    relay.abort();
    assert!(relay.await.unwrap_err().is_cancelled());

    // The killed attempt holds its claim: counted, in flight, and nobody else may send it.
    let shown = delivery(&app, &admin.token, &id).await;
    let state = (shown["status"].as_str(), shown["attempts"].as_i64());
    assert_eq!(state, (Some("delivering"), Some(1)));
    let runner = app.start_jobs().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(receiver.received().len(), 1, "not sent again while the claim holds");

    // Once the lease ends, the relay claims it again and delivers it.
    let done = wait_for_status(&app, &admin.token, &id, "delivered").await;
    runner.shutdown().await.unwrap();
    assert_eq!(done["attempts"], 2);
    let got = receiver.received();
    assert_eq!(got.len(), 2, "at least once: the killed request, then the delivered one");
    assert_eq!(got[0].headers["webhook-id"], got[1].headers["webhook-id"], "same id for dedup");
    assert_eq!(receiver.ok_answers(), 1);
}

#[tokio::test]
async fn deliveries_are_listed_with_filters_and_only_dead_or_failed_ones_can_be_retried() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let analyst = app.member(admin.tenant, "l1@acme.test", Role::SOC_ANALYST_L1).await;
    let receiver = HookReceiver::start(vec![], 200).await;
    let hook = |name: &str| json!({"name": name, "kind": "webhook", "url": receiver.url("/")});
    let (one, two) = (
        create_channel(&app, &admin.token, &hook("one")).await,
        create_channel(&app, &admin.token, &hook("two")).await,
    );
    let first = send_test(&app, &admin.token, &one).await;
    let second = send_test(&app, &admin.token, &two).await;
    app.services.notify.relay(admin.tenant, uuid(&first["delivery_id"])).await.unwrap();

    let list = |query: String| {
        let (app, token) = (&app, analyst.token.clone());
        async move {
            let page: Value =
                app.get_as(&token, &format!("/v1/deliveries?{query}")).await.json().await.unwrap();
            page["items"].as_array().unwrap().iter().map(|d| d["id"].clone()).collect::<Vec<_>>()
        }
    };
    assert_eq!(list("status=delivered".into()).await, [first["delivery_id"].clone()]);
    assert_eq!(list("status=pending".into()).await, [second["delivery_id"].clone()]);
    assert_eq!(
        list(format!("channel_id={}", two["id"].as_str().unwrap())).await,
        [second["delivery_id"].clone()]
    );
    assert_eq!(
        list(format!("event_id={}", first["event_id"].as_str().unwrap())).await,
        [first["delivery_id"].clone()]
    );
    let page: Value =
        app.get_as(&analyst.token, "/v1/deliveries?limit=1").await.json().await.unwrap();
    assert_eq!(page["items"][0]["id"], second["delivery_id"], "newest first");
    let cursor = page["next_cursor"].as_str().unwrap();
    assert_eq!(list(format!("limit=1&cursor={cursor}")).await, [first["delivery_id"].clone()]);
    for bad in ["status=lost", "channel_id=x", "cursor=x_y", "limit=0"] {
        let status = app.get_as(&analyst.token, &format!("/v1/deliveries?{bad}")).await.status();
        assert!(status == 400 || status == 422, "{bad}: {status}");
    }

    // Retrying needs CHANNELS_MANAGE, and only a dead or failed delivery can be retried.
    let retry = |id: &Value| format!("/v1/deliveries/{}/retry", id.as_str().unwrap());
    assert_eq!(
        app.post_as(&analyst.token, &retry(&second["delivery_id"]), &json!({})).await.status(),
        403
    );
    for id in [&first["delivery_id"], &second["delivery_id"]] {
        let refused = app.post_as(&admin.token, &retry(id), &json!({})).await;
        assert_eq!(refused.status(), 409);
        assert_eq!(refused.json::<Value>().await.unwrap()["code"], "CONFLICT");
    }
    assert_eq!(app.get("/v1/deliveries").await.status(), 401);
}

#[tokio::test]
async fn deleting_a_channel_takes_its_deliveries_and_keeps_the_events() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let channel = create_channel(
        &app,
        &admin.token,
        &json!({"name": "hook", "kind": "webhook", "url": "http://127.0.0.1:9/"}),
    )
    .await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let path = format!("/v1/channels/{}", channel["id"].as_str().unwrap());
    assert_eq!(
        app.send_as(reqwest::Method::DELETE, &admin.token, &path, &json!({})).await.status(),
        204
    );
    let deliveries: Value = app.get_as(&admin.token, "/v1/deliveries").await.json().await.unwrap();
    assert!(deliveries["items"].as_array().unwrap().is_empty());
    let events: Value = app.get_as(&admin.token, "/v1/events").await.json().await.unwrap();
    assert_eq!(events["items"][0]["id"], sent["event_id"]);
    // Its queued relay job finds nothing to do.
    let outcome =
        app.services.notify.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    assert_eq!(outcome, RelayOutcome::Skipped);
}

#[tokio::test]
async fn each_status_filter_lists_exactly_the_deliveries_in_that_state_and_none_of_another_tenant()
{
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let other = app.admin_of("globex").await;
    let ok = HookReceiver::start(vec![], 200).await;
    let broken = HookReceiver::start(vec![], 500).await;
    let stalling = HookReceiver::start(vec![Reply::Stall(Duration::from_secs(30))], 200).await;
    let hook = |name: &str, receiver: &HookReceiver| json!({"name": name, "kind": "webhook", "url": receiver.url("/")});
    let channel_of = |token: &str, name: &str, receiver: &HookReceiver| {
        let (app, token, body) = (&app, token.to_string(), hook(name, receiver));
        async move { create_channel(app, &token, &body).await }
    };
    let relayed =
        |sent: &Value| app.services.notify.relay(admin.tenant, uuid(&sent["delivery_id"]));

    let delivered = send_test(&app, &admin.token, &channel_of(&admin.token, "ok", &ok).await).await;
    relayed(&delivered).await.unwrap();
    let failing = channel_of(&admin.token, "broken", &broken).await;
    let failed = send_test(&app, &admin.token, &failing).await;
    relayed(&failed).await.unwrap();
    let doomed = channel_of(&admin.token, "doomed", &ok).await;
    let dead = send_test(&app, &admin.token, &doomed).await;
    let path = format!("/v1/channels/{}", doomed["id"].as_str().unwrap());
    let disabled =
        app.send_as(reqwest::Method::PATCH, &admin.token, &path, &json!({"enabled": false})).await;
    assert_eq!(disabled.status(), 200);
    relayed(&dead).await.unwrap();
    let stalled = channel_of(&admin.token, "stalled", &stalling).await;
    let delivering = send_test(&app, &admin.token, &stalled).await;
    let notify = app.services.notify.clone();
    let (tenant, id) = (admin.tenant, uuid(&delivering["delivery_id"]));
    let in_flight = tokio::spawn(async move { notify.relay(tenant, id).await });
    stalling.wait_for_requests(1).await;
    let pending =
        send_test(&app, &admin.token, &channel_of(&admin.token, "later", &ok).await).await;
    let theirs = channel_of(&other.token, "theirs", &ok).await;
    send_test(&app, &other.token, &theirs).await;

    for (status, expected) in [
        ("pending", &pending),
        ("delivering", &delivering),
        ("delivered", &delivered),
        ("failed", &failed),
        ("dead", &dead),
    ] {
        let page: Value = app
            .get_as(&admin.token, &format!("/v1/deliveries?status={status}"))
            .await
            .json()
            .await
            .unwrap();
        let items = page["items"].as_array().unwrap();
        let ids: Vec<&Value> = items.iter().map(|d| &d["id"]).collect();
        assert_eq!(ids, [&expected["delivery_id"]], "status={status}");
        assert_eq!(items[0]["status"], status);
    }
    in_flight.abort();
}
