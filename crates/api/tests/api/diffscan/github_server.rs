//! A local GitHub: the REST endpoints a scan calls (a pull request, its diff, check runs), on its
//! own loopback address. It checks what it is sent the way GitHub would refuse it: the bearer
//! token, the API version and media types, a `User-Agent`, the check run's required fields and
//! at most 50 annotations per request (422 otherwise); it records every request.

use crate::receivers::own_loopback;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch, post};
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const TOKEN: &str = "ghs_test-installation-token-0123456789";
pub const HEAD_SHA: &str = "3a9c1f0b8e7d6c5b4a39281706f5e4d3c2b1a098";
pub const BASE_SHA: &str = "1111111111111111111111111111111111111111";
pub const CHECK_RUN_ID: i64 = 987_654;

#[derive(Clone, Debug)]
pub struct Recorded {
    pub method: Method,
    pub path: String,
    pub headers: HeaderMap,
    pub body: Value,
}

#[derive(Default)]
struct Shared {
    diff: Mutex<Vec<u8>>,
    requests: Mutex<Vec<Recorded>>,
    /// Why the last refused request was refused.
    refusals: Mutex<Vec<String>>,
}

pub struct GithubServer {
    pub addr: SocketAddr,
    shared: Arc<Shared>,
}

impl GithubServer {
    /// A GitHub whose pull requests all have `diff`.
    pub async fn start(diff: &[u8]) -> GithubServer {
        let shared = Arc::new(Shared::default());
        *shared.diff.lock().unwrap() = diff.to_vec();
        let app = axum::Router::new()
            .route("/repos/{owner}/{repo}/pulls/{number}", get(pull))
            .route("/repos/{owner}/{repo}/check-runs", post(create_check_run))
            .route("/repos/{owner}/{repo}/check-runs/{id}", patch(update_check_run))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind((own_loopback(), 0)).await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        GithubServer { addr, shared }
    }

    pub fn api_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn requests(&self) -> Vec<Recorded> {
        self.shared.requests.lock().unwrap().clone()
    }

    pub fn refusals(&self) -> Vec<String> {
        self.shared.refusals.lock().unwrap().clone()
    }

    /// The check-run updates received, in order.
    pub fn updates(&self) -> Vec<Value> {
        self.requests().into_iter().filter(|r| r.method == Method::PATCH).map(|r| r.body).collect()
    }

    /// Waits until `count` check-run updates arrived.
    pub async fn wait_for_updates(&self, count: usize) -> Vec<Value> {
        for _ in 0..600 {
            if self.updates().len() >= count {
                return self.updates();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!(
            "GitHub got {} check-run updates, expected {count}: {:?}",
            self.updates().len(),
            self.refusals()
        );
    }
}

/// Checks what every GitHub REST request must carry.
fn refused(shared: &Shared, headers: &HeaderMap) -> Option<Response> {
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default();
    let reason = if header("authorization") != format!("Bearer {TOKEN}") {
        Some((StatusCode::UNAUTHORIZED, "Bad credentials"))
    } else if header("x-github-api-version") != "2022-11-28" {
        Some((StatusCode::BAD_REQUEST, "missing X-GitHub-Api-Version"))
    } else if header("user-agent").is_empty() {
        Some((StatusCode::FORBIDDEN, "requests need a User-Agent"))
    } else {
        None
    };
    reason.map(|(status, message)| {
        shared.refusals.lock().unwrap().push(message.to_string());
        (status, axum::Json(json!({"message": message}))).into_response()
    })
}

fn record(shared: &Shared, method: Method, path: String, headers: &HeaderMap, body: &[u8]) {
    let body = serde_json::from_slice(body).unwrap_or(Value::Null);
    shared.requests.lock().unwrap().push(Recorded { method, path, headers: headers.clone(), body });
}

async fn pull(
    State(shared): State<Arc<Shared>>,
    Path((owner, repo, number)): Path<(String, String, u64)>,
    headers: HeaderMap,
) -> Response {
    record(&shared, Method::GET, format!("/repos/{owner}/{repo}/pulls/{number}"), &headers, b"");
    if let Some(refusal) = refused(&shared, &headers) {
        return refusal;
    }
    let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if accept == "application/vnd.github.diff" {
        let diff = shared.diff.lock().unwrap().clone();
        return ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], diff).into_response();
    }
    if accept != "application/vnd.github+json" {
        return (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unknown media type").into_response();
    }
    axum::Json(json!({
        "number": number,
        "head": {"sha": HEAD_SHA, "ref": "feature"},
        "base": {"sha": BASE_SHA, "ref": "main"},
    }))
    .into_response()
}

async fn create_check_run(
    State(shared): State<Arc<Shared>>,
    Path((owner, repo)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    record(&shared, Method::POST, format!("/repos/{owner}/{repo}/check-runs"), &headers, &body);
    if let Some(refusal) = refused(&shared, &headers) {
        return refusal;
    }
    let run: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let valid =
        run["name"].is_string() && run["head_sha"] == HEAD_SHA && run["status"] == "in_progress";
    if !valid {
        shared.refusals.lock().unwrap().push(format!("bad check run: {run}"));
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({"message": "Invalid request"})),
        )
            .into_response();
    }
    (StatusCode::CREATED, axum::Json(json!({"id": CHECK_RUN_ID, "status": "in_progress"})))
        .into_response()
}

async fn update_check_run(
    State(shared): State<Arc<Shared>>,
    Path((owner, repo, id)): Path<(String, String, i64)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    record(
        &shared,
        Method::PATCH,
        format!("/repos/{owner}/{repo}/check-runs/{id}"),
        &headers,
        &body,
    );
    if let Some(refusal) = refused(&shared, &headers) {
        return refusal;
    }
    let update: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let annotations = update["output"]["annotations"].as_array().map_or(0, Vec::len);
    let output_ok =
        update["output"]["title"].is_string() && update["output"]["summary"].is_string();
    if id != CHECK_RUN_ID || annotations > 50 || !output_ok {
        shared
            .refusals
            .lock()
            .unwrap()
            .push(format!("bad update of {id}: {annotations} annotations"));
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            axum::Json(json!({"message": "Invalid request"})),
        )
            .into_response();
    }
    axum::Json(json!({"id": id})).into_response()
}
