//! Tenant A's diffscan objects for the isolation table, and the check that B changed none.

use serde_json::{Value, json};
use testapp::TestApp;

/// One diffscan object of each kind, made by tenant A through the API.
pub struct DiffscanObjects {
    pub scan: String,
    pub policy: String,
    pub exception: String,
    pub baseline: String,
    pub rule_pack: String,
    pub installation: String,
    pub repository: String,
    pub delivery: String,
}

pub async fn diffscan_objects_of(app: &TestApp, token: &str) -> DiffscanObjects {
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
pub async fn diffscan_objects_unchanged(app: &TestApp, token: &str, objects: &DiffscanObjects) {
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
