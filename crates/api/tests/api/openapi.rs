//! The OpenAPI document tells the truth: every `$ref` resolves, every error answer is declared as
//! problem+json, each route's rate tier is declared next to its access, and the answers a route
//! gives because of its access, parameters and body are declared on it.

use api::{ACCESS_EXTENSION, TIER_EXTENSION};
use serde_json::Value;
use std::collections::BTreeSet;

fn document() -> Value {
    let (_, openapi) = api::router::api_parts();
    serde_json::to_value(&openapi).unwrap()
}

/// Every operation as (METHOD path, operation).
fn operations(doc: &Value) -> Vec<(String, Value)> {
    let mut found = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if ["get", "put", "post", "delete", "patch", "head"].contains(&method.as_str()) {
                found.push((format!("{} {path}", method.to_uppercase()), operation.clone()));
            }
        }
    }
    found
}

fn refs(value: &Value, out: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                match (key.as_str(), inner) {
                    ("$ref", Value::String(target)) => {
                        out.insert(target.clone());
                    }
                    _ => refs(inner, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|item| refs(item, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves_to_a_component() {
    let doc = document();
    let mut found = BTreeSet::new();
    refs(&doc, &mut found);
    let missing: Vec<&String> = found
        .iter()
        .filter(|target| {
            let name = target.trim_start_matches("#/components/schemas/");
            doc["components"]["schemas"].get(name).is_none()
        })
        .collect();
    assert!(missing.is_empty(), "unresolvable references: {missing:?}");
}

#[test]
fn every_error_answer_is_problem_json_with_the_problem_schema() {
    let doc = document();
    for (operation, body) in operations(&doc) {
        for (status, response) in body["responses"].as_object().unwrap() {
            if status.parse::<u16>().unwrap() < 400 {
                continue;
            }
            let content = response["content"].as_object().unwrap();
            let types: Vec<&String> = content.keys().collect();
            assert_eq!(types, ["application/problem+json"], "{operation} {status}");
            let schema = &content["application/problem+json"]["schema"]["$ref"];
            assert_eq!(schema, "#/components/schemas/Problem", "{operation} {status}");
        }
    }
}

#[test]
fn every_route_declares_a_known_rate_tier_and_credential_checks_are_in_the_auth_tier() {
    let doc = document();
    for (operation, body) in operations(&doc) {
        let tier = body[TIER_EXTENSION].as_str().unwrap_or_else(|| panic!("{operation}"));
        assert!(
            ["auth", "general", "bulk", "expensive", "unmetered"].contains(&tier),
            "{operation}: {tier}"
        );
        let expected = match operation.as_str() {
            "POST /v1/auth/refresh"
            | "POST /v1/auth/register"
            | "POST /v1/auth/verify-email"
            | "POST /v1/auth/password-reset"
            | "POST /v1/auth/password-reset/confirm"
            | "POST /v1/auth/password"
            | "POST /v1/invitations/accept" => "auth",
            "GET /healthz" | "GET /readyz" | "GET /metrics" => "unmetered",
            "POST /v1/alerts/bulk" | "POST /v1/alerts/bulk-jobs" => "bulk",
            "POST /v1/diffscans" => "expensive",
            // They reach out to the network: proof checks and scans.
            "POST /v1/assets/{id}/verify" | "POST /v1/assets/{id}/scans" => "expensive",
            _ => "general",
        };
        assert_eq!(tier, expected, "{operation}");
        assert!(body[ACCESS_EXTENSION].is_string(), "{operation}");
    }
}

#[test]
fn answers_that_follow_from_access_parameters_and_body_are_declared() {
    let doc = document();
    for (operation, body) in operations(&doc) {
        let declared: BTreeSet<&str> =
            body["responses"].as_object().unwrap().keys().map(String::as_str).collect();
        let mut needed = vec!["500", "503"];
        if body[TIER_EXTENSION] != "unmetered" {
            needed.push("429");
        }
        if body[ACCESS_EXTENSION] != "PUBLIC" {
            needed.extend(["401", "403"]);
        }
        let parameters = body["parameters"].as_array().cloned().unwrap_or_default();
        if parameters.iter().any(|p| p["in"] == "path") {
            needed.push("404");
        }
        if parameters.iter().any(|p| p["in"] == "query") {
            needed.extend(["400", "422"]);
        }
        if body.get("requestBody").is_some() {
            needed.extend(["400", "413", "415", "422"]);
        }
        for status in needed {
            assert!(declared.contains(status), "{operation} does not declare {status}");
        }
    }
}

#[test]
fn metrics_are_declared_as_the_openmetrics_text_they_are_served_as() {
    let doc = document();
    let content = &doc["paths"]["/metrics"]["get"]["responses"]["200"]["content"];
    assert!(content.get("application/openmetrics-text").is_some(), "{content}");
}
