//! Cheap rejection: a client presenting invalid credentials spends a budget of them, and once it
//! is spent its credentials are refused before any database work. Others are not affected.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use edge::rate_limit::{Rate, RateLimits};
use testapp::{ResponseExt, TestApp};

/// A well-formed API key that does not exist: checking it needs a lookup.
fn random_key() -> String {
    let prefix = &uuid::Uuid::new_v4().simple().to_string()[..12];
    let secret: Vec<u8> = (0..2).flat_map(|_| *uuid::Uuid::new_v4().as_bytes()).collect();
    format!("pal_{prefix}_{}", URL_SAFE_NO_PAD.encode(secret))
}

#[tokio::test]
async fn a_client_guessing_api_keys_is_refused_before_the_database_is_asked() {
    let app = TestApp::spawn_with(|s| {
        s.limits = RateLimits {
            failed_credentials_per_ip: Rate::new(5, 60, 5),
            ..RateLimits::unlimited()
        };
    })
    .await;
    for _ in 0..5 {
        let response = app.get_as(&random_key(), "/v1/users").await;
        assert_eq!(response.status(), 401);
    }
    // The budget is spent. With the database gone, a request that reached it could not be
    // answered 429: this one never asks it.
    app.db.app.pool().close().await;
    let refused = app.get_as(&random_key(), "/v1/users").await;
    assert_eq!(refused.status(), 429);
    assert!(refused.headers().contains_key("retry-after"));
    assert_eq!(refused.problem().await.code, "RATE_LIMITED");
    // Public routes do not look at credentials and still answer.
    assert_eq!(
        app.client
            .get(app.url("/healthz"))
            .bearer_auth(random_key())
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
}

#[tokio::test]
async fn a_guessing_client_keeps_its_valid_tokens_and_known_keys() {
    let app = TestApp::spawn_with(|s| {
        s.limits = RateLimits {
            failed_credentials_per_ip: Rate::new(3, 60, 3),
            ..RateLimits::unlimited()
        };
    })
    .await;
    let admin = app.admin_of("acme").await;
    let key = app.api_key(&admin.token, &["USERS_VIEW"]).await;
    assert_eq!(app.get_as(&key.key, "/v1/users").await.status(), 200);
    for _ in 0..4 {
        app.get_as(&random_key(), "/v1/users").await;
    }
    assert_eq!(app.get_as(&random_key(), "/v1/users").await.status(), 429);
    // A colleague's access token and a key already known still work from the same address.
    assert_eq!(app.get_as(&admin.token, "/v1/users").await.status(), 200);
    assert_eq!(app.get_as(&key.key, "/v1/users").await.status(), 200);
}

#[tokio::test]
async fn another_client_is_not_held_back_by_one_that_guesses() {
    let app = TestApp::spawn_with(|s| {
        s.limits = RateLimits {
            failed_credentials_per_ip: Rate::new(3, 60, 3),
            ..RateLimits::unlimited()
        };
    })
    .await;
    let admin = app.admin_of("acme").await;
    for _ in 0..4 {
        app.get_as(&random_key(), "/v1/users").await;
    }
    assert_eq!(app.get_as(&random_key(), "/v1/users").await.status(), 429);
    let colleague = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let response =
        colleague.get(app.url("/v1/users")).bearer_auth(&admin.token).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn expired_access_tokens_do_not_spend_the_budget() {
    let app = TestApp::spawn_with(|s| {
        s.identity.access_ttl = chrono::Duration::seconds(1);
        s.limits = RateLimits {
            failed_credentials_per_ip: Rate::new(2, 60, 2),
            ..RateLimits::unlimited()
        };
    })
    .await;
    let admin = app.admin_of("acme").await;
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    for _ in 0..5 {
        let response = app.get_as(&admin.token, "/v1/users").await;
        assert_eq!(response.problem().await.code, "TOKEN_EXPIRED");
    }
}
