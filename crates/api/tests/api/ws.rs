//! Tests of the live feed, `GET /v1/ws`, with a real WebSocket client: tenant rooms, the three
//! ways to authenticate, refusals (4401, 4403), key revocation closing an open socket, and
//! credentials kept out of the logs. Logout, slow and silent clients, and fan-out between server
//! processes are in `ws/liveness.rs`.

mod liveness;

use edge::Settings;
use futures_util::{SinkExt, StreamExt};
use notify::feed::FeedSettings;
use platform::TenantId;
use platform::access::Role;
use platform::outbox::{Event, Severity, emit};
use serde_json::{Value, json};
use std::time::Duration;
use testapp::{TestApp, logs};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::{HeaderName, HeaderValue};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::{Error as WsError, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream, connect_async};

pub(super) type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens `/v1/ws` with extra request headers, once the app's feed is listening.
pub(super) async fn open(
    app: &TestApp,
    headers: &[(&str, &str)],
) -> (Socket, tokio_tungstenite::tungstenite::handshake::client::Response) {
    app.services.feed.listening().await;
    let mut request = format!("ws://{}/v1/ws", app.address).into_client_request().unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(
            HeaderName::from_bytes(name.as_bytes()).unwrap(),
            HeaderValue::from_str(value).unwrap(),
        );
    }
    connect_async(request).await.unwrap()
}

/// A socket authenticated with the `palisade.bearer` subprotocol, past its `ready` message.
pub(super) async fn subscribed(app: &TestApp, token: &str) -> Socket {
    let (mut socket, _) =
        open(app, &[("sec-websocket-protocol", &format!("palisade.bearer, {token}"))]).await;
    assert_eq!(next(&mut socket, Duration::from_secs(5)).await.unwrap()["type"], "ready");
    socket
}

/// The next JSON message within `within`, or `None` when none arrives.
pub(super) async fn next(socket: &mut Socket, within: Duration) -> Option<Value> {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Ok(Some(Ok(Message::Text(text)))) => {
                return Some(serde_json::from_str(text.as_str()).unwrap());
            }
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            Ok(other) => panic!("expected a message, got {other:?}"),
            Err(_) => return None,
        }
    }
}

/// Reads until the server closes; answers its close code and reason.
pub(super) async fn closed(socket: &mut Socket, within: Duration) -> (u16, String) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, socket.next()).await {
            Ok(Some(Ok(Message::Close(Some(frame))))) => {
                return (u16::from(frame.code), frame.reason.to_string());
            }
            Ok(Some(Ok(Message::Close(None)))) => {
                return (u16::from(CloseCode::Status), String::new());
            }
            Ok(Some(Ok(_))) => continue,
            Ok(Some(Err(WsError::ConnectionClosed | WsError::AlreadyClosed)) | None) => {
                panic!("closed without a frame")
            }
            Ok(Some(Err(e))) => panic!("socket error: {e}"),
            Err(_) => panic!("the socket was not closed within {within:?}"),
        }
    }
}

/// Emits one event for `tenant` and commits; returns its id.
pub(super) async fn emit_event(app: &TestApp, tenant: TenantId, title: &str) -> String {
    let mut tx = app.db.app.tenant_tx(tenant).await.unwrap();
    let event = Event {
        kind: "surface.port_opened",
        severity: Severity::High,
        subject: title,
        payload: json!({"port": 22}),
    };
    let emitted = emit(&mut tx, &event).await.unwrap();
    tx.commit().await.unwrap();
    emitted.event_id.to_string()
}

pub(super) fn fast(config: &mut Settings) {
    config.feed = FeedSettings {
        auth_timeout: Duration::from_millis(300),
        recheck_interval: Duration::from_millis(200),
        ..FeedSettings::default()
    };
}

#[tokio::test]
async fn two_sockets_of_two_tenants_each_receive_only_their_own_tenants_events() {
    let app = TestApp::spawn().await;
    let a = app.member(app.tenant("acme").await, "a@acme.test", Role::SOC_ANALYST_L1).await;
    let b = app.member(app.tenant("globex").await, "b@globex.test", Role::SOC_ANALYST_L1).await;
    // A by subprotocol, B by its first message.
    let (mut socket_a, response) =
        open(&app, &[("sec-websocket-protocol", &format!("palisade.bearer, {}", a.token))]).await;
    assert_eq!(response.headers()["sec-websocket-protocol"], "palisade.bearer");
    let ready = next(&mut socket_a, Duration::from_secs(5)).await.unwrap();
    assert_eq!(ready, json!({"type": "ready", "tenant_id": a.tenant}));
    let (mut socket_b, _) = open(&app, &[]).await;
    socket_b
        .send(Message::text(json!({"type": "auth", "token": b.token}).to_string()))
        .await
        .unwrap();
    assert_eq!(
        next(&mut socket_b, Duration::from_secs(5)).await.unwrap()["tenant_id"],
        json!(b.tenant)
    );

    let event_a = emit_event(&app, a.tenant, "Port 22 opened on acme").await;
    let event_b = emit_event(&app, b.tenant, "Port 22 opened on globex").await;

    let got_a =
        next(&mut socket_a, Duration::from_secs(1)).await.expect("A's event within a second");
    assert_eq!(got_a["type"], "event");
    assert_eq!(got_a["event"]["id"], event_a);
    assert_eq!(got_a["event"]["type"], "surface.port_opened");
    assert_eq!(got_a["event"]["severity"], "high");
    assert_eq!(got_a["event"]["summary"], "Port 22 opened on acme");
    assert!(got_a["event"]["created_at"].is_string());
    assert!(got_a["event"].get("payload").is_none(), "the feed carries summaries only");
    let got_b =
        next(&mut socket_b, Duration::from_secs(1)).await.expect("B's event within a second");
    assert_eq!(got_b["event"]["id"], event_b);
    assert_eq!(
        next(&mut socket_a, Duration::from_millis(300)).await,
        None,
        "A never sees B's event"
    );
    assert_eq!(
        next(&mut socket_b, Duration::from_millis(300)).await,
        None,
        "B never sees A's event"
    );
}

#[tokio::test]
async fn a_forged_notification_naming_another_tenant_reaches_no_one() {
    let app = TestApp::spawn().await;
    let a = app.member(app.tenant("acme").await, "a@acme.test", Role::SOC_ANALYST_L1).await;
    let b = app.member(app.tenant("globex").await, "b@globex.test", Role::SOC_ANALYST_L1).await;
    let mut socket_a = subscribed(&app, &a.token).await;
    let mut socket_b = subscribed(&app, &b.token).await;
    let event_a = emit_event(&app, a.tenant, "Port 22 opened on acme").await;
    let got = next(&mut socket_a, Duration::from_secs(1)).await.expect("A's event");
    assert_eq!(got["event"]["id"], event_a);

    // Any session of the database may NOTIFY: announce A's event as B's, in a batch with one of
    // B's own, so that both tenants are read in the same round trip.
    let event_b = emit_event(&app, b.tenant, "Port 22 opened on globex").await;
    let forged = json!({"tenant_id": b.tenant, "event_id": event_a}).to_string();
    sqlx::query("select pg_notify($1, $2)")
        .bind(platform::outbox::EVENTS_CHANNEL)
        .bind(forged)
        .execute(&app.db.superuser().await)
        .await
        .unwrap();
    let got = next(&mut socket_b, Duration::from_secs(1)).await.expect("B's own event");
    assert_eq!(got["event"]["id"], event_b);
    assert_eq!(next(&mut socket_b, Duration::from_millis(500)).await, None, "never A's event");
    assert_eq!(next(&mut socket_a, Duration::from_millis(300)).await, None, "nothing repeated");
}

#[tokio::test]
async fn an_api_key_with_events_view_authenticates_with_the_authorization_header() {
    let app = TestApp::spawn_with(fast).await;
    let admin = app.member(app.tenant("acme").await, "admin@acme.test", Role::TENANT_ADMIN).await;
    let key: Value = app
        .post_as(&admin.token, "/v1/api-keys", &json!({"name": "feed", "scopes": ["EVENTS_VIEW"]}))
        .await
        .json()
        .await
        .unwrap();
    let bearer = format!("Bearer {}", key["key"].as_str().unwrap());
    let (mut socket, _) = open(&app, &[("authorization", &bearer)]).await;
    assert_eq!(next(&mut socket, Duration::from_secs(5)).await.unwrap()["type"], "ready");
    let event = emit_event(&app, admin.tenant, "Seen by the key").await;
    assert_eq!(next(&mut socket, Duration::from_secs(1)).await.unwrap()["event"]["id"], event);

    let path = format!("/v1/api-keys/{}", key["id"].as_str().unwrap());
    let revoked = app.client.delete(app.url(&path)).bearer_auth(&admin.token).send().await.unwrap();
    assert_eq!(revoked.status(), 204);
    assert_eq!(
        closed(&mut socket, Duration::from_secs(3)).await,
        (4401, "credential no longer valid".into())
    );
}

#[tokio::test]
async fn a_socket_that_never_authenticates_is_closed_with_4401() {
    let app = TestApp::spawn_with(fast).await;
    let (mut socket, _) = open(&app, &[]).await;
    assert_eq!(
        closed(&mut socket, Duration::from_secs(3)).await,
        (4401, "authentication required".into())
    );
}

#[tokio::test]
async fn a_bad_token_closes_the_socket_with_4401_whichever_way_it_is_sent() {
    let app = TestApp::spawn_with(fast).await;
    let (mut by_protocol, _) =
        open(&app, &[("sec-websocket-protocol", "palisade.bearer, not.a.token")]).await;
    assert_eq!(
        closed(&mut by_protocol, Duration::from_secs(3)).await,
        (4401, "credential not valid".into())
    );
    let (mut by_message, _) = open(&app, &[]).await;
    by_message.send(Message::text(r#"{"type":"auth","token":"not.a.token"}"#)).await.unwrap();
    assert_eq!(
        closed(&mut by_message, Duration::from_secs(3)).await,
        (4401, "credential not valid".into())
    );
    let (mut not_auth, _) = open(&app, &[]).await;
    not_auth.send(Message::text(r#"{"type":"subscribe"}"#)).await.unwrap();
    assert_eq!(closed(&mut not_auth, Duration::from_secs(3)).await.0, 4401);
}

#[tokio::test]
async fn a_role_without_events_view_is_closed_with_4403() {
    let app = TestApp::spawn().await;
    let exec =
        app.member(app.tenant("acme").await, "ceo@acme.test", Role::EXECUTIVE_READONLY).await;
    let (mut socket, _) =
        open(&app, &[("sec-websocket-protocol", &format!("palisade.bearer, {}", exec.token))])
            .await;
    assert_eq!(closed(&mut socket, Duration::from_secs(3)).await.0, 4403);
}

#[tokio::test]
async fn a_global_administrator_may_watch_another_tenant_by_naming_it() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant("acme").await;
    let (mut socket, _) = open(&app, &[]).await;
    let auth = json!({"type": "auth", "token": app.admin_token().await, "tenant_id": tenant});
    socket.send(Message::text(auth.to_string())).await.unwrap();
    assert_eq!(
        next(&mut socket, Duration::from_secs(5)).await.unwrap()["tenant_id"],
        json!(tenant)
    );
    let event = emit_event(&app, tenant, "For the watching admin").await;
    assert_eq!(next(&mut socket, Duration::from_secs(1)).await.unwrap()["event"]["id"], event);
}

#[tokio::test]
async fn no_feed_credential_appears_in_the_logs() {
    let app = TestApp::spawn().await;
    let member = app.member(app.tenant("acme").await, "a@acme.test", Role::SOC_ANALYST_L1).await;
    let mut by_protocol = subscribed(&app, &member.token).await;
    let (mut by_message, _) = open(&app, &[]).await;
    by_message
        .send(Message::text(json!({"type": "auth", "token": member.token}).to_string()))
        .await
        .unwrap();
    assert_eq!(next(&mut by_message, Duration::from_secs(5)).await.unwrap()["type"], "ready");
    let bad = format!("bad-token-{}", uuid::Uuid::new_v4().simple());
    let (mut refused, _) =
        open(&app, &[("sec-websocket-protocol", &format!("palisade.bearer, {bad}"))]).await;
    assert_eq!(closed(&mut refused, Duration::from_secs(3)).await.0, 4401);
    by_protocol.close(None).await.unwrap();
    by_message.close(None).await.unwrap();
    tokio::time::sleep(Duration::from_millis(100)).await;
    let logged = logs::captured();
    assert!(logged.contains("live feed socket opened"), "the feed logs its sockets");
    assert!(
        !logged.contains(&member.token) && !logged.contains(&bad),
        "a credential reached the logs"
    );
}

#[tokio::test]
async fn a_plain_request_without_upgrade_answers_400_problem_json() {
    let app = TestApp::spawn().await;
    let response = app.get("/v1/ws").await;
    assert_eq!(response.status(), 400);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
}
