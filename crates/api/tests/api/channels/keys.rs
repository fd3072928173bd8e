//! Channel secrets across a key change: a secret sealed with the generated key still opens once
//! the operator configures a key, moves to that key on the channel's next change, and a service
//! without that key cannot open it (and says which key it lacks).

use crate::receivers::{HookReceiver, create_channel, send_test, uuid, verify_standard_webhook};
use notify::service::input::ChannelInput;
use notify::{Notify, NotifySettings, RelayOutcome};
use platform::sealing::{DataKey, SharedKeyring};
use serde_json::json;
use testapp::TestApp;

#[tokio::test]
async fn a_secret_sealed_with_the_generated_key_still_opens_once_a_key_is_configured_and_moves_to_it()
 {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let receiver = HookReceiver::start(vec![], 200).await;
    let channel = create_channel(
        &app,
        &admin.token,
        &json!({"name": "hook", "kind": "webhook", "url": receiver.url("/")}),
    )
    .await;
    assert_eq!(channel["secret_key_id"], "db-generated");

    // The operator configures a key (id k2): old rows still open, changed rows move to k2.
    let k2 = DataKey { id: "k2".into(), key: platform::Secret::new(vec![42u8; 32]) };
    let rotated = Notify::new(
        app.services.db.clone(),
        app.services.notify.sender().policy().clone(),
        NotifySettings::new("https://palisade.test"),
        SharedKeyring::new(app.services.secrets.clone(), Some(k2), None),
    );
    let sent = send_test(&app, &admin.token, &channel).await;
    let outcome = rotated.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    assert_eq!(outcome, RelayOutcome::Delivered { attempts: 1 });
    let secret = channel["secret"].as_str().unwrap();
    let got = receiver.received();
    verify_standard_webhook(secret, &got[0].headers, &got[0].body).unwrap();

    let principal = platform::access::Principal::system(admin.tenant);
    let context = platform::audit::RequestContext::default();
    let input = ChannelInput { name: Some("hook v2".into()), ..ChannelInput::default() };
    let changed =
        rotated.update_channel(&context, &principal, uuid(&channel["id"]), &input).await.unwrap();
    assert_eq!(changed.sealed.unwrap().key_id, "k2");
    let again = send_test(&app, &admin.token, &channel).await;
    let outcome = rotated.relay(admin.tenant, uuid(&again["delivery_id"])).await.unwrap();
    assert_eq!(outcome, RelayOutcome::Delivered { attempts: 1 });
    let got = receiver.received();
    verify_standard_webhook(secret, &got[1].headers, &got[1].body).unwrap();
    // The installation's own service (generated key only) cannot open k2's ciphertext.
    let third = send_test(&app, &admin.token, &channel).await;
    let outcome =
        app.services.notify.relay(admin.tenant, uuid(&third["delivery_id"])).await.unwrap();
    let RelayOutcome::Failed { error, .. } = outcome else { panic!("{outcome:?}") };
    assert!(error.contains("key `k2`"), "{error}");
}
