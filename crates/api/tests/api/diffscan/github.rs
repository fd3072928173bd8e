//! GitHub pull requests: a signed `pull_request` delivery becomes a scan whose check run is
//! created and completed (annotations in batches of at most 50) on a local GitHub that checks
//! what it is sent; unsigned deliveries change nothing; redeliveries are accepted once; fail-open
//! is a neutral check with a banner; unconfigured repositories are ignored until replayed.

use super::github_server::{CHECK_RUN_ID, GithubServer, HEAD_SHA, TOKEN};
use super::{AWS_DIFF, finished};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use std::time::Duration;
use testapp::{Member, ResponseExt, TestApp, logs};

struct Github {
    app: TestApp,
    admin: Member,
    server: GithubServer,
    installation: String,
    secret: String,
    _jobs: platform::jobs::JobRunner,
}

/// An application with a job runner, a local GitHub serving `diff`, an installation pointed at
/// it and the repository `octo/app` configured.
async fn github(diff: &[u8]) -> Github {
    let app = TestApp::spawn().await;
    let jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let server = GithubServer::start(diff).await;
    let created: Value = app
        .post_as(
            &admin.token,
            "/v1/diffscan/github/installations",
            &json!({"name": "github.com", "api_url": server.api_url(), "token": TOKEN}),
        )
        .await
        .expect_json(201)
        .await;
    let installation = created["id"].as_str().unwrap().to_string();
    assert_eq!(
        created["webhook_url"],
        format!("https://palisade.test/v1/diffscan/github/webhook/{installation}")
    );
    let secret = created["webhook_secret"].as_str().unwrap().to_string();
    let repository = app
        .post_as(
            &admin.token,
            &format!("/v1/diffscan/github/installations/{installation}/repositories"),
            &json!({"full_name": "octo/app"}),
        )
        .await;
    assert_eq!(repository.status(), 201);
    Github { app, admin, server, installation, secret, _jobs: jobs }
}

/// `sha256=<hex>` of `body` under `secret`, computed here as GitHub documents it.
fn signature(secret: &str, body: &[u8]) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(body);
    let digest = mac.finalize().into_bytes();
    format!("sha256={}", digest.iter().map(|b| format!("{b:02x}")).collect::<String>())
}

fn pull_request_event(action: &str, repository: &str, number: u64) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "action": action,
        "number": number,
        "pull_request": {
            "number": number,
            "title": "Add settings",
            "draft": false,
            "head": {"sha": HEAD_SHA, "ref": "feature"},
            "base": {"sha": "1111111111111111111111111111111111111111", "ref": "main"},
        },
        "repository": {"full_name": repository, "private": true},
        "sender": {"login": "octocat"},
    }))
    .unwrap()
}

impl Github {
    async fn deliver(
        &self,
        event: &str,
        guid: &str,
        body: &[u8],
        signature: Option<String>,
    ) -> reqwest::Response {
        let mut request = self
            .app
            .client
            .post(self.app.url(&format!("/v1/diffscan/github/webhook/{}", self.installation)))
            .header("content-type", "application/json")
            .header("x-github-event", event)
            .header("x-github-delivery", guid)
            .header("user-agent", "GitHub-Hookshot/abc123")
            .body(body.to_vec());
        if let Some(signature) = signature {
            request = request.header("x-hub-signature-256", signature);
        }
        request.send().await.unwrap()
    }

    async fn deliver_signed(&self, event: &str, guid: &str, body: &[u8]) -> Value {
        let response = self.deliver(event, guid, body, Some(signature(&self.secret, body))).await;
        response.expect_json(202).await
    }

    async fn deliveries(&self) -> Vec<Value> {
        let page: Value = self
            .app
            .get_as(&self.admin.token, "/v1/diffscan/github/deliveries")
            .await
            .expect_json(200)
            .await;
        page["items"].as_array().unwrap().clone()
    }

    /// The delivery `id` once its job handled it.
    async fn handled(&self, id: &str) -> Value {
        for _ in 0..400 {
            let delivery: Value = self
                .app
                .get_as(&self.admin.token, &format!("/v1/diffscan/github/deliveries/{id}"))
                .await
                .expect_json(200)
                .await;
            if delivery["status"] != "queued" {
                return delivery;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("delivery {id} stayed queued");
    }
}

/// A pull request adding 25 AWS key ids to each of three files: 75 open, blocking findings, each
/// on a line of a file.
fn many_findings_diff() -> Vec<u8> {
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut key = || {
        (0..16)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"[(seed % 32) as usize] as char
            })
            .collect::<String>()
    };
    let mut diff = String::new();
    for file in 0..3 {
        diff.push_str(&format!(
            "diff --git a/config/keys{file}.py b/config/keys{file}.py\nnew file mode 100644\n\
             index 0000000..1111111\n--- /dev/null\n+++ b/config/keys{file}.py\n@@ -0,0 +1,25 @@\n"
        ));
        for line in 0..25 {
            diff.push_str(&format!("+KEY_{line} = \"AKIA{}\"\n", key()));
        }
    }
    diff.into_bytes()
}

#[tokio::test]
async fn a_signed_pull_request_delivery_is_scanned_and_its_check_run_completed_in_batches_of_50() {
    let gh = github(&many_findings_diff()).await;
    let body = pull_request_event("opened", "octo/app", 7);
    let answer =
        gh.deliver_signed("pull_request", "72d3162e-cc78-11e3-81ab-4c9367dc0958", &body).await;
    assert_eq!(answer["status"], "queued");
    let delivery = gh.handled(answer["delivery_id"].as_str().unwrap()).await;
    assert_eq!(delivery["status"], "processed", "{delivery}");
    assert_eq!(delivery["headers"]["x-github-event"], "pull_request");
    let scan_id = delivery["scan_id"].as_str().unwrap().to_string();
    let scan = finished(&gh.app, &gh.admin.token, &scan_id).await;
    assert_eq!(
        (scan["source"].as_str(), scan["decision"].as_str()),
        (Some("github"), Some("fail"))
    );
    assert_eq!(scan["github"]["repository"], "octo/app");
    assert_eq!(scan["github"]["pull_request"], 7);
    assert_eq!(scan["github"]["head_sha"], HEAD_SHA);
    assert_eq!(scan["github"]["check_run_id"], CHECK_RUN_ID);
    let open = scan["findings"]["open"].as_u64().unwrap();
    assert!(open >= 75, "{scan}");

    let updates = gh.server.wait_for_updates(2).await;
    assert!(gh.server.refusals().is_empty(), "{:?}", gh.server.refusals());
    let requests = gh.server.requests();
    let diff_fetch = requests
        .iter()
        .find(|r| r.method == "GET" && r.headers["accept"] == "application/vnd.github.diff")
        .expect("the diff was fetched with the diff media type");
    assert_eq!(diff_fetch.path, "/repos/octo/app/pulls/7");
    let created = requests.iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(created.path, "/repos/octo/app/check-runs");
    assert_eq!(created.body["name"], "Palisade Diffscan");
    assert_eq!(created.body["external_id"], scan_id);
    assert_eq!(created.body["status"], "in_progress");
    // GitHub accepts at most 50 annotations per request: the first completes the run, the next
    // ones only add annotations.
    let counts: Vec<usize> =
        updates.iter().map(|u| u["output"]["annotations"].as_array().unwrap().len()).collect();
    assert!(counts.iter().all(|n| *n <= 50), "{counts:?}");
    assert_eq!(counts.iter().sum::<usize>() as u64, open, "{counts:?}");
    assert_eq!(counts[0], 50);
    assert_eq!(updates[0]["status"], "completed");
    assert_eq!(updates[0]["conclusion"], "failure");
    assert!(updates[1].get("conclusion").is_none());
    let first = &updates[0]["output"]["annotations"][0];
    assert_eq!(first["annotation_level"], "failure");
    assert!(first["path"].as_str().unwrap().starts_with("config/keys"));
    assert!(first["start_line"].as_u64().unwrap() >= 1);
    let summary = updates[0]["output"]["summary"].as_str().unwrap();
    assert!(summary.contains("**Decision: fail**"), "{summary}");
    assert!(summary.contains(&format!("/v1/diffscans/{scan_id}/report.html")), "{summary}");
}

#[tokio::test]
async fn a_delivery_not_signed_with_the_installation_secret_is_401_and_records_nothing() {
    let gh = github(AWS_DIFF.as_bytes()).await;
    let body = pull_request_event("opened", "octo/app", 1);
    let mut tampered = body.clone();
    tampered.extend_from_slice(b" ");
    let cases = [
        (body.clone(), None),
        (body.clone(), Some(signature("not-the-installation-secret", &body))),
        (tampered, Some(signature(&gh.secret, &body))),
        (body.clone(), Some("sha1=0123".to_string())),
    ];
    for (sent, header) in cases {
        let response = gh.deliver("pull_request", "guid-refused", &sent, header).await;
        let problem = response.problem().await;
        assert_eq!((problem.status, problem.code.as_str()), (401, "WEBHOOK_SIGNATURE_INVALID"));
    }
    assert!(gh.deliveries().await.is_empty());
    let unknown = gh
        .app
        .client
        .post(gh.app.url(&format!("/v1/diffscan/github/webhook/{}", uuid::Uuid::new_v4())))
        .header("x-hub-signature-256", signature(&gh.secret, &body))
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
}

#[tokio::test]
async fn a_redelivery_with_the_same_guid_is_accepted_once() {
    let gh = github(AWS_DIFF.as_bytes()).await;
    let body = pull_request_event("synchronize", "octo/app", 3);
    let first = gh.deliver_signed("pull_request", "0b1e8d3a-redelivered", &body).await;
    let again = gh.deliver_signed("pull_request", "0b1e8d3a-redelivered", &body).await;
    assert_eq!(first["status"], "queued");
    assert_eq!(again["status"], "duplicate");
    gh.handled(first["delivery_id"].as_str().unwrap()).await;
    assert_eq!(gh.deliveries().await.len(), 1);
    let scans: Value = gh.app.get_as(&gh.admin.token, "/v1/diffscans").await.json().await.unwrap();
    assert_eq!(scans["items"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn fail_closed_blocks_a_diff_it_cannot_read_and_fail_open_is_a_neutral_check_with_a_banner() {
    let gh = github(b"this is a commit message, not a unified diff\n").await;
    let closed = gh
        .deliver_signed(
            "pull_request",
            "guid-closed",
            &pull_request_event("opened", "octo/app", 11),
        )
        .await;
    let delivery = gh.handled(closed["delivery_id"].as_str().unwrap()).await;
    let scan = finished(&gh.app, &gh.admin.token, delivery["scan_id"].as_str().unwrap()).await;
    assert_eq!(
        (scan["decision"].as_str(), scan["degraded"].as_bool()),
        (Some("error"), Some(false))
    );
    let updates = gh.server.wait_for_updates(1).await;
    assert_eq!(updates[0]["conclusion"], "failure");

    let policy = gh
        .app
        .post_as(
            &gh.admin.token,
            "/v1/diffscan/policies",
            &json!({"name": "lenient", "is_default": true, "policy": {"on_error": "fail-open"}}),
        )
        .await;
    assert_eq!(policy.status(), 201);
    let open = gh
        .deliver_signed(
            "pull_request",
            "guid-open",
            &pull_request_event("synchronize", "octo/app", 11),
        )
        .await;
    let delivery = gh.handled(open["delivery_id"].as_str().unwrap()).await;
    let scan = finished(&gh.app, &gh.admin.token, delivery["scan_id"].as_str().unwrap()).await;
    assert_eq!((scan["decision"].as_str(), scan["degraded"].as_bool()), (Some("pass"), Some(true)));
    assert_eq!(scan["scan_errors"][0]["code"], "not-a-diff");
    let updates = gh.server.wait_for_updates(2).await;
    assert_eq!(updates[1]["conclusion"], "neutral");
    let summary = updates[1]["output"]["summary"].as_str().unwrap();
    assert!(summary.contains("fail-open") && summary.contains("*not* a pass"), "{summary}");
}

#[tokio::test]
async fn a_delivery_for_an_unconfigured_repository_is_ignored_then_scanned_when_replayed() {
    let gh = github(AWS_DIFF.as_bytes()).await;
    let answer = gh
        .deliver_signed(
            "pull_request",
            "guid-other",
            &pull_request_event("opened", "octo/other", 2),
        )
        .await;
    let id = answer["delivery_id"].as_str().unwrap().to_string();
    let ignored = gh.handled(&id).await;
    assert_eq!(ignored["status"], "ignored");
    assert!(ignored["detail"].as_str().unwrap().contains("not configured"), "{ignored}");
    assert!(gh.server.requests().is_empty(), "nothing was fetched for it");

    let added = gh
        .app
        .post_as(
            &gh.admin.token,
            &format!("/v1/diffscan/github/installations/{}/repositories", gh.installation),
            &json!({"full_name": "Octo/Other"}),
        )
        .await;
    assert_eq!(added.status(), 201);
    let replay = gh
        .app
        .post_as(
            &gh.admin.token,
            &format!("/v1/diffscan/github/deliveries/{id}/replay"),
            &json!({}),
        )
        .await;
    assert_eq!(replay.status(), 202);
    let processed = gh.handled(&id).await;
    assert_eq!(processed["status"], "processed", "{processed}");
    let scan = finished(&gh.app, &gh.admin.token, processed["scan_id"].as_str().unwrap()).await;
    assert_eq!(scan["decision"], "fail");
}

#[tokio::test]
async fn pings_and_other_events_are_recorded_and_ignored() {
    let gh = github(AWS_DIFF.as_bytes()).await;
    let ping =
        gh.deliver_signed("ping", "guid-ping", br#"{"zen": "Keep it logically awesome."}"#).await;
    assert_eq!(ping["status"], "ignored");
    let push = gh.deliver_signed("push", "guid-push", br#"{"ref": "refs/heads/main"}"#).await;
    assert_eq!(push["status"], "ignored");
    let closed = gh
        .deliver_signed(
            "pull_request",
            "guid-closed-pr",
            &pull_request_event("closed", "octo/app", 4),
        )
        .await;
    let closed = gh.handled(closed["delivery_id"].as_str().unwrap()).await;
    assert_eq!(closed["status"], "ignored");
    assert_eq!(closed["action"], "closed");
    assert_eq!(gh.deliveries().await.len(), 3);
    let scans: Value = gh.app.get_as(&gh.admin.token, "/v1/diffscans").await.json().await.unwrap();
    assert!(scans["items"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn a_pull_request_can_be_scanned_by_reference_and_no_secret_reaches_a_response_log_or_audit_row()
 {
    let gh = github(AWS_DIFF.as_bytes()).await;
    let scan = super::request_scan(
        &gh.app,
        &gh.admin.token,
        &json!({"github": {"installation_id": gh.installation, "repository": "octo/app", "pull_request": 9}}),
    )
    .await;
    assert_eq!(scan["name"], "octo/app#9");
    let scan = finished(&gh.app, &gh.admin.token, scan["id"].as_str().unwrap()).await;
    assert_eq!(scan["decision"], "fail");
    assert_eq!(scan["github"]["head_sha"], HEAD_SHA, "read from the pull request");
    let updates = gh.server.wait_for_updates(1).await;
    assert_eq!(updates[0]["conclusion"], "failure");

    let shown = gh
        .app
        .get_as(&gh.admin.token, &format!("/v1/diffscan/github/installations/{}", gh.installation))
        .await
        .text()
        .await
        .unwrap();
    assert!(!shown.contains(TOKEN) && !shown.contains(&gh.secret), "{shown}");
    let audit: Vec<String> = sqlx::query_scalar("select audit_log::text from audit_log")
        .fetch_all(&gh.app.db.superuser().await)
        .await
        .unwrap();
    let audit = audit.join("\n");
    let logged = logs::captured();
    for secret in [TOKEN, gh.secret.as_str()] {
        assert!(!audit.contains(secret), "a secret reached the audit log");
        assert!(!logged.contains(secret), "a secret reached the logs");
    }
}

#[tokio::test]
async fn an_api_url_the_outbound_guard_denies_is_refused() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    for url in ["http://169.254.169.254/latest", "http://10.1.2.3", "ftp://github.example"] {
        let problem = app
            .post_as(
                &admin.token,
                "/v1/diffscan/github/installations",
                &json!({"name": "internal", "api_url": url, "token": TOKEN}),
            )
            .await
            .problem()
            .await;
        assert_eq!(problem.status, 422, "{url}");
        assert!(
            ["URL_NOT_ALLOWED", "INVALID_URL"].contains(&problem.errors[0].code.as_str()),
            "{url}: {problem:?}"
        );
    }
}
