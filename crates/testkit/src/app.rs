//! `TestApp`: the real router on an ephemeral loopback port, its own database, a bootstrapped
//! global administrator, and a client.

use crate::cluster::{TestDb, test_db};
use api::rate_limit::RateLimits;
use api::{AppState, HttpSettings};
use identity::password::HashCost;
use identity::{Identity, IdentitySettings};
use notify::feed::{FeedSettings, Hub};
use notify::{Notify, NotifySettings};
use platform::Secret;
use platform::outbound::OutboundPolicy;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;

/// The administrator every `TestApp` starts with.
pub const ADMIN_EMAIL: &str = "admin@palisade.test";
pub const ADMIN_PASSWORD: &str = "correct-horse-battery-staple-42";

/// What a test may change before the app starts.
pub struct TestConfig {
    pub http: HttpSettings,
    pub limits: RateLimits,
    pub identity: IdentitySettings,
    /// Where outbound connections may go. Tests allow loopback (`127.0.0.0/8`, `::1/128`) so that
    /// receivers they start are reachable; production denies it.
    pub outbound: OutboundPolicy,
    /// Notifications; the retry backoff is 50 ms so that retries run within a test.
    pub notify: NotifySettings,
    /// The live feed (`/v1/ws`): production defaults; tests shorten the intervals they exercise.
    pub feed: FeedSettings,
}

pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub db: TestDb,
    pub state: AppState,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Like `spawn`, after letting the test adjust the configuration.
    pub async fn spawn_with(adjust: impl FnOnce(&mut TestConfig)) -> TestApp {
        crate::logs::capture();
        let db = test_db().await;
        let mut config = TestConfig {
            http: HttpSettings {
                body_limit_bytes: 1024 * 1024,
                request_timeout: Duration::from_secs(30),
                https: true,
            },
            limits: RateLimits::unlimited(),
            identity: IdentitySettings::new(HashCost::Fast),
            outbound: OutboundPolicy::parse_allowlist("127.0.0.0/8, ::1/128").expect("allowlist"),
            notify: NotifySettings {
                backoff_base: Duration::from_millis(50),
                ..NotifySettings::new("https://palisade.test")
            },
            feed: FeedSettings::default(),
        };
        adjust(&mut config);
        let identity =
            Identity::start(db.app.clone(), config.identity).await.expect("start identity");
        identity
            .bootstrap(ADMIN_EMAIL, Some(&Secret::new(ADMIN_PASSWORD.to_string())))
            .await
            .expect("bootstrap the administrator");
        tokio::spawn(identity.clone().listen_for_changes());
        let notify = Notify::new(db.app.clone(), config.outbound, config.notify);
        let feed = Hub::new(db.app.clone(), config.feed);
        tokio::spawn(feed.clone().run(std::future::pending()));
        let state = AppState::new(identity, notify, feed, config.http, config.limits);
        let router = api::router(state.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a port");
        let address = listener.local_addr().expect("local address");
        tokio::spawn(async move {
            let service = router.into_make_service_with_connect_info::<SocketAddr>();
            axum::serve(listener, service).await.expect("serve the test app");
        });
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("build the test client");
        TestApp { address, client, db, state }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.expect("send request")
    }

    /// `GET` with a bearer credential.
    pub async fn get_as(&self, token: &str, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).bearer_auth(token).send().await.expect("send request")
    }

    /// A request with a JSON body and a bearer credential.
    pub async fn send_as(
        &self,
        method: reqwest::Method,
        token: &str,
        path: &str,
        body: &Value,
    ) -> reqwest::Response {
        self.client
            .request(method, self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .expect("send request")
    }

    pub async fn post_as(&self, token: &str, path: &str, body: &Value) -> reqwest::Response {
        self.send_as(reqwest::Method::POST, token, path, body).await
    }

    /// Logs in and returns the whole token response; panics unless it answers 200.
    pub async fn login(&self, email: &str, password: &str, tenant: Option<&str>) -> Value {
        let response = self
            .client
            .post(self.url("/v1/auth/login"))
            .json(&json!({ "email": email, "password": password, "tenant": tenant }))
            .send()
            .await
            .expect("send login");
        assert_eq!(response.status(), 200, "login of {email} failed");
        response.json().await.expect("login body")
    }

    /// An access token of the bootstrapped global administrator (in the default tenant).
    pub async fn admin_token(&self) -> String {
        access_token(&self.login(ADMIN_EMAIL, ADMIN_PASSWORD, None).await)
    }
}

/// The `access_token` of a token response.
pub fn access_token(tokens: &Value) -> String {
    tokens["access_token"].as_str().expect("access_token").to_string()
}
