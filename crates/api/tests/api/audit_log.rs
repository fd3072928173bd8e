//! HTTP tests of /v1/audit-log: filters, cursor pagination, bad queries, tenant isolation, who
//! may read, and the platform chain.

use platform::TenantId;
use platform::access::Role;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use testapp::TestApp;
use uuid::Uuid;

/// Appends a row to `tenant`'s chain at a past time `at`, as the platform would have written it
/// then: history the filters can be tested against (the database stamps new rows with now).
async fn seed(
    app: &TestApp,
    tenant: TenantId,
    actor: Uuid,
    action: &str,
    target: (&str, &str),
    at: &str,
) {
    let superuser = app.db.superuser().await;
    let mut conn = superuser.acquire().await.unwrap();
    sqlx::query("set session_replication_role = replica").execute(&mut *conn).await.unwrap();
    let last: Option<(i64, Vec<u8>)> = sqlx::query_as(
        "select seq, hash from audit_log where tenant_id = $1 order by seq desc limit 1",
    )
    .bind(tenant.as_uuid())
    .fetch_optional(&mut *conn)
    .await
    .unwrap();
    let (seq, prev) = last.map_or((1, vec![0u8; 32]), |(seq, hash)| (seq + 1, hash));
    let canonical: String = sqlx::query_scalar(
        "insert into audit_log (tenant_id, seq, prev_hash, hash, link, actor_type, actor_id,
                                action, target_type, target_id, occurred_at, summary)
         values ($1, $2, $3, null, 'hmac', 'user', $4, $5, $6, $7, $8::timestamptz,
                 '{\"seeded\": true}')
         returning audit_log_canonical(audit_log)",
    )
    .bind(tenant.as_uuid())
    .bind(seq)
    .bind(&prev)
    .bind(actor)
    .bind(action)
    .bind(target.0)
    .bind(target.1)
    .bind(at)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    let key = app.services.db.audit_key().unwrap();
    sqlx::query("update audit_log set hash = $3 where tenant_id = $1 and seq = $2")
        .bind(tenant.as_uuid())
        .bind(seq)
        .bind(key.link(&prev, &canonical).as_slice())
        .execute(&mut *conn)
        .await
        .unwrap();
    sqlx::query("reset session_replication_role").execute(&mut *conn).await.unwrap();
}

/// Two actors' rows at known times on 2020-01-01: hours 0 to 4.
async fn seed_history(app: &TestApp, tenant: TenantId) -> (Uuid, Uuid) {
    let (alice, bob) = (Uuid::now_v7(), Uuid::now_v7());
    seed(app, tenant, alice, "user.create", ("user", "u1"), "2020-01-01T00:00:00Z").await;
    seed(app, tenant, alice, "user.update", ("user", "u1"), "2020-01-01T01:00:00Z").await;
    seed(app, tenant, bob, "user.delete", ("user", "u2"), "2020-01-01T02:00:00Z").await;
    seed(app, tenant, bob, "api_key.create", ("api_key", "k1"), "2020-01-01T03:00:00Z").await;
    seed(app, tenant, alice, "username.odd", ("user", "u3"), "2020-01-01T04:00:00Z").await;
    (alice, bob)
}

async fn list(app: &TestApp, token: &str, query: &str) -> Value {
    let response = app.get_as(token, &format!("/v1/audit-log{query}")).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

/// The actions of a page's seeded rows, newest first.
fn seeded_actions(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|item| item["summary"]["seeded"] == true)
        .map(|item| item["action"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn each_filter_narrows_the_results() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let (alice, bob) = seed_history(&app, admin.tenant).await;
    let all = list(&app, &admin.token, "").await;
    assert_eq!(
        seeded_actions(&all),
        ["username.odd", "api_key.create", "user.delete", "user.update", "user.create"]
    );
    let cases: Vec<(String, Vec<&str>)> = vec![
        (format!("?actor_id={alice}"), vec!["username.odd", "user.update", "user.create"]),
        (format!("?actor_id={bob}&action=user.*"), vec!["user.delete"]),
        ("?action=user.update".into(), vec!["user.update"]),
        ("?action=user.*".into(), vec!["user.delete", "user.update", "user.create"]),
        ("?target_type=api_key".into(), vec!["api_key.create"]),
        ("?target_type=user&target_id=u1".into(), vec!["user.update", "user.create"]),
        (
            "?since=2020-01-01T01:00:00Z&until=2020-01-01T03:00:00Z".into(),
            vec!["user.delete", "user.update"],
        ),
    ];
    for (query, expected) in cases {
        let page = list(&app, &admin.token, &query).await;
        let actions: Vec<String> = page["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["action"].as_str().unwrap().into())
            .collect();
        assert_eq!(actions, expected, "{query}");
    }
}

#[tokio::test]
async fn items_carry_actor_target_and_request_details() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let page = list(&app, &admin.token, "?action=session.login").await;
    let item = &page["items"][0];
    assert_eq!(item["actor"], json!({"type": "user", "id": admin.user.to_string()}));
    assert_eq!(item["target"], json!({"type": "user", "id": admin.user.to_string()}));
    assert!(item["id"].is_string() && item["seq"].is_i64() && item["occurred_at"].is_string());
    assert!(item["request_id"].is_string() && item["source_ip"] == "127.0.0.1");
    assert_eq!(item["summary"]["email"], admin.email);
}

#[tokio::test]
async fn pagination_with_limit_2_walks_every_row_exactly_once_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    seed_history(&app, admin.tenant).await;
    let superuser = app.db.superuser().await;
    let count = || async {
        sqlx::query_scalar::<_, i64>(
            "select seq from audit_log where tenant_id = $1 order by seq desc",
        )
        .bind(admin.tenant.as_uuid())
        .fetch_all(&superuser)
        .await
        .unwrap()
    };
    let expected = count().await;
    let (mut seen, mut cursor) = (Vec::new(), None::<String>);
    loop {
        let query = match &cursor {
            Some(c) => format!("?limit=2&cursor={c}"),
            None => "?limit=2".into(),
        };
        let page = list(&app, &admin.token, &query).await;
        let items = page["items"].as_array().unwrap();
        assert!(items.len() <= 2);
        seen.extend(items.iter().map(|i| i["seq"].as_i64().unwrap()));
        match page["next_cursor"].as_str() {
            Some(next) => cursor = Some(next.to_string()),
            None => break,
        }
    }
    assert_eq!(seen, expected);
    assert_eq!(count().await, expected, "reading the log wrote to it");
}

#[tokio::test]
async fn bad_queries_answer_400_invalid_query_and_bad_cursors_400_invalid_cursor() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    for query in ["?cursor=abc", "?cursor=-3"] {
        let response = app.get_as(&admin.token, &format!("/v1/audit-log{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert_eq!(response.json::<Value>().await.unwrap()["code"], "INVALID_CURSOR", "{query}");
    }
    for query in [
        "?since=yesterday",
        "?until=2020-13-01T00:00:00Z",
        "?actor_id=nobody",
        "?scope=galaxy",
        "?colour=blue",
    ] {
        let response = app.get_as(&admin.token, &format!("/v1/audit-log{query}")).await;
        assert_eq!(response.status(), 400, "{query}");
        assert_eq!(response.json::<Value>().await.unwrap()["code"], "INVALID_QUERY", "{query}");
    }
    let response = app.get_as(&admin.token, "/v1/audit-log?limit=0").await;
    assert_eq!(response.status(), 422);
    assert_eq!(response.json::<Value>().await.unwrap()["errors"][0]["field"], "limit");
}

#[tokio::test]
async fn tenant_b_never_sees_tenant_a_rows() {
    let app = TestApp::spawn().await;
    let (a, b) = (app.admin_of("acme").await, app.admin_of("globex").await);
    let (alice, _) = seed_history(&app, a.tenant).await;
    let page = list(&app, &b.token, "?limit=200").await;
    let actors: BTreeSet<&str> = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|i| i["actor"]["id"].as_str())
        .collect();
    assert_eq!(actors, BTreeSet::from([b.user.to_string().as_str()]));
    assert!(seeded_actions(&page).is_empty());
    assert!(
        list(&app, &b.token, &format!("?actor_id={alice}")).await["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[tokio::test]
async fn analysts_are_refused_and_auditors_may_read() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/v1/audit-log").await.status(), 401);
    let tenant = app.tenant("acme").await;
    let analyst = app.member(tenant, "l1@acme.test", Role::SOC_ANALYST_L1).await;
    assert_eq!(app.get_as(&analyst.token, "/v1/audit-log").await.status(), 403);
    let auditor = app.member(tenant, "audit@acme.test", Role::AUDITOR_READONLY).await;
    let page = list(&app, &auditor.token, "?action=session.login").await;
    assert_eq!(page["items"].as_array().unwrap().len(), 2, "both members' logins");
}

#[tokio::test]
async fn the_platform_chain_is_for_global_administrators_only() {
    let app = TestApp::spawn().await;
    let page = list(&app, &app.admin_token().await, "?scope=platform").await;
    let actions: BTreeSet<&str> =
        page["items"].as_array().unwrap().iter().map(|i| i["action"].as_str().unwrap()).collect();
    assert!(actions.contains("tenant.create") && actions.contains("user.create"), "{actions:?}");
    let own = list(&app, &app.admin_token().await, "?scope=tenant").await;
    assert!(own["items"].as_array().unwrap().iter().all(|i| i["action"] != "tenant.create"));

    let admin = app.admin_of("acme").await;
    let refused = app.get_as(&admin.token, "/v1/audit-log?scope=platform").await;
    assert_eq!(refused.status(), 403);
    assert_eq!(refused.json::<Value>().await.unwrap()["code"], "FORBIDDEN");
}
