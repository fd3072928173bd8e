//! Cross-tenant isolation at the HTTP edge: for every route that takes an object id, a principal
//! of tenant B asking for tenant A's object gets 404 — not 403, not 200. The table is checked
//! against the router: a new route with an id fails here until it joins the table.

use crate::access::operations;
use crate::receivers::{SmtpReceiver, mail_through};
use platform::access::Role;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use testapp::{Member, TestApp};

mod alerts;
mod diffscan;
mod surface;

use alerts::{alerts_of, alerts_unchanged};
use diffscan::{diffscan_objects_of, diffscan_objects_unchanged};
use surface::{surface_objects_of, surface_objects_unchanged};

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
    /// An alert of tenant A.
    AlertOfA,
    /// A bulk job of tenant A.
    BulkJobOfA,
    /// An ingest source of tenant A.
    SourceOfA,
    /// A detection rule of tenant A.
    RuleOfA,
    /// A correlation rule of tenant A.
    CorrelationRuleOfA,
    /// A correlation group of tenant A.
    GroupOfA,
    /// A diffscan scan of tenant A (and its findings, artifact, views and raw diff).
    DiffscanOfA,
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
    /// A monitored asset of tenant A.
    AssetOfA,
    /// A queued scan of tenant A's asset.
    ScanOfA,
    /// A snapshot of tenant A's asset.
    SnapshotOfA,
    /// A change event of tenant A's asset.
    ChangeOfA,
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
    ("GET", "/v1/alerts/{id}", Object::AlertOfA, None),
    ("POST", "/v1/alerts/{id}/acknowledge", Object::AlertOfA, Some("{}")),
    ("POST", "/v1/alerts/{id}/investigate", Object::AlertOfA, Some("{}")),
    ("POST", "/v1/alerts/{id}/close", Object::AlertOfA, Some(r#"{"disposition": "benign"}"#)),
    ("POST", "/v1/alerts/{id}/reopen", Object::AlertOfA, Some("{}")),
    ("POST", "/v1/alerts/{id}/assign", Object::AlertOfA, Some("{}")),
    ("GET", "/v1/alerts/bulk-jobs/{id}", Object::BulkJobOfA, None),
    ("POST", "/v1/alerts/bulk-jobs/{id}/cancel", Object::BulkJobOfA, None),
    ("GET", "/v1/alert-sources/{id}", Object::SourceOfA, None),
    ("PATCH", "/v1/alert-sources/{id}", Object::SourceOfA, Some(r#"{"name": "Stolen"}"#)),
    ("DELETE", "/v1/alert-sources/{id}", Object::SourceOfA, None),
    ("POST", "/v1/alert-sources/{id}/rotate", Object::SourceOfA, None),
    ("GET", "/v1/detection-rules/{id}", Object::RuleOfA, None),
    ("PATCH", "/v1/detection-rules/{id}", Object::RuleOfA, Some(r#"{"enabled": false}"#)),
    ("DELETE", "/v1/detection-rules/{id}", Object::RuleOfA, None),
    ("POST", "/v1/detection-rules/{id}/enable", Object::RuleOfA, None),
    ("POST", "/v1/detection-rules/{id}/disable", Object::RuleOfA, None),
    ("GET", "/v1/correlation-rules/{id}", Object::CorrelationRuleOfA, None),
    (
        "PATCH",
        "/v1/correlation-rules/{id}",
        Object::CorrelationRuleOfA,
        Some(r#"{"name": "Stolen"}"#),
    ),
    ("DELETE", "/v1/correlation-rules/{id}", Object::CorrelationRuleOfA, None),
    ("GET", "/v1/correlation-groups/{id}", Object::GroupOfA, None),
    ("GET", "/v1/diffscans/{id}", Object::DiffscanOfA, None),
    ("GET", "/v1/diffscans/{id}/findings", Object::DiffscanOfA, None),
    ("GET", "/v1/diffscans/{id}/artifact", Object::DiffscanOfA, None),
    ("GET", "/v1/diffscans/{id}/report.html", Object::DiffscanOfA, None),
    ("GET", "/v1/diffscans/{id}/report.sarif", Object::DiffscanOfA, None),
    ("GET", "/v1/diffscans/{id}/diff", Object::DiffscanOfA, None),
    ("DELETE", "/v1/diffscans/{id}/diff", Object::DiffscanOfA, None),
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
    ("GET", "/v1/assets/{id}", Object::AssetOfA, None),
    ("PATCH", "/v1/assets/{id}", Object::AssetOfA, Some(r#"{"ports": "1-65535"}"#)),
    ("DELETE", "/v1/assets/{id}", Object::AssetOfA, None),
    ("POST", "/v1/assets/{id}/authorize", Object::AssetOfA, None),
    ("POST", "/v1/assets/{id}/verify", Object::AssetOfA, Some(r#"{}"#)),
    ("POST", "/v1/assets/{id}/attest", Object::AssetOfA, Some(r#"{"reason": "mine now"}"#)),
    ("POST", "/v1/assets/{id}/baseline", Object::AssetOfA, None),
    ("POST", "/v1/assets/{id}/scans", Object::AssetOfA, None),
    ("GET", "/v1/assets/{id}/scans", Object::AssetOfA, None),
    ("GET", "/v1/assets/{id}/snapshots", Object::AssetOfA, None),
    ("GET", "/v1/scans/{id}", Object::ScanOfA, None),
    ("POST", "/v1/scans/{id}/cancel", Object::ScanOfA, None),
    ("GET", "/v1/snapshots/{id}", Object::SnapshotOfA, None),
    ("GET", "/v1/changes/{id}", Object::ChangeOfA, None),
    ("POST", "/v1/changes/{id}/ack", Object::ChangeOfA, None),
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
    // Alerts first: it runs the job runner for a while, which would run A's queued scan.
    let alerts_of_a = alerts_of(&app, &owner_a).await;
    let surface = surface_objects_of(&app, &owner_a).await;
    // Dead, so that tenant A itself could retry it: B must still get 404, not 202.
    sqlx::query("update deliveries set status = 'dead' where id = $1::uuid")
        .bind(test["delivery_id"].as_str().unwrap())
        .execute(&app.db.superuser().await)
        .await
        .unwrap();

    let diffscan = diffscan_objects_of(&app, &owner_a.token).await;
    for (method, path, object, body) in TABLE {
        let (id, expected) = match object {
            Object::AlertOfA => (alerts_of_a.alert.clone(), 404),
            Object::BulkJobOfA => (alerts_of_a.bulk_job.clone(), 404),
            Object::SourceOfA => (alerts_of_a.source.clone(), 404),
            Object::RuleOfA => (alerts_of_a.rule.clone(), 404),
            Object::CorrelationRuleOfA => (alerts_of_a.correlation_rule.clone(), 404),
            Object::GroupOfA => (alerts_of_a.group.clone(), 404),
            Object::UserOfA => (victim.user.to_string(), 404),
            Object::ApiKeyOfA => (key["id"].as_str().unwrap().to_string(), 404),
            Object::ChannelOfA => (channel_id.clone(), 404),
            Object::DeliveryOfA => (test["delivery_id"].as_str().unwrap().to_string(), 404),
            Object::InvitationOfA => (invitation["id"].as_str().unwrap().to_string(), 404),
            Object::DiffscanOfA => (diffscan.scan.clone(), 404),
            Object::PolicyOfA => (diffscan.policy.clone(), 404),
            Object::ExceptionOfA => (diffscan.exception.clone(), 404),
            Object::BaselineOfA => (diffscan.baseline.clone(), 404),
            Object::RulePackOfA => (diffscan.rule_pack.clone(), 404),
            Object::InstallationOfA => (diffscan.installation.clone(), 404),
            Object::RepositoryOfA => (diffscan.repository.clone(), 404),
            Object::WebhookDeliveryOfA => (diffscan.delivery.clone(), 404),
            Object::WebhookOfA => (diffscan.installation.clone(), 401),
            Object::AssetOfA => (surface.asset.clone(), 404),
            Object::ScanOfA => (surface.scan.clone(), 404),
            Object::SnapshotOfA => (surface.snapshot.clone(), 404),
            Object::ChangeOfA => (surface.change.clone(), 404),
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
    surface_objects_unchanged(&app, &owner_a, &intruder, &surface).await;
    alerts_unchanged(&app, &owner_a, &intruder, &alerts_of_a).await;
}
