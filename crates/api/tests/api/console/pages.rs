//! The pages: the alert queue and its bulk actions, an alert's detail and triage, what a user
//! one role down sees and may post, and hostile input.

use super::Browser;
use crate::alerts::{Soc, accepted_id, own_alert};
use platform::access::Role;
use serde_json::json;
use testapp::MEMBER_PASSWORD;

async fn ingest(soc: &Soc, titles: &[&str]) -> Vec<String> {
    let batch: Vec<_> =
        titles.iter().map(|t| own_alert(t, "high", &format!("{t}.example"))).collect();
    let report = soc.ingest("/v1/alerts/ingest", &json!(batch)).await;
    report["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn bulk_closing_selected_alerts_from_the_queue_closes_exactly_those() {
    let soc = Soc::start().await;
    let ids = ingest(&soc, &["one", "two", "three"]).await;
    let mut browser = Browser::new(&soc.app);
    browser.sign_in(&soc.admin.email, &soc.admin.password, None).await;
    let queue = browser.get("/alerts").await;
    assert_eq!(queue.status, 200);
    for id in &ids {
        assert!(queue.body.contains(id.as_str()), "the queue lists {id}");
    }
    let csrf = queue.csrf();
    let fields = [
        ("_csrf", csrf.as_str()),
        ("back", "/alerts?status=new"),
        ("id", ids[0].as_str()),
        ("id", ids[1].as_str()),
        ("action", "close"),
        ("disposition", "false_positive"),
        ("comment", "noise from the lab"),
    ];
    let done = browser.post("/alerts/bulk", &fields).await;
    assert_eq!(done.status, 303, "{}", done.body);
    assert_eq!(done.location.as_deref(), Some("/alerts?status=new"));
    for (id, status) in [(&ids[0], "closed"), (&ids[1], "closed"), (&ids[2], "new")] {
        assert_eq!(soc.alert(id).await["status"], status, "alert {id}");
    }
    let closed = soc.alert(&ids[0]).await;
    assert_eq!(closed["disposition"], "false_positive");
}

#[tokio::test]
async fn a_forged_bulk_close_without_the_sessions_token_is_refused_and_changes_nothing() {
    let soc = Soc::start().await;
    let ids = ingest(&soc, &["target"]).await;
    let mut browser = Browser::new(&soc.app);
    browser.sign_in(&soc.admin.email, &soc.admin.password, None).await;
    let fields = [("id", ids[0].as_str()), ("action", "close"), ("disposition", "benign")];
    let no_token = browser.post("/alerts/bulk", &fields).await;
    assert_eq!(no_token.status, 403);
    let mut with_token = vec![("_csrf", "0000000000000000000000000000000000000000")];
    with_token.extend(fields);
    assert_eq!(browser.post("/alerts/bulk", &with_token).await.status, 403);
    let csrf = browser.get("/alerts").await.csrf();
    let mut real = vec![("_csrf", csrf.as_str())];
    real.extend(fields);
    let cross_site = browser.post_from("https://evil.example", "/alerts/bulk", &real).await;
    assert_eq!(cross_site.status, 403, "the right token from a foreign origin is refused too");
    assert_eq!(soc.alert(&ids[0]).await["status"], "new");
}

#[tokio::test]
async fn a_user_without_alerts_triage_sees_no_triage_buttons_and_their_posts_are_refused() {
    let soc = Soc::start().await;
    let ids = ingest(&soc, &["watched"]).await;
    let auditor = soc.member("audrey@example.test", Role::AUDITOR_READONLY).await;
    let mut browser = Browser::new(&soc.app);
    browser.sign_in(&auditor.email, MEMBER_PASSWORD, None).await;
    let queue = browser.get("/alerts").await;
    assert_eq!(queue.status, 200);
    assert!(queue.body.contains("watched"));
    assert!(!queue.body.contains(r#"value="close""#), "no bulk buttons for a read-only user");
    let detail = browser.get(&format!("/alerts/{}", ids[0])).await;
    assert_eq!(detail.status, 200);
    assert!(!detail.body.contains("/triage"), "no triage form on the detail page");
    let csrf = detail.csrf();
    let forged = browser
        .post(&format!("/alerts/{}/triage", ids[0]), &[("_csrf", &csrf), ("action", "acknowledge")])
        .await;
    assert_eq!(forged.status, 403);
    let bulk = browser
        .post("/alerts/bulk", &[("_csrf", &csrf), ("id", &ids[0]), ("action", "acknowledge")])
        .await;
    assert_eq!(bulk.status, 403);
    assert_eq!(soc.alert(&ids[0]).await["status"], "new");
}

#[tokio::test]
async fn an_alert_shows_its_finding_and_is_triaged_from_its_page() {
    let soc = Soc::start().await;
    let id = accepted_id(
        &soc.ingest("/v1/alerts/ingest", &own_alert("lateral", "critical", "db1.example")).await,
    );
    let mut browser = Browser::new(&soc.app);
    browser.sign_in(&soc.admin.email, &soc.admin.password, None).await;
    let page = browser.get(&format!("/alerts/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("db1.example"), "the observables are listed");
    assert!(page.body.contains("OCSF Detection Finding"));
    assert!(
        page.body.contains("class_uid") && !page.body.contains("\"class_uid\""),
        "the finding is shown, escaped"
    );
    let csrf = page.csrf();
    let path = format!("/alerts/{id}/triage");
    let acked = browser
        .post(&path, &[("_csrf", &csrf), ("action", "acknowledge"), ("comment", "on it")])
        .await;
    assert_eq!(acked.status, 303);
    let after = browser.get(&format!("/alerts/{id}")).await;
    assert!(after.body.contains("on it"), "the comment is in the history");
    assert_eq!(soc.alert(&id).await["status"], "acknowledged");
}

#[tokio::test]
async fn another_tenants_alert_and_malformed_ids_are_not_found() {
    let soc = Soc::start().await;
    let id = ingest(&soc, &["theirs"]).await.remove(0);
    let other = soc.app.admin_of("other").await;
    let mut browser = Browser::new(&soc.app);
    browser.sign_in(&other.email, &other.password, Some("other")).await;
    assert_eq!(browser.get(&format!("/alerts/{id}")).await.status, 404);
    assert_eq!(browser.get("/alerts/not-an-id").await.status, 404);
    assert_eq!(browser.get("/alerts/%00").await.status, 404);
    let csrf = browser.get("/alerts").await.csrf();
    let bulk = browser
        .post("/alerts/bulk", &[("_csrf", &csrf), ("id", &id), ("action", "acknowledge")])
        .await;
    assert_eq!(bulk.status, 303, "someone else's id is simply not found by the bulk action");
    assert_eq!(soc.alert(&id).await["status"], "new");
}

#[tokio::test]
async fn hostile_filters_and_cursors_are_explained_on_the_page_not_obeyed() {
    let soc = Soc::start().await;
    let mut browser = Browser::new(&soc.app);
    browser.sign_in(&soc.admin.email, &soc.admin.password, None).await;
    let bad_status = browser.get("/alerts?status=pwned").await;
    assert_eq!(bad_status.status, 200);
    assert!(bad_status.body.contains(r#"class="error""#), "the refusal is shown at the top");
    let bad_date = browser.get("/alerts?from=99999-99-99").await;
    assert!(bad_date.body.contains(r#"class="error""#));
    let bad_cursor = browser.get("/alerts?cursor=%00%ff").await;
    assert!(bad_cursor.body.contains(r#"class="error""#));
    let nul = browser.post("/alerts/bulk", &[("_csrf", "x\0y")]).await;
    assert_eq!(nul.status, 400);
}

#[tokio::test]
async fn the_dashboard_charts_open_alerts_and_the_trend_as_svg() {
    let soc = Soc::start().await;
    ingest(&soc, &["a", "b"]).await;
    let mut browser = Browser::new(&soc.app);
    browser.sign_in(&soc.admin.email, &soc.admin.password, None).await;
    let page = browser.get("/?days=30").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains(r#"aria-label="Open alerts by severity""#));
    assert!(page.body.contains("<title>High: 2</title>"), "two open high alerts");
    assert!(page.body.contains("last 30 days"));
}

#[tokio::test]
async fn numbers_too_big_for_a_filter_are_refused_as_a_console_page_in_plain_words() {
    let soc = Soc::start().await;
    let mut browser = Browser::new(&soc.app);
    browser.sign_in(&soc.admin.email, &soc.admin.password, None).await;
    for path in ["/alerts?limit=99999999999", "/?days=99999999", "/rules?limit=-1"] {
        let answer = browser.get(path).await;
        assert_eq!(answer.status, 400, "{path}");
        assert!(answer.body.contains(r#"class="error""#), "{path}: an HTML page, not problem+json");
        assert!(answer.body.contains("filters could not be read"), "{path}: {}", answer.body);
    }
}
