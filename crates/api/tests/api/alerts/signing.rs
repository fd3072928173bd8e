//! Ingest sources that authenticate with their own credential: a token, a Standard Webhooks
//! signature, or `X-Signature-256`, verified over the exact bytes before parsing; replays,
//! tampering, disabled and rotated sources refused.

use super::{Soc, own_alert};
use alerts::ingest::signature::{signature_256, standard_webhooks_signature};
use serde_json::{Value, json};
use testapp::ResponseExt;

async fn source(soc: &Soc, kind: &str, auth: &str) -> (String, String) {
    let created: Value = soc
        .post(
            "/v1/alert-sources",
            &json!({"name": format!("{kind}-{auth}"), "kind": kind, "auth": auth}),
        )
        .await
        .expect_json(201)
        .await;
    (created["id"].as_str().unwrap().to_string(), created["secret"].as_str().unwrap().to_string())
}

fn now() -> i64 {
    chrono::Utc::now().timestamp()
}

fn push(soc: &Soc, path: &str, id: &str, body: &str) -> reqwest::RequestBuilder {
    soc.app
        .client
        .post(soc.app.url(path))
        .header("content-type", "application/json")
        .header("x-palisade-source", id)
        .body(body.to_string())
}

#[tokio::test]
async fn a_token_source_pushes_without_an_api_key_and_a_wrong_token_is_refused() {
    let soc = Soc::start().await;
    let (id, token) = source(&soc, "palisade", "token").await;
    assert!(token.starts_with("pit_"));
    let body = own_alert("Token push", "low", "h").to_string();
    let report: Value = push(&soc, "/v1/alerts/ingest", &id, &body)
        .header("x-palisade-token", &token)
        .send()
        .await
        .unwrap()
        .expect_json(200)
        .await;
    assert_eq!(report["accepted"][0]["outcome"], "created");
    // Senders that cannot set headers pass both in the query.
    let url = soc.app.url(&format!("/v1/alerts/ingest?source={id}&token={token}"));
    let response = soc
        .app
        .client
        .post(url)
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    for wrong in ["pit_wrong", ""] {
        let problem = push(&soc, "/v1/alerts/ingest", &id, &body)
            .header("x-palisade-token", wrong)
            .send()
            .await
            .unwrap()
            .problem()
            .await;
        assert_eq!((problem.status, problem.code.as_str()), (401, "UNAUTHENTICATED"));
    }
    let unknown = push(&soc, "/v1/alerts/ingest", &uuid::Uuid::now_v7().to_string(), &body)
        .header("x-palisade-token", &token)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 401);
    // The push is audited as the system on the source's behalf; the token appears nowhere.
    let audit = soc.app.audit_summaries("alerts.ingest").await;
    assert_eq!(audit[0]["source"]["id"], id.as_str());
    let listed = soc.get("/v1/alert-sources").await.to_string();
    assert!(!listed.contains(&token) && !listed.contains("secret"));
    assert_eq!(soc.count("alerts").await, 1);
}

#[tokio::test]
async fn a_standard_webhooks_signature_is_checked_before_parsing_and_replays_are_refused() {
    let soc = Soc::start().await;
    let (id, secret) = source(&soc, "wazuh", "standard_webhooks").await;
    assert!(secret.starts_with("whsec_"));
    let body = super::fixture("wazuh-4x-rdp-bruteforce.json").to_string();
    let signed =
        |body: &str, at: i64| standard_webhooks_signature(&secret, "msg_2Kx1", at, body.as_bytes());
    let send = |body: String, signature: String, at: i64| {
        push(&soc, "/v1/alerts/ingest/wazuh", &id, &body)
            .header("webhook-id", "msg_2Kx1")
            .header("webhook-timestamp", at.to_string())
            .header("webhook-signature", signature)
            .send()
    };
    let at = now();
    let report: Value =
        send(body.clone(), signed(&body, at), at).await.unwrap().expect_json(200).await;
    assert_eq!(report["accepted"][0]["outcome"], "created");
    // One changed byte, or a body that is not even JSON: the signature fails first.
    let tampered = body.replacen("SRV-RDS-02", "SRV-RDS-03", 1);
    let problem = send(tampered, signed(&body, at), at).await.unwrap().problem().await;
    assert_eq!((problem.status, problem.code.as_str()), (401, "INVALID_SIGNATURE"));
    let problem = send("{not json".into(), signed(&body, at), at).await.unwrap().problem().await;
    assert_eq!(problem.code, "INVALID_SIGNATURE");
    // Correctly signed, but six minutes old (or in the future): a replay.
    for skew in [-360, 360] {
        let then = at + skew;
        let problem = send(body.clone(), signed(&body, then), then).await.unwrap().problem().await;
        assert_eq!((problem.status, problem.code.as_str()), (401, "REPLAYED_REQUEST"));
    }
    let unsigned =
        push(&soc, "/v1/alerts/ingest/wazuh", &id, &body).send().await.unwrap().problem().await;
    assert_eq!(unsigned.code, "UNAUTHENTICATED");
    // The source pushes Wazuh alerts: another route is refused.
    let elsewhere = push(&soc, "/v1/alerts/ingest/elastic", &id, &body)
        .header("webhook-id", "msg_2Kx1")
        .header("webhook-timestamp", at.to_string())
        .header("webhook-signature", signed(&body, at))
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), 409);
    assert_eq!(soc.count("alerts").await, 1);
}

#[tokio::test]
async fn an_x_signature_256_source_signs_timestamp_and_body() {
    let soc = Soc::start().await;
    let (id, secret) = source(&soc, "splunk", "signature_256").await;
    let body = super::fixture("splunk-es-dns-exfil.json").to_string();
    let at = now();
    let send = |signature: String, at: i64| {
        push(&soc, "/v1/alerts/ingest/splunk", &id, &body)
            .header("x-signature-256", signature)
            .header("x-signature-timestamp", at.to_string())
            .send()
    };
    assert_eq!(send(signature_256(&secret, at, body.as_bytes()), at).await.unwrap().status(), 200);
    let wrong_key = send(signature_256("another-secret", at, body.as_bytes()), at).await.unwrap();
    assert_eq!(wrong_key.problem().await.code, "INVALID_SIGNATURE");
    let old = at - 600;
    let replay = send(signature_256(&secret, old, body.as_bytes()), old).await.unwrap();
    assert_eq!(replay.problem().await.code, "REPLAYED_REQUEST");
}

#[tokio::test]
async fn a_disabled_or_rotated_source_is_refused_with_its_old_credential() {
    let soc = Soc::start().await;
    let (id, token) = source(&soc, "palisade", "token").await;
    let body = own_alert("x", "low", "h").to_string();
    let with = |token: &str| {
        push(&soc, "/v1/alerts/ingest", &id, &body)
            .header("x-palisade-token", token.to_string())
            .send()
    };
    let disabled = soc
        .app
        .send_as(
            reqwest::Method::PATCH,
            &soc.admin.token,
            &format!("/v1/alert-sources/{id}"),
            &json!({"enabled": false}),
        )
        .await;
    assert_eq!(disabled.status(), 200);
    assert_eq!(with(&token).await.unwrap().status(), 401);
    soc.app
        .send_as(
            reqwest::Method::PATCH,
            &soc.admin.token,
            &format!("/v1/alert-sources/{id}"),
            &json!({"enabled": true}),
        )
        .await;
    let rotated: Value = soc
        .post(&format!("/v1/alert-sources/{id}/rotate"), &json!({}))
        .await
        .expect_json(200)
        .await;
    let new_token = rotated["secret"].as_str().unwrap();
    assert_ne!(new_token, token);
    assert_eq!(with(&token).await.unwrap().status(), 401);
    assert_eq!(with(new_token).await.unwrap().status(), 200);
    let deleted = soc
        .app
        .send_as(
            reqwest::Method::DELETE,
            &soc.admin.token,
            &format!("/v1/alert-sources/{id}"),
            &json!({}),
        )
        .await;
    assert_eq!(deleted.status(), 204);
    assert_eq!(with(new_token).await.unwrap().status(), 401);
    let immutable = soc
        .post("/v1/alert-sources", &json!({"name": "bad", "kind": "qradar"}))
        .await
        .problem()
        .await;
    assert_eq!(immutable.errors[0].code, "INVALID_KIND");
}

#[tokio::test]
async fn guessed_source_credentials_spend_the_clients_budget_of_invalid_credentials() {
    let app = testapp::TestApp::spawn_with(|s| {
        s.limits = edge::rate_limit::RateLimits {
            failed_credentials_per_ip: edge::rate_limit::Rate::new(4, 60, 4),
            ..edge::rate_limit::RateLimits::unlimited()
        };
    })
    .await;
    let soc = Soc::in_app(app, "soc").await;
    let (id, token) = source(&soc, "palisade", "token").await;
    let (signed, _) = source(&soc, "palisade", "standard_webhooks").await;
    let body = own_alert("Guessed", "low", "h").to_string();
    let status = |response: reqwest::Response| response.status().as_u16();
    // A wrong token, a malformed source id, a bad signature and a stale timestamp each spend one.
    let wrong_token =
        push(&soc, "/v1/alerts/ingest", &id, &body).header("x-palisade-token", "pit_x");
    assert_eq!(status(wrong_token.send().await.unwrap()), 401);
    let malformed = push(&soc, "/v1/alerts/ingest", "not-an-id", &body);
    assert_eq!(status(malformed.send().await.unwrap()), 401);
    let bad_signature = push(&soc, "/v1/alerts/ingest", &signed, &body)
        .header("webhook-id", "msg_1")
        .header("webhook-timestamp", now().to_string())
        .header("webhook-signature", "v1,AAAA");
    assert_eq!(status(bad_signature.send().await.unwrap()), 401);
    let stale = push(&soc, "/v1/alerts/ingest", &signed, &body)
        .header("webhook-id", "msg_2")
        .header("webhook-timestamp", "0")
        .header("webhook-signature", "v1,AAAA");
    assert_eq!(status(stale.send().await.unwrap()), 401);
    // Spent: even the right token is no longer checked from this address, and nothing is stored.
    let refused = push(&soc, "/v1/alerts/ingest", &id, &body)
        .header("x-palisade-token", &token)
        .send()
        .await
        .unwrap()
        .problem()
        .await;
    assert_eq!((refused.status, refused.code.as_str()), (429, "RATE_LIMITED"));
    let listed: Value = soc.app.get_as(&soc.admin.token, "/v1/alerts").await.expect_json(200).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 0);
    // The source itself still pushes from another address.
    let colleague = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let pushed = colleague
        .post(soc.app.url("/v1/alerts/ingest"))
        .header("content-type", "application/json")
        .header("x-palisade-source", &id)
        .header("x-palisade-token", &token)
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(pushed.status(), 200);
}
