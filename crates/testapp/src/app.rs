//! `TestApp`: the production wiring on an ephemeral loopback port, its own database, a
//! bootstrapped global administrator, and a client.

use crate::answers::{ResponseExt, Tokens};
use edge::{AppState, Services, Settings};
use identity::password::HashCost;
use platform::Secret;
use platform::outbound::OutboundPolicy;
use serde_json::{Value, json};
use std::net::SocketAddr;
use std::time::Duration;
use testkit::{TestDb, test_db};

/// The administrator every `TestApp` starts with.
pub const ADMIN_EMAIL: &str = "admin@palisade.test";
pub const ADMIN_PASSWORD: &str = "correct-horse-battery-staple-42";

pub struct TestApp {
    pub address: SocketAddr,
    pub client: reqwest::Client,
    pub db: TestDb,
    /// The services the server runs (the same values the handlers use).
    pub services: Services,
    /// The settings it was built with (its master key among them).
    pub settings: Settings,
    pub state: AppState,
    /// The router the server serves, to serve it again (over TLS, say).
    pub router: axum::Router,
    connections: edge::ConnectionSettings,
}

/// The same application served over HTTPS (HTTP/2 by ALPN) with a self-signed certificate for
/// `localhost`.
pub struct TlsEndpoint {
    pub address: SocketAddr,
}

impl TlsEndpoint {
    pub fn url(&self, path: &str) -> String {
        format!("https://localhost:{}{}", self.address.port(), path)
    }

    /// A client that trusts the certificate and speaks HTTP/2 only.
    pub fn http2_client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .danger_accept_invalid_certs(true)
            .http2_prior_knowledge()
            .resolve("localhost", self.address)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("build the HTTP/2 client")
    }
}

/// The production defaults, changed only where a test needs speed or reach: a fast password
/// hash, no rate limits, loopback allowed for outbound connections (so that receivers a test
/// starts are reachable; production denies it), a 50 ms retry backoff, and diffscan's raw
/// diffs in a directory of their own under the system's temporary directory.
pub fn test_settings() -> Settings {
    let mut settings = Settings::defaults();
    settings.identity.hash_cost = HashCost::Fast;
    settings.identity.admin_email = ADMIN_EMAIL.into();
    settings.identity.admin_password = Some(Secret::new(ADMIN_PASSWORD.into()));
    settings.limits = edge::rate_limit::RateLimits::unlimited();
    settings.platform.outbound =
        OutboundPolicy::parse_allowlist("127.0.0.0/8, ::1/128").expect("allowlist");
    settings.notify.public_url = "https://palisade.test".into();
    settings.identity.public_url = "https://palisade.test".into();
    settings.notify.backoff_base = Duration::from_millis(50);
    let objects = std::env::temp_dir().join(format!("palisade-test-{}", uuid::Uuid::new_v4()));
    settings.diffscan.objects =
        diffscan::settings::ObjectStoreSettings::Filesystem { root: Some(objects) };
    // Surface asks no real DNS server in tests: a test that needs DNS starts its own and points
    // this at it. Port 9 on loopback refuses at once.
    settings.surface.nameservers = vec![SocketAddr::from(([127, 0, 0, 1], 9))];
    settings.surface.dns_timeout = Duration::from_secs(1);
    // A master key of the test's own, so that no key file is written beside the sources.
    settings.platform.encryption.master_key = Some(Secret::new(random_key()));
    settings
}

/// 32 random bytes.
pub fn random_key() -> Vec<u8> {
    uuid::Uuid::new_v4().as_bytes().iter().chain(uuid::Uuid::new_v4().as_bytes()).copied().collect()
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Like `spawn`, after letting the test adjust the settings.
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a port");
        Self::serve_on(listener, adjust).await
    }

    /// Like `spawn_with`, with `public_url` set to `http://localhost:<port>` of the server
    /// itself, so that a browser pointed at it is on the console's own origin.
    pub async fn spawn_as_own_origin(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a port");
        let origin = format!("http://localhost:{}", listener.local_addr().expect("address").port());
        Self::serve_on(listener, |settings| {
            settings.notify.public_url = origin.clone();
            settings.identity.public_url = origin;
            adjust(settings);
        })
        .await
    }

    async fn serve_on(
        listener: tokio::net::TcpListener,
        adjust: impl FnOnce(&mut Settings),
    ) -> TestApp {
        testkit::logs::capture();
        let db = test_db().await;
        let mut settings = test_settings();
        adjust(&mut settings);
        let services =
            Services::build(&settings, db.app.clone()).await.expect("build the services");
        let admin = &settings.identity;
        services
            .identity
            .bootstrap(&admin.admin_email, admin.admin_password.as_ref())
            .await
            .expect("bootstrap the administrator");
        services.spawn_listeners(std::future::pending());
        let state = AppState::new(services.clone(), settings.http.clone(), settings.limits.clone());
        let router = api::router_with(state.clone(), web::routes(&state));
        let connections = settings.http.connections.clone();
        let address = listener.local_addr().expect("local address");
        let server = edge::Server::new(router.clone(), connections.clone());
        tokio::spawn(server.serve(listener, std::future::pending(), Duration::from_secs(1)));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("build the test client");
        TestApp { address, client, db, services, settings, state, router, connections }
    }

    /// Serves the application over TLS too, on another loopback port, the way `palisade serve`
    /// does.
    pub async fn https(&self) -> TlsEndpoint {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
            .expect("generate a certificate");
        let key =
            rustls::pki_types::PrivateKeyDer::Pkcs8(generated.signing_key.serialize_der().into());
        let config = rustls::ServerConfig::builder()
            .with_no_client_auth()
            .with_single_cert(vec![generated.cert.der().clone()], key)
            .expect("a TLS configuration");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind a port");
        let address = listener.local_addr().expect("local address");
        let server =
            edge::Server::new(self.router.clone(), self.connections.clone()).with_tls(config);
        tokio::spawn(server.serve(listener, std::future::pending(), Duration::from_secs(1)));
        TlsEndpoint { address }
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

    /// Logs in and returns the typed token pair; panics unless it answers 200.
    pub async fn tokens(&self, email: &str, password: &str, tenant: Option<&str>) -> Tokens {
        self.client
            .post(self.url("/v1/auth/login"))
            .json(&json!({ "email": email, "password": password, "tenant": tenant }))
            .send()
            .await
            .expect("send login")
            .expect_json(200)
            .await
    }

    /// An access token of the bootstrapped global administrator (in the default tenant).
    pub async fn admin_token(&self) -> String {
        access_token(&self.login(ADMIN_EMAIL, ADMIN_PASSWORD, None).await)
    }

    /// A job runner with every capability's jobs, polling every 50 ms: the worker of a test.
    pub async fn start_jobs(&self) -> platform::jobs::JobRunner {
        let builder = platform::jobs::JobRunner::builder(&self.services.db)
            .poll_interval(Duration::from_millis(50))
            .shutdown_grace(Duration::from_secs(1));
        self.services.register_jobs(builder).start().await.expect("start the job runner")
    }

    /// The summaries of every audit row with `action`, oldest first, read as a superuser.
    pub async fn audit_summaries(&self, action: &str) -> Vec<Value> {
        sqlx::query_scalar("select summary from audit_log where action = $1 order by seq")
            .bind(action)
            .fetch_all(&self.db.superuser().await)
            .await
            .expect("read the audit log")
    }

    /// Every audit action recorded, oldest first (by tenant, then position), as a superuser.
    pub async fn audit_actions(&self) -> Vec<String> {
        sqlx::query_scalar("select action from audit_log order by occurred_at, tenant_id, seq")
            .fetch_all(&self.db.superuser().await)
            .await
            .expect("read the audit log")
    }
}

/// The `access_token` of a token response.
pub fn access_token(tokens: &Value) -> String {
    tokens["access_token"].as_str().expect("access_token").to_string()
}
