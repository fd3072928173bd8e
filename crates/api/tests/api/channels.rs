//! HTTP tests of /v1/channels: creating each kind, the webhook secret shown once, secrets sealed
//! at rest and never shown, validation, listing, changes, deletion, permissions and one audit row
//! per mutation. The SSRF guard at creation and at send time is in `ssrf`; key rotation in `keys`.

mod keys;
mod ssrf;

use crate::receivers::create_channel;
use platform::access::Role;
use serde_json::{Value, json};
use testapp::{ResponseExt, TestApp};

/// The stored secret columns of a channel: (ciphertext, nonce, key id).
async fn stored_secret(
    app: &TestApp,
    id: &str,
) -> (Option<Vec<u8>>, Option<Vec<u8>>, Option<String>) {
    sqlx::query_as(
        "select secret_ciphertext, secret_nonce, secret_key_id from channels where id = $1::uuid",
    )
    .bind(id)
    .fetch_one(&app.db.superuser().await)
    .await
    .unwrap()
}

/// The first field error of a 422 answer: (field, code, message).
async fn field_error(response: reqwest::Response) -> (String, String, String) {
    let problem = response.problem().await;
    assert_eq!((problem.status, problem.code.as_str()), (422, "VALIDATION_FAILED"));
    let error = problem.errors.into_iter().next().unwrap();
    (error.field, error.code, error.message)
}

#[tokio::test]
async fn a_webhook_channel_shows_its_signing_secret_once_and_stores_it_encrypted() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let body = json!({"name": "SOC hook", "kind": "webhook", "url": "http://127.0.0.1:9/hook",
                      "event_types": ["surface.port_opened"], "min_severity": "high"});
    let created = create_channel(&app, &admin.token, &body).await;
    let secret = created["secret"].as_str().unwrap().to_string();
    assert!(secret.starts_with("whsec_") && secret.len() == 38, "{secret}");
    assert_eq!(created["kind"], "webhook");
    assert_eq!(created["settings"], json!({"url": "http://127.0.0.1:9/hook"}));
    assert_eq!(created["event_types"], json!(["surface.port_opened"]));
    assert_eq!(created["min_severity"], "high");
    assert_eq!(created["enabled"], true);
    assert_eq!(created["secret_key_id"], "db-generated");

    let id = created["id"].as_str().unwrap();
    let shown = app.get_as(&admin.token, &format!("/v1/channels/{id}")).await.text().await.unwrap();
    let listed = app.get_as(&admin.token, "/v1/channels").await.text().await.unwrap();
    for text in [&shown, &listed] {
        assert!(text.contains(id) && !text.contains(&secret[6..]) && !text.contains("\"secret\""));
    }
    let (ciphertext, nonce, key_id) = stored_secret(&app, id).await;
    let ciphertext = ciphertext.unwrap();
    assert_eq!(nonce.unwrap().len(), 12);
    assert_eq!(key_id.as_deref(), Some("db-generated"));
    assert!(!ciphertext.windows(10).any(|w| secret.as_bytes().windows(10).any(|s| s == w)));

    let audits = app.audit_summaries("channel.create").await;
    assert_eq!(audits.len(), 1);
    assert_eq!(audits[0]["host"], "127.0.0.1");
    assert!(!audits[0].to_string().contains(&secret[6..]));
}

#[tokio::test]
async fn a_slack_url_is_kept_secret_and_only_its_host_is_shown() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let url = "http://localhost:9/services/T000/B000/xoxb-very-secret";
    let created =
        create_channel(&app, &admin.token, &json!({"name": "slack", "kind": "slack", "url": url}))
            .await;
    assert_eq!(created["settings"], json!({"host": "localhost"}));
    assert!(created.get("secret").is_none());
    let text = app.get_as(&admin.token, "/v1/channels").await.text().await.unwrap();
    assert!(!text.contains("xoxb-very-secret"));
    let (ciphertext, _, _) = stored_secret(&app, created["id"].as_str().unwrap()).await;
    assert!(!String::from_utf8_lossy(&ciphertext.unwrap()).contains("xoxb"));
    assert!(!app.audit_summaries("channel.create").await[0].to_string().contains("xoxb"));
}

#[tokio::test]
async fn an_email_channel_hides_its_password_and_needs_tls_unless_its_relay_is_allowlisted() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let body = json!({"name": "mail", "kind": "email", "smtp_host": "127.0.0.1", "smtp_port": 2525,
                      "tls": "none", "username": "bot", "password": "hunter2-smtp",
                      "from": "Palisade <bot@palisade.test>", "to": ["soc@palisade.test"]});
    let created = create_channel(&app, &admin.token, &body).await;
    let settings = &created["settings"];
    assert_eq!(
        (settings["smtp_port"].as_u64(), settings["tls"].as_str()),
        (Some(2525), Some("none"))
    );
    assert_eq!(settings["has_password"], true);
    assert!(!created.to_string().contains("hunter2-smtp"));

    // A public relay without TLS is refused; so is a password without a user name.
    let mut plain = body.clone();
    plain["name"] = json!("public");
    plain["smtp_host"] = json!("8.8.8.8");
    let (field, code, _) =
        field_error(app.post_as(&admin.token, "/v1/channels", &plain).await).await;
    assert_eq!((field.as_str(), code.as_str()), ("tls", "TLS_REQUIRED"));
    let mut anonymous = body.clone();
    anonymous["name"] = json!("anon");
    anonymous.as_object_mut().unwrap().remove("username");
    let (field, _, _) =
        field_error(app.post_as(&admin.token, "/v1/channels", &anonymous).await).await;
    assert_eq!(field, "password");
}

#[tokio::test]
async fn channel_input_is_validated_field_by_field() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let hook = |extra: Value| {
        let mut body = json!({"name": "x", "kind": "webhook", "url": "http://127.0.0.1:9/"});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let cases = [
        (json!({"kind": "webhook", "url": "http://127.0.0.1/"}), "name", "REQUIRED"),
        (hook(json!({"name": " "})), "name", "INVALID_NAME"),
        (hook(json!({"kind": "pager"})), "kind", "INVALID_KIND"),
        (hook(json!({"min_severity": "urgent"})), "min_severity", "INVALID_SEVERITY"),
        (hook(json!({"event_types": ["Surface.Port"]})), "event_types", "INVALID_EVENT_TYPE"),
        (hook(json!({"to": ["a@b.test"]})), "to", "NOT_APPLICABLE"),
        (json!({"name": "x", "kind": "webhook"}), "url", "REQUIRED"),
        (hook(json!({"url": "ftp://127.0.0.1/"})), "url", "INVALID_URL"),
        (hook(json!({"url": "http://user:pw@127.0.0.1/"})), "url", "INVALID_URL"),
        (
            json!({"name": "m", "kind": "email", "smtp_host": "127.0.0.1", "from": "bot@x.test", "to": []}),
            "to",
            "OUT_OF_RANGE",
        ),
        (
            json!({"name": "m", "kind": "email", "smtp_host": "127.0.0.1", "from": "not mail", "to": ["a@b.test"]}),
            "from",
            "INVALID_EMAIL",
        ),
        (
            json!({"name": "m", "kind": "email", "smtp_host": "127.0.0.1", "smtp_port": 70000, "from": "a@b.test", "to": ["a@b.test"]}),
            "smtp_port",
            "OUT_OF_RANGE",
        ),
    ];
    for (body, field, code) in cases {
        let (got_field, got_code, _) =
            field_error(app.post_as(&admin.token, "/v1/channels", &body).await).await;
        assert_eq!((got_field.as_str(), got_code.as_str()), (field, code), "{body}");
    }
    assert!(app.audit_summaries("channel.create").await.is_empty(), "nothing was created");
}

#[tokio::test]
async fn channels_are_listed_changed_and_deleted_with_one_audit_row_each() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let first = create_channel(
        &app,
        &admin.token,
        &json!({"name": "one", "kind": "webhook", "url": "http://127.0.0.1:9/1"}),
    )
    .await;
    let second = create_channel(
        &app,
        &admin.token,
        &json!({"name": "two", "kind": "webhook", "url": "http://127.0.0.1:9/2"}),
    )
    .await;
    let page: Value = app.get_as(&admin.token, "/v1/channels?limit=1").await.json().await.unwrap();
    assert_eq!(page["items"][0]["id"], second["id"], "newest first");
    let cursor = page["next_cursor"].as_str().unwrap();
    let rest: Value = app
        .get_as(&admin.token, &format!("/v1/channels?limit=1&cursor={cursor}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(rest["items"][0]["id"], first["id"]);
    assert!(rest["next_cursor"].is_null());
    assert_eq!(app.get_as(&admin.token, "/v1/channels?cursor=nope").await.status(), 400);

    let path = format!("/v1/channels/{}", first["id"].as_str().unwrap());
    let change = json!({"name": "renamed", "enabled": false, "min_severity": "critical", "url": "http://127.0.0.1:9/new"});
    let changed = app.send_as(reqwest::Method::PATCH, &admin.token, &path, &change).await;
    assert_eq!(changed.status(), 200);
    let changed: Value = changed.json().await.unwrap();
    assert_eq!(
        (changed["name"].as_str(), changed["enabled"].as_bool()),
        (Some("renamed"), Some(false))
    );
    assert_eq!(changed["settings"]["url"], "http://127.0.0.1:9/new");
    let immutable =
        app.send_as(reqwest::Method::PATCH, &admin.token, &path, &json!({"kind": "slack"})).await;
    assert_eq!(field_error(immutable).await.1, "IMMUTABLE");
    let taken =
        app.send_as(reqwest::Method::PATCH, &admin.token, &path, &json!({"name": "two"})).await;
    assert_eq!(taken.status(), 409);
    assert_eq!(taken.json::<Value>().await.unwrap()["code"], "CONFLICT");

    assert_eq!(
        app.send_as(reqwest::Method::DELETE, &admin.token, &path, &json!({})).await.status(),
        204
    );
    assert_eq!(app.get_as(&admin.token, &path).await.status(), 404);
    assert_eq!(app.get_as(&admin.token, "/v1/channels/not-a-uuid").await.status(), 404);
    assert_eq!(app.audit_summaries("channel.create").await.len(), 2);
    assert_eq!(app.audit_summaries("channel.update").await.len(), 1);
    assert_eq!(app.audit_summaries("channel.delete").await.len(), 1);
}

#[tokio::test]
async fn a_channel_name_is_unique_in_its_tenant_only() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.admin_of("acme").await, app.admin_of("umbrella").await);
    let body = json!({"name": "hook", "kind": "webhook", "url": "http://127.0.0.1:9/"});
    create_channel(&app, &a.token, &body).await;
    let again = app.post_as(&a.token, "/v1/channels", &body).await;
    assert_eq!(again.status(), 409);
    create_channel(&app, &b.token, &body).await;
    let listed: Value = app.get_as(&b.token, "/v1/channels").await.json().await.unwrap();
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "B sees only its own channel");
}

#[tokio::test]
async fn managing_channels_needs_channels_manage_and_a_credential() {
    let app = TestApp::spawn().await;
    let tenant = app.tenant("acme").await;
    let analyst = app.member(tenant, "l1@acme.test", Role::SOC_ANALYST_L1).await;
    let body = json!({"name": "hook", "kind": "webhook", "url": "http://127.0.0.1:9/"});
    let refused = app.post_as(&analyst.token, "/v1/channels", &body).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>().await.unwrap()["code"], "FORBIDDEN");
    assert_eq!(app.get_as(&analyst.token, "/v1/channels").await.status(), 403);
    assert_eq!(app.get("/v1/channels").await.status(), 401);
}
