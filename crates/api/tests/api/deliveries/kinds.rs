//! Slack and email deliveries to receivers started by the tests: the Block Kit message and its
//! console link, and an email with the event title in its subject and both bodies, received by a
//! real (tiny) SMTP server. Also: a sealed secret copied to another row does not open there.

use crate::receivers::{HookReceiver, SmtpReceiver, create_channel, delivery, send_test, uuid};
use notify::RelayOutcome;
use serde_json::{Value, json};
use testapp::TestApp;

#[tokio::test]
async fn a_slack_channel_receives_a_block_kit_message_linking_to_the_console() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let receiver = HookReceiver::start(vec![], 200).await;
    let url = receiver.url("/services/T000/B000/xoxb-secret");
    let channel =
        create_channel(&app, &admin.token, &json!({"name": "slack", "kind": "slack", "url": url}))
            .await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let outcome =
        app.services.notify.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    assert_eq!(outcome, RelayOutcome::Delivered { attempts: 1 });

    let got = receiver.received();
    let message: Value = serde_json::from_slice(&got[0].body).unwrap();
    let blocks = message["blocks"].as_array().unwrap();
    assert_eq!(blocks[0]["type"], "header");
    let header = blocks[0]["text"]["text"].as_str().unwrap();
    assert!(header.contains("INFO: Test notification for channel slack"), "{header}");
    let fields: Vec<&str> = blocks[1]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["text"].as_str().unwrap())
        .collect();
    assert!(fields.contains(&"*Type*\nnotify.test"), "{fields:?}");
    assert!(fields.contains(&"*Severity*\nINFO"), "{fields:?}");
    assert!(
        fields.iter().any(|f| f.starts_with("*channel_name*")),
        "payload key fields: {fields:?}"
    );
    let link = format!("https://palisade.test/events/{}", sent["event_id"].as_str().unwrap());
    assert_eq!(blocks[2]["elements"][0]["url"], link);
    assert!(message["text"].as_str().unwrap().starts_with("[INFO]"));
}

#[tokio::test]
async fn an_email_channel_delivers_to_an_smtp_server_with_text_and_html_bodies() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let smtp = SmtpReceiver::start().await;
    let body = json!({"name": "mail", "kind": "email", "smtp_host": "127.0.0.1", "smtp_port": smtp.addr.port(),
                      "tls": "none", "from": "Palisade <bot@palisade.test>",
                      "to": ["soc@acme.test", "oncall@acme.test"]});
    let channel = create_channel(&app, &admin.token, &body).await;
    let sent = send_test(&app, &admin.token, &channel).await;
    let outcome =
        app.services.notify.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    assert_eq!(outcome, RelayOutcome::Delivered { attempts: 1 });

    let messages = smtp.messages();
    assert_eq!(messages.len(), 1);
    let message = &messages[0];
    assert!(
        message.contains("Subject: [Palisade] [INFO] Test notification for channel mail"),
        "{message}"
    );
    assert!(message.contains("To: soc@acme.test, oncall@acme.test"), "{message}");
    assert!(message.contains("multipart/alternative"), "{message}");
    assert!(
        message.contains("Content-Type: text/plain") && message.contains("Content-Type: text/html")
    );
    // Both bodies are quoted-printable: undo its soft line breaks before reading them.
    let decoded = message.replace("=\n", "");
    let link = format!("https://palisade.test/events/{}", sent["event_id"].as_str().unwrap());
    assert!(decoded.contains(&format!("Open in Palisade: {link}")), "{message}");
    assert!(decoded.contains("<h2>Test notification for channel mail</h2>"), "{message}");
    assert!(decoded.contains(&format!("<a href=3D\"{link}\">")), "{message}");
    let shown = delivery(&app, &admin.token, sent["delivery_id"].as_str().unwrap()).await;
    assert_eq!(shown["status"], "delivered");
}

#[tokio::test]
async fn a_sealed_secret_copied_to_another_channel_does_not_open_there() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let receiver = HookReceiver::start(vec![], 200).await;
    let hook = |name: &str| json!({"name": name, "kind": "webhook", "url": receiver.url("/")});
    let source = create_channel(&app, &admin.token, &hook("source")).await;
    let target = create_channel(&app, &admin.token, &hook("target")).await;
    sqlx::query(
        "update channels t set secret_ciphertext = s.secret_ciphertext, secret_nonce = s.secret_nonce
           from channels s where s.id = $1::uuid and t.id = $2::uuid",
    )
    .bind(source["id"].as_str().unwrap())
    .bind(target["id"].as_str().unwrap())
    .execute(&app.db.superuser().await)
    .await
    .unwrap();
    let sent = send_test(&app, &admin.token, &target).await;
    let outcome =
        app.services.notify.relay(admin.tenant, uuid(&sent["delivery_id"])).await.unwrap();
    let RelayOutcome::Failed { error, .. } = outcome else { panic!("{outcome:?}") };
    assert!(error.contains("secret cannot be opened"), "{error}");
    assert!(receiver.received().is_empty(), "nothing was sent unsigned");
}
