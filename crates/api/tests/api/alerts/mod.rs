//! The alerts capability through HTTP: ingestion from every adapter with its OCSF output checked
//! field by field, signed sources, dedup, detection rules and Sigma semantics, correlation,
//! triage, bulk changes, SLA and statistics.

mod adapters;
mod bulk;
mod correlation;
mod ingest;
mod rules;
mod sigma;
mod signing;
mod sla;
mod triage;

use platform::access::Role;
use serde_json::Value;
use testapp::{Member, ResponseExt, TestApp};

/// A tenant with its administrator and an ingest API key.
pub struct Soc {
    pub app: TestApp,
    pub admin: Member,
    pub key: String,
}

impl Soc {
    pub async fn start() -> Soc {
        let app = TestApp::spawn().await;
        Soc::in_app(app, "soc").await
    }

    pub async fn in_app(app: TestApp, slug: &str) -> Soc {
        let admin = app.admin_of(slug).await;
        let key = app.api_key(&admin.token, &["ALERTS_INGEST"]).await.key;
        Soc { app, admin, key }
    }

    /// Pushes `body` (JSON) to `path` with the ingest key; answers the report (200).
    pub async fn ingest(&self, path: &str, body: &Value) -> Value {
        self.app.post_as(&self.key, path, body).await.expect_json(200).await
    }

    /// Pushes `text` as it is, with `content_type`.
    pub async fn push_raw(
        &self,
        path: &str,
        content_type: &str,
        text: String,
    ) -> reqwest::Response {
        self.app
            .client
            .post(self.app.url(path))
            .bearer_auth(&self.key)
            .header("content-type", content_type)
            .body(text)
            .send()
            .await
            .unwrap()
    }

    pub async fn get(&self, path: &str) -> Value {
        self.app.get_as(&self.admin.token, path).await.expect_json(200).await
    }

    pub async fn post(&self, path: &str, body: &Value) -> reqwest::Response {
        self.app.post_as(&self.admin.token, path, body).await
    }

    pub async fn alert(&self, id: &str) -> Value {
        self.get(&format!("/v1/alerts/{id}")).await
    }

    /// A member of the tenant with `role`.
    pub async fn member(&self, email: &str, role: Role) -> Member {
        self.app.member(self.admin.tenant, email, role).await
    }

    /// Counts rows of `table` for the tenant, as a superuser.
    pub async fn count(&self, table: &str) -> i64 {
        sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "select count(*) from {table} where tenant_id = $1"
        )))
        .bind(self.admin.tenant)
        .fetch_one(&self.app.db.superuser().await)
        .await
        .unwrap()
    }
}

/// A payload written for these tests (`tests/api/alerts/data`).
pub fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/api/alerts/data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The id of the single accepted item of a report.
pub fn accepted_id(report: &Value) -> String {
    assert_eq!(report["rejected"], serde_json::json!([]), "{report}");
    report["accepted"][0]["id"].as_str().unwrap().to_string()
}

/// An alert in Palisade's format.
pub fn own_alert(title: &str, severity: &str, host: &str) -> Value {
    serde_json::json!({
        "title": title,
        "severity": severity,
        "source": "edge-gateway",
        "rule": {"id": format!("rule-{title}"), "name": title},
        "observables": [{"type": "hostname", "value": host}],
    })
}
