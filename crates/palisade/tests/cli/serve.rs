//! `palisade serve` on the embedded cluster: HTTPS, the redirect, one process per data_dir,
//! restarts and crashes.

use crate::process::{Palisade, cluster_running, temp_data_dir};

#[tokio::test]
async fn serve_on_an_empty_data_dir_answers_over_https_and_redirects_plain_http() {
    let data_dir = temp_data_dir();
    let mut palisade = Palisade::start(&data_dir);
    palisade.wait_ready().await;
    let client = palisade.client();
    assert_eq!(client.get(palisade.url("/healthz")).send().await.unwrap().status(), 200);
    assert_eq!(client.get(palisade.url("/readyz")).send().await.unwrap().status(), 200);

    let plain =
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = plain
        .get(format!("http://127.0.0.1:{}/v1/anything?x=1", palisade.http_port))
        .header("host", format!("localhost:{}", palisade.http_port))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 308);
    assert_eq!(
        response.headers()["location"],
        format!("https://localhost:{}/v1/anything?x=1", palisade.https_port).as_str()
    );
    // A forged Host never becomes the redirect's target: it goes to public_url.
    let forged = plain
        .get(format!("http://127.0.0.1:{}/x", palisade.http_port))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), 308);
    assert_eq!(forged.headers()["location"], "https://localhost:8443/x");
    assert!(cluster_running(&data_dir));

    let output = palisade.terminate();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!cluster_running(&data_dir), "SIGTERM must stop the embedded cluster");
    assert!(String::from_utf8_lossy(&output.stderr).contains("embedded PostgreSQL stopped"));
}

#[tokio::test]
async fn a_second_palisade_on_the_same_data_dir_is_refused() {
    let data_dir = temp_data_dir();
    let mut first = Palisade::start(&data_dir);
    first.wait_ready().await;
    let output = Palisade::start(&data_dir).wait_for_exit();
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("another palisade is already running on data_dir"), "{stderr}");
    // The first one is unaffected.
    assert_eq!(first.client().get(first.url("/readyz")).send().await.unwrap().status(), 200);
}

#[tokio::test]
async fn the_embedded_cluster_survives_a_clean_restart_and_a_crash() {
    let data_dir = temp_data_dir();
    let mut palisade = Palisade::start(&data_dir);
    palisade.wait_ready().await;
    let certificate = std::fs::read(data_dir.join("tls/cert.pem")).unwrap();
    palisade.terminate();

    let mut restarted = Palisade::start(&data_dir);
    restarted.wait_ready().await;
    assert_eq!(
        std::fs::read(data_dir.join("tls/cert.pem")).unwrap(),
        certificate,
        "certificate is reused"
    );
    restarted.crash();
    assert!(cluster_running(&data_dir), "a crash leaves PostgreSQL running");

    let mut recovered = Palisade::start(&data_dir);
    recovered.wait_ready().await;
    let output = recovered.terminate();
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("left running by an earlier palisade")
    );
}
