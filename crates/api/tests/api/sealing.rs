//! Rotating the data key (`encryption.key`): every sealed secret of every capability (channel
//! secrets, alert-source signing secrets, GitHub tokens and webhook secrets, the generated
//! diffscan signing seed) moves to the new key when resealed, after which a process that holds
//! only the new key sends, verifies and signs exactly as before.

use crate::receivers::{HookReceiver, create_channel, send_test, uuid, verify_standard_webhook};
use alerts::ingest::signature::{IngestHeaders, standard_webhooks_signature};
use alerts::service::ingest::IngestRequest;
use detect::SourceKind;
use edge::Services;
use notify::RelayOutcome;
use platform::audit::RequestContext;
use platform::sealing::DataKey;
use serde_json::{Value, json};
use testapp::{ResponseExt, TestApp};

fn key(id: &str, byte: u8) -> DataKey {
    DataKey { id: id.into(), key: platform::Secret::new(vec![byte; 32]) }
}

/// The services of a process configured with `current` (and `previous`) on the app's database.
async fn services(app: &TestApp, current: DataKey, previous: Option<DataKey>) -> Services {
    let mut settings = app.settings.clone();
    settings.platform.encryption.data_key = Some(current);
    settings.platform.encryption.previous_data_key = previous;
    Services::build(&settings, app.db.app.clone()).await.unwrap()
}

async fn key_ids(app: &TestApp) -> Vec<String> {
    sqlx::query_scalar(
        "select secret_key_id from channels
         union all select secret_key_id from alert_sources
         union all select token_key_id from diffscan_github_installations
         union all select webhook_secret_key_id from diffscan_github_installations
         union all select seed_key_id from diffscan_signing_keys",
    )
    .fetch_all(&app.db.superuser().await)
    .await
    .unwrap()
}

#[tokio::test]
async fn rotating_the_data_key_moves_every_sealed_secret_and_the_old_key_may_then_go() {
    let app = TestApp::spawn_with(|s| s.platform.encryption.data_key = Some(key("k1", 1))).await;
    let admin = app.admin_of("acme").await;
    let receiver = HookReceiver::start(vec![], 200).await;
    let hook = json!({"name": "hook", "kind": "webhook", "url": receiver.url("/")});
    let channel = create_channel(&app, &admin.token, &hook).await;
    let source: Value = app
        .post_as(
            &admin.token,
            "/v1/alert-sources",
            &json!({"name": "wazuh", "kind": "wazuh", "auth": "standard_webhooks"}),
        )
        .await
        .expect_json(201)
        .await;
    let installation = json!({"name": "ghe", "api_url": "http://127.0.0.1:9", "token": "ghp_x"});
    let created = app.post_as(&admin.token, "/v1/diffscan/github/installations", &installation);
    assert_eq!(created.await.status(), 201);
    let signer = app.services.diffscan.signer().await.unwrap().key_id().to_string();
    assert_eq!(key_ids(&app).await, ["k1"; 5]);

    // k2 configured, k1 kept as the previous key: everything moves to k2.
    let rotating = services(&app, key("k2", 2), Some(key("k1", 1))).await;
    let moved = rotating.notify.reseal_channel_secrets().await.unwrap()
        + rotating.alerts.reseal_source_secrets().await.unwrap()
        + rotating.diffscan.reseal_secrets().await.unwrap();
    assert_eq!((moved.secrets, moved.left_behind), (5, 0));
    assert_eq!(key_ids(&app).await, ["k2"; 5]);
    let again = rotating.alerts.reseal_source_secrets().await.unwrap();
    assert_eq!((again.secrets, again.left_behind), (0, 0), "nothing left to move");

    // A process with k2 alone: the channel's deliveries verify with the secret shown at
    // creation, the source's signed pushes are accepted, results are signed with the same key.
    let rotated = services(&app, key("k2", 2), None).await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let outcome = rotated.notify.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    assert_eq!(outcome, RelayOutcome::Delivered { attempts: 1 });
    let got = receiver.received();
    verify_standard_webhook(channel["secret"].as_str().unwrap(), &got[0].headers, &got[0].body)
        .unwrap();
    let body = crate::alerts::fixture("wazuh-4x-rdp-bruteforce.json").to_string();
    let at = chrono::Utc::now().timestamp();
    let secret = source["secret"].as_str().unwrap();
    let headers = IngestHeaders {
        webhook_id: Some("msg_1".into()),
        webhook_timestamp: Some(at.to_string()),
        webhook_signature: Some(standard_webhooks_signature(secret, "msg_1", at, body.as_bytes())),
        ..IngestHeaders::default()
    };
    let request = IngestRequest { source: SourceKind::Wazuh, body: body.as_bytes(), ndjson: false };
    let report = rotated
        .alerts
        .ingest_from_source(&RequestContext::default(), uuid(&source["id"]), &headers, request)
        .await
        .unwrap();
    assert_eq!(report.accepted.len(), 1);
    assert_eq!(rotated.diffscan.signer().await.unwrap().key_id(), signer);
    // And the old key alone opens none of it any more.
    let stale = services(&app, key("k1", 1), None).await;
    assert!(stale.diffscan.signer().await.is_err());
}

#[tokio::test]
async fn a_previous_data_key_under_the_current_keys_id_is_refused_with_a_reason() {
    let app = TestApp::spawn().await;
    let confused = services(&app, key("k2", 2), Some(key("k2", 3))).await;
    let error = format!("{:#}", confused.keyring.get().await.unwrap_err());
    assert!(error.contains("encryption.previous_key_id must differ"), "{error}");
    let reserved = services(&app, key("k2", 2), Some(key("db-generated", 3))).await;
    let error = format!("{:#}", reserved.keyring.get().await.unwrap_err());
    assert!(error.contains("is reserved"), "{error}");
}
