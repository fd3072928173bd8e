//! The live feed opened with the console session cookie: only from the console's origin, and
//! closed when the session ends.

use super::{Browser, ORIGIN};
use crate::ws::{closed, emit_event, fast, next, open};
use std::time::Duration;
use testapp::TestApp;

async fn signed_in(app: &TestApp) -> (Browser<'_>, testapp::Member) {
    let admin = app.admin_of("acme").await;
    let mut browser = Browser::new(app);
    browser.sign_in(&admin.email, &admin.password, None).await;
    (browser, admin)
}

#[tokio::test]
async fn a_socket_opened_from_a_foreign_origin_with_the_session_cookie_is_refused() {
    let app = TestApp::spawn().await;
    let (browser, _) = signed_in(&app).await;
    let cookie = format!("palisade_session={}", browser.session.clone().unwrap());
    app.services.feed.listening().await;
    let url = format!("ws://{}/v1/ws", app.address);
    for origin in [Some("https://evil.example"), None] {
        let mut request =
            tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
                url.as_str(),
            )
            .unwrap();
        request.headers_mut().insert("cookie", cookie.parse().unwrap());
        if let Some(origin) = origin {
            request.headers_mut().insert("origin", origin.parse().unwrap());
        }
        match tokio_tungstenite::connect_async(request).await {
            Err(tokio_tungstenite::tungstenite::Error::Http(response)) => {
                assert_eq!(response.status(), 403, "origin {origin:?}");
            }
            other => panic!("the upgrade from {origin:?} was not refused: {other:?}"),
        }
    }
}

#[tokio::test]
async fn the_consoles_own_page_receives_its_tenants_events_and_loses_them_at_sign_out() {
    let app = TestApp::spawn_with(fast).await;
    let (mut browser, admin) = signed_in(&app).await;
    let cookie = format!("palisade_session={}", browser.session.clone().unwrap());
    let (mut socket, _) = open(&app, &[("cookie", &cookie), ("origin", ORIGIN)]).await;
    assert_eq!(next(&mut socket, Duration::from_secs(5)).await.unwrap()["type"], "ready");
    emit_event(&app, admin.tenant, "a change the analyst should see").await;
    let event = next(&mut socket, Duration::from_secs(5)).await.expect("the event arrives");
    assert_eq!(event["type"], "event");
    let csrf = browser.get("/").await.csrf();
    assert_eq!(browser.post("/logout", &[("_csrf", &csrf)]).await.status, 303);
    let (code, _) = closed(&mut socket, Duration::from_secs(10)).await;
    assert_eq!(code, 4401, "signing out closes the socket");
}
