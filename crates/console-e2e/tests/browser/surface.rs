//! An asset from the browser: add a loopback address, prove it with the well-known file,
//! verify, scan it and follow the scan; open a new port on it, scan again, and see the change
//! arrive in the live feed without a reload.

use super::Browser;
use fantoccini::Locator;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use testapp::TestApp;
use tokio::net::{TcpListener, TcpSocket};

/// A loopback address of the test's own (127.x.y.z), so that no other test's ports show up.
fn own_loopback() -> Ipv4Addr {
    let [a, b, c, ..] = *uuid::Uuid::new_v4().as_bytes();
    Ipv4Addr::new(127, a, b, c.max(2))
}

/// The asset's web server: answers the well-known proof once told which token to serve.
async fn proof_server(ip: Ipv4Addr) -> (u16, Arc<Mutex<Option<String>>>) {
    let served: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
    let state = served.clone();
    let app = axum::Router::new().route(
        "/.well-known/palisade-verify/{token}",
        axum::routing::get(move |axum::extract::Path(token): axum::extract::Path<String>| {
            let served = state.lock().unwrap().clone();
            async move {
                match served {
                    Some(body) if body == token => (axum::http::StatusCode::OK, body),
                    _ => (axum::http::StatusCode::NOT_FOUND, String::new()),
                }
            }
        }),
    );
    let listener = TcpListener::bind((ip, 0)).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (port, served)
}

async fn click(browser: &Browser, css: &str) {
    browser.client.find(Locator::Css(css)).await.unwrap().click().await.unwrap();
}

async fn wait_for_scan_to_complete(browser: &Browser) {
    browser.wait_for_text("#scan-status", "completed").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_asset_added_proven_and_scanned_in_the_browser_reports_its_new_port_live() {
    let ip = own_loopback();
    let (files_port, served) = proof_server(ip).await;
    let closed = std::net::TcpListener::bind((ip, 0)).unwrap().local_addr().unwrap().port();
    let later = TcpSocket::new_v4().unwrap();
    later.bind(SocketAddr::from((ip, 0))).unwrap();
    let later_port = later.local_addr().unwrap().port();
    let app = TestApp::spawn_as_own_origin(|settings| {
        let surface = &mut settings.surface;
        surface.verify_http_port = files_port;
        surface.verify_https_port = closed;
        surface.verify_timeout = Duration::from_secs(5);
        surface.scan.connect_timeout = Duration::from_millis(500);
    })
    .await;
    let _jobs = app.start_jobs().await;
    let admin = app.admin_of("acme").await;
    let browser = Browser::open(&app).await;
    browser.sign_in(&admin.email, &admin.password).await;

    browser.goto("/assets").await;
    let c = &browser.client;
    click(&browser, "#add-asset summary").await;
    c.find(Locator::Id("asset-kind")).await.unwrap().select_by_value("ip").await.unwrap();
    c.find(Locator::Id("asset-value")).await.unwrap().send_keys(&ip.to_string()).await.unwrap();
    let ports = format!("{files_port},{later_port}");
    c.find(Locator::Id("asset-ports")).await.unwrap().send_keys(&ports).await.unwrap();
    click(&browser, "#add-asset button[type=submit]").await;
    browser.wait_for_text("#asset-status", "pending").await;

    click(&browser, "form[action$='/authorize'] button").await;
    browser.wait_for_text("#http-body", "").await;
    let token = c.find(Locator::Id("http-body")).await.unwrap().text().await.unwrap();
    assert!(!token.is_empty(), "the page shows the file's content");
    *served.lock().unwrap() = Some(token.trim().to_string());
    click(&browser, "#verify").await;
    browser.wait_for_text("#asset-status", "authorized").await;

    click(&browser, "#scan-now").await;
    wait_for_scan_to_complete(&browser).await;

    // A new service starts on the asset; the next scan finds it and the feed says so.
    let listener = later.listen(16).unwrap();
    tokio::spawn(async move { while listener.accept().await.is_ok() {} });
    browser.client.back().await.unwrap();
    browser.wait_for_text("#asset-status", "authorized").await;
    browser.client.refresh().await.unwrap();
    click(&browser, "#scan-now").await;
    browser.wait_for_text("#feed-state", "live").await;
    browser.wait_for_text("#feed li", "surface.port_opened").await;
    wait_for_scan_to_complete(&browser).await;
}
