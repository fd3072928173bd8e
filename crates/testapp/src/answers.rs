//! Typed answers: what tests read back from the API, as structs instead of JSON walks.

use serde::Deserialize;
use serde::de::DeserializeOwned;

/// A problem+json error body.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct Problem {
    /// The HTTP status, from the response (the body repeats it).
    #[serde(default)]
    pub status: u16,
    pub code: String,
    pub detail: String,
    pub request_id: Option<String>,
    #[serde(default)]
    pub errors: Vec<FieldError>,
}

/// One entry of a problem's `errors[]`.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub code: String,
    pub message: String,
}

/// A token pair from login, refresh or a tenant switch.
#[derive(Clone, Debug, Deserialize)]
pub struct Tokens {
    pub access_token: String,
    pub refresh_token: String,
    pub token_type: String,
    pub expires_in: i64,
}

/// An API key just created: its id and the key itself (shown once).
#[derive(Clone, Debug, Deserialize)]
pub struct CreatedKey {
    pub id: String,
    pub key: String,
    pub prefix: String,
    pub scopes: Vec<String>,
}

/// Reading a response as a typed body.
pub trait ResponseExt {
    /// The problem body of an error answer; panics unless it is problem+json.
    fn problem(self) -> impl std::future::Future<Output = Problem> + Send;
    /// The body as `T`, after checking the status is `status`.
    fn expect_json<T: DeserializeOwned>(
        self,
        status: u16,
    ) -> impl std::future::Future<Output = T> + Send;
}

impl ResponseExt for reqwest::Response {
    async fn problem(self) -> Problem {
        let status = self.status().as_u16();
        let content_type = self
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let text = self.text().await.expect("read the problem body");
        assert_eq!(content_type, "application/problem+json", "{status}: {text}");
        let mut problem: Problem = serde_json::from_str(&text).expect("a problem body");
        assert_eq!(problem.status, status, "the body repeats the status");
        problem.status = status;
        problem
    }

    async fn expect_json<T: DeserializeOwned>(self, status: u16) -> T {
        let got = self.status().as_u16();
        let text = self.text().await.expect("read the body");
        assert_eq!(got, status, "{text}");
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
    }
}
