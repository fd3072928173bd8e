//! Every route declares its access next to its handler (`guard`), and the OpenAPI document says
//! the same. A route that forgets fails here; so does a public route nobody listed on purpose.

use api::ACCESS_EXTENSION;
use std::collections::BTreeSet;

/// The only operations anyone may call without a credential.
const PUBLIC: &[&str] = &[
    "GET /healthz",
    "GET /metrics",
    "GET /readyz",
    "POST /v1/auth/login",
    "POST /v1/auth/refresh",
    "POST /v1/auth/register",
    // Recovery and consent: the mailed token is the credential.
    "POST /v1/auth/verify-email",
    "POST /v1/auth/password-reset",
    "POST /v1/auth/password-reset/confirm",
    "POST /v1/invitations/accept",
    // The live feed's upgrade: browsers cannot send Authorization on a WebSocket, so the socket
    // authenticates in-band (subprotocol, header or first message) and is closed with 4401
    // otherwise.
    "GET /v1/ws",
    // Alert pushes: an API key with ALERTS_INGEST, or a configured source's own token or HMAC
    // signature, which the service verifies over the exact body (SIEM webhooks cannot always
    // send Authorization). A push with neither answers 401.
    "POST /v1/alerts/ingest",
    "POST /v1/alerts/ingest/elastic",
    "POST /v1/alerts/ingest/ocsf",
    "POST /v1/alerts/ingest/sentinel",
    "POST /v1/alerts/ingest/splunk",
    "POST /v1/alerts/ingest/wazuh",
    // GitHub's webhook deliveries: the installation's webhook secret (X-Hub-Signature-256 over
    // the raw body) is the credential.
    "POST /v1/diffscan/github/webhook/{id}",
];

/// Every operation of the router, with the access it declares (`None` when it declares none).
pub fn operations() -> Vec<(String, String, Option<String>)> {
    let (_, openapi) = api::router::api_parts();
    let doc = serde_json::to_value(&openapi).unwrap();
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if !["get", "put", "post", "delete", "patch", "head"].contains(&method.as_str()) {
                continue;
            }
            let access =
                operation.get(ACCESS_EXTENSION).and_then(|v| v.as_str()).map(str::to_string);
            found.push((method.to_uppercase(), path.clone(), access));
        }
    }
    found
}

#[test]
fn every_route_declares_its_access() {
    let missing: Vec<String> = operations()
        .into_iter()
        .filter(|(_, _, access)| access.is_none())
        .map(|(method, path, _)| format!("{method} {path}"))
        .collect();
    assert!(missing.is_empty(), "routes without guard(...): {missing:?}");
}

#[test]
fn only_the_listed_routes_are_public() {
    let public: BTreeSet<String> = operations()
        .into_iter()
        .filter(|(_, _, access)| access.as_deref() == Some("PUBLIC"))
        .map(|(method, path, _)| format!("{method} {path}"))
        .collect();
    let expected: BTreeSet<String> = PUBLIC.iter().map(|s| s.to_string()).collect();
    assert_eq!(public, expected);
}

#[test]
fn every_declared_permission_exists_and_protected_routes_document_their_security() {
    let (_, openapi) = api::router::api_parts();
    let doc = serde_json::to_value(&openapi).unwrap();
    for (method, path, access) in operations() {
        let access = access.unwrap_or_default();
        if access == "PUBLIC" {
            continue;
        }
        assert!(
            access == "AUTHENTICATED" || platform::access::Permission::parse(&access).is_some(),
            "{method} {path}: unknown access {access}"
        );
        let operation = &doc["paths"][&path][method.to_lowercase()];
        let schemes: Vec<&str> = operation["security"]
            .as_array()
            .unwrap_or_else(|| panic!("{method} {path} documents no security"))
            .iter()
            .filter_map(|requirement| requirement.as_object()?.keys().next().map(String::as_str))
            .collect();
        assert_eq!(schemes, ["bearer", "api_key"], "{method} {path}");
    }
    assert!(doc["components"]["securitySchemes"].get("bearer").is_some());
}

#[tokio::test]
async fn a_protected_route_without_a_credential_is_a_401_problem() {
    let app = testapp::TestApp::spawn().await;
    let response = app.get("/v1/auth/me").await;
    assert_eq!(response.status(), 401);
    assert_eq!(response.headers()["content-type"], "application/problem+json");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["code"], "UNAUTHENTICATED");
}
