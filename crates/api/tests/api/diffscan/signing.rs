//! Signing keys by configuration: the generated ed25519 key is made once and shared by every
//! process of an installation; an HMAC key read from a file signs verifiably; the public
//! development key is refused in production mode and announced as such in development mode.

use super::{AWS_DIFF, scanned};
use diffscan::settings::{KeyMaterial, SigningSettings};
use diffscan_engine::{VerificationKey, verify_artifact};
use platform::config::Mode;
use serde_json::Value;
use testapp::{ResponseExt, TestApp};

async fn artifact_of(app: &TestApp, token: &str) -> Vec<u8> {
    let scan = scanned(app, token, AWS_DIFF).await;
    let id = scan["id"].as_str().unwrap();
    app.get_as(token, &format!("/v1/diffscans/{id}/artifact")).await.bytes().await.unwrap().to_vec()
}

#[tokio::test]
async fn the_development_key_is_refused_in_production_mode() {
    let db = testapp::test_db().await;
    let mut settings = edge::Settings::defaults();
    settings.diffscan.signing = SigningSettings::Deterministic;
    assert_eq!(settings.platform.mode, Mode::Production, "production is the default");
    let error = edge::Services::build(&settings, db.app.clone()).await.unwrap_err();
    assert!(format!("{error:#}").contains("refused in production mode"), "{error:#}");
}

#[tokio::test]
async fn in_development_mode_the_development_key_signs_and_says_so() {
    let app = TestApp::spawn_with(|settings| {
        settings.platform.mode = Mode::Development;
        settings.diffscan.signing = SigningSettings::Deterministic;
    })
    .await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let keys: Value =
        app.get_as(&admin.token, "/v1/diffscan/signing-keys").await.expect_json(200).await;
    assert_eq!(keys["items"][0]["development"], true);
    let artifact = artifact_of(&app, &admin.token).await;
    let verified = verify_artifact(&artifact, &[VerificationKey::development()]).unwrap();
    assert!(verified.development_key);
}

#[tokio::test]
async fn an_hmac_key_read_from_a_file_signs_results_that_only_it_verifies() {
    let dir = std::env::temp_dir().join(format!("palisade-hmac-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let key_file = dir.join("hmac.key");
    std::fs::write(&key_file, format!("{}\n", "ab".repeat(32))).unwrap();
    let app = TestApp::spawn_with(|settings| {
        settings.diffscan.signing =
            SigningSettings::Hmac { key: KeyMaterial::File(key_file.clone()) };
    })
    .await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let keys: Value =
        app.get_as(&admin.token, "/v1/diffscan/signing-keys").await.expect_json(200).await;
    assert_eq!(keys["items"][0]["algorithm"], "hmac-sha256");
    assert!(keys["items"][0]["public_key"].is_null(), "an HMAC key is never shown");
    let artifact = artifact_of(&app, &admin.token).await;
    assert!(verify_artifact(&artifact, &[VerificationKey::hmac(&[0xab; 32]).unwrap()]).is_ok());
    assert!(verify_artifact(&artifact, &[VerificationKey::hmac(&[0xac; 32]).unwrap()]).is_err());
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn the_generated_signing_key_is_made_once_and_shared_by_every_process() {
    let app = TestApp::spawn().await;
    let first = app.services.diffscan.signer().await.unwrap().key_id().to_string();
    let other = edge::Services::build(&app.settings, app.db.app.clone()).await.unwrap();
    assert_eq!(other.diffscan.signer().await.unwrap().key_id(), first);
    let sealed: Vec<u8> = sqlx::query_scalar(
        "select seed_ciphertext from diffscan_signing_keys where name = 'ed25519'",
    )
    .fetch_one(&app.db.superuser().await)
    .await
    .unwrap();
    assert_eq!(
        sealed.len(),
        48,
        "the seed is stored sealed (32 bytes and a tag), not in the clear"
    );
}
