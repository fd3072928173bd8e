//! Behind a proxy: the client address comes from `X-Forwarded-For`/`Forwarded` only when the
//! peer is a trusted proxy, and then rate limits and audit rows use it.

use edge::middleware::client_addr::TrustedProxies;
use edge::rate_limit::{Rate, RateLimits};
use platform::outbound::Cidr;
use serde_json::json;
use testapp::TestApp;

async fn behind_a_trusted_proxy() -> TestApp {
    TestApp::spawn_with(|s| {
        s.http.trusted_proxies = TrustedProxies::new(Cidr::parse_list("127.0.0.0/8").unwrap());
        s.limits = RateLimits { auth_per_ip: Rate::new(2, 60, 2), ..RateLimits::unlimited() };
    })
    .await
}

async fn refresh_from(app: &TestApp, client: &str) -> u16 {
    let body = json!({ "refresh_token": "prt_not_a_real_one" });
    let request = app.client.post(app.url("/v1/auth/refresh")).json(&body);
    request.header("x-forwarded-for", client).send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn clients_behind_a_trusted_proxy_are_limited_each_on_their_own() {
    let app = behind_a_trusted_proxy().await;
    assert_eq!(refresh_from(&app, "203.0.113.1").await, 401);
    assert_eq!(refresh_from(&app, "203.0.113.1").await, 401);
    assert_eq!(refresh_from(&app, "203.0.113.1").await, 429, "the first client is over its limit");
    assert_eq!(refresh_from(&app, "203.0.113.2").await, 401, "a colleague behind the proxy is not");
    // A client that forges its own header in front of the proxy's still counts as itself.
    assert_eq!(refresh_from(&app, "198.51.100.9, 203.0.113.1").await, 429);
}

#[tokio::test]
async fn audit_rows_carry_the_forwarded_client_address() {
    let app = behind_a_trusted_proxy().await;
    let token = app.admin_token().await;
    let body = json!({ "name": "Acme", "slug": "acme" });
    let request = app.client.post(app.url("/v1/tenants")).bearer_auth(&token).json(&body);
    let response = request.header("forwarded", "for=\"[2001:db8::7]:4711\"").send().await.unwrap();
    assert_eq!(response.status(), 201);
    let source: Option<String> =
        sqlx::query_scalar("select source_ip from audit_log where action = 'tenant.create' and summary->>'slug' = 'acme'")
            .fetch_one(&app.db.superuser().await)
            .await
            .unwrap();
    assert_eq!(source.as_deref(), Some("2001:db8::7"));
}

#[tokio::test]
async fn forwarding_headers_from_an_untrusted_peer_are_ignored() {
    let app = TestApp::spawn_with(|s| {
        s.limits = RateLimits { auth_per_ip: Rate::new(2, 60, 2), ..RateLimits::unlimited() };
    })
    .await;
    assert_eq!(refresh_from(&app, "203.0.113.1").await, 401);
    assert_eq!(refresh_from(&app, "203.0.113.2").await, 401);
    assert_eq!(refresh_from(&app, "203.0.113.3").await, 429, "every request is the peer's own");
}
