//! The attack-surface pages as a browser drives them: adding an asset through the form (and its
//! refusals shown on it), the asset page with the proof to publish and its actions, a refused
//! scan in plain words, scans followed live and cancelled, the changes list and acknowledgement,
//! what a read-only user sees and may post, another tenant's objects, hostile input; and one
//! whole run against a real loopback host: prove by the well-known file, verify, scan, see the
//! port that opened as a change and acknowledge it.

mod run;

use super::Browser;
use platform::access::Role;
use serde_json::{Value, json};
use testapp::{MEMBER_PASSWORD, Member, ResponseExt, TestApp};

/// The text between `start` and the next `<` in `html`.
fn text_after(html: &str, start: &str) -> Option<String> {
    let at = html.find(start)? + start.len();
    let end = html[at..].find('<')?;
    Some(html[at..at + end].to_string())
}

/// The address of the page's "Next page" link, unescaped.
fn next_link(html: &str) -> Option<String> {
    let end = html.find(r#"" rel="next""#)?;
    let start = html[..end].rfind("href=\"")? + "href=\"".len();
    Some(html[start..end].replace("&#38;", "&").replace("&amp;", "&"))
}

/// The id at the end of a redirect to `/assets/{id}` or `/scans/{id}`.
fn redirected_id(location: Option<&str>, prefix: &str) -> String {
    let location = location.unwrap_or_else(|| panic!("no redirect to {prefix}"));
    location.strip_prefix(prefix).unwrap_or_else(|| panic!("{location} is not {prefix}…")).into()
}

async fn signed_in<'a>(app: &'a TestApp, member: &Member) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in(&member.email, &member.password, None).await;
    browser
}

/// Adds an asset through the console's form; answers the form's answer.
async fn add(browser: &mut Browser<'_>, fields: &[(&str, &str)]) -> super::Answer {
    let csrf = browser.get("/assets").await.csrf();
    let mut form = vec![("_csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser.post("/assets", &form).await
}

/// Posts `fields` to `path` with the CSRF token of the page at `page`.
async fn post_on(
    browser: &mut Browser<'_>,
    page: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> super::Answer {
    let csrf = browser.get(page).await.csrf();
    let mut form = vec![("_csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    browser.post(path, &form).await
}

async fn assets_of(app: &TestApp, token: &str) -> Vec<Value> {
    let page: Value = app.get_as(token, "/v1/assets").await.expect_json(200).await;
    page["items"].as_array().unwrap().clone()
}

async fn asset(app: &TestApp, token: &str, id: &str) -> Value {
    app.get_as(token, &format!("/v1/assets/{id}")).await.expect_json(200).await
}

async fn scans_of(app: &TestApp, token: &str, asset: &str) -> Vec<Value> {
    let page: Value =
        app.get_as(token, &format!("/v1/assets/{asset}/scans")).await.expect_json(200).await;
    page["items"].as_array().unwrap().clone()
}

/// An address asset registered through the API (loopback is allowed in tests).
async fn ip_asset(app: &TestApp, token: &str, ip: &str) -> String {
    let body = json!({"kind": "ip", "value": ip, "ports": "22,80"});
    let created: Value = app.post_as(token, "/v1/assets", &body).await.expect_json(201).await;
    created["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn an_asset_added_through_the_form_is_listed_with_its_kind_status_tags_and_schedule() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let empty = browser.get("/assets").await;
    assert_eq!(empty.status, 200);
    assert!(empty.body.contains("Add asset") && empty.body.contains(r#"action="/assets""#));
    assert!(empty.body.contains("No assets match"));

    let fields = [
        ("kind", "domain"),
        ("value", "Shop.Example.Test."),
        ("ports", "top-100, 8443"),
        ("tags", "prod, team:web"),
        ("schedule", "6h"),
    ];
    let added = add(&mut browser, &fields).await;
    assert_eq!(added.status, 303, "{}", added.body);
    let id = redirected_id(added.location.as_deref(), "/assets/");

    let list = browser.get("/assets").await;
    for shown in ["shop.example.test", "pending", "prod", "team:web", "6h", "never"] {
        assert!(list.body.contains(shown), "the list shows {shown}");
    }
    assert!(list.body.contains(&format!("/assets/{id}")));
    let filtered = browser.get("/assets?tag=team:web&kind=domain").await;
    assert!(filtered.body.contains("shop.example.test"), "the filters are applied");
    assert!(filtered.body.contains(r#"<option value="domain" selected>"#), "and kept in the form");
    let other_tag = browser.get("/assets?tag=staging").await;
    assert!(!other_tag.body.contains("shop.example.test"));
    let authorized = browser.get("/assets?status=authorized").await;
    assert!(!authorized.body.contains("shop.example.test"));

    let stored = assets_of(&app, &admin.token).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0]["value"], "shop.example.test");
    assert_eq!(stored[0]["ports"], "top-100,8443");
    assert_eq!(stored[0]["tags"], json!(["prod", "team:web"]));
    assert_eq!(app.audit_actions().await.iter().filter(|a| *a == "asset.create").count(), 1);
}

#[tokio::test]
async fn the_list_pages_with_a_cursor_and_explains_hostile_filters() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    for n in 1..=3 {
        ip_asset(&app, &admin.token, &format!("127.0.9.{n}")).await;
    }
    let mut browser = signed_in(&app, &admin).await;
    let first = browser.get("/assets?limit=2&kind=ip").await;
    assert!(first.body.contains("127.0.9.3") && first.body.contains("127.0.9.2"));
    assert!(!first.body.contains("127.0.9.1"), "newest first, two per page");
    let next = next_link(&first.body).expect("a link to the next page");
    assert!(next.contains("kind=ip") && next.contains("limit=2"), "the filters are kept: {next}");
    let second = browser.get(&next).await;
    assert!(second.body.contains("127.0.9.1") && !second.body.contains("127.0.9.3"));

    for hostile in [
        "/assets?status=pwned",
        "/assets?kind=%00",
        "/assets?tag=has%20space",
        "/assets?limit=99999999999999999999",
        "/assets?cursor=%00%ff",
    ] {
        let page = browser.get(hostile).await;
        assert_eq!(page.status, 200, "{hostile}");
        assert!(page.body.contains(r#"class="error""#), "{hostile} is explained on the page");
        assert!(!page.body.contains("127.0.9.1"), "{hostile} lists nothing");
    }
}

#[tokio::test]
async fn an_invalid_asset_is_refused_on_the_form_next_to_its_field_and_nothing_is_added() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let bad_ip = add(&mut browser, &[("kind", "ip"), ("value", "999.1.1.1"), ("tags", "ok")]).await;
    assert_eq!(bad_ip.status, 422);
    assert!(bad_ip.body.contains("The asset was not added"), "{}", bad_ip.body);
    assert!(bad_ip.body.contains(r#"class="field-error" id="value-error""#));
    assert!(bad_ip.body.contains("is not an IP address"));
    assert!(bad_ip.body.contains(r#"value="999.1.1.1""#), "what was typed is kept");
    assert!(bad_ip.body.contains(r#"<option value="ip" selected>"#));

    let cases: [&[(&str, &str)]; 5] = [
        &[("kind", "cidr"), ("value", "10.0.0.0/8")],
        &[("kind", "domain"), ("value", "shop.example.test"), ("ports", "0-99999999999")],
        &[("kind", "domain"), ("value", "shop.example.test"), ("schedule", "* * * * *")],
        &[("kind", "domain"), ("value", "shop.example.test"), ("tags", "Not/Ok!")],
        &[("kind", "router"), ("value", "shop.example.test")],
    ];
    for fields in cases {
        let refused = add(&mut browser, fields).await;
        assert_eq!(refused.status, 422, "{fields:?}");
        assert!(refused.body.contains(r#"class="field-error""#), "{fields:?}: {}", refused.body);
    }
    let nul = add(&mut browser, &[("kind", "domain"), ("value", "a\0b.example")]).await;
    assert_eq!(nul.status, 400);
    assert!(assets_of(&app, &admin.token).await.is_empty(), "nothing was added");

    let fields = [("kind", "ip"), ("value", "127.0.9.9")];
    assert_eq!(add(&mut browser, &fields).await.status, 303);
    let again = add(&mut browser, &fields).await;
    assert_eq!(again.status, 409, "a duplicate is refused on the form");
    assert!(again.body.contains("The asset was not added"));
    assert_eq!(assets_of(&app, &admin.token).await.len(), 1);
}

#[tokio::test]
async fn the_asset_page_shows_the_dns_record_and_the_well_known_file_to_publish() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let added = add(&mut browser, &[("kind", "domain"), ("value", "shop.example.test")]).await;
    let id = redirected_id(added.location.as_deref(), "/assets/");
    let page_path = format!("/assets/{id}");
    let before = browser.get(&page_path).await;
    assert_eq!(before.status, 200);
    assert!(before.body.contains("Issue a challenge"));
    assert!(!before.body.contains("dns-value"), "no instructions before a challenge");

    let issued = post_on(&mut browser, &page_path, &format!("/assets/{id}/authorize"), &[]).await;
    assert_eq!(issued.status, 303);
    assert_eq!(issued.location.as_deref(), Some(page_path.as_str()));
    let token =
        asset(&app, &admin.token, &id).await["challenge"]["token"].as_str().unwrap().to_string();
    let page = browser.get(&page_path).await;
    assert!(page.body.contains("verifying"));
    let shown = |id: &str| {
        text_after(&page.body, &format!(r#"id="{id}""#))
            .map(|t| t.trim_start_matches(" class=\"secret\"").trim_start_matches('>').to_string())
    };
    assert_eq!(shown("dns-name").as_deref(), Some("_palisade-challenge.shop.example.test"));
    assert_eq!(shown("dns-value"), Some(format!("palisade-verify={token}")));
    assert_eq!(
        shown("http-url-1"),
        Some(format!("https://shop.example.test/.well-known/palisade-verify/{token}"))
    );
    assert_eq!(
        shown("http-url-2"),
        Some(format!("http://shop.example.test/.well-known/palisade-verify/{token}"))
    );
    assert_eq!(shown("http-body"), Some(token.clone()));
    for copy in ["dns-name", "dns-value", "http-url-1", "http-body"] {
        assert!(page.body.contains(&format!(r#"data-copy="{copy}""#)), "a copy button for {copy}");
    }
    assert!(page.body.contains("Issue a new challenge") && page.body.contains(r#"id="verify""#));
    assert!(!page.body.contains("onclick") && !page.body.contains("<script>"), "no inline script");

    // Verifying now fails (nothing is published): the reason is on the page.
    let verified = post_on(&mut browser, &page_path, &format!("/assets/{id}/verify"), &[]).await;
    assert_eq!(verified.status, 303);
    let failed = browser.get(&page_path).await;
    assert!(failed.body.contains(r#"id="asset-status">failed<"#), "{}", failed.body);
    assert!(failed.body.contains("dns_txt"), "what each method found is shown");
    let bad_method = post_on(
        &mut browser,
        &page_path,
        &format!("/assets/{id}/verify"),
        &[("method", "attestation")],
    )
    .await;
    assert_eq!(bad_method.status, 422);
    assert!(bad_method.body.contains(r#"id="refusal""#));
}

#[tokio::test]
async fn scan_now_on_an_unauthorized_asset_is_refused_in_plain_words_and_queues_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let id = ip_asset(&app, &admin.token, "127.0.9.1").await;
    let mut browser = signed_in(&app, &admin).await;
    let page_path = format!("/assets/{id}");
    let page = browser.get(&page_path).await;
    assert!(!page.body.contains(r#"id="scan-now""#), "no scan button before authorization");
    assert!(page.body.contains("Scanning starts once the authorization is proven"));
    let refused = post_on(&mut browser, &page_path, &format!("/assets/{id}/scan"), &[]).await;
    assert_eq!(refused.status, 409);
    assert!(
        refused.body.contains("This asset cannot be scanned: it is pending, not authorized"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains(r#"id="proof""#), "the refusal is shown on the asset's page");
    assert!(!refused.body.contains("/v1/"), "no API paths in the console's words");
    assert!(scans_of(&app, &admin.token, &id).await.is_empty());

    let no_challenge = post_on(
        &mut browser,
        &page_path,
        &format!("/assets/{id}/verify"),
        &[("method", "http_file")],
    )
    .await;
    assert_eq!(no_challenge.status, 409);
    assert!(no_challenge.body.contains("No challenge was issued for this asset yet"));
}

#[tokio::test]
async fn an_attested_asset_is_scanned_followed_live_and_cancelled_while_queued() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let id = ip_asset(&app, &admin.token, "127.0.9.2").await;
    let mut browser = signed_in(&app, &admin).await;
    let page_path = format!("/assets/{id}");
    let no_reason = post_on(&mut browser, &page_path, &format!("/assets/{id}/attest"), &[]).await;
    assert_eq!(no_reason.status, 422, "a reason is required");
    let attest = [("reason", "lab under contract 42")];
    let attested =
        post_on(&mut browser, &page_path, &format!("/assets/{id}/attest"), &attest).await;
    assert_eq!(attested.status, 303);
    let page = browser.get(&page_path).await;
    assert!(page.body.contains("attestation") && page.body.contains("lab under contract 42"));
    assert!(page.body.contains(r#"id="scan-now""#));

    // No job runner here: the scan stays queued, and its page keeps polling itself.
    let started = post_on(&mut browser, &page_path, &format!("/assets/{id}/scan"), &[]).await;
    assert_eq!(started.status, 303);
    let scan = redirected_id(started.location.as_deref(), "/scans/");
    let scan_path = format!("/scans/{scan}");
    let live = browser.get(&scan_path).await;
    assert_eq!(live.status, 200);
    assert!(live.body.contains(&format!(r#"hx-get="{scan_path}""#)), "{}", live.body);
    for attribute in [
        r#"hx-trigger="every 2s""#,
        r##"hx-select="#scan-progress""##,
        r##"hx-target="#scan-progress""##,
    ] {
        assert!(live.body.contains(attribute), "{attribute}");
    }
    assert!(live.body.contains(r#"id="scan-status">queued<"#));
    assert!(live.body.contains(r#"id="cancel-scan""#));
    let asset_page = browser.get(&page_path).await;
    assert!(asset_page.body.contains(&format!(r#"<a href="{scan_path}">follow it</a>"#)));
    let twice = post_on(&mut browser, &page_path, &format!("/assets/{id}/scan"), &[]).await;
    assert_eq!(twice.status, 409, "one scan of an asset at a time");

    let cancelled = post_on(&mut browser, &scan_path, &format!("/scans/{scan}/cancel"), &[]).await;
    assert_eq!(cancelled.status, 303);
    let over = browser.get(&scan_path).await;
    assert!(over.body.contains(r#"id="scan-status">cancelled<"#));
    assert!(!over.body.contains("hx-trigger"), "a finished scan is not polled");
    assert!(!over.body.contains(r#"id="cancel-scan""#));
    let again = post_on(&mut browser, &scan_path, &format!("/scans/{scan}/cancel"), &[]).await;
    assert_eq!(again.status, 409);
    assert!(again.body.contains("already ended"));
    assert_eq!(scans_of(&app, &admin.token, &id).await[0]["status"], "cancelled");
}

#[tokio::test]
async fn the_schedule_is_changed_or_refused_next_to_its_field_and_deleting_needs_a_confirmation() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let id = ip_asset(&app, &admin.token, "127.0.9.3").await;
    let mut browser = signed_in(&app, &admin).await;
    let page_path = format!("/assets/{id}");
    let schedule_path = format!("/assets/{id}/schedule");
    let every_minute =
        post_on(&mut browser, &page_path, &schedule_path, &[("schedule", "* * * * *")]).await;
    assert_eq!(every_minute.status, 422);
    assert!(every_minute.body.contains(r#"id="schedule-error""#), "{}", every_minute.body);
    assert!(asset(&app, &admin.token, &id).await["schedule"].is_null());
    let daily = post_on(&mut browser, &page_path, &schedule_path, &[("schedule", "1d")]).await;
    assert_eq!(daily.status, 303);
    assert_eq!(asset(&app, &admin.token, &id).await["schedule"], "1d");
    assert!(browser.get(&page_path).await.body.contains("— next"), "the next scan is shown");
    let cleared = post_on(&mut browser, &page_path, &schedule_path, &[("schedule", "")]).await;
    assert_eq!(cleared.status, 303);
    assert!(asset(&app, &admin.token, &id).await["schedule"].is_null());

    let delete_path = format!("/assets/{id}/delete");
    let unconfirmed = post_on(&mut browser, &page_path, &delete_path, &[]).await;
    assert_eq!(unconfirmed.status, 400);
    assert!(unconfirmed.body.contains("Tick the box"));
    assert_eq!(assets_of(&app, &admin.token).await.len(), 1);
    let deleted = post_on(&mut browser, &page_path, &delete_path, &[("confirm", "yes")]).await;
    assert_eq!(deleted.status, 303);
    assert_eq!(deleted.location.as_deref(), Some("/assets"));
    assert!(assets_of(&app, &admin.token).await.is_empty());
    assert_eq!(browser.get(&page_path).await.status, 404);
}

#[tokio::test]
async fn a_read_only_user_sees_no_asset_actions_and_their_forged_posts_change_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let id = ip_asset(&app, &admin.token, "127.0.9.4").await;
    let auditor = app.member(admin.tenant, "audrey@acme.test", Role::AUDITOR_READONLY).await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&auditor.email, MEMBER_PASSWORD, None).await;
    let list = browser.get("/assets").await;
    assert_eq!(list.status, 200);
    assert!(list.body.contains("127.0.9.4"));
    assert!(!list.body.contains("Add asset"), "no add form for a read-only user");
    let page_path = format!("/assets/{id}");
    let page = browser.get(&page_path).await;
    assert_eq!(page.status, 200);
    for action in ["/authorize", "/verify", "/attest", "/scan", "/schedule", "/delete", "/baseline"]
    {
        assert!(!page.body.contains(&format!("/assets/{id}{action}")), "no {action} form");
    }
    let csrf = page.csrf();
    let posts: [(String, Vec<(&str, &str)>); 7] = [
        ("/assets".into(), vec![("kind", "ip"), ("value", "127.0.9.5")]),
        (format!("/assets/{id}/authorize"), vec![]),
        (format!("/assets/{id}/verify"), vec![]),
        (format!("/assets/{id}/attest"), vec![("reason", "trust me")]),
        (format!("/assets/{id}/scan"), vec![]),
        (format!("/assets/{id}/schedule"), vec![("schedule", "1d")]),
        (format!("/assets/{id}/delete"), vec![("confirm", "yes")]),
    ];
    for (path, fields) in posts {
        let mut form = vec![("_csrf", csrf.as_str())];
        form.extend(fields);
        assert_eq!(browser.post(&path, &form).await.status, 403, "{path}");
    }
    let stored = assets_of(&app, &admin.token).await;
    assert_eq!(stored.len(), 1, "nothing added, nothing deleted");
    assert_eq!(stored[0]["status"], "pending");
    assert!(stored[0]["challenge"].is_null() && stored[0]["schedule"].is_null());
    assert!(scans_of(&app, &admin.token, &id).await.is_empty());
    let random = uuid::Uuid::now_v7();
    let ack = browser.post(&format!("/changes/{random}/ack"), &[("_csrf", &csrf)]).await;
    assert_eq!(ack.status, 403, "acknowledging needs CHANGES_ACK");
}

#[tokio::test]
async fn another_tenants_asset_and_scan_and_malformed_ids_are_not_found() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let id = ip_asset(&app, &admin.token, "127.0.9.6").await;
    let other = app.admin_of("other").await;
    let mut browser = Browser::new(&app);
    browser.sign_in(&other.email, &other.password, Some("other")).await;
    assert_eq!(browser.get(&format!("/assets/{id}")).await.status, 404);
    assert!(!browser.get("/assets").await.body.contains("127.0.9.6"));
    for path in ["/assets/not-an-id", "/assets/%00", &format!("/scans/{}", uuid::Uuid::now_v7())] {
        assert_eq!(browser.get(path).await.status, 404, "{path}");
    }
    let csrf = browser.get("/assets").await.csrf();
    for (action, fields) in [("delete", vec![("confirm", "yes")]), ("authorize", vec![])] {
        let mut form = vec![("_csrf", csrf.as_str())];
        form.extend(fields);
        let answer = browser.post(&format!("/assets/{id}/{action}"), &form).await;
        assert_eq!(answer.status, 404, "{action}");
    }
    let theirs = browser.get(&format!("/changes?asset_id={id}")).await;
    assert!(theirs.body.contains("an unknown asset") && theirs.body.contains("No changes match"));
    let stored = asset(&app, &admin.token, &id).await;
    assert!(stored["challenge"].is_null(), "untouched");
}

#[tokio::test]
async fn the_changes_list_renders_empty_and_explains_hostile_filters() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let mut browser = signed_in(&app, &admin).await;
    let page = browser.get("/changes?acked=false&min_severity=high&type=PORT_OPENED").await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("No changes match"));
    assert!(page.body.contains(r#"<option value="high" selected>"#), "the filters are kept");
    assert!(page.body.contains(r#"<option value="false" selected>"#));
    for hostile in [
        "/changes?min_severity=pwned",
        "/changes?type=DROP%20TABLE",
        "/changes?acked=maybe",
        "/changes?asset_id=nope",
        "/changes?cursor=%00%ff",
        "/changes?limit=0",
    ] {
        let answer = browser.get(hostile).await;
        assert_eq!(answer.status, 200, "{hostile}");
        assert!(answer.body.contains(r#"class="error""#), "{hostile} is explained");
    }
    let csrf = page.csrf();
    let missing = format!("/changes/{}/ack", uuid::Uuid::now_v7());
    assert_eq!(browser.post(&missing, &[("_csrf", &csrf)]).await.status, 404);
    assert_eq!(browser.post("/changes/not-an-id/ack", &[("_csrf", &csrf)]).await.status, 404);
}
