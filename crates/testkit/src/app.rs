//! `TestApp`: the real router on an ephemeral loopback port, its own database, and a client.

use crate::cluster::{TestDb, test_db};
use api::{AppState, HttpSettings};
use std::net::SocketAddr;
use std::time::Duration;

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

    /// Like `spawn`, after letting the test adjust the HTTP settings.
    pub async fn spawn_with(adjust: impl FnOnce(&mut HttpSettings)) -> TestApp {
        let db = test_db().await;
        let mut http = HttpSettings {
            body_limit_bytes: 1024 * 1024,
            request_timeout: Duration::from_secs(30),
            https: true,
        };
        adjust(&mut http);
        let state = AppState::new(db.app.clone(), http);
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
}
