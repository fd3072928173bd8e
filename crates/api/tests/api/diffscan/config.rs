//! What scans run with: policies (checked by the engine; the default one applies; fail-closed
//! turns an unreadable diff into `error`, fail-open into a degraded `pass`), exceptions (they
//! stop applying when they expire, and the result says so), baselines (accepted findings pass,
//! new ones block) and tenant rule packs (refused with each problem's line, run beside the
//! built-in rules, refused when a rule id is taken).

use super::{AWS_DIFF, findings, finished, request_scan, scanned};
use serde_json::{Value, json};
use testapp::{ResponseExt, TestApp};

const NOT_A_DIFF: &str = "Fix the parser\n\nThis commit message arrived without its patch.\n";

#[tokio::test]
async fn fail_closed_makes_an_unreadable_diff_an_error_and_fail_open_a_degraded_pass() {
    let app = TestApp::spawn().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let closed = scanned(&app, &admin.token, NOT_A_DIFF).await;
    assert_eq!(
        (closed["decision"].as_str(), closed["degraded"].as_bool()),
        (Some("error"), Some(false))
    );
    assert_eq!(closed["scan_errors"][0]["code"], "not-a-diff");

    let lenient: Value = app
        .post_as(
            &admin.token,
            "/v1/diffscan/policies",
            &json!({"name": "lenient", "is_default": true, "policy": {"on_error": "fail-open"}}),
        )
        .await
        .expect_json(201)
        .await;
    assert_eq!(lenient["policy"]["version"], 1);
    let open = scanned(&app, &admin.token, NOT_A_DIFF).await;
    assert_eq!((open["decision"].as_str(), open["degraded"].as_bool()), (Some("pass"), Some(true)));
    assert_eq!(open["engine"]["on_error"], "fail-open");
    // Fail-open never lets a blocking finding through.
    let blocked = scanned(&app, &admin.token, AWS_DIFF).await;
    assert_eq!(blocked["decision"], "fail");
    // A scan can name a stricter policy than the default.
    let strict: Value = app
        .post_as(
            &admin.token,
            "/v1/diffscan/policies",
            &json!({"name": "strict", "policy": {"profile": "strict"}}),
        )
        .await
        .expect_json(201)
        .await;
    let scan =
        request_scan(&app, &admin.token, &json!({"diff": NOT_A_DIFF, "policy_id": strict["id"]}))
            .await;
    let scan = finished(&app, &admin.token, scan["id"].as_str().unwrap()).await;
    assert_eq!(
        (scan["decision"].as_str(), scan["engine"]["profile"].as_str()),
        (Some("error"), Some("strict"))
    );
}

#[tokio::test]
async fn policies_are_checked_by_the_engine_before_they_are_stored() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let cases = [
        (json!({"profile": "nonexistent"}), "INVALID_POLICY"),
        (json!({"on_error": "explode"}), "INVALID_POLICY"),
        (
            json!({"profiles": {"p": {"exclude": ["secrets.no-such-rule"]}}, "profile": "p"}),
            "UNKNOWN_RULE",
        ),
        (json!({"exceptions": []}), "INVALID_POLICY"),
        (json!("strict"), "INVALID_POLICY"),
    ];
    for (policy, code) in cases {
        let problem = app
            .post_as(&admin.token, "/v1/diffscan/policies", &json!({"name": "p", "policy": policy}))
            .await
            .problem()
            .await;
        assert_eq!((problem.status, problem.errors[0].code.as_str()), (422, code), "{policy}");
    }
    let created = app
        .post_as(
            &admin.token,
            "/v1/diffscan/policies",
            &json!({"name": "p", "policy": {"profile": "audit"}}),
        )
        .await;
    assert_eq!(created.status(), 201);
    let taken = app
        .post_as(&admin.token, "/v1/diffscan/policies", &json!({"name": "p", "policy": {}}))
        .await
        .problem()
        .await;
    assert_eq!((taken.status, taken.code.as_str()), (409, "CONFLICT"));
    let listed: Value =
        app.get_as(&admin.token, "/v1/diffscan/policies").await.expect_json(200).await;
    assert_eq!(listed["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn an_exception_accepts_a_finding_until_it_expires_then_the_result_reports_it() {
    let app = TestApp::spawn().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let today = chrono::Utc::now().date_naive();
    let exception: Value = app
        .post_as(
            &admin.token,
            "/v1/diffscan/exceptions",
            &json!({
                "rule": "family:secrets",
                "path": "src/*.py",
                "expires": today.to_string(),
                "reason": "throwaway keys of the staging account, rotated tonight",
            }),
        )
        .await
        .expect_json(201)
        .await;
    assert_eq!(exception["expired"], false);
    let excepted = scanned(&app, &admin.token, AWS_DIFF).await;
    assert_eq!(excepted["decision"], "pass", "{excepted}");
    let id = excepted["id"].as_str().unwrap();
    let listed = findings(&app, &admin.token, id, "family=secrets").await;
    assert!(
        listed.iter().all(|f| f["status"] == "excepted" && f["suppression"]["kind"] == "exception")
    );
    assert!(excepted["findings"]["excepted"].as_u64().unwrap() >= 2);

    // Two days pass: the exception has expired.
    sqlx::query("update diffscan_exceptions set expires_on = current_date - 2 where id = $1::uuid")
        .bind(exception["id"].as_str().unwrap())
        .execute(&app.db.superuser().await)
        .await
        .unwrap();
    let expired = scanned(&app, &admin.token, AWS_DIFF).await;
    assert_eq!(expired["decision"], "fail");
    assert_eq!(expired["expired_exceptions"][0]["rule"], "family:secrets");
    assert_eq!(expired["expired_exceptions"][0]["path"], "src/*.py");
    let still: Value = app
        .get_as(
            &admin.token,
            &format!("/v1/diffscan/exceptions/{}", exception["id"].as_str().unwrap()),
        )
        .await
        .expect_json(200)
        .await;
    assert_eq!(still["expired"], true);
    let in_force: Value = app
        .get_as(&admin.token, "/v1/diffscan/exceptions?expired=false")
        .await
        .expect_json(200)
        .await;
    assert!(in_force["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn exceptions_refuse_unknown_rules_bad_globs_past_days_and_reasons_that_say_nothing() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let good = json!({"rule": "secrets.jwt", "path": "tests/**", "expires": "2999-01-01", "reason": "fixtures of the login tests"});
    let with = |field: &str, value: Value| {
        let mut body = good.clone();
        body[field] = value;
        body
    };
    let cases = [
        (with("rule", json!("secrets.no-such-rule")), "UNKNOWN_RULE"),
        (with("rule", json!("Not A Selector!")), "INVALID_RULE_SELECTOR"),
        (with("path", json!("tests/[")), "INVALID_PATH_GLOB"),
        (with("expires", json!("2020-01-01")), "NOT_IN_FUTURE"),
        (with("expires", json!("tomorrow")), "INVALID_DATE"),
        (with("reason", json!("ok")), "INVALID_TEXT"),
        (with("policy_id", json!(uuid::Uuid::new_v4())), "UNKNOWN_REFERENCE"),
    ];
    for (body, code) in cases {
        let problem =
            app.post_as(&admin.token, "/v1/diffscan/exceptions", &body).await.problem().await;
        assert_eq!((problem.status, problem.errors[0].code.as_str()), (422, code), "{body}");
    }
    assert_eq!(app.post_as(&admin.token, "/v1/diffscan/exceptions", &good).await.status(), 201);
}

#[tokio::test]
async fn a_baseline_lets_accepted_findings_pass_while_new_ones_still_block() {
    let app = TestApp::spawn().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let first = scanned(&app, &admin.token, AWS_DIFF).await;
    assert_eq!(first["decision"], "fail");
    let baseline: Value = app
        .post_as(
            &admin.token,
            "/v1/diffscan/baselines",
            &json!({"name": "legacy settings", "add_from_scan": first["id"]}),
        )
        .await
        .expect_json(201)
        .await;
    assert!(baseline["entries"].as_i64().unwrap() >= 2, "{baseline}");
    let entries: Value = app
        .get_as(
            &admin.token,
            &format!("/v1/diffscan/baselines/{}/entries?limit=1", baseline["id"].as_str().unwrap()),
        )
        .await
        .expect_json(200)
        .await;
    assert!(entries["next_cursor"].is_string());
    assert_eq!(entries["items"][0]["fingerprint"].as_str().unwrap().len(), 64);

    let again =
        request_scan(&app, &admin.token, &json!({"diff": AWS_DIFF, "baseline_id": baseline["id"]}))
            .await;
    let again = finished(&app, &admin.token, again["id"].as_str().unwrap()).await;
    assert_eq!(again["decision"], "pass", "{again}");
    assert_eq!(again["findings"]["blocking"], 0);
    let listed =
        findings(&app, &admin.token, again["id"].as_str().unwrap(), "status=baselined").await;
    assert!(listed.len() >= 2);

    let new_key = AWS_DIFF.replace("AKIAVQJXXVBOTHD0WTFL", "AKIAZ7QK4MWPN2RTXB5C");
    let new =
        request_scan(&app, &admin.token, &json!({"diff": new_key, "baseline_id": baseline["id"]}))
            .await;
    let new = finished(&app, &admin.token, new["id"].as_str().unwrap()).await;
    assert_eq!(new["decision"], "fail", "a new key is not in the baseline");

    let removed: Value = app
        .send_as(
            reqwest::Method::PATCH,
            &admin.token,
            &format!("/v1/diffscan/baselines/{}", baseline["id"].as_str().unwrap()),
            &json!({"remove": [entries["items"][0]["fingerprint"]]}),
        )
        .await
        .expect_json(200)
        .await;
    assert_eq!(removed["entries"].as_i64().unwrap(), baseline["entries"].as_i64().unwrap() - 1);
    let bad = app
        .post_as(
            &admin.token,
            "/v1/diffscan/baselines",
            &json!({"name": "x", "entries": [{"fingerprint": "abc", "rule": "r"}]}),
        )
        .await
        .problem()
        .await;
    assert_eq!(bad.errors[0].code, "INVALID_FINGERPRINT");
}

const PACK: &str = r#"name: acme
version: 1
description: ACME's own tokens.
rules:
  - id: secrets.acme-token
    family: secrets
    severity: high
    confidence: high
    title: ACME token
    description: An ACME API token in the code.
    remediation: Revoke it and read it from the vault.
    pattern: '\b(?P<token>acme_[A-Za-z0-9]{32})\b'
    keywords: [acme_]
    capture: token
    examples:
      positive: ["key = 'acme_Q2xwT3ZhbXlqY2RlZmdoaWprbG1ub3Bx'"]
      negative: ["key = env('ACME')"]
"#;

#[tokio::test]
async fn a_tenant_rule_pack_is_validated_with_line_numbers_then_runs_beside_the_built_in_rules() {
    let app = TestApp::spawn().await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let broken =
        PACK.replace("pattern: '\\b(?P<token>acme_", "pattern: '\\b(?P<token>acme_(").replace(
            "negative: [\"key = env('ACME')\"]",
            "negative: [\"key = 'acme_Q2xwT3ZhbXlqY2RlZmdoaWprbG1ub3Bx'\"]",
        );
    let problem = app
        .post_as(&admin.token, "/v1/diffscan/rule-packs", &json!({"source": broken}))
        .await
        .problem()
        .await;
    assert_eq!(problem.status, 422);
    assert!(problem.errors.iter().all(|e| e.field == "source" && e.code == "INVALID_RULE_PACK"));
    assert!(problem.errors[0].message.starts_with("line 5"), "{problem:?}");

    let failing_example = PACK.replace(
        "negative: [\"key = env('ACME')\"]",
        "negative: [\"key = 'acme_Q2xwT3ZhbXlqY2RlZmdoaWprbG1ub3Bx'\"]",
    );
    let problem = app
        .post_as(&admin.token, "/v1/diffscan/rule-packs", &json!({"source": failing_example}))
        .await
        .problem()
        .await;
    assert!(problem.errors[0].message.contains("negative example"), "{problem:?}");

    let taken = PACK.replace("secrets.acme-token", "secrets.aws-access-key-id");
    let problem = app
        .post_as(&admin.token, "/v1/diffscan/rule-packs", &json!({"source": taken}))
        .await
        .problem()
        .await;
    assert_eq!((problem.status, problem.code.as_str()), (409, "RULE_ID_TAKEN"));

    let pack: Value = app
        .post_as(&admin.token, "/v1/diffscan/rule-packs", &json!({"source": PACK}))
        .await
        .expect_json(201)
        .await;
    assert_eq!(pack["rules"], json!(["secrets.acme-token"]));
    assert_eq!(pack["name"], "acme");
    let diff = "diff --git a/app.py b/app.py\n--- a/app.py\n+++ b/app.py\n@@ -1,1 +1,2 @@\n import os\n+TOKEN = 'acme_aZ3kP9qLm2Xw7Rt5Vb8Nc4Yd6Hf1Jg0S'\n";
    let scan = scanned(&app, &admin.token, diff).await;
    assert_eq!(scan["decision"], "fail", "{scan}");
    let listed =
        findings(&app, &admin.token, scan["id"].as_str().unwrap(), "rule_id=secrets.acme-token")
            .await;
    assert_eq!(listed.len(), 1);

    let disabled = app
        .send_as(
            reqwest::Method::PATCH,
            &admin.token,
            &format!("/v1/diffscan/rule-packs/{}", pack["id"].as_str().unwrap()),
            &json!({"enabled": false}),
        )
        .await;
    assert_eq!(disabled.status(), 200);
    let scan = scanned(&app, &admin.token, diff).await;
    assert_eq!(scan["decision"], "pass", "a disabled pack does not run");
}
