//! Cross-tenant isolation at the HTTP edge: for every route that takes an object id, a principal
//! of tenant B asking for tenant A's object gets 404 — not 403, not 200. The table is checked
//! against the router: a new route with an id fails here until it joins the table.

use crate::access::operations;
use crate::receivers::{SmtpReceiver, mail_through};
use platform::access::Role;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use testapp::{Member, TestApp};

/// How each id-taking route is exercised: the object of tenant A it is asked about, and the
/// body sent (if any).
#[derive(Clone, Copy, Debug)]
enum Object {
    /// A user of tenant A (through their membership there).
    UserOfA,
    /// An API key of tenant A.
    ApiKeyOfA,
    /// A notification channel of tenant A.
    ChannelOfA,
    /// A delivery of tenant A (of its channel's test event).
    DeliveryOfA,
    /// A pending invitation of tenant A.
    InvitationOfA,
    /// A diffscan scan of tenant A (and its findings, artifact, views and raw diff).
    ScanOfA,
    /// A diffscan policy of tenant A.
    PolicyOfA,
    /// A diffscan exception of tenant A.
    ExceptionOfA,
    /// A diffscan baseline of tenant A.
    BaselineOfA,
    /// A diffscan rule pack of tenant A.
    RulePackOfA,
    /// A GitHub installation of tenant A.
    InstallationOfA,
    /// A GitHub repository of tenant A's installation.
    RepositoryOfA,
    /// A GitHub webhook delivery of tenant A.
    WebhookDeliveryOfA,
    /// Tenant A's installation's webhook, called by B's member: public, so the answer is 401
    /// (B cannot sign with A's secret), and nothing is recorded.
    WebhookOfA,
    /// Not tenant-owned: tenants are global rows only global administrators reach
    /// (`TENANTS_MANAGE`); a tenant administrator of B is refused with 403 before any lookup.
    GlobalTenant,
}

const TABLE: &[(&str, &str, Object, Option<&str>)] = &[
    ("GET", "/v1/users/{id}", Object::UserOfA, None),
    ("PATCH", "/v1/users/{id}", Object::UserOfA, Some(r#"{"role": "SOC_ANALYST_L1"}"#)),
    ("DELETE", "/v1/users/{id}", Object::UserOfA, None),
    ("POST", "/v1/users/{id}/block", Object::UserOfA, None),
    ("POST", "/v1/users/{id}/restore", Object::UserOfA, None),
    ("DELETE", "/v1/api-keys/{id}", Object::ApiKeyOfA, None),
    ("GET", "/v1/channels/{id}", Object::ChannelOfA, None),
    ("PATCH", "/v1/channels/{id}", Object::ChannelOfA, Some(r#"{"name": "Stolen"}"#)),
    ("DELETE", "/v1/channels/{id}", Object::ChannelOfA, None),
    ("POST", "/v1/channels/{id}/test", Object::ChannelOfA, None),
    ("POST", "/v1/deliveries/{id}/retry", Object::DeliveryOfA, None),
    ("DELETE", "/v1/invitations/{id}", Object::InvitationOfA, None),
    ("GET", "/v1/diffscans/{id}", Object::ScanOfA, None),
    ("GET", "/v1/diffscans/{id}/findings", Object::ScanOfA, None),
    ("GET", "/v1/diffscans/{id}/artifact", Object::ScanOfA, None),
    ("GET", "/v1/diffscans/{id}/report.html", Object::ScanOfA, None),
    ("GET", "/v1/diffscans/{id}/report.sarif", Object::ScanOfA, None),
    ("GET", "/v1/diffscans/{id}/diff", Object::ScanOfA, None),
    ("DELETE", "/v1/diffscans/{id}/diff", Object::ScanOfA, None),
    ("GET", "/v1/diffscan/policies/{id}", Object::PolicyOfA, None),
    ("PATCH", "/v1/diffscan/policies/{id}", Object::PolicyOfA, Some(r#"{"name": "Stolen"}"#)),
    ("DELETE", "/v1/diffscan/policies/{id}", Object::PolicyOfA, None),
    ("GET", "/v1/diffscan/exceptions/{id}", Object::ExceptionOfA, None),
    (
        "PATCH",
        "/v1/diffscan/exceptions/{id}",
        Object::ExceptionOfA,
        Some(r#"{"reason": "stolen by tenant b"}"#),
    ),
    ("DELETE", "/v1/diffscan/exceptions/{id}", Object::ExceptionOfA, None),
    ("GET", "/v1/diffscan/baselines/{id}", Object::BaselineOfA, None),
    ("GET", "/v1/diffscan/baselines/{id}/entries", Object::BaselineOfA, None),
    ("PATCH", "/v1/diffscan/baselines/{id}", Object::BaselineOfA, Some(r#"{"name": "Stolen"}"#)),
    ("DELETE", "/v1/diffscan/baselines/{id}", Object::BaselineOfA, None),
    ("GET", "/v1/diffscan/rule-packs/{id}", Object::RulePackOfA, None),
    ("PATCH", "/v1/diffscan/rule-packs/{id}", Object::RulePackOfA, Some(r#"{"enabled": false}"#)),
    ("DELETE", "/v1/diffscan/rule-packs/{id}", Object::RulePackOfA, None),
    ("GET", "/v1/diffscan/github/installations/{id}", Object::InstallationOfA, None),
    (
        "PATCH",
        "/v1/diffscan/github/installations/{id}",
        Object::InstallationOfA,
        Some(r#"{"name": "Stolen"}"#),
    ),
    ("DELETE", "/v1/diffscan/github/installations/{id}", Object::InstallationOfA, None),
    ("GET", "/v1/diffscan/github/installations/{id}/repositories", Object::InstallationOfA, None),
    (
        "POST",
        "/v1/diffscan/github/installations/{id}/repositories",
        Object::InstallationOfA,
        Some(r#"{"full_name": "evil/repo"}"#),
    ),
    ("GET", "/v1/diffscan/github/repositories/{id}", Object::RepositoryOfA, None),
    (
        "PATCH",
        "/v1/diffscan/github/repositories/{id}",
        Object::RepositoryOfA,
        Some(r#"{"enabled": false}"#),
    ),
    ("DELETE", "/v1/diffscan/github/repositories/{id}", Object::RepositoryOfA, None),
    ("GET", "/v1/diffscan/github/deliveries/{id}", Object::WebhookDeliveryOfA, None),
    ("POST", "/v1/diffscan/github/deliveries/{id}/replay", Object::WebhookDeliveryOfA, None),
    (
        "POST",
        "/v1/diffscan/github/webhook/{id}",
        Object::WebhookOfA,
        Some(r#"{"action": "opened"}"#),
    ),
    ("GET", "/v1/tenants/{id}", Object::GlobalTenant, None),
    ("PATCH", "/v1/tenants/{id}", Object::GlobalTenant, Some(r#"{"name": "Stolen"}"#)),
    ("POST", "/v1/tenants/{id}/suspend", Object::GlobalTenant, None),
    ("POST", "/v1/tenants/{id}/restore", Object::GlobalTenant, None),
];

#[test]
fn every_route_with_an_id_is_in_the_isolation_table() {
    let routed: BTreeSet<(String, String)> = operations()
        .into_iter()
        .filter(|(_, path, _)| path.contains('{'))
        .map(|(method, path, _)| (method, path))
        .collect();
    let tabled: BTreeSet<(String, String)> =
        TABLE.iter().map(|(method, path, _, _)| (method.to_string(), path.to_string())).collect();
    assert_eq!(routed, tabled, "add new id-taking routes to TABLE (and remove gone ones)");
}

#[tokio::test]
async fn tenant_b_asking_for_tenant_as_objects_gets_404_everywhere() {
    let smtp = SmtpReceiver::start().await;
    let app = TestApp::spawn_with(|settings| mail_through(&smtp, settings)).await;
    let (a, b) = (app.tenant("tenant-a").await, app.tenant("tenant-b").await);
    let owner_a = app.member(a, "owner@a.test", Role::TENANT_ADMIN).await;
    let victim = app.member(a, "victim@a.test", Role::SOC_ANALYST_L1).await;
    let intruder: Member = app.member(b, "intruder@b.test", Role::TENANT_ADMIN).await;
    let key: Value = app
        .post_as(
            &owner_a.token,
            "/v1/api-keys",
            &json!({"name": "a-key", "scopes": ["AUDIT_VIEW"]}),
        )
        .await
        .json()
        .await
        .unwrap();
    let channel: Value = app
        .post_as(
            &owner_a.token,
            "/v1/channels",
            &json!({"name": "a-hook", "kind": "webhook", "url": "http://127.0.0.1:9/"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let channel_id = channel["id"].as_str().unwrap().to_string();
    let invitation: Value = app
        .post_as(
            &owner_a.token,
            "/v1/invitations",
            &json!({"email": "newcomer@a.test", "role": "SOC_ANALYST_L1"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let test: Value = app
        .post_as(&owner_a.token, &format!("/v1/channels/{channel_id}/test"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    // Dead, so that tenant A itself could retry it: B must still get 404, not 202.
    sqlx::query("update deliveries set status = 'dead' where id = $1::uuid")
        .bind(test["delivery_id"].as_str().unwrap())
        .execute(&app.db.superuser().await)
        .await
        .unwrap();

    let diffscan = diffscan_objects_of(&app, &owner_a.token).await;
    for (method, path, object, body) in TABLE {
        let (id, expected) = match object {
            Object::UserOfA => (victim.user.to_string(), 404),
            Object::ApiKeyOfA => (key["id"].as_str().unwrap().to_string(), 404),
            Object::ChannelOfA => (channel_id.clone(), 404),
            Object::DeliveryOfA => (test["delivery_id"].as_str().unwrap().to_string(), 404),
            Object::InvitationOfA => (invitation["id"].as_str().unwrap().to_string(), 404),
            Object::ScanOfA => (diffscan.scan.clone(), 404),
            Object::PolicyOfA => (diffscan.policy.clone(), 404),
            Object::ExceptionOfA => (diffscan.exception.clone(), 404),
            Object::BaselineOfA => (diffscan.baseline.clone(), 404),
            Object::RulePackOfA => (diffscan.rule_pack.clone(), 404),
            Object::InstallationOfA => (diffscan.installation.clone(), 404),
            Object::RepositoryOfA => (diffscan.repository.clone(), 404),
            Object::WebhookDeliveryOfA => (diffscan.delivery.clone(), 404),
            Object::WebhookOfA => (diffscan.installation.clone(), 401),
            Object::GlobalTenant => (a.to_string(), 403),
        };
        let url = app.url(&path.replace("{id}", &id));
        let mut request =
            app.client.request(method.parse().unwrap(), url).bearer_auth(&intruder.token);
        if let Some(body) = body {
            request = request.json(&serde_json::from_str::<Value>(body).unwrap());
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status().as_u16(), expected, "{method} {path}");
    }
    // Nothing of tenant A changed: the victim still works and the key still authenticates.
    assert_eq!(app.get_as(&victim.token, "/v1/auth/me").await.status(), 200);
    assert_eq!(app.get_as(key["key"].as_str().unwrap(), "/v1/audit-log").await.status(), 200);
    let kept: Value = app
        .get_as(&owner_a.token, &format!("/v1/channels/{channel_id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(kept["name"], "a-hook");
    let invitations: Value =
        app.get_as(&owner_a.token, "/v1/invitations").await.json().await.unwrap();
    assert_eq!(invitations["items"][0]["status"], "pending");
    diffscan_objects_unchanged(&app, &owner_a.token, &diffscan).await;
}

/// One diffscan object of each kind, made by tenant A through the API.
struct DiffscanObjects {
    scan: String,
    policy: String,
    exception: String,
    baseline: String,
    rule_pack: String,
    installation: String,
    repository: String,
    delivery: String,
}

async fn diffscan_objects_of(app: &TestApp, token: &str) -> DiffscanObjects {
    let id = |value: Value| value["id"].as_str().unwrap().to_string();
    let created = |path: &'static str, body: Value| async move {
        let response = app.post_as(token, path, &body).await;
        assert_eq!(response.status(), 201, "{path}");
        response.json::<Value>().await.unwrap()
    };
    let scan = app.post_as(token, "/v1/diffscans", &json!({"diff": "diff --git a/a b/a\n"})).await;
    assert_eq!(scan.status(), 202);
    let scan = id(scan.json().await.unwrap());
    let policy =
        id(created("/v1/diffscan/policies", json!({"name": "a-policy", "policy": {}})).await);
    let exception = id(created(
        "/v1/diffscan/exceptions",
        json!({"rule": "secrets.jwt", "path": "tests/**", "expires": "2999-01-01", "reason": "fixtures of tenant a"}),
    )
    .await);
    let baseline = id(created("/v1/diffscan/baselines", json!({"name": "a-baseline"})).await);
    let pack = "name: a-pack\nversion: 1\ndescription: Tenant A's rules.\nrules:\n  - id: secrets.tenant-a-token\n    family: secrets\n    severity: high\n    confidence: high\n    title: Tenant A token\n    description: A token of tenant A.\n    remediation: Revoke it.\n    pattern: '\\btenanta_[a-z0-9]{24}\\b'\n    keywords: [tenanta_]\n    examples:\n      positive: [\"t = 'tenanta_abcdefghijklmnopqrstuvwx'\"]\n      negative: [\"t = env('TENANT_A')\"]\n";
    let rule_pack = id(created("/v1/diffscan/rule-packs", json!({"source": pack})).await);
    let installation = created(
        "/v1/diffscan/github/installations",
        json!({"name": "a-github", "api_url": "http://127.0.0.1:9", "token": "ghp_tenant_a"}),
    )
    .await;
    let secret = installation["webhook_secret"].as_str().unwrap().to_string();
    let installation = id(installation);
    let repository = app
        .post_as(
            token,
            &format!("/v1/diffscan/github/installations/{installation}/repositories"),
            &json!({"full_name": "a/repo"}),
        )
        .await;
    assert_eq!(repository.status(), 201);
    let repository = id(repository.json().await.unwrap());
    let body = br#"{"zen": "Anything added dilutes everything else."}"#;
    use hmac::Mac;
    let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let signature: String =
        mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect();
    let delivered: Value = app
        .client
        .post(app.url(&format!("/v1/diffscan/github/webhook/{installation}")))
        .header("content-type", "application/json")
        .header("x-github-event", "ping")
        .header("x-github-delivery", "a-delivery")
        .header("x-hub-signature-256", format!("sha256={signature}"))
        .body(body.to_vec())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let delivery = delivered["delivery_id"].as_str().unwrap().to_string();
    DiffscanObjects {
        scan,
        policy,
        exception,
        baseline,
        rule_pack,
        installation,
        repository,
        delivery,
    }
}

/// Tenant A's diffscan objects are all still there, unchanged.
async fn diffscan_objects_unchanged(app: &TestApp, token: &str, objects: &DiffscanObjects) {
    let get = |path: String| async move {
        let response = app.get_as(token, &path).await;
        assert_eq!(response.status(), 200, "{path}");
        response.json::<Value>().await.unwrap()
    };
    let scan = get(format!("/v1/diffscans/{}", objects.scan)).await;
    assert_eq!(scan["diff"]["stored"], true);
    assert_eq!(get(format!("/v1/diffscan/policies/{}", objects.policy)).await["name"], "a-policy");
    assert_eq!(
        get(format!("/v1/diffscan/exceptions/{}", objects.exception)).await["reason"],
        "fixtures of tenant a"
    );
    assert_eq!(
        get(format!("/v1/diffscan/baselines/{}", objects.baseline)).await["name"],
        "a-baseline"
    );
    assert_eq!(
        get(format!("/v1/diffscan/rule-packs/{}", objects.rule_pack)).await["enabled"],
        true
    );
    assert_eq!(
        get(format!("/v1/diffscan/github/installations/{}", objects.installation)).await["name"],
        "a-github"
    );
    assert_eq!(
        get(format!("/v1/diffscan/github/repositories/{}", objects.repository)).await["enabled"],
        true
    );
    let repositories =
        get(format!("/v1/diffscan/github/installations/{}/repositories", objects.installation))
            .await;
    assert_eq!(repositories["items"].as_array().unwrap().len(), 1);
    let delivery = get(format!("/v1/diffscan/github/deliveries/{}", objects.delivery)).await;
    assert_eq!(delivery["status"], "ignored");
    let deliveries = get("/v1/diffscan/github/deliveries".to_string()).await;
    assert_eq!(
        deliveries["items"].as_array().unwrap().len(),
        1,
        "B's webhook call recorded nothing"
    );
}
