//! The server as ordinary clients and slow ones meet it: every early answer reaches an HTTP/2
//! client as its status, a slow client is cut off at the header deadline while others are
//! served, and one address cannot hold more than its share of connections.

use serde_json::json;
use std::time::{Duration, Instant};
use testapp::{ResponseExt, TestApp};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A body the API would accept in shape, sent where it is answered before it is read.
fn tenant_body() -> String {
    json!({ "name": "x", "slug": "x" }).to_string()
}

#[tokio::test]
async fn early_rejections_over_http2_arrive_as_their_status() {
    let app = TestApp::spawn().await;
    let admin = app.admin_of("acme").await;
    let reader = app.api_key(&admin.token, &["AUDIT_VIEW"]).await;
    let https = app.https().await;
    let client = https.http2_client();
    let big = vec![b'a'; 2 * 1024 * 1024];
    for round in 0..100 {
        let cases: [(reqwest::RequestBuilder, u16, &str); 6] = [
            (
                client
                    .post(https.url("/v1/tenants"))
                    .header("content-type", "application/json")
                    .body(tenant_body()),
                401,
                "UNAUTHENTICATED",
            ),
            (
                client
                    .post(https.url("/v1/tenants"))
                    .bearer_auth(&reader.key)
                    .header("content-type", "application/json")
                    .body(tenant_body()),
                403,
                "FORBIDDEN",
            ),
            (client.post(https.url("/v1/no-such-thing")).body(tenant_body()), 404, "NOT_FOUND"),
            (client.put(https.url("/healthz")).body(tenant_body()), 405, "METHOD_NOT_ALLOWED"),
            (
                client
                    .post(https.url("/v1/channels"))
                    .bearer_auth(&admin.token)
                    .header("content-type", "application/json")
                    .body(big.clone()),
                413,
                "PAYLOAD_TOO_LARGE",
            ),
            (
                client
                    .post(https.url("/v1/channels"))
                    .bearer_auth(&admin.token)
                    .header("content-type", "text/plain")
                    .body(tenant_body()),
                415,
                "UNSUPPORTED_MEDIA_TYPE",
            ),
        ];
        for (request, status, code) in cases {
            if round >= 5 && status == 413 {
                continue; // 2 MiB a time: five rounds prove it, a hundred only take longer
            }
            let response =
                request.send().await.unwrap_or_else(|e| panic!("round {round}, {code}: {e:?}"));
            assert_eq!(response.version(), reqwest::Version::HTTP_2);
            assert_eq!(response.status(), status, "round {round}");
            assert_eq!(response.problem().await.code, code, "round {round}");
        }
    }
}

/// The curl binary (Debian 12 ships 7.88, which reports a reset stream as a framing error;
/// scripts/install-test-tools.sh installs it).
fn curl() -> std::process::Command {
    std::process::Command::new("curl")
}

#[tokio::test]
async fn curl_over_http2_reads_every_early_rejection() {
    let app = TestApp::spawn().await;
    let https = app.https().await;
    let url = format!("https://127.0.0.1:{}/v1/tenants", https.address.port());
    let big = std::env::temp_dir().join(format!("palisade-big-{}", std::process::id()));
    std::fs::write(&big, vec![b'a'; 2 * 1024 * 1024]).unwrap();
    let body = tenant_body();
    let cases: Vec<(Vec<String>, usize, &str)> = vec![
        (vec!["-d".into(), body], 100, "401"),
        (vec!["--data-binary".into(), format!("@{}", big.display())], 5, "413"),
    ];
    for (data, times, expected) in cases {
        for n in 0..times {
            let args = [
                "-sk",
                "--http2",
                "-o",
                "/dev/null",
                "-w",
                "%{http_code} %{http_version}",
                "-X",
                "POST",
            ];
            let output = tokio::task::spawn_blocking({
                let (url, data) = (url.clone(), data.clone());
                move || {
                    curl()
                        .args(args)
                        .args(["-H", "content-type: application/json"])
                        .args(&data)
                        .arg(&url)
                        .output()
                        .expect("run curl (scripts/install-test-tools.sh installs it)")
                }
            })
            .await
            .unwrap();
            let printed = String::from_utf8_lossy(&output.stdout);
            assert_eq!(
                printed,
                format!("{expected} 2"),
                "attempt {n}: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
    }
    let _ = std::fs::remove_file(big);
}

#[tokio::test]
async fn a_slow_client_is_cut_off_at_the_header_deadline_and_others_are_served() {
    let app = TestApp::spawn_with(|s| {
        s.http.connections.header_read_timeout = Duration::from_secs(1);
    })
    .await;
    let mut slow = TcpStream::connect(app.address).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n").await.unwrap();
    let started = Instant::now();
    let trickle = async {
        // One header byte at a time, never the blank line that ends the headers.
        for byte in b"X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa".iter().cycle() {
            if slow.write_all(&[*byte]).await.is_err() {
                return;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    let served = async {
        tokio::time::sleep(Duration::from_millis(300)).await;
        app.get("/healthz").await.status()
    };
    let (_, status) = tokio::join!(tokio::time::timeout(Duration::from_secs(10), trickle), served);
    assert_eq!(status, 200, "another client is served meanwhile");
    let held = started.elapsed();
    assert!(held < Duration::from_secs(5), "the slow client held its connection {held:?}");
}

#[tokio::test]
async fn a_connection_that_never_sends_a_request_is_closed() {
    let app = TestApp::spawn_with(|s| {
        s.http.connections.header_read_timeout = Duration::from_secs(1);
    })
    .await;
    let https = app.https().await;
    // Not even a TLS handshake.
    let mut silent = TcpStream::connect(https.address).await.unwrap();
    let mut buf = [0u8; 16];
    let closed = tokio::time::timeout(Duration::from_secs(5), silent.read(&mut buf)).await;
    assert!(matches!(closed, Ok(Ok(0)) | Ok(Err(_))), "still open: {closed:?}");
}

#[tokio::test]
async fn one_address_cannot_hold_more_than_its_connections() {
    let app = TestApp::spawn_with(|s| {
        s.http.connections.max_connections_per_ip = 3;
        s.http.connections.header_read_timeout = Duration::from_secs(30);
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..3 {
        held.push(TcpStream::connect(app.address).await.unwrap());
    }
    // Give the accept loop time to count them.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut fourth = TcpStream::connect(app.address).await.unwrap();
    fourth.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").await.ok();
    let mut buf = [0u8; 64];
    let refused = tokio::time::timeout(Duration::from_secs(5), fourth.read(&mut buf)).await;
    assert!(
        matches!(refused, Ok(Ok(0)) | Ok(Err(_))),
        "a fourth connection was served: {refused:?}"
    );

    // Another address (all of 127.0.0.0/8 is loopback) still gets in.
    let other = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .unwrap();
    let status = other.get(app.url("/healthz")).send().await.unwrap().status();
    assert_eq!(status, 200);
    drop(held);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(app.get("/healthz").await.status(), 200, "the places came back");
}
