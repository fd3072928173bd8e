//! An independent fuzzer against the whole documented API: schemathesis (PyPI, installed by
//! `scripts/install-test-tools.sh` into `target/test-tools`) reads `/v1/openapi.json`, sends
//! generated valid and invalid requests with an administrator's token, and checks that nothing
//! answers 5xx, that every status, content type and body is the one the document declares.

use std::path::PathBuf;
use testapp::TestApp;

fn schemathesis() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/test-tools/venv/bin/schemathesis");
    assert!(
        path.exists(),
        "{} is missing: run scripts/install-test-tools.sh (scripts/test does)",
        path.display()
    );
    path
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn schemathesis_finds_no_failure_anywhere_in_the_documented_api() {
    let tool = schemathesis();
    let app = TestApp::spawn().await;
    let token = app.admin_token().await;
    let output = tokio::process::Command::new(tool)
        .args([
            "run",
            &app.url("/v1/openapi.json"),
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--header",
            &format!("Authorization: Bearer {token}"),
            // Logging out would end the token every other operation is tried with; logout has
            // its own tests.
            "--exclude-path",
            "/v1/auth/logout",
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            "25",
            // One worker: hypothesis's lambda-source cache is not thread-safe (it fails runs
            // with "AST constructor recursion depth mismatch" at random).
            "--workers",
            "1",
            "--seed",
            "1",
            "--request-timeout",
            "20",
        ])
        .env("NO_COLOR", "1")
        // Its example cache lands in the working directory: keep it out of the source tree.
        .current_dir(env!("CARGO_TARGET_TMPDIR"))
        .output()
        .await
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "schemathesis failed:\n{stdout}\n{stderr}");
    assert!(!stdout.contains("Unresolvable"), "{stdout}");
}
