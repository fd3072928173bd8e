//! A copy of the database opens nothing: every key Palisade keeps there is wrapped with the
//! master key, which lives outside it. Whoever holds only the database cannot sign or check a
//! token, recompute an API-key digest, open a channel secret or forge the audit chain.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use platform::audit::{self, AuditKey};
use serde_json::json;
use sha2::Sha256;
use testapp::{ResponseExt, TestApp};

/// What a database dump holds of the server secrets: name and stored bytes.
async fn dumped_secrets(app: &TestApp) -> Vec<(String, Vec<u8>)> {
    sqlx::query_as("select name, value from server_secrets order by name")
        .fetch_all(&app.db.superuser().await)
        .await
        .unwrap()
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap();
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

#[tokio::test]
async fn a_copy_of_the_database_without_the_master_key_opens_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let created = app.api_key(&admin.token, &["AUDIT_VIEW"]).await;
    let body = json!({"name": "hook", "kind": "webhook", "url": "http://127.0.0.1:9/"});
    let channel: serde_json::Value =
        app.post_as(&admin.token, "/v1/channels", &body).await.expect_json(201).await;
    assert!(channel["secret"].is_string());

    let dump = dumped_secrets(&app).await;
    let names: Vec<&str> = dump.iter().map(|(name, _)| name.as_str()).collect();
    for expected in
        ["api_key_pepper", "audit_chain_key", "channel_encryption_key", "jwt_signing_key"]
    {
        assert!(names.contains(&expected), "{expected} in {names:?}");
    }
    for (name, stored) in &dump {
        let key = app.services.secrets.load(name).await.unwrap().unwrap();
        assert_ne!(stored, key.expose(), "{name} is stored as it is");
    }

    // No stored value checks the administrator's access token.
    let (signed, signature) = admin.token.rsplit_once('.').unwrap();
    let signature = URL_SAFE_NO_PAD.decode(signature).unwrap();
    assert!(dump.iter().all(|(_, value)| hmac(value, signed.as_bytes()) != signature));

    // Nor recomputes the API key's digest.
    let digest: Vec<u8> = sqlx::query_scalar("select key_digest from api_keys where prefix = $1")
        .bind(&created.prefix)
        .fetch_one(&app.db.superuser().await)
        .await
        .unwrap();
    assert!(dump.iter().all(|(_, value)| hmac(value, created.key.as_bytes()) != digest));

    // Nor verifies (let alone forges) the audit chain.
    for (_, value) in &dump {
        let key = AuditKey::new(value).unwrap();
        assert!(audit::verify(app.db.app.pool(), &key, admin.tenant).await.is_err());
    }

    // And another installation's master key starts nothing on this database.
    let elsewhere = edge::Services::build(&testapp::test_settings(), app.db.app.clone()).await;
    let refused = elsewhere.expect_err("refused").to_string();
    assert!(refused.contains("not configured"), "{refused}");
}
