//! The channel pages, against real receivers on loopback: a webhook added from the form shows its
//! signing secret once (and that secret verifies what the receiver gets), a test is delivered and
//! listed; Slack and email channels from their forms; an address the SSRF guard refuses is said on
//! the form; a dead delivery is retried from the channel's page; disabling, the test limit; what a
//! SOC analyst (no `CHANNELS_MANAGE`) may open and post; another tenant's objects, hostile input.

use super::Browser;
use crate::receivers::{
    HookReceiver, SmtpReceiver, mail_to, verify_standard_webhook, wait_for_status,
};
use platform::access::Role;
use serde_json::Value;
use std::time::Duration;
use testapp::{MEMBER_PASSWORD, Member, ResponseExt, TestApp};

async fn signed_in<'a>(app: &'a TestApp, member: &Member, slug: &str) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in(&member.email, &member.password, Some(slug)).await;
    browser
}

/// The tenant's channels as the API lists them.
async fn channels(app: &TestApp, admin: &Member) -> Vec<Value> {
    let page: Value = app.get_as(&admin.token, "/v1/channels").await.expect_json(200).await;
    page["items"].as_array().unwrap().clone()
}

/// The id of the channel named `name`.
async fn channel_id(app: &TestApp, admin: &Member, name: &str) -> String {
    let all = channels(app, admin).await;
    let found = all.iter().find(|c| c["name"] == name).unwrap_or_else(|| panic!("no {name}"));
    found["id"].as_str().unwrap().to_string()
}

/// Adds a webhook from its form; answers the page.
async fn add_webhook(browser: &mut Browser<'_>, name: &str, url: &str) -> super::Answer {
    let csrf = browser.get("/channels").await.csrf();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("kind", "webhook"),
        ("name", name),
        ("url", url),
        ("min_severity", "info"),
        ("event_types", ""),
    ];
    browser.post("/channels", &fields).await
}

/// The delivery id in a `?tested=` location.
fn tested(location: &str) -> String {
    location.split("tested=").nth(1).expect("a tested delivery").to_string()
}

#[tokio::test]
async fn a_webhook_added_from_the_form_shows_its_secret_once_and_its_test_is_delivered_and_listed()
{
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let receiver = HookReceiver::start(vec![], 200).await;
    let runner = app.start_jobs().await;
    let mut browser = signed_in(&app, &admin, "acme").await;
    let list = browser.get("/channels").await;
    assert_eq!(list.status, 200);
    for form in ["add-webhook", "add-slack", "add-email"] {
        assert!(list.body.contains(&format!(r#"id="{form}""#)), "the {form} form");
    }
    let created = add_webhook(&mut browser, "SOC hook", &receiver.url("/hook")).await;
    assert_eq!(created.status, 201, "{}", created.body);
    let shown = created.body.split(r#"id="signing-secret">"#).nth(1).expect("the secret");
    let secret = shown[..shown.find('<').unwrap()].trim().to_string();
    assert!(secret.starts_with("whsec_"), "{secret}");
    assert!(created.body.contains(r#"data-copy="signing-secret""#), "with a copy button");
    let id = channel_id(&app, &admin, "SOC hook").await;
    let page = browser.get(&format!("/channels/{id}")).await;
    assert!(page.body.contains(&receiver.url("/hook")), "the page shows where it sends");
    assert!(!page.body.contains(&secret[6..]), "the secret is never shown again");
    assert!(browser.get("/channels").await.body.contains("SOC hook"), "the channel is listed");

    let csrf = page.csrf();
    let sent = browser.post(&format!("/channels/{id}/test"), &[("_csrf", &csrf)]).await;
    assert_eq!(sent.status, 303, "{}", sent.body);
    let location = sent.location.unwrap();
    let delivery = tested(&location);
    receiver.wait_for_requests(1).await;
    let request = &receiver.received()[0];
    verify_standard_webhook(&secret, &request.headers, &request.body)
        .expect("the secret shown once signs what the receiver gets");
    wait_for_status(&app, &admin.token, &delivery, "delivered").await;
    let after = browser.get(&location).await;
    assert!(after.body.contains("Test event queued"));
    let row = after.body.split(&format!(r#"id="delivery-{delivery}""#)).nth(1).expect("listed");
    assert!(row.starts_with(r#" data-status="delivered""#), "{row:.80}");

    // A delivered delivery cannot be retried: said on the channel's page.
    let retry = format!("/deliveries/{delivery}/retry");
    let refused = browser.post(&retry, &[("_csrf", &csrf), ("channel", &id)]).await;
    assert_eq!(refused.status, 409);
    assert!(refused.body.contains("only a dead or failed delivery can be retried"));
    // Five tests a minute: the sixth is refused on the page, and queues nothing.
    for _ in 0..4 {
        assert_eq!(
            browser.post(&format!("/channels/{id}/test"), &[("_csrf", &csrf)]).await.status,
            303
        );
    }
    let sixth = browser.post(&format!("/channels/{id}/test"), &[("_csrf", &csrf)]).await;
    assert_eq!(sixth.status, 429);
    assert!(sixth.body.contains("5 times a minute") && sixth.body.contains(r#"id="action-error""#));
    assert_eq!(app.audit_summaries("channel.test").await.len(), 5);
    runner.shutdown().await.unwrap();
}

#[tokio::test]
async fn slack_and_email_channels_added_from_their_forms_keep_secrets_and_send_by_mail() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let smtp = SmtpReceiver::start().await;
    let runner = app.start_jobs().await;
    let mut browser = signed_in(&app, &admin, "acme").await;
    let csrf = browser.get("/channels").await.csrf();
    let slack = [
        ("_csrf", csrf.as_str()),
        ("kind", "slack"),
        ("name", "SOC Slack"),
        ("url", "http://127.0.0.1:9/services/T000/B000/xoxb-very-secret"),
        ("min_severity", "high"),
        ("event_types", "alerts.created, surface.port_opened"),
    ];
    let created = browser.post("/channels", &slack).await;
    assert_eq!(created.status, 303, "no secret to show: on to the channel's page");
    let page = browser.get(created.location.as_deref().unwrap()).await;
    assert!(page.body.contains("127.0.0.1") && !page.body.contains("xoxb-very-secret"));
    assert!(page.body.contains("alerts.created, surface.port_opened, high and above"));

    let port = smtp.addr.port().to_string();
    let email = [
        ("_csrf", csrf.as_str()),
        ("kind", "email"),
        ("name", "On-call mail"),
        ("smtp_host", "127.0.0.1"),
        ("smtp_port", &port),
        ("tls", "none"),
        ("username", ""),
        ("password", ""),
        ("from", "Palisade <bot@palisade.test>"),
        ("to", "soc@acme.test,\r\noncall@acme.test"),
        ("min_severity", "info"),
        ("event_types", ""),
    ];
    let created = browser.post("/channels", &email).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let location = created.location.unwrap();
    let page = browser.get(&location).await;
    assert!(page.body.contains("soc@acme.test, oncall@acme.test"));
    let csrf = page.csrf();
    let sent = browser.post(&format!("{location}/test"), &[("_csrf", &csrf)]).await;
    assert_eq!(sent.status, 303);
    let mail = mail_to(&smtp, "soc@acme.test, oncall@acme.test").await;
    assert!(mail.contains("Test notification for channel On-call mail"), "{mail}");
    runner.shutdown().await.unwrap();
    let stored = channels(&app, &admin).await;
    assert_eq!(stored.len(), 2);
    let slack = stored.iter().find(|c| c["kind"] == "slack").unwrap();
    assert_eq!(slack["min_severity"], "high");
}

#[tokio::test]
async fn an_address_the_ssrf_guard_refuses_is_said_on_its_form_and_nothing_is_added() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin, "acme").await;
    let refused =
        add_webhook(&mut browser, "metadata", "http://169.254.169.254/latest/meta-data/").await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    let error = refused.body.split(r#"id="webhook-url-error">"#).nth(1).expect("beside the URL");
    assert!(error[..error.find('<').unwrap()].contains("cloud metadata"), "{error:.120}");
    assert!(refused.body.contains(r#"value="metadata""#), "what was typed is kept");
    assert!(refused.body.contains(r#"id="webhook-error""#), "and said at the top of its form");
    assert!(!refused.body.contains(r#"id="slack-error""#), "the other forms are untouched");

    let csrf = refused.csrf();
    let relay = [
        ("_csrf", csrf.as_str()),
        ("kind", "email"),
        ("name", "internal relay"),
        ("smtp_host", "169.254.169.254"),
        ("from", "bot@palisade.test"),
        ("to", "soc@acme.test"),
        ("password", "hunter2-secret"),
        ("username", "bot"),
    ];
    let refused = browser.post("/channels", &relay).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains(r#"id="email-error""#));
    assert!(refused.body.contains(r#"value="internal relay""#));
    assert!(!refused.body.contains("hunter2-secret"), "a password is never sent back");
    assert!(channels(&app, &admin).await.is_empty(), "nothing was added");
}

#[tokio::test]
async fn a_dead_delivery_is_listed_on_its_channel_and_retried_from_there() {
    let app =
        TestApp::spawn_with(|config| config.notify.backoff_base = Duration::from_millis(20)).await;
    let admin = app.admin_of("acme").await;
    let receiver = HookReceiver::start(vec![], 500).await;
    let runner = app.start_jobs().await;
    let mut browser = signed_in(&app, &admin, "acme").await;
    assert_eq!(add_webhook(&mut browser, "failing", &receiver.url("/")).await.status, 201);
    let id = channel_id(&app, &admin, "failing").await;
    let csrf = browser.get("/channels").await.csrf();
    let sent = browser.post(&format!("/channels/{id}/test"), &[("_csrf", &csrf)]).await;
    let delivery = tested(&sent.location.unwrap());
    wait_for_status(&app, &admin.token, &delivery, "dead").await;
    let page = browser.get(&format!("/channels/{id}")).await;
    let dead = page.body.split(&format!(r#"id="dead-{delivery}""#)).nth(1).expect("listed as dead");
    let dead = &dead[..dead.find("</tr>").unwrap()];
    assert!(dead.contains(&format!("HTTP 500 from {}", receiver.addr.ip())), "{dead}");
    assert!(dead.contains(&format!(r#"action="/deliveries/{delivery}/retry""#)), "a Retry button");

    let retried = browser
        .post(&format!("/deliveries/{delivery}/retry"), &[("_csrf", &csrf), ("channel", &id)])
        .await;
    assert_eq!(retried.status, 303);
    assert_eq!(retried.location, Some(format!("/channels/{id}?retried={delivery}")));
    receiver.wait_for_requests(10).await;
    wait_for_status(&app, &admin.token, &delivery, "dead").await;
    runner.shutdown().await.unwrap();
    assert_eq!(receiver.received().len(), 10, "five attempts, then five more after the retry");
    assert_eq!(app.audit_summaries("delivery.retry").await.len(), 1);

    // Someone else's delivery is not found, and nothing is queued for it.
    let other = app.admin_of("other").await;
    let mut outsider = signed_in(&app, &other, "other").await;
    let csrf = outsider.get("/channels").await.csrf();
    let theirs = outsider.post(&format!("/deliveries/{delivery}/retry"), &[("_csrf", &csrf)]).await;
    assert_eq!(theirs.status, 404);
    assert_eq!(app.audit_summaries("delivery.retry").await.len(), 1);
}

#[tokio::test]
async fn a_disabled_channel_offers_no_test_and_a_forged_test_is_refused_on_its_page() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin, "acme").await;
    add_webhook(&mut browser, "quiet", "http://127.0.0.1:9/hook").await;
    let id = channel_id(&app, &admin, "quiet").await;
    let csrf = browser.get("/channels").await.csrf();
    let off = browser.post(&format!("/channels/{id}/disable"), &[("_csrf", &csrf)]).await;
    assert_eq!(off.status, 303);
    let page = browser.get(&format!("/channels/{id}")).await;
    assert!(!page.body.contains(r#"id="send-test""#));
    assert!(page.body.contains(&format!(r#"action="/channels/{id}/enable""#)));
    let forged = browser.post(&format!("/channels/{id}/test"), &[("_csrf", &csrf)]).await;
    assert_eq!(forged.status, 409);
    assert!(forged.body.contains("the channel is disabled"));
    assert!(app.audit_summaries("channel.test").await.is_empty());
    assert_eq!(channels(&app, &admin).await[0]["enabled"], false);

    let deleted = browser.post(&format!("/channels/{id}/delete"), &[("_csrf", &csrf)]).await;
    assert_eq!((deleted.status, deleted.location.as_deref()), (303, Some("/channels")));
    assert!(channels(&app, &admin).await.is_empty());
    assert_eq!(browser.get(&format!("/channels/{id}")).await.status, 404);
}

#[tokio::test]
async fn a_soc_analyst_gets_no_channel_pages_and_forged_posts_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut manager = signed_in(&app, &admin, "acme").await;
    add_webhook(&mut manager, "hook", "http://127.0.0.1:9/hook").await;
    let id = channel_id(&app, &admin, "hook").await;
    assert!(manager.get("/").await.body.contains(r#"data-section="channels""#));

    let analyst = app.member(admin.tenant, "lena@acme.test", Role::SOC_ANALYST_L1).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&analyst.email, MEMBER_PASSWORD, None).await;
    let home = browser.get("/").await;
    assert!(!home.body.contains(r#"data-section="channels""#), "no link in the navigation");
    assert_eq!(browser.get("/channels").await.status, 403);
    assert_eq!(browser.get(&format!("/channels/{id}")).await.status, 403);
    let csrf = home.csrf();
    let add = [
        ("_csrf", csrf.as_str()),
        ("kind", "webhook"),
        ("name", "mine"),
        ("url", "http://127.0.0.1:9/x"),
    ];
    let refused = browser.post("/channels", &add).await;
    assert_eq!(refused.status, 403);
    assert!(refused.body.contains("CHANNELS_MANAGE"), "the service refused it");
    for action in ["test", "disable", "delete"] {
        let path = format!("/channels/{id}/{action}");
        let refused = browser.post(&path, &[("_csrf", &csrf)]).await;
        assert_eq!(refused.status, 403, "{path}");
        assert!(refused.body.contains("CHANNELS_MANAGE"), "the service refused {path}");
    }
    let unknown = "0192f000-0000-7000-8000-000000000000";
    let retry = browser.post(&format!("/deliveries/{unknown}/retry"), &[("_csrf", &csrf)]).await;
    assert_eq!(retry.status, 403, "refused before anything is looked up");
    assert!(retry.body.contains("CHANNELS_MANAGE"));
    let stored = channels(&app, &admin).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["enabled"], true);
    assert!(app.audit_summaries("channel.test").await.is_empty());
}

#[tokio::test]
async fn another_tenants_channel_malformed_ids_and_hostile_fields_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin, "acme").await;
    add_webhook(&mut browser, "hook", "http://127.0.0.1:9/hook").await;
    let id = channel_id(&app, &admin, "hook").await;

    let other = app.admin_of("other").await;
    let mut outsider = signed_in(&app, &other, "other").await;
    assert_eq!(outsider.get(&format!("/channels/{id}")).await.status, 404);
    let csrf = outsider.get("/channels").await.csrf();
    for action in ["test", "disable", "delete"] {
        let path = format!("/channels/{id}/{action}");
        assert_eq!(outsider.post(&path, &[("_csrf", &csrf)]).await.status, 404, "{path}");
    }
    assert_eq!(outsider.get("/channels/not-a-channel").await.status, 404);
    assert_eq!(outsider.post("/deliveries/%00/retry", &[("_csrf", &csrf)]).await.status, 404);

    let csrf = browser.get("/channels").await.csrf();
    let form = |extra: Vec<(&'static str, &'static str)>| {
        let mut fields = vec![
            ("kind", "email"),
            ("name", "mail"),
            ("smtp_host", "127.0.0.1"),
            ("tls", "none"),
            ("from", "bot@palisade.test"),
            ("to", "soc@acme.test"),
        ];
        fields.extend(extra);
        fields
    };
    let cases = [
        (form(vec![("smtp_port", "99999999")]), "a port from 1 to 65535"),
        (form(vec![("event_types", "Not A Type")]), "is not an event type"),
        (form(vec![("min_severity", "apocalyptic")]), "one of info, low, medium, high, critical"),
        (vec![("kind", "pigeon"), ("name", "coo")], "one of webhook, slack, email"),
    ];
    for (mut fields, message) in cases {
        fields.push(("_csrf", &csrf));
        let refused = browser.post("/channels", &fields).await;
        assert_eq!(refused.status, 422, "{message}");
        assert!(refused.body.contains(message), "{message}");
    }
    let nul = [
        ("_csrf", csrf.as_str()),
        ("kind", "webhook"),
        ("name", "a\0b"),
        ("url", "http://127.0.0.1:9/"),
    ];
    assert_eq!(browser.post("/channels", &nul).await.status, 400);
    let ignored = browser.get(&format!("/channels/{id}?tested=%3Cscript%3E&retried=1")).await;
    assert_eq!(ignored.status, 200);
    assert!(!ignored.body.contains("<script>") && !ignored.body.contains(r#"id="done""#));
    assert_eq!(channels(&app, &admin).await.len(), 1, "only the first channel exists");
}
