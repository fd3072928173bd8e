//! Parsing untrusted input into diffscan's values: names, descriptions, `Idempotency-Key`s and
//! the canonical digest of a request, days, repository names, fingerprints, rule selectors,
//! and policy documents (checked by the engine itself). Every refusal is a field error with a
//! stable code.

use crate::error::DiffscanError;
use crate::model::ExceptionRecord;
use chrono::{Datelike, NaiveDate};
use diffscan_engine::Policy;
use diffscan_engine::rules::{RuleSelector, RuleSet};
use diffscan_engine::verify::Limits;
use platform::{FieldCode, Invalid};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
pub const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;

fn invalid(field: &'static str, code: FieldCode, message: impl Into<String>) -> DiffscanError {
    DiffscanError::Invalid(Invalid::new(field, code, message))
}

/// A name: trimmed, 1 to `max` characters, no control characters.
pub fn name(field: &'static str, text: &str, max: usize) -> Result<String, DiffscanError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(invalid(field, FieldCode::REQUIRED, "must not be empty"));
    }
    if text.chars().count() > max {
        return Err(invalid(field, FieldCode::INVALID_NAME, format!("at most {max} characters")));
    }
    if text.chars().any(char::is_control) {
        return Err(invalid(field, FieldCode::INVALID_NAME, "must not contain control characters"));
    }
    Ok(text.to_string())
}

/// Free text for people: at most `max` characters, no control characters but line breaks and
/// tabs.
pub fn text(field: &'static str, text: &str, max: usize) -> Result<String, DiffscanError> {
    if text.chars().count() > max {
        return Err(invalid(field, FieldCode::TOO_LONG, format!("at most {max} characters")));
    }
    if text.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')) {
        return Err(invalid(field, FieldCode::INVALID_TEXT, "must not contain control characters"));
    }
    Ok(text.to_string())
}

/// An `Idempotency-Key`: 1 to 255 visible ASCII characters.
pub fn idempotency_key(text: &str) -> Result<String, DiffscanError> {
    let valid = (1..=MAX_IDEMPOTENCY_KEY_CHARS).contains(&text.len())
        && text.bytes().all(|b| b.is_ascii_graphic());
    if !valid {
        return Err(invalid(
            "Idempotency-Key",
            FieldCode::INVALID_IDEMPOTENCY_KEY,
            "1 to 255 visible ASCII characters (a UUID is a good choice)",
        ));
    }
    Ok(text.to_string())
}

/// JSON written one way only: object keys sorted, no insignificant whitespace.
pub fn canonical_json(value: &Value) -> String {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let fields: Vec<String> = keys
                .into_iter()
                .map(|key| format!("{}:{}", Value::String(key.clone()), canonical_json(&map[key])))
                .collect();
            format!("{{{}}}", fields.join(","))
        }
        Value::Array(items) => {
            format!("[{}]", items.iter().map(canonical_json).collect::<Vec<_>>().join(","))
        }
        other => other.to_string(),
    }
}

/// The SHA-256 of a request's canonical form.
pub fn request_digest(request: &Value) -> Vec<u8> {
    Sha256::digest(canonical_json(request).as_bytes()).to_vec()
}

/// A day written `YYYY-MM-DD`, in the years 2000 to 9999.
pub fn day(field: &'static str, text: &str) -> Result<NaiveDate, DiffscanError> {
    let parsed = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .filter(|d| (2000..=9999).contains(&d.year()));
    parsed.ok_or_else(|| {
        invalid(field, FieldCode::INVALID_DATE, "a day written YYYY-MM-DD, such as 2027-01-31")
    })
}

pub fn repository(field: &'static str, text: &str) -> Result<String, DiffscanError> {
    let text = text.trim();
    if crate::github::is_repository_name(text) {
        Ok(text.to_string())
    } else {
        Err(invalid(field, FieldCode::INVALID_REPOSITORY, "a repository written owner/name"))
    }
}

pub fn fingerprint(field: &'static str, text: &str) -> Result<String, DiffscanError> {
    diffscan_engine::policy::Fingerprint::parse(text.trim())
        .map(|f| f.as_str().to_string())
        .map_err(|_| invalid(field, FieldCode::INVALID_FINGERPRINT, "64 lowercase hex digits"))
}

/// A rule selector (`secrets.aws-access-key-id`, `secrets.*`, `family:secrets`) whose exact id,
/// if it names one, exists in `rules`.
pub fn rule_selector(
    field: &'static str,
    text: &str,
    rules: &RuleSet,
) -> Result<String, DiffscanError> {
    let selector = RuleSelector::parse(text.trim())
        .map_err(|e| invalid(field, FieldCode::INVALID_RULE_SELECTOR, e.to_string()))?;
    if let Some(id) = selector.exact_id()
        && rules.get(id).is_none()
    {
        return Err(invalid(field, FieldCode::UNKNOWN_RULE, format!("no rule is called `{id}`")));
    }
    Ok(selector.as_str().to_string())
}

/// A policy document as a client sends it: the engine's format (`version` 1, optional) without
/// `exceptions`, which are objects of their own. Returns it normalized (with `version`).
pub fn policy_document(value: &Value, rules: &RuleSet) -> Result<Value, DiffscanError> {
    let Some(object) = value.as_object() else {
        return Err(invalid("policy", FieldCode::INVALID_POLICY, "must be a JSON object"));
    };
    if object.contains_key("exceptions") {
        return Err(invalid(
            "policy",
            FieldCode::INVALID_POLICY,
            "exceptions are managed at /v1/diffscan/exceptions, not inside a policy",
        ));
    }
    let mut document: Map<String, Value> = object.clone();
    document.entry("version").or_insert(json!(1));
    let document = Value::Object(document);
    let policy = engine_policy(&document, &[], usize::MAX)
        .map_err(|e| invalid("policy", FieldCode::INVALID_POLICY, e))?;
    if let Some(unknown) = policy.unknown_rule_ids(rules).first() {
        return Err(invalid(
            "policy",
            FieldCode::UNKNOWN_RULE,
            format!("the policy names `{unknown}`, which is not a rule"),
        ));
    }
    Ok(document)
}

/// The engine's policy for a stored document and the exceptions that apply to it, its size
/// limit held to `max_bytes`.
pub fn engine_policy(
    document: &Value,
    exceptions: &[ExceptionRecord],
    max_bytes: usize,
) -> Result<Policy, String> {
    let mut full = document.as_object().cloned().unwrap_or_default();
    full.insert("version".into(), json!(1));
    let listed: Vec<Value> = exceptions
        .iter()
        .map(|e| {
            json!({
                "rule": e.rule,
                "path": e.path_glob,
                "expires": e.expires_on.to_string(),
                "reason": e.reason,
            })
        })
        .collect();
    full.insert("exceptions".into(), Value::Array(listed));
    let policy = Policy::parse(&Value::Object(full).to_string()).map_err(|e| e.to_string())?;
    let limits = policy.limits();
    match Limits::new(
        limits.max_total_bytes().min(max_bytes),
        limits.max_files(),
        limits.max_line_bytes(),
    ) {
        Ok(capped) => Ok(policy.with_limits(capped)),
        Err(error) => Err(error.to_string()),
    }
}

/// Checks one exception the way a scan will read it (its glob compiles, its reason is one).
pub fn exception(
    rule: &str,
    path_glob: &str,
    expires: NaiveDate,
    reason: &str,
) -> Result<(), DiffscanError> {
    let draft = json!({
        "version": 1,
        "exceptions": [{"rule": rule, "path": path_glob, "expires": expires.to_string(), "reason": reason}],
    });
    match Policy::parse(&draft.to_string()) {
        Ok(_) => Ok(()),
        Err(error) => {
            let message = error.to_string();
            if message.contains("needs a reason") {
                Err(invalid(
                    "reason",
                    FieldCode::INVALID_TEXT,
                    "a reason of at least eight letters",
                ))
            } else {
                Err(invalid("path", FieldCode::INVALID_PATH_GLOB, message))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diffscan_engine::Engine;

    #[test]
    fn canonical_json_sorts_keys_at_every_depth_and_ignores_spacing() {
        let a: Value =
            serde_json::from_str(r#"{"b": 1, "a": {"y": [1, {"d": 2, "c": 3}], "x": null}}"#)
                .unwrap();
        let b: Value =
            serde_json::from_str(r#"{"a":{"x":null,"y":[1,{"c":3,"d":2}]},"b":1}"#).unwrap();
        assert_eq!(canonical_json(&a), r#"{"a":{"x":null,"y":[1,{"c":3,"d":2}]},"b":1}"#);
        assert_eq!(request_digest(&a), request_digest(&b));
        assert_ne!(request_digest(&a), request_digest(&json!({"b": 2})));
    }

    #[test]
    fn idempotency_keys_are_visible_ascii() {
        assert!(idempotency_key("a3f2c1d4-7f00-4c5e-9a51-1c2d3e4f5a6b").is_ok());
        for bad in ["", "with space", "caf\u{e9}", &"k".repeat(256), "nul\u{0}"] {
            assert!(idempotency_key(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn policies_are_checked_by_the_engine_and_may_not_carry_exceptions() {
        let engine = Engine::builtin().unwrap();
        let rules = engine.rule_set();
        let ok = policy_document(&json!({"profile": "strict", "on_error": "fail-open"}), rules);
        assert_eq!(ok.unwrap()["version"], 1);
        let errors = [
            json!([1, 2]),
            json!({"profile": "nonexistent"}),
            json!({"exceptions": []}),
            json!({"on_error": "explode"}),
            json!({"profiles": {"p": {"exclude": ["secrets.no-such-rule"]}}, "profile": "p"}),
        ];
        for bad in errors {
            assert!(policy_document(&bad, rules).is_err(), "{bad}");
        }
    }

    #[test]
    fn days_and_selectors_are_refused_with_their_codes() {
        assert!(day("expires", "2027-02-30").is_err());
        assert!(day("expires", "99999-01-01").is_err());
        assert_eq!(day("expires", "2027-01-31").unwrap().to_string(), "2027-01-31");
        let engine = Engine::builtin().unwrap();
        assert!(rule_selector("rule", "secrets.*", engine.rule_set()).is_ok());
        assert!(rule_selector("rule", "family:secrets", engine.rule_set()).is_ok());
        let unknown = rule_selector("rule", "secrets.nope", engine.rule_set()).unwrap_err();
        assert!(
            matches!(unknown, DiffscanError::Invalid(ref i) if i.code == FieldCode::UNKNOWN_RULE)
        );
        assert!(exception("secrets.jwt", "tests/**", NaiveDate::MAX, "short").is_err());
        assert!(
            exception("secrets.jwt", "tests/[", NaiveDate::MAX, "fixtures for the login tests")
                .is_err()
        );
    }
}
