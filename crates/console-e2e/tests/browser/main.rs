//! The console in a real browser: Debian's Chromium, headless, driven through ChromeDriver by
//! fantoccini, against a `TestApp` served on its own origin (`http://localhost:<port>`, which
//! Chromium treats as a secure context, so the `Secure` session cookie is kept).
//!
//! Screenshots of the dashboard and the alert queue are written to
//! `target/console-screenshots/` for CI to keep.

// Tests fail by panicking; helpers unwrap for the same reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod analyst;
mod refusals;
mod surface;

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use testapp::TestApp;

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A headless Chromium session and the ChromeDriver serving it (stopped on drop).
pub struct Browser {
    pub client: Client,
    driver: Child,
    pub base: String,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

impl Browser {
    /// A browser pointed at `app` (which must be served as its own origin).
    pub async fn open(app: &TestApp) -> Browser {
        assert!(
            std::path::Path::new(CHROMEDRIVER).exists(),
            "chromium-driver is missing: run scripts/install-test-tools.sh"
        );
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let url = format!("http://127.0.0.1:{port}");
        let status = format!("{url}/status");
        let mut ready = false;
        for _ in 0..100 {
            if reqwest::get(&status).await.is_ok_and(|r| r.status().is_success()) {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert!(ready, "chromedriver did not start");
        let mut capabilities = serde_json::Map::new();
        capabilities.insert(
            "goog:chromeOptions".into(),
            json!({
                "binary": CHROMIUM,
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu",
                         "--disable-dev-shm-usage", "--window-size=1280,900"],
            }),
        );
        let client = ClientBuilder::new(HttpConnector::new())
            .capabilities(capabilities)
            .connect(&url)
            .await
            .expect("open a Chromium session");
        let base = format!("http://localhost:{}", app.address.port());
        Browser { client, driver, base }
    }

    pub async fn goto(&self, path: &str) {
        self.client.goto(&format!("{}{path}", self.base)).await.expect("navigate");
    }

    pub async fn sign_in(&self, email: &str, password: &str) {
        self.goto("/login").await;
        let c = &self.client;
        c.find(Locator::Id("email")).await.unwrap().send_keys(email).await.unwrap();
        c.find(Locator::Id("password")).await.unwrap().send_keys(password).await.unwrap();
        c.find(Locator::Css("button[type=submit]")).await.unwrap().click().await.unwrap();
        self.wait_for_text("h1", "Dashboard").await;
    }

    /// Waits (up to 10 s) until an element matching `css` contains `text`.
    pub async fn wait_for_text(&self, css: &str, text: &str) {
        for _ in 0..100 {
            if let Ok(elements) = self.client.find_all(Locator::Css(css)).await {
                for element in elements {
                    if element.text().await.is_ok_and(|t| t.contains(text)) {
                        return;
                    }
                }
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let page = self.client.source().await.unwrap_or_default();
        panic!("no {css} containing {text:?} appeared; page:\n{page}");
    }

    /// Waits (up to 10 s) until the page's HTML contains `text`.
    pub async fn wait_for_source(&self, text: &str) {
        for _ in 0..100 {
            if self.client.source().await.is_ok_and(|page| page.contains(text)) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let page = self.client.source().await.unwrap_or_default();
        panic!("the page never contained {text:?}:\n{page}");
    }

    /// Saves a screenshot of the current page as `target/console-screenshots/<name>.png`.
    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("take a screenshot");
        let dir = target_dir().join("console-screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }
}

/// The workspace's `target/` (or `CARGO_TARGET_DIR`).
fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"),
    }
}
