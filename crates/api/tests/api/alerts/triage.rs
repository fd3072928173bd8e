//! Triage: every move between statuses recorded in the alert's history and the audit log, the
//! moves a status does not allow refused, assignment to members only; the queue's filters,
//! free-text search and cursor pages; hostile query values.

use super::{Soc, accepted_id, own_alert};
use platform::access::Role;
use serde_json::{Value, json};
use testapp::ResponseExt;

#[tokio::test]
async fn an_alert_goes_from_new_to_closed_and_back_with_every_change_in_its_history() {
    let soc = Soc::start().await;
    let analyst = soc.member("l2@soc.test", Role::SOC_ANALYST_L2).await;
    let id = accepted_id(
        &soc.ingest("/v1/alerts/ingest", &own_alert("Suspicious login", "high", "h1")).await,
    );
    let act = |path: &str, body: Value| {
        let url = format!("/v1/alerts/{id}/{path}");
        let token = analyst.token.clone();
        let app = &soc.app;
        async move { app.post_as(&token, &url, &body).await }
    };
    let acknowledged: Value =
        act("acknowledge", json!({"comment": "looking"})).await.expect_json(200).await;
    assert_eq!(acknowledged["status"], "acknowledged");
    assert_eq!(acknowledged["finding"]["status_id"], 2);
    let again: Value = act("acknowledge", json!({})).await.expect_json(200).await;
    assert_eq!(
        again["history"].as_array().unwrap().len(),
        1,
        "acknowledging again changes nothing"
    );
    let assigned: Value =
        act("assign", json!({"assignee_id": analyst.user})).await.expect_json(200).await;
    assert_eq!(assigned["assignee_id"], analyst.user.to_string());
    act("investigate", json!({})).await.expect_json::<Value>(200).await;
    let refused = act("reopen", json!({})).await.problem().await;
    assert_eq!((refused.status, refused.code.as_str()), (409, "ALERT_TRANSITION_NOT_ALLOWED"));
    let bad = act("close", json!({"disposition": "maybe"})).await.problem().await;
    assert_eq!(bad.errors[0].code, "INVALID_DISPOSITION");
    let closed: Value =
        act("close", json!({"disposition": "false_positive", "comment": "admin test"}))
            .await
            .expect_json(200)
            .await;
    assert_eq!(
        (closed["status"].as_str(), closed["disposition"].as_str()),
        (Some("closed"), Some("false_positive"))
    );
    assert_eq!(
        (closed["finding"]["status_id"].as_i64(), closed["finding"]["status"].as_str()),
        (Some(4), Some("Resolved"))
    );
    assert_eq!(act("close", json!({"disposition": "benign"})).await.status(), 409);
    assert_eq!(act("assign", json!({})).await.status(), 409, "a closed alert is not reassigned");
    let reopened: Value =
        act("reopen", json!({"comment": "it came back"})).await.expect_json(200).await;
    assert_eq!(
        (reopened["status"].as_str(), reopened["disposition"].as_str()),
        (Some("acknowledged"), None)
    );
    let steps: Vec<(&str, &str, &str)> = reopened["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| {
            (
                h["action"].as_str().unwrap(),
                h["from_status"].as_str().unwrap(),
                h["to_status"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            ("acknowledge", "new", "acknowledged"),
            ("assign", "acknowledged", "acknowledged"),
            ("investigate", "acknowledged", "investigating"),
            ("close", "investigating", "closed"),
            ("reopen", "closed", "acknowledged"),
        ]
    );
    let history = &reopened["history"];
    assert_eq!(
        (history[0]["actor_type"].as_str(), history[0]["actor_id"].as_str()),
        (Some("user"), Some(analyst.user.to_string().as_str()))
    );
    assert_eq!(history[0]["comment"], "looking");
    assert_eq!(history[3]["disposition"], "false_positive");
    assert_eq!(history[1]["to_assignee"], analyst.user.to_string());
    let audited = soc.app.audit_actions().await;
    for action in
        ["alert.acknowledge", "alert.assign", "alert.investigate", "alert.close", "alert.reopen"]
    {
        assert!(audited.contains(&action.to_string()), "{action}");
    }
    let events = soc.get("/v1/events").await;
    let updated =
        events["items"].as_array().unwrap().iter().filter(|e| e["type"] == "alert.updated").count();
    assert_eq!(updated, 5);
}

#[tokio::test]
async fn only_active_members_of_the_tenant_can_be_assigned() {
    let soc = Soc::start().await;
    let stranger = soc.app.admin_of("other").await.user;
    let id = accepted_id(&soc.ingest("/v1/alerts/ingest", &own_alert("x", "low", "h")).await);
    for assignee in [json!(stranger), json!(uuid::Uuid::now_v7())] {
        let problem = soc
            .post(&format!("/v1/alerts/{id}/assign"), &json!({"assignee_id": assignee}))
            .await
            .problem()
            .await;
        assert_eq!(problem.errors[0].code, "INVALID_ASSIGNEE");
    }
    let unassigned = soc.get("/v1/alerts?assignee=none").await;
    assert_eq!(unassigned["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_queue_filters_by_status_severity_source_time_observable_and_free_text() {
    let soc = Soc::start().await;
    let mut web = own_alert("SQL injection attempt on checkout", "high", "web-01");
    web["description"] = json!("WAF matched UNION SELECT in parameter basket_id");
    web["observables"] =
        json!([{"type": "hostname", "value": "web-01"}, {"type": "ip", "value": "198.51.100.7"}]);
    let batch = json!([
        web,
        own_alert("Disk nearly full", "low", "db-01"),
        own_alert("Mimikatz detected", "critical", "ws-7")
    ]);
    let report = soc.ingest("/v1/alerts/ingest", &batch).await;
    let ids: Vec<&str> =
        report["accepted"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap()).collect();
    soc.ingest("/v1/alerts/ingest/wazuh", &super::fixture("wazuh-4x-rdp-bruteforce.json")).await;
    // Alerts of one batch share their creation millisecond: compare them as sets.
    let titles = |page: &Value| -> Vec<String> {
        let mut titles: Vec<String> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["title"].as_str().unwrap().to_string())
            .collect();
        titles.sort();
        titles
    };
    assert_eq!(
        titles(&soc.get("/v1/alerts?min_severity=high").await),
        ["Mimikatz detected", "SQL injection attempt on checkout"]
    );
    assert_eq!(
        titles(&soc.get("/v1/alerts?severity=low,critical").await),
        ["Disk nearly full", "Mimikatz detected"]
    );
    assert_eq!(soc.get("/v1/alerts?source=wazuh").await["items"].as_array().unwrap().len(), 1);
    assert_eq!(
        titles(&soc.get("/v1/alerts?q=union%20select").await),
        ["SQL injection attempt on checkout"]
    );
    assert_eq!(titles(&soc.get("/v1/alerts?q=mimikatz%20-sql").await), ["Mimikatz detected"]);
    assert_eq!(
        titles(&soc.get("/v1/alerts?q=web-01").await),
        ["SQL injection attempt on checkout"]
    );
    assert_eq!(
        titles(&soc.get("/v1/alerts?observable=198.51.100.7&observable_type=ip").await),
        ["SQL injection attempt on checkout"]
    );
    assert_eq!(soc.get("/v1/alerts?rule=60204").await["items"].as_array().unwrap().len(), 1);
    soc.post(&format!("/v1/alerts/{}/acknowledge", ids[1]), &json!({})).await;
    assert_eq!(titles(&soc.get("/v1/alerts?status=acknowledged").await), ["Disk nearly full"]);
    let all = soc.get("/v1/alerts").await;
    let newest = all["items"][0]["created_at"].as_str().unwrap().to_string();
    let before = soc.get(&format!("/v1/alerts?to={}", newest.replace('+', "%2B"))).await;
    assert!(before["items"].as_array().unwrap().len() < 4);
    let after = soc.get(&format!("/v1/alerts?from={}", newest.replace('+', "%2B"))).await;
    assert!(!after["items"].as_array().unwrap().is_empty());
    assert_eq!(soc.get("/v1/alerts?from=2999-01-01T00:00:00Z").await["items"], json!([]));
}

#[tokio::test]
async fn the_queue_filters_by_assignee_and_combines_filters_with_the_cursor() {
    let soc = Soc::start().await;
    let analyst = soc.member("l1@soc.test", Role::SOC_ANALYST_L1).await;
    let batch: Vec<Value> =
        (0..6).map(|n| own_alert(&format!("B{n}"), ["low", "high"][n % 2], "h")).collect();
    let report = soc.ingest("/v1/alerts/ingest", &json!(batch)).await;
    let ids: Vec<String> = report["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap().to_string())
        .collect();
    for id in &ids[..3] {
        let assigned = soc
            .post(&format!("/v1/alerts/{id}/assign"), &json!({"assignee_id": analyst.user}))
            .await;
        assert_eq!(assigned.status(), 200);
    }
    let listed = |page: &Value| -> Vec<String> {
        let mut ids: Vec<String> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let sorted = |mut ids: Vec<String>| {
        ids.sort();
        ids
    };
    let mine = soc.get(&format!("/v1/alerts?assignee={}", analyst.user)).await;
    assert_eq!(listed(&mine), sorted(ids[..3].to_vec()));
    let nobody = soc.get("/v1/alerts?assignee=none").await;
    assert_eq!(listed(&nobody), sorted(ids[3..].to_vec()));
    // Assigned to the analyst and high: B1 only; unassigned and high: B3 and B5.
    let mine_high = soc.get(&format!("/v1/alerts?assignee={}&severity=high", analyst.user)).await;
    assert_eq!(listed(&mine_high), [ids[1].clone()]);
    // Unassigned and high, one at a time through the cursor: both, then no further page.
    let first = soc.get("/v1/alerts?assignee=none&severity=high&limit=1").await;
    let cursor = first["next_cursor"].as_str().unwrap();
    let second =
        soc.get(&format!("/v1/alerts?assignee=none&severity=high&limit=1&cursor={cursor}")).await;
    assert_eq!(second["next_cursor"], Value::Null);
    let both = [listed(&first), listed(&second)].concat();
    assert_eq!(sorted(both), sorted(vec![ids[3].clone(), ids[5].clone()]));
}

#[tokio::test]
async fn pages_follow_their_cursor_newest_first_and_malformed_queries_are_4xx() {
    let soc = Soc::start().await;
    let batch: Vec<Value> =
        (0..7).map(|n| own_alert(&format!("A{n}"), "low", &format!("h{n}"))).collect();
    soc.ingest("/v1/alerts/ingest", &json!(batch)).await;
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/alerts?limit=3&cursor={c}"),
            None => "/v1/alerts?limit=3".to_string(),
        };
        let page = soc.get(&path).await;
        seen.extend(
            page["items"].as_array().unwrap().iter().map(|a| a["id"].as_str().unwrap().to_string()),
        );
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    let mut sorted = seen.clone();
    sorted.sort();
    sorted.reverse();
    assert_eq!((seen.len(), &seen), (7, &sorted));
    let cases = [
        ("/v1/alerts?cursor=not-a-cursor", 400, "INVALID_CURSOR"),
        ("/v1/alerts?limit=100000000000000000000", 400, "INVALID_QUERY"),
        ("/v1/alerts?status=maybe", 422, "VALIDATION_FAILED"),
        ("/v1/alerts?from=10000-01-01T00:00:00Z", 422, "VALIDATION_FAILED"),
        ("/v1/alerts?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", 422, "VALIDATION_FAILED"),
        ("/v1/alerts?q=%00", 400, "INVALID_QUERY"),
        ("/v1/alerts?observable=999.1.1.1&observable_type=ip", 422, "VALIDATION_FAILED"),
        ("/v1/alerts?colour=red", 400, "INVALID_QUERY"),
        ("/v1/alerts/stats?from=yesterday", 422, "VALIDATION_FAILED"),
        ("/v1/alerts/not-an-id", 404, "NOT_FOUND"),
    ];
    for (path, status, code) in cases {
        let problem = soc.app.get_as(&soc.admin.token, path).await.problem().await;
        assert_eq!((problem.status, problem.code.as_str()), (status, code), "{path}");
    }
    let nul_comment = soc
        .post(&format!("/v1/alerts/{}/acknowledge", seen[0]), &json!({"comment": "a\u{0}b"}))
        .await;
    assert_eq!(nul_comment.status(), 400);
}

#[tokio::test]
async fn an_executive_reads_the_queue_but_cannot_triage_and_an_l1_cannot_bulk() {
    let soc = Soc::start().await;
    let id = accepted_id(&soc.ingest("/v1/alerts/ingest", &own_alert("x", "low", "h")).await);
    let executive = soc.member("ceo@soc.test", Role::EXECUTIVE_READONLY).await;
    let analyst = soc.member("l1@soc.test", Role::SOC_ANALYST_L1).await;
    assert_eq!(soc.app.get_as(&executive.token, &format!("/v1/alerts/{id}")).await.status(), 200);
    let refused = soc
        .app
        .post_as(&executive.token, &format!("/v1/alerts/{id}/acknowledge"), &json!({}))
        .await;
    assert_eq!(refused.status(), 403);
    let ack =
        soc.app.post_as(&analyst.token, &format!("/v1/alerts/{id}/acknowledge"), &json!({})).await;
    assert_eq!(ack.status(), 200);
    let bulk = soc
        .app
        .post_as(&analyst.token, "/v1/alerts/bulk", &json!({"action": "acknowledge", "ids": [id]}))
        .await;
    assert_eq!(bulk.status(), 403);
    let settings = soc
        .app
        .send_as(reqwest::Method::PUT, &analyst.token, "/v1/alerts/settings", &json!({}))
        .await;
    assert_eq!(settings.status(), 403);
}
