//! An analyst's session: sign in, the dashboard, the live queue (a new alert appears in the feed
//! without a reload), a bulk close, and a tenant switch.

use super::Browser;
use fantoccini::Locator;
use platform::access::Role;
use serde_json::{Value, json};
use testapp::{MEMBER_PASSWORD, TestApp};

async fn ingest(app: &TestApp, key: &str, titles: &[&str]) -> Vec<String> {
    let batch: Vec<Value> = titles
        .iter()
        .map(|t| {
            json!({"title": t, "severity": "high", "source": "edge",
                        "observables": [{"type": "hostname", "value": format!("{t}.example")}]})
        })
        .collect();
    let report: Value =
        app.post_as(key, "/v1/alerts/ingest", &json!(batch)).await.json().await.unwrap();
    let accepted = report["accepted"].as_array().expect("accepted alerts");
    accepted.iter().map(|a| a["id"].as_str().unwrap().to_string()).collect()
}

async fn status_of(app: &TestApp, token: &str, id: &str) -> String {
    let alert: Value = app.get_as(token, &format!("/v1/alerts/{id}")).await.json().await.unwrap();
    alert["status"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn an_analyst_signs_in_watches_the_live_queue_and_bulk_closes_alerts() {
    let app = TestApp::spawn_as_own_origin(|_| {}).await;
    let admin = app.admin_of("acme").await;
    let key = app.api_key(&admin.token, &["ALERTS_INGEST"]).await.key;
    let ids = ingest(&app, &key, &["beacon", "scan", "phish"]).await;
    let browser = Browser::open(&app).await;
    browser.sign_in(&admin.email, &admin.password).await;
    browser.wait_for_text(".card h2", "Open alerts").await;
    browser.screenshot("dashboard").await;

    browser.goto("/alerts").await;
    browser.wait_for_text("#feed-state", "live").await;
    ingest(&app, &key, &["fresh-from-the-siem"]).await;
    browser.wait_for_text("#feed li", "alert.created").await;

    let c = &browser.client;
    for id in &ids[..2] {
        let selector = format!("input[name=id][value='{id}']");
        c.find(Locator::Css(&selector)).await.unwrap().click().await.unwrap();
    }
    c.find(Locator::Css("select[name=disposition]"))
        .await
        .unwrap()
        .select_by_value("benign")
        .await
        .unwrap();
    browser.screenshot("alert-queue").await;
    c.find(Locator::Css("#bulk button[value=close]")).await.unwrap().click().await.unwrap();
    browser.wait_for_text("h1", "Alert queue").await;
    assert_eq!(status_of(&app, &admin.token, &ids[0]).await, "closed");
    assert_eq!(status_of(&app, &admin.token, &ids[1]).await, "closed");
    assert_eq!(status_of(&app, &admin.token, &ids[2]).await, "new");
}

#[tokio::test]
async fn a_member_of_two_tenants_switches_between_them() {
    let app = TestApp::spawn_as_own_origin(|_| {}).await;
    let acme = app.tenant("acme").await;
    let globex = app.tenant("globex").await;
    let dana = app.member(acme, "dana@example.test", Role::SOC_ANALYST_L1).await;
    app.add_membership(globex, dana.user, Role::SOC_ANALYST_L2).await;
    let browser = Browser::open(&app).await;
    browser.sign_in(&dana.email, MEMBER_PASSWORD).await;
    let c = &browser.client;
    c.find(Locator::Id("tenant-switch"))
        .await
        .unwrap()
        .select_by_value(&globex.to_string())
        .await
        .unwrap();
    c.find(Locator::Css(".switcher button")).await.unwrap().click().await.unwrap();
    browser.wait_for_source("soc analyst l2 in globex").await;
}

#[tokio::test]
async fn an_administrator_creates_an_api_key_that_is_shown_once_and_works() {
    let app = TestApp::spawn_as_own_origin(|_| {}).await;
    let admin = app.admin_of("acme").await;
    let browser = Browser::open(&app).await;
    browser.sign_in(&admin.email, &admin.password).await;
    browser.goto("/admin/api-keys").await;
    let c = &browser.client;
    c.find(Locator::Id("key-name")).await.unwrap().send_keys("siem forwarder").await.unwrap();
    c.find(Locator::Css("input[name=scope][value=AUDIT_VIEW]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    c.find(Locator::Css("form[action='/admin/api-keys'] button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser.wait_for_text("#created-h", "siem forwarder").await;
    let key = c.find(Locator::Id("new-key")).await.unwrap().text().await.unwrap();
    let used = app.get_as(key.trim(), "/v1/audit-log?limit=1").await;
    assert_eq!(used.status(), 200, "the key shown works");
    browser.goto("/admin/api-keys").await;
    browser.wait_for_text("#keys", "siem forwarder").await;
    let page = c.source().await.unwrap();
    assert!(!page.contains(key.trim()), "the key is never shown again");
}
