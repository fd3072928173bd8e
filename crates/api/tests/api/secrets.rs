//! Passwords, tokens and keys never reach the logs or the audit log: a whole register, login,
//! refresh and API-key flow runs with logs captured, then both are searched for every secret.

use serde_json::{Value, json};
use testapp::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, access_token, logs};

#[tokio::test]
async fn no_secret_of_a_whole_session_appears_in_logs_or_audit_rows() {
    let app = TestApp::spawn_with(|config| config.identity.registration_enabled = true).await;
    let password = format!("registration-secret-{}", uuid::Uuid::new_v4().simple());
    let registered = app
        .client
        .post(app.url("/v1/auth/register"))
        .json(&json!({"email": "logs@palisade.test", "password": password}))
        .send()
        .await
        .unwrap();
    assert_eq!(registered.status(), 202);

    let tokens = app.login(ADMIN_EMAIL, ADMIN_PASSWORD, None).await;
    let refreshed: Value = app
        .client
        .post(app.url("/v1/auth/refresh"))
        .json(&json!({"refresh_token": tokens["refresh_token"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = access_token(&refreshed);
    let created =
        app.post_as(&token, "/v1/api-keys", &json!({"name": "ci", "scopes": ["AUDIT_VIEW"]})).await;
    assert_eq!(created.status(), 201);
    let key: Value = created.json().await.unwrap();
    let api_key = key["key"].as_str().unwrap().to_string();
    assert_eq!(app.get_as(&api_key, "/v1/audit-log").await.status(), 200);
    let failed = app
        .client
        .post(app.url("/v1/auth/login"))
        .json(&json!({"email": ADMIN_EMAIL, "password": "typo-in-the-password-xyz"}))
        .send()
        .await
        .unwrap();
    assert_eq!(failed.status(), 401);

    let secrets = [
        password.as_str(),
        ADMIN_PASSWORD,
        "typo-in-the-password-xyz",
        tokens["access_token"].as_str().unwrap(),
        tokens["refresh_token"].as_str().unwrap(),
        refreshed["refresh_token"].as_str().unwrap(),
        token.as_str(),
        api_key.as_str(),
    ];
    let logged = logs::captured();
    assert!(logged.contains("request answered"), "the logs were captured");
    let audit: Vec<String> = sqlx::query_scalar("select audit_log::text from audit_log")
        .fetch_all(&app.db.superuser().await)
        .await
        .unwrap();
    let audit = audit.join("\n");
    for secret in secrets {
        assert!(!logged.contains(secret), "a secret reached the logs");
        assert!(!audit.contains(secret), "a secret reached the audit log");
    }
}
