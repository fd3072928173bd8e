//! Live feed sockets over time: logout and token expiry closing an open socket, slow and silent
//! clients being dropped, events nobody listens to, and a second process hearing the same commits.

use super::{closed, emit_event, fast, next, subscribed};
use notify::feed::{FeedSettings, Hub, Received};
use platform::access::Role;
use platform::outbox::{Event, Severity, emit};
use serde_json::{Value, json};
use std::time::Duration;
use testapp::TestApp;

#[tokio::test]
async fn logging_out_closes_the_open_socket_within_the_recheck_interval() {
    let app = TestApp::spawn_with(fast).await;
    let member = app.member(app.tenant("acme").await, "a@acme.test", Role::SOC_ANALYST_L1).await;
    let mut socket = subscribed(&app, &member.token).await;
    let out = app
        .client
        .post(app.url("/v1/auth/logout"))
        .bearer_auth(&member.token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(
        closed(&mut socket, Duration::from_secs(2)).await,
        (4401, "credential no longer valid".into())
    );
}

#[tokio::test]
async fn a_client_that_falls_behind_is_dropped_as_too_slow() {
    let app = TestApp::spawn_with(|config| config.feed.room_capacity = 2).await;
    let member = app.member(app.tenant("acme").await, "a@acme.test", Role::SOC_ANALYST_L1).await;
    let mut socket = subscribed(&app, &member.token).await;
    // Many events in one commit arrive as one burst, far faster than one socket drains them.
    let mut tx = app.db.app.tenant_tx(member.tenant).await.unwrap();
    for n in 0..200 {
        let title = format!("Burst {n}");
        let event = Event {
            kind: "surface.port_opened",
            severity: Severity::Low,
            subject: &title,
            payload: json!({}),
        };
        emit(&mut tx, &event).await.unwrap();
    }
    tx.commit().await.unwrap();
    assert_eq!(closed(&mut socket, Duration::from_secs(10)).await, (4000, "too slow".into()));
}

#[tokio::test]
async fn a_client_that_stops_answering_pings_is_closed() {
    let app = TestApp::spawn_with(|config| {
        config.feed.ping_interval = Duration::from_millis(100);
        config.feed.idle_timeout = Duration::from_millis(300);
    })
    .await;
    let member = app.member(app.tenant("acme").await, "a@acme.test", Role::SOC_ANALYST_L1).await;
    let mut socket = subscribed(&app, &member.token).await;
    // Not reading means not answering pings.
    tokio::time::sleep(Duration::from_millis(700)).await;
    assert_eq!(closed(&mut socket, Duration::from_secs(3)).await, (4408, "no heartbeat".into()));
}

#[tokio::test]
async fn a_client_that_answers_pings_stays_connected() {
    let app = TestApp::spawn_with(|config| {
        config.feed.ping_interval = Duration::from_millis(100);
        config.feed.idle_timeout = Duration::from_millis(300);
    })
    .await;
    let member = app.member(app.tenant("acme").await, "a@acme.test", Role::SOC_ANALYST_L1).await;
    let mut socket = subscribed(&app, &member.token).await;
    // Reading answers the pings; well past the idle timeout the socket still delivers.
    assert_eq!(next(&mut socket, Duration::from_millis(800)).await, None);
    let event = emit_event(&app, member.tenant, "Still here").await;
    assert_eq!(next(&mut socket, Duration::from_secs(1)).await.unwrap()["event"]["id"], event);
}

#[tokio::test]
async fn events_emitted_while_nobody_listens_break_nothing() {
    let app = TestApp::spawn().await;
    let member = app.member(app.tenant("acme").await, "a@acme.test", Role::SOC_ANALYST_L1).await;
    app.services.feed.listening().await;
    for n in 0..5 {
        emit_event(&app, member.tenant, &format!("Unheard {n}")).await;
    }
    let mut socket = subscribed(&app, &member.token).await;
    let event = emit_event(&app, member.tenant, "Heard").await;
    let got = next(&mut socket, Duration::from_secs(1)).await.unwrap();
    assert_eq!(got["event"]["id"], event, "only events committed after joining arrive");
}

#[tokio::test]
async fn a_second_server_process_on_the_same_database_hears_the_same_commit() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant("acme").await;
    let other = Hub::new(app.db.app.clone(), FeedSettings::default());
    tokio::spawn(other.clone().run(std::future::pending()));
    other.listening().await;
    let mut room = other.subscribe(tenant);
    let event = emit_event(&app, tenant, "Heard everywhere").await;
    let received = tokio::time::timeout(Duration::from_secs(1), room.recv()).await.unwrap();
    let Received::Message(text) = received else { panic!("expected a message, got {received:?}") };
    let message: Value = serde_json::from_slice(&text).unwrap();
    assert_eq!(message["event"]["id"], event);
}

#[tokio::test]
async fn a_socket_is_closed_when_its_access_token_expires() {
    let app =
        TestApp::spawn_with(|config| config.identity.access_ttl = chrono::Duration::seconds(3))
            .await;
    let member = app.member(app.tenant("acme").await, "a@acme.test", Role::SOC_ANALYST_L1).await;
    let mut socket = subscribed(&app, &member.token).await;
    // The periodic check is 30 s away: the token's own expiry closes the socket.
    let closing = closed(&mut socket, Duration::from_secs(8)).await;
    assert_eq!(closing, (4401, "credential no longer valid".into()));
}
