//! The detection-rule pages: a rule written in the form is created and listed; a rule that does
//! not compile comes back with the parser's message and line beside the YAML, as typed, and
//! nothing is stored; the enable/disable toggles; the test box; what a SOC analyst (no
//! `RULES_MANAGE`) sees and may post; another tenant's rule and hostile input.

use super::Browser;
use crate::alerts::Soc;
use platform::access::Role;
use serde_json::{Value, json};
use testapp::{MEMBER_PASSWORD, ResponseExt};

const RDP_RULE: &str = "title: RDP logon failures from the internet
id: 3c8f1a2b-9d4e-4f5a-8b6c-7d8e9f0a1b2c
status: experimental
description: Failed remote-desktop logons, a brute-force sign.
logsource:
    product: windows
    service: security
detection:
    selection:
        EventID: 4625
        LogonType: 10
    filter_internal:
        IpAddress|cidr: '10.0.0.0/8'
    condition: selection and not filter_internal
level: high
tags:
    - attack.credential_access
    - attack.t1110.001
";

/// The text of the textarea named `name`, as the browser shows it (entities decoded, the one
/// newline after the opening tag dropped).
fn textarea(html: &str, name: &str) -> String {
    let open = html.find(&format!("name=\"{name}\"")).expect("the textarea");
    let start = open + html[open..].find('>').unwrap() + 1;
    let end = start + html[start..].find("</textarea>").unwrap();
    let text = html[start..end].strip_prefix('\n').unwrap_or(&html[start..end]);
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&amp;", "&")
}

async fn api_rule(soc: &Soc, yaml: &str) -> Value {
    soc.post("/v1/detection-rules", &json!({"yaml": yaml})).await.expect_json(201).await
}

async fn signed_in_admin(soc: &Soc) -> Browser<'_> {
    let mut browser = Browser::new(&soc.app);
    browser.sign_in(&soc.admin.email, &soc.admin.password, None).await;
    browser
}

#[tokio::test]
async fn a_rule_written_in_the_form_is_created_listed_and_shown_as_typed() {
    let soc = Soc::start().await;
    let mut browser = signed_in_admin(&soc).await;
    let form = browser.get("/rules/new").await;
    assert_eq!(form.status, 200);
    assert!(form.body.contains(r#"action="/rules""#) && form.body.contains(r#"name="yaml""#));
    // Browsers send a textarea's line breaks as CRLF.
    let typed = RDP_RULE.replace('\n', "\r\n");
    let csrf = form.csrf();
    let fields =
        [("_csrf", csrf.as_str()), ("yaml", &typed), ("exceptions", ""), ("enabled", "on")];
    let created = browser.post("/rules", &fields).await;
    assert_eq!(created.status, 303, "{}", created.body);
    let location = created.location.unwrap();
    assert!(location.starts_with("/rules/") && location.ends_with("?saved=created"), "{location}");

    let page = browser.get(&location).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Rule created"));
    assert_eq!(textarea(&page.body, "yaml"), RDP_RULE, "the YAML is shown as it was typed");
    let list = browser.get("/rules").await;
    assert!(list.body.contains("RDP logon failures from the internet"), "the rule is listed");
    assert!(list.body.contains("High"), "with its level");

    let stored = soc.get("/v1/detection-rules").await;
    let rule = &stored["items"][0];
    assert_eq!((rule["level"].as_str(), rule["enabled"].as_bool()), (Some("high"), Some(true)));
    assert_eq!(rule["yaml"], RDP_RULE, "stored with the line breaks the YAML had");
    assert_eq!(soc.app.audit_summaries("detection_rule.create").await.len(), 1);
}

#[tokio::test]
async fn a_rule_that_does_not_compile_shows_the_parsers_message_and_line_and_creates_nothing() {
    let soc = Soc::start().await;
    let mut browser = signed_in_admin(&soc).await;
    let csrf = browser.get("/rules/new").await.csrf();
    let unknown_modifier = RDP_RULE.replace("IpAddress|cidr", "IpAddress|nosuchmodifier");
    let broken_yaml = RDP_RULE.replace("        LogonType: 10\n", "        LogonType: [10\n");
    for (yaml, line, quoted) in [
        (&unknown_modifier, "line 13", Some("IpAddress|nosuchmodifier")),
        (&broken_yaml, "line ", None),
    ] {
        let refused =
            browser.post("/rules", &[("_csrf", &csrf), ("yaml", yaml), ("enabled", "on")]).await;
        assert_eq!(refused.status, 422, "{}", refused.body);
        assert!(refused.body.contains("Nothing was saved"), "said at the top of the form");
        let error =
            refused.body.split(r#"id="yaml-error""#).nth(1).expect("an error beside the YAML");
        let error = &error[..error.find("</div>").unwrap()];
        assert!(error.contains(line), "the parser's line: {error}");
        if let Some(text) = quoted {
            let shown = error.split(r#"id="refused-line">"#).nth(1).expect("the refused line");
            assert!(shown.starts_with(&format!("        {text}")), "{shown}");
        }
        assert!(refused.body.contains(r#"aria-invalid="true""#));
        assert_eq!(&textarea(&refused.body, "yaml"), yaml, "what was typed is kept");
    }
    assert_eq!(soc.count("detection_rules").await, 0, "nothing was created");

    // The same on a change: the stored rule stays as it was.
    let rule = api_rule(&soc, RDP_RULE).await;
    let path = format!("/rules/{}", rule["id"].as_str().unwrap());
    let refused = browser.post(&path, &[("_csrf", &csrf), ("yaml", &unknown_modifier)]).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("line 13"));
    assert_eq!(textarea(&refused.body, "yaml"), unknown_modifier);
    let stored = soc.get(&format!("/v1/detection-rules/{}", rule["id"].as_str().unwrap())).await;
    assert_eq!(
        (stored["yaml"].as_str(), stored["enabled"].as_bool()),
        (Some(RDP_RULE), Some(true))
    );
    assert!(soc.app.audit_summaries("detection_rule.update").await.is_empty());
}

#[tokio::test]
async fn the_toggle_on_each_row_disables_and_enables_a_rule() {
    let soc = Soc::start().await;
    let rule = api_rule(&soc, RDP_RULE).await;
    let id = rule["id"].as_str().unwrap();
    let mut browser = signed_in_admin(&soc).await;
    let list = browser.get("/rules").await;
    let disable = format!("/rules/{id}/disable");
    assert!(
        list.body.contains(&format!(r#"action="{disable}""#)),
        "an enabled rule offers Disable"
    );
    let csrf = list.csrf();
    let done = browser.post(&disable, &[("_csrf", &csrf), ("back", "list")]).await;
    assert_eq!((done.status, done.location.as_deref()), (303, Some("/rules")));
    assert_eq!(soc.get(&format!("/v1/detection-rules/{id}")).await["enabled"], false);
    let list = browser.get("/rules").await;
    assert!(list.body.contains(&format!(r#"action="/rules/{id}/enable""#)));
    assert!(list.body.contains(r#"data-enabled="false""#));
    let off = browser.get("/rules?enabled=off").await;
    assert!(off.body.contains(id), "the disabled filter lists it");
    assert!(!browser.get("/rules?enabled=on").await.body.contains(&format!("rule-{id}")));

    let done = browser.post(&format!("/rules/{id}/enable"), &[("_csrf", &csrf)]).await;
    assert_eq!(done.location, Some(format!("/rules/{id}")), "back to the rule's page");
    let stored = soc.get(&format!("/v1/detection-rules/{id}")).await;
    assert_eq!(
        (stored["enabled"].as_bool(), stored["yaml"].as_str()),
        (Some(true), Some(RDP_RULE))
    );
}

#[tokio::test]
async fn the_test_box_says_which_sample_events_match_and_saves_nothing() {
    let soc = Soc::start().await;
    let mut browser = signed_in_admin(&soc).await;
    let csrf = browser.get("/rules/new").await.csrf();
    let events = concat!(
        r#"{"EventID": 4625, "LogonType": 10, "IpAddress": "203.0.113.5"}"#,
        "\n",
        r#"{"EventID": 4625, "LogonType": 10, "IpAddress": "10.1.2.3"}"#,
        "\n"
    );
    let exceptions = r#"[{"IpAddress": "203.0.113.9"}]"#;
    let fields = [
        ("_csrf", csrf.as_str()),
        ("yaml", RDP_RULE),
        ("exceptions", exceptions),
        ("events", events),
    ];
    let tested = browser.post("/rules/test", &fields).await;
    assert_eq!(tested.status, 200, "{}", tested.body);
    assert!(tested.body.contains("1 of 2 events match"), "{}", tested.body);
    assert!(tested.body.contains("filter_internal: yes"), "the second is the internal one");
    assert_eq!(textarea(&tested.body, "yaml"), RDP_RULE);
    assert_eq!(textarea(&tested.body, "events"), events, "the sample events are kept");
    assert_eq!(textarea(&tested.body, "exceptions"), exceptions);
    assert_eq!(soc.count("detection_rules").await, 0, "a test stores nothing");

    let not_json = browser
        .post("/rules/test", &[("_csrf", &csrf), ("yaml", RDP_RULE), ("events", "{nope")])
        .await;
    assert_eq!(not_json.status, 422);
    assert!(
        not_json.body.contains(r#"id="events-error""#) && not_json.body.contains("not valid JSON")
    );
}

#[tokio::test]
async fn a_soc_analyst_sees_rules_without_buttons_and_forged_changes_are_refused() {
    let soc = Soc::start().await;
    let rule = api_rule(&soc, RDP_RULE).await;
    let id = rule["id"].as_str().unwrap();
    let analyst = soc.member("lena@example.test", Role::SOC_ANALYST_L1).await;
    let mut browser = Browser::new(&soc.app);
    browser.sign_in(&analyst.email, MEMBER_PASSWORD, None).await;
    let home = browser.get("/").await;
    assert!(
        !home.body.contains(r#"data-section="rules""#),
        "no link to the rules in the navigation"
    );
    let list = browser.get("/rules").await;
    assert_eq!(list.status, 200, "reading rules needs only ALERTS_VIEW");
    assert!(list.body.contains("RDP logon failures"));
    assert!(!list.body.contains("/rules/new") && !list.body.contains("/disable"), "no buttons");
    let page = browser.get(&format!("/rules/{id}")).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("brute-force sign"), "the YAML is shown");
    assert!(!page.body.contains("<textarea") && !page.body.contains("/delete"), "read-only");
    assert_eq!(browser.get("/rules/new").await.status, 403);

    let csrf = page.csrf();
    let other = RDP_RULE.replace("level: high", "level: low");
    let forged = [
        ("/rules".to_string(), vec![("yaml", other.as_str()), ("enabled", "on")]),
        (format!("/rules/{id}"), vec![("yaml", other.as_str())]),
        (format!("/rules/{id}/disable"), vec![]),
        (format!("/rules/{id}/delete"), vec![]),
        ("/rules/test".to_string(), vec![("yaml", RDP_RULE), ("events", "{}")]),
    ];
    for (path, mut fields) in forged {
        fields.push(("_csrf", &csrf));
        let refused = browser.post(&path, &fields).await;
        assert_eq!(refused.status, 403, "{path}");
        assert!(refused.body.contains("RULES_MANAGE"), "the service refused it: {path}");
    }
    assert_eq!(soc.count("detection_rules").await, 1);
    let stored = soc.get(&format!("/v1/detection-rules/{id}")).await;
    assert_eq!((stored["level"].as_str(), stored["enabled"].as_bool()), (Some("high"), Some(true)));
}

#[tokio::test]
async fn another_tenants_rule_malformed_ids_and_hostile_input_change_nothing() {
    let soc = Soc::start().await;
    let rule = api_rule(&soc, RDP_RULE).await;
    let id = rule["id"].as_str().unwrap();
    let other = soc.app.admin_of("other").await;
    let mut outsider = Browser::new(&soc.app);
    outsider.sign_in(&other.email, &other.password, Some("other")).await;
    assert_eq!(outsider.get(&format!("/rules/{id}")).await.status, 404);
    assert!(!outsider.get("/rules").await.body.contains(id));
    let csrf = outsider.get("/rules").await.csrf();
    for action in ["disable", "delete"] {
        let path = format!("/rules/{id}/{action}");
        assert_eq!(outsider.post(&path, &[("_csrf", &csrf)]).await.status, 404, "{path}");
    }
    let changed =
        outsider.post(&format!("/rules/{id}"), &[("_csrf", &csrf), ("yaml", RDP_RULE)]).await;
    assert_eq!(changed.status, 404);
    assert_eq!(outsider.get("/rules/not-a-rule").await.status, 404);
    assert_eq!(outsider.post("/rules/%00/delete", &[("_csrf", &csrf)]).await.status, 404);

    let mut browser = signed_in_admin(&soc).await;
    let csrf = browser.get("/rules").await.csrf();
    let nul = RDP_RULE.replace("status: experimental", "status: exp\0erimental");
    let refused = browser.post("/rules", &[("_csrf", &csrf), ("yaml", &nul)]).await;
    assert_eq!(refused.status, 400, "a NUL byte is refused with a clear error");
    let bad_exceptions = browser
        .post("/rules", &[("_csrf", &csrf), ("yaml", RDP_RULE), ("exceptions", "[{\"User\": ")])
        .await;
    assert_eq!(bad_exceptions.status, 422);
    assert!(bad_exceptions.body.contains(r#"id="exceptions-error""#));
    let nested = browser
        .post(
            "/rules",
            &[("_csrf", &csrf), ("yaml", RDP_RULE), ("exceptions", r#"[{"User": {"a": 1}}]"#)],
        )
        .await;
    assert_eq!(nested.status, 422);
    assert!(nested.body.contains("exception 1:"), "the service's refusal names the exception");
    let huge = format!("{RDP_RULE}#{}\n", "x".repeat(70_000));
    assert_eq!(browser.post("/rules", &[("_csrf", &csrf), ("yaml", &huge)]).await.status, 422);
    assert_eq!(browser.get("/rules?enabled=maybe").await.status, 200);
    assert!(browser.get("/rules?enabled=maybe").await.body.contains("on, off, or all"));
    let bad_cursor = browser.get("/rules?cursor=bm90LWEtY3Vyc29y").await;
    assert_eq!(bad_cursor.status, 200, "a forged cursor is explained on the list");
    assert!(bad_cursor.body.contains(r#"<p class="error" role="alert">"#));
    assert_eq!(soc.count("detection_rules").await, 1, "only the first rule exists");
    let stored = soc.get(&format!("/v1/detection-rules/{id}")).await;
    assert_eq!(stored["enabled"], true);
}
