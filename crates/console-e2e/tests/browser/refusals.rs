//! What the browser must not be able to do: triage without ALERTS_TRIAGE (no buttons, and a
//! forged post from the page is refused), and open the live feed from another origin.

use super::Browser;
use fantoccini::Locator;
use platform::access::Role;
use serde_json::{Value, json};
use testapp::{MEMBER_PASSWORD, TestApp};

#[tokio::test]
async fn a_user_without_alerts_triage_sees_no_triage_buttons_and_a_forged_post_is_refused() {
    let app = TestApp::spawn_as_own_origin(|_| {}).await;
    let admin = app.admin_of("acme").await;
    let key = app.api_key(&admin.token, &["ALERTS_INGEST"]).await.key;
    let alert = json!({"title": "watched", "severity": "low", "source": "edge"});
    let report: Value = app.post_as(&key, "/v1/alerts/ingest", &alert).await.json().await.unwrap();
    let id = report["accepted"][0]["id"].as_str().unwrap().to_string();
    let auditor = app.member(admin.tenant, "audrey@example.test", Role::AUDITOR_READONLY).await;
    let browser = Browser::open(&app).await;
    browser.sign_in(&auditor.email, MEMBER_PASSWORD).await;
    browser.goto("/alerts").await;
    browser.wait_for_text("#queue", "watched").await;
    let c = &browser.client;
    assert!(c.find_all(Locator::Css("#bulk button")).await.unwrap().is_empty());
    browser.goto(&format!("/alerts/{id}")).await;
    assert!(c.find_all(Locator::Css("form[action$='/triage']")).await.unwrap().is_empty());
    // The page's own script posts a triage form with the page's real CSRF token: the server
    // refuses it because the user may not triage.
    let script = r#"
        const [id, done] = [arguments[0], arguments[arguments.length - 1]];
        const token = document.querySelector('input[name=_csrf]').value;
        fetch('/alerts/' + id + '/triage', {method: 'POST', body: new URLSearchParams(
            {_csrf: token, action: 'acknowledge'})}).then(r => done(r.status));
    "#;
    let status = c.execute_async(script, vec![json!(id)]).await.unwrap();
    assert_eq!(status, json!(403));
    let alert: Value =
        app.get_as(&admin.token, &format!("/v1/alerts/{id}")).await.json().await.unwrap();
    assert_eq!(alert["status"], "new");
}

/// A page of another origin on the same site (`localhost`, another port), the way a malicious
/// page on a sibling service would be: the browser sends the `SameSite=Strict` session cookie
/// with its WebSocket handshake, so only the `Origin` check stands in the way.
async fn sibling_page() -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                use tokio::io::{AsyncReadExt, AsyncWriteExt};
                let mut buffer = [0u8; 4096];
                let _ = stream.read(&mut buffer).await;
                let page = "<!doctype html><title>sibling</title><p>not the console</p>";
                let answer = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{page}",
                    page.len()
                );
                let _ = stream.write_all(answer.as_bytes()).await;
            });
        }
    });
    port
}

#[tokio::test]
async fn a_page_of_another_origin_cannot_open_the_live_feed_with_the_session_cookie() {
    let app = TestApp::spawn_as_own_origin(|_| {}).await;
    let admin = app.admin_of("acme").await;
    let browser = Browser::open(&app).await;
    browser.sign_in(&admin.email, &admin.password).await;
    let sibling = sibling_page().await;
    browser.client.goto(&format!("http://localhost:{sibling}/")).await.unwrap();
    let script = r#"
        const [url, done] = [arguments[0], arguments[arguments.length - 1]];
        const socket = new WebSocket(url);
        socket.onmessage = (m) => { done('message: ' + m.data); socket.close(); };
        socket.onclose = (e) => done('closed: ' + e.code);
    "#;
    let url = format!("ws://localhost:{}/v1/ws", app.address.port());
    let outcome = browser.client.execute_async(script, vec![json!(url)]).await;
    let outcome = outcome.expect("the script ran");
    let outcome = outcome.as_str().unwrap_or_default().to_string();
    // The upgrade is refused (403), which a browser reports as an abnormal close.
    assert_eq!(outcome, "closed: 1006", "the sibling page got a live feed");
    // The same script on the console's own page gets the feed: the refusal was the origin's.
    browser.goto("/").await;
    let own = browser.client.execute_async(script, vec![json!(url)]).await.expect("the script ran");
    assert!(own.as_str().unwrap_or_default().contains("ready"), "own origin: {own}");
}
