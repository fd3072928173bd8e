//! HTTP tests of /v1/auth: login, refresh rotation and replay, logout, /me, switch-tenant,
//! registration, refused tokens, throttling, and X-Tenant-Id.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use platform::access::Role;
use reqwest::Method;
use serde_json::{Value, json};
use sha2::Sha256;
use testapp::{ADMIN_EMAIL, ADMIN_PASSWORD, TestApp, access_token};

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.client
        .post(app.url("/v1/auth/refresh"))
        .json(&json!({ "refresh_token": token }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn login_returns_a_bearer_token_pair_and_me_describes_the_session() {
    let app = TestApp::spawn().await;
    let tokens = app.tokens(ADMIN_EMAIL, ADMIN_PASSWORD, None).await;
    assert_eq!((tokens.token_type.as_str(), tokens.expires_in), ("Bearer", 900));
    assert!(tokens.refresh_token.starts_with("prt_"));

    let me: Value = app.get_as(&tokens.access_token, "/v1/auth/me").await.json().await.unwrap();
    assert_eq!(me["user"]["email"], ADMIN_EMAIL);
    assert_eq!(me["tenant"]["slug"], "default");
    assert_eq!(me["role"], "GLOBAL_ADMIN");
    assert!(me["permissions"].as_array().unwrap().iter().any(|p| p == "TENANTS_MANAGE"));
    assert!(app.audit_actions().await.contains(&"session.login".to_string()));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_email_are_refused_alike() {
    let app = TestApp::spawn().await;
    let mut bodies = Vec::new();
    for (email, password) in
        [(ADMIN_EMAIL, "wrong-password-entirely"), ("nobody@palisade.test", ADMIN_PASSWORD)]
    {
        let response = app
            .client
            .post(app.url("/v1/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 401);
        let mut body: Value = response.json().await.unwrap();
        body.as_object_mut().unwrap().remove("request_id");
        bodies.push(body);
    }
    assert_eq!(bodies[0], bodies[1]);
    assert_eq!(bodies[0]["code"], "INVALID_CREDENTIALS");
}

#[tokio::test]
async fn refresh_rotates_and_a_replayed_token_revokes_the_whole_family() {
    let app = TestApp::spawn().await;
    let first = app.login(ADMIN_EMAIL, ADMIN_PASSWORD, None).await;
    let first_refresh = first["refresh_token"].as_str().unwrap();

    let second: Value = refresh(&app, first_refresh).await.json().await.unwrap();
    let second_refresh = second["refresh_token"].as_str().unwrap();
    assert_ne!(second_refresh, first_refresh);
    assert_eq!(app.get_as(&access_token(&second), "/v1/auth/me").await.status(), 200);

    // The spent token is presented again: someone copied it. The family dies.
    let replay = refresh(&app, first_refresh).await;
    assert_eq!(replay.status(), 401);
    assert_eq!(replay.json::<Value>().await.unwrap()["code"], "INVALID_REFRESH_TOKEN");
    assert_eq!(
        refresh(&app, second_refresh).await.status(),
        401,
        "the newest token of the family is revoked too"
    );
    assert!(app.audit_actions().await.contains(&"session.refresh_reuse".to_string()));
}

#[tokio::test]
async fn logout_denies_the_access_token_and_revokes_its_refresh_family() {
    let app = TestApp::spawn().await;
    let tokens = app.login(ADMIN_EMAIL, ADMIN_PASSWORD, None).await;
    let token = access_token(&tokens);
    let out = app.client.post(app.url("/v1/auth/logout")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(out.status(), 204);
    assert_eq!(app.get_as(&token, "/v1/auth/me").await.status(), 401);
    assert_eq!(refresh(&app, tokens["refresh_token"].as_str().unwrap()).await.status(), 401);
}

#[tokio::test]
async fn a_user_of_two_tenants_switches_between_them() {
    let app = TestApp::spawn().await;
    let (acme, globex) = (app.tenant("acme").await, app.tenant("globex").await);
    let member = app.member(acme, "dana@acme.test", Role::SOC_ANALYST_L2).await;
    let mut tx = app.db.app.tenant_tx(globex).await.unwrap();
    sqlx::query("insert into memberships (tenant_id, user_id, role) values ($1, $2, $3)")
        .bind(globex)
        .bind(member.user)
        .bind(Role::AUDITOR_READONLY.as_str())
        .execute(&mut *tx)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let switched =
        app.post_as(&member.token, "/v1/auth/switch-tenant", &json!({"tenant": "globex"})).await;
    assert_eq!(switched.status(), 200);
    let me: Value = app
        .get_as(&access_token(&switched.json().await.unwrap()), "/v1/auth/me")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (me["tenant"]["slug"].as_str(), me["role"].as_str()),
        (Some("globex"), Some("AUDITOR_READONLY"))
    );

    let elsewhere =
        app.post_as(&member.token, "/v1/auth/switch-tenant", &json!({"tenant": "default"})).await;
    assert_eq!(elsewhere.status(), 404, "not a tenant of this user");
}

/// Signs `claims` as an access token would be, with the installation's key (unwrapped with its
/// master key, as only the server can).
async fn forge(app: &TestApp, header: Value, claims: Value) -> String {
    let key = app.services.secrets.load("jwt_signing_key").await.unwrap().unwrap();
    let key = key.expose();
    let signing_input = format!(
        "{}.{}",
        URL_SAFE_NO_PAD.encode(header.to_string()),
        URL_SAFE_NO_PAD.encode(claims.to_string())
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(signing_input.as_bytes());
    format!("{signing_input}.{}", URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes()))
}

#[tokio::test]
async fn expired_tampered_wrong_audience_wrong_type_and_unsigned_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let me: Value = app.get_as(&token, "/v1/auth/me").await.json().await.unwrap();
    let now = chrono::Utc::now().timestamp();
    // A forger holding the key still needs a live session: take the real token's.
    let payload = token.split('.').nth(1).unwrap();
    let real: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
    let claims = |aud: &str, typ: &str, exp: i64| {
        json!({"iss": "palisade", "aud": aud, "sub": me["user"]["id"], "tid": me["tenant"]["id"],
               "jti": uuid::Uuid::new_v4(), "sid": real["sid"], "typ": typ, "iat": now - 10, "exp": exp,
               "role": "GLOBAL_ADMIN"})
    };
    let hs256 = json!({"alg": "HS256", "typ": "JWT"});
    let valid = forge(&app, hs256.clone(), claims("palisade-api", "access", now + 600)).await;
    assert_eq!(
        app.get_as(&valid, "/v1/auth/me").await.status(),
        200,
        "the forging helper itself is right"
    );

    let expired = forge(&app, hs256.clone(), claims("palisade-api", "access", now - 1)).await;
    let response = app.get_as(&expired, "/v1/auth/me").await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "TOKEN_EXPIRED");

    let wrong_audience =
        forge(&app, hs256.clone(), claims("someone-else", "access", now + 600)).await;
    let wrong_type = forge(&app, hs256.clone(), claims("palisade-api", "refresh", now + 600)).await;
    let hs512 = forge(
        &app,
        json!({"alg": "HS512", "typ": "JWT"}),
        claims("palisade-api", "access", now + 600),
    )
    .await;
    let (head, rest) = token.split_once('.').unwrap();
    let (_, signature) = rest.split_once('.').unwrap();
    let tampered_payload =
        URL_SAFE_NO_PAD.encode(claims("palisade-api", "access", now + 86_400).to_string());
    let tampered = format!("{head}.{tampered_payload}.{signature}");
    let none_alg = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(json!({"alg": "none"}).to_string()),
        URL_SAFE_NO_PAD.encode(claims("palisade-api", "access", now + 600).to_string())
    );
    for (name, bad) in [
        ("wrong audience", wrong_audience),
        ("wrong type", wrong_type),
        ("HS512", hs512),
        ("tampered", tampered),
        ("alg none", none_alg),
        ("garbage", "not.a.token".into()),
    ] {
        let response = app.get_as(&bad, "/v1/auth/me").await;
        assert_eq!(response.status(), 401, "{name}");
        assert_eq!(response.json::<Value>().await.unwrap()["code"], "UNAUTHENTICATED", "{name}");
    }
}

#[tokio::test]
async fn registration_answers_the_same_for_new_and_taken_emails_when_enabled() {
    let app = TestApp::spawn_with(|config| config.identity.registration_enabled = true).await;
    let register = |email: &'static str| {
        app.client
            .post(app.url("/v1/auth/register"))
            .json(&json!({"email": email, "password": "a-perfectly-fine-passphrase"}))
            .send()
    };
    let new = register("newcomer@palisade.test").await.unwrap();
    let taken = register(ADMIN_EMAIL).await.unwrap();
    assert_eq!(
        (new.status(), taken.status()),
        (reqwest::StatusCode::ACCEPTED, reqwest::StatusCode::ACCEPTED)
    );
    assert_eq!(new.json::<Value>().await.unwrap(), taken.json::<Value>().await.unwrap());
    let users: i64 =
        sqlx::query_scalar("select count(*) from users where email = 'newcomer@palisade.test'")
            .fetch_one(&app.db.superuser().await)
            .await
            .unwrap();
    assert_eq!(users, 1);

    let weak = app
        .client
        .post(app.url("/v1/auth/register"))
        .json(&json!({"email": "weak@palisade.test", "password": "short"}))
        .send()
        .await
        .unwrap();
    assert_eq!(weak.status(), 422);
    assert_eq!(weak.json::<Value>().await.unwrap()["errors"][0]["field"], "password");
}

#[tokio::test]
async fn registration_is_refused_when_disabled() {
    let app = TestApp::spawn().await;
    let response = app
        .client
        .post(app.url("/v1/auth/register"))
        .json(&json!({"email": "x@palisade.test", "password": "a-perfectly-fine-passphrase"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 403);
    assert_eq!(response.json::<Value>().await.unwrap()["code"], "REGISTRATION_DISABLED");
}

#[tokio::test]
async fn a_login_flood_is_throttled_with_retry_after() {
    let app =
        TestApp::spawn_with(|config| config.limits = edge::rate_limit::RateLimits::default()).await;
    let mut statuses = Vec::new();
    for _ in 0..15 {
        let response = app
            .client
            .post(app.url("/v1/auth/login"))
            .json(&json!({"email": ADMIN_EMAIL, "password": "not-the-password-at-all"}))
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        if status == 429 {
            assert!(
                response.headers()["retry-after"].to_str().unwrap().parse::<u64>().unwrap() >= 1
            );
            assert_eq!(response.json::<Value>().await.unwrap()["code"], "RATE_LIMITED");
        }
        statuses.push(status);
    }
    assert!(statuses.contains(&401) && statuses.contains(&429), "{statuses:?}");
}

#[tokio::test]
async fn a_blocked_user_and_a_suspended_tenant_cannot_log_in_or_use_their_tokens() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let member = app.member(acme, "erin@acme.test", Role::SOC_ANALYST_L1).await;
    let superuser = app.db.superuser().await;

    sqlx::query("update users set status = 'blocked' where id = $1")
        .bind(member.user)
        .execute(&superuser)
        .await
        .unwrap();
    let login = app
        .client
        .post(app.url("/v1/auth/login"))
        .json(&json!({"email": member.email, "password": member.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 401);
    sqlx::query("update users set status = 'active' where id = $1")
        .bind(member.user)
        .execute(&superuser)
        .await
        .unwrap();

    sqlx::query("update tenants set status = 'suspended' where id = $1")
        .bind(acme)
        .execute(&superuser)
        .await
        .unwrap();
    let login = app
        .client
        .post(app.url("/v1/auth/login"))
        .json(&json!({"email": member.email, "password": member.password}))
        .send()
        .await
        .unwrap();
    assert_eq!(login.status(), 401);
    assert_eq!(login.json::<Value>().await.unwrap()["code"], "INVALID_CREDENTIALS");
    // Authentication caches facts for at most 5 seconds when a change bypasses Palisade.
    tokio::time::sleep(std::time::Duration::from_secs(6)).await;
    assert_eq!(app.get_as(&member.token, "/v1/auth/me").await.status(), 401);
}

#[tokio::test]
async fn x_tenant_id_lets_only_a_global_admin_act_in_another_tenant_and_is_audited_with_both() {
    let app = TestApp::spawn().await;
    let acme = app.tenant("acme").await;
    let analyst = app.member(acme, "fay@acme.test", Role::TENANT_ADMIN).await;
    let default_tenant: Value =
        app.get_as(&app.admin_token().await, "/v1/auth/me").await.json().await.unwrap();

    let refused = app
        .client
        .get(app.url("/v1/auth/me"))
        .bearer_auth(&analyst.token)
        .header("x-tenant-id", default_tenant["tenant"]["id"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 403);

    let admin = app.admin_token().await;
    let acting = app
        .client
        .get(app.url("/v1/auth/me"))
        .bearer_auth(&admin)
        .header("x-tenant-id", acme.to_string())
        .send()
        .await
        .unwrap();
    let me: Value = acting.json().await.unwrap();
    assert_eq!(me["tenant"]["slug"], "acme");
    assert_eq!(me["acting_from_tenant_id"], default_tenant["tenant"]["id"]);

    let logout = app
        .client
        .request(Method::POST, app.url("/v1/auth/logout"))
        .bearer_auth(&admin)
        .header("x-tenant-id", acme.to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(logout.status(), 204);
    let summary: Value = sqlx::query_scalar(
        "select summary from audit_log where tenant_id = $1 and action = 'session.logout'",
    )
    .bind(acme)
    .fetch_one(&app.db.superuser().await)
    .await
    .unwrap();
    assert_eq!(summary["acting_admin"]["home_tenant_id"], default_tenant["tenant"]["id"]);
}
