//! The GitHub REST calls of a scan: the pull request (its head commit), its diff
//! (`Accept: application/vnd.github.diff`, read up to a limit), and creating and updating its
//! check run. Each call resolves the API's host through the SSRF guard at that moment and
//! connects only to the checked addresses, follows no redirect, ignores proxy settings and is
//! bounded by the timeout. Errors never carry the token or a URL's query.

use platform::Secret;
use platform::outbound::OutboundPolicy;
use reqwest::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue};
use reqwest::{Method, StatusCode};
use serde::Deserialize;
use std::time::Duration;

const USER_AGENT: &str = concat!("Palisade-Diffscan/", env!("CARGO_PKG_VERSION"));
const API_VERSION: &str = "2022-11-28";
/// JSON answers (pull request, check run) larger than this are refused.
const MAX_JSON_BYTES: usize = 4 << 20;

/// Why a GitHub call failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GithubError {
    /// The SSRF guard refused the API's address.
    #[error("the GitHub API address is refused: {0}")]
    Refused(String),
    /// GitHub answered with an error status (the message is GitHub's, cut short).
    #[error("GitHub answered HTTP {status}: {message}")]
    Status { status: u16, message: String },
    #[error("{0}")]
    Transport(String),
    #[error("GitHub's answer is not what was expected: {0}")]
    Invalid(String),
}

impl GithubError {
    /// Whether trying again later may succeed (server errors, rate limits, the network).
    pub fn is_transient(&self) -> bool {
        match self {
            GithubError::Status { status, .. } => *status >= 500 || *status == 429,
            GithubError::Transport(_) => true,
            GithubError::Refused(_) | GithubError::Invalid(_) => false,
        }
    }
}

/// What a scan needs of a pull request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequestInfo {
    pub head_sha: String,
    pub base_sha: String,
}

#[derive(Clone, Debug)]
pub struct GithubClient {
    policy: OutboundPolicy,
    timeout: Duration,
}

/// A call: where, how, and how much of the answer to read.
struct Call<'a> {
    method: Method,
    api_url: &'a str,
    path: String,
    token: &'a Secret<String>,
    accept: &'static str,
    body: Option<&'a serde_json::Value>,
    max_bytes: usize,
}

impl GithubClient {
    pub fn new(policy: OutboundPolicy, timeout: Duration) -> GithubClient {
        GithubClient { policy, timeout }
    }

    pub fn policy(&self) -> &OutboundPolicy {
        &self.policy
    }

    /// Checks an API base URL against the SSRF guard now (as configuration does).
    pub async fn check_api_url(&self, api_url: &str) -> Result<(), platform::outbound::SsrfError> {
        self.policy.resolve_url(api_url).await.map(|_| ())
    }

    pub async fn pull_request(
        &self,
        api_url: &str,
        token: &Secret<String>,
        repository: &str,
        number: i32,
    ) -> Result<PullRequestInfo, GithubError> {
        #[derive(Deserialize)]
        struct Pull {
            head: Commit,
            base: Commit,
        }
        #[derive(Deserialize)]
        struct Commit {
            sha: String,
        }
        let bytes = self
            .call(Call {
                method: Method::GET,
                api_url,
                path: format!("/repos/{repository}/pulls/{number}"),
                token,
                accept: "application/vnd.github+json",
                body: None,
                max_bytes: MAX_JSON_BYTES,
            })
            .await?
            .1;
        let pull: Pull = serde_json::from_slice(&bytes).map_err(|_| {
            GithubError::Invalid("the pull request is not JSON of the usual shape".into())
        })?;
        if !super::is_commit_sha(&pull.head.sha) || !super::is_commit_sha(&pull.base.sha) {
            return Err(GithubError::Invalid(
                "the pull request's commits are not commit ids".into(),
            ));
        }
        Ok(PullRequestInfo { head_sha: pull.head.sha, base_sha: pull.base.sha })
    }

    /// The pull request's unified diff, cut after `max_bytes + 1` bytes (so that a caller can
    /// tell it was too large without holding more).
    pub async fn pull_request_diff(
        &self,
        api_url: &str,
        token: &Secret<String>,
        repository: &str,
        number: i32,
        max_bytes: usize,
    ) -> Result<Vec<u8>, GithubError> {
        let call = Call {
            method: Method::GET,
            api_url,
            path: format!("/repos/{repository}/pulls/{number}"),
            token,
            accept: "application/vnd.github.diff",
            body: None,
            max_bytes: max_bytes.saturating_add(1),
        };
        Ok(self.call(call).await?.1)
    }

    /// Creates a check run; returns its id.
    pub async fn create_check_run(
        &self,
        api_url: &str,
        token: &Secret<String>,
        repository: &str,
        body: &serde_json::Value,
    ) -> Result<i64, GithubError> {
        #[derive(Deserialize)]
        struct Created {
            id: i64,
        }
        let (_, bytes) = self
            .call(Call {
                method: Method::POST,
                api_url,
                path: format!("/repos/{repository}/check-runs"),
                token,
                accept: "application/vnd.github+json",
                body: Some(body),
                max_bytes: MAX_JSON_BYTES,
            })
            .await?;
        serde_json::from_slice::<Created>(&bytes)
            .map(|created| created.id)
            .map_err(|_| GithubError::Invalid("the created check run has no id".into()))
    }

    pub async fn update_check_run(
        &self,
        api_url: &str,
        token: &Secret<String>,
        repository: &str,
        check_run: i64,
        body: &serde_json::Value,
    ) -> Result<(), GithubError> {
        self.call(Call {
            method: Method::PATCH,
            api_url,
            path: format!("/repos/{repository}/check-runs/{check_run}"),
            token,
            accept: "application/vnd.github+json",
            body: Some(body),
            max_bytes: MAX_JSON_BYTES,
        })
        .await
        .map(|_| ())
    }

    async fn call(&self, call: Call<'_>) -> Result<(StatusCode, Vec<u8>), GithubError> {
        let url = format!("{}{}", call.api_url.trim_end_matches('/'), call.path);
        let target = tokio::time::timeout(self.timeout, self.policy.resolve_url(&url))
            .await
            .map_err(|_| GithubError::Transport("resolving the GitHub API host timed out".into()))?
            .map_err(|e| GithubError::Refused(e.to_string()))?;
        let host = target.host().to_string();
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .timeout(self.timeout)
            .connect_timeout(self.timeout)
            .user_agent(USER_AGENT)
            .resolve_to_addrs(&host, target.addrs())
            .build()
            .map_err(|_| GithubError::Transport("could not build an HTTP client".into()))?;
        let authorization = HeaderValue::from_str(&format!("Bearer {}", call.token.expose()))
            .map_err(|_| GithubError::Invalid("the token is not a header value".into()))?;
        let mut request = client
            .request(call.method, &url)
            .header(AUTHORIZATION, authorization)
            .header(ACCEPT, call.accept)
            .header("x-github-api-version", API_VERSION);
        if let Some(body) = call.body {
            let bytes = serde_json::to_vec(body)
                .map_err(|_| GithubError::Invalid("the request does not serialize".into()))?;
            request = request.header(CONTENT_TYPE, "application/json").body(bytes);
        }
        let mut response = request.send().await.map_err(|e| transport(&e, &host))?;
        let status = response.status();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| transport(&e, &host))? {
            let room = call.max_bytes.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if body.len() >= call.max_bytes {
                break;
            }
        }
        if status.is_success() {
            return Ok((status, body));
        }
        let message = if status.is_redirection() {
            "redirects are not followed".to_string()
        } else {
            github_message(&body)
        };
        Err(GithubError::Status { status: status.as_u16(), message })
    }
}

/// GitHub's `message` field of an error answer, cut short and display-safe.
fn github_message(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Answer {
        message: Option<String>,
    }
    let message = serde_json::from_slice::<Answer>(body)
        .ok()
        .and_then(|a| a.message)
        .unwrap_or_else(|| "no message".into());
    message.chars().filter(|c| !c.is_control()).take(200).collect()
}

fn transport(error: &reqwest::Error, host: &str) -> GithubError {
    let what = if error.is_timeout() {
        format!("timed out talking to {host}")
    } else if error.is_connect() {
        format!("could not connect to {host}")
    } else {
        format!("the request to {host} failed")
    };
    GithubError::Transport(what)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_private_api_address_is_refused_by_the_guard() {
        let client = GithubClient::new(OutboundPolicy::deny_private(), Duration::from_secs(2));
        let token = Secret::new("ghp_secret-token".to_string());
        let error =
            client.pull_request("http://127.0.0.1:1", &token, "octo/app", 1).await.unwrap_err();
        assert!(matches!(error, GithubError::Refused(_)), "{error:?}");
        assert!(!error.to_string().contains("ghp_secret-token"));
        assert!(!error.is_transient());
    }

    #[test]
    fn error_messages_are_cut_and_cleaned() {
        let long = format!("{{\"message\": \"{}\\u001b[31m\"}}", "x".repeat(500));
        let message = github_message(long.as_bytes());
        assert_eq!(message.len(), 200);
        assert!(!message.contains('\u{1b}'));
        assert_eq!(github_message(b"not json"), "no message");
    }
}
