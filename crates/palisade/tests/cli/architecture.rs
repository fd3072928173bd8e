//! The architecture, checked: the dependency direction between crates (from `cargo metadata`)
//! and the rule that every service method acting for a principal checks its permission itself
//! (from the services' source). A new crate or method that breaks either fails here.

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Capabilities' domain crates: services over the database, no HTTP, no identity.
const DOMAINS: &[&str] =
    &["identity", "notify", "surface", "alerts", "diffscan", "cases", "intel", "compliance"];
/// What sits above the domains and no domain or engine may depend on.
const EDGES: &[&str] = &["edge", "api", "web", "palisade", "testapp"];

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Each workspace crate and its normal (non-dev, non-build) dependencies.
fn dependencies() -> BTreeMap<String, Vec<String>> {
    let output = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(workspace_root())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: Value = serde_json::from_slice(&output.stdout).unwrap();
    let mut found = BTreeMap::new();
    for package in metadata["packages"].as_array().unwrap() {
        let normal = package["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"].is_null())
            .map(|d| d["name"].as_str().unwrap().to_string())
            .collect();
        found.insert(package["name"].as_str().unwrap().to_string(), normal);
    }
    found
}

fn is_engine(name: &str) -> bool {
    name.ends_with("-engine") || name == "detect"
}

#[test]
fn crates_depend_one_way_bin_to_edge_to_domains_to_engines_and_platform() {
    let graph = dependencies();
    let ours: Vec<&String> = graph.keys().collect();
    let mut broken = Vec::new();
    for (name, deps) in &graph {
        let has = |dep: &str| deps.iter().any(|d| d == dep);
        let mut refuse = |rule: &str| broken.push(format!("{name}: {rule}"));
        if name == "platform" && deps.iter().any(|d| ours.contains(&d)) {
            refuse("platform depends on another crate of the workspace");
        }
        if DOMAINS.contains(&name.as_str()) || is_engine(name) {
            for dep in ["axum", "axum-server", "tower-http", "utoipa-axum"] {
                if has(dep) {
                    refuse(&format!("a domain or engine crate depends on {dep}"));
                }
            }
            for edge in EDGES {
                if has(edge) {
                    refuse(&format!("a domain or engine crate depends on {edge}"));
                }
            }
        }
        if DOMAINS.contains(&name.as_str()) && name != "identity" && has("identity") {
            refuse("a domain crate depends on identity (use platform::access)");
        }
        if is_engine(name) {
            for dep in ["sqlx", "tokio-postgres", "reqwest", "platform"]
                .into_iter()
                .chain(DOMAINS.iter().copied())
            {
                if has(dep) {
                    refuse(&format!("an engine crate depends on {dep}"));
                }
            }
        }
    }
    assert!(broken.is_empty(), "layering broken:\n{}", broken.join("\n"));
    assert!(graph.contains_key("platform") && graph.contains_key("edge"));
}

/// Service methods that act for a principal on its own session or profile: any authenticated
/// principal may, so they check no permission. Every other one must.
const SELF_SERVICE: &[&str] = &[
    "identity::profile",
    "identity::update_profile",
    "identity::change_password",
    "identity::logout",
    "identity::switch_tenant",
    // The console's own session: renewing its token and listing the user's own tenants.
    "identity::renew_console_session",
    "identity::switchable_tenants",
];

/// Each `pub async fn` of `source` taking a `&Principal`, with its body.
fn methods_acting_for_a_principal(source: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find("pub async fn ") {
        let after = &rest[at + "pub async fn ".len()..];
        let name: String = after.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        let Some(open) = after.find('{') else { break };
        let signature = &after[..open];
        let mut depth = 0;
        let mut end = open;
        for (i, c) in after[open..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                end = open + i;
                break;
            }
        }
        if signature.contains("&Principal") {
            found.push((name, after[open..=end].to_string()));
        }
        rest = &after[end..];
    }
    found
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_service_method_acting_for_a_principal_checks_its_permission() {
    let mut unchecked = Vec::new();
    let mut checked = 0;
    for domain in DOMAINS {
        let src = workspace_root().join("crates").join(domain).join("src");
        if !src.exists() {
            continue;
        }
        let mut files = Vec::new();
        rust_files(&src, &mut files);
        for file in files {
            let source = std::fs::read_to_string(&file).unwrap();
            for (name, body) in methods_acting_for_a_principal(&source) {
                let qualified = format!("{domain}::{name}");
                if SELF_SERVICE.contains(&qualified.as_str()) {
                    continue;
                }
                if body.contains(".require(") || body.contains(".require_global_admin(") {
                    checked += 1;
                } else {
                    unchecked.push(format!("{qualified} ({})", file.display()));
                }
            }
        }
    }
    assert!(unchecked.is_empty(), "service methods without a permission check: {unchecked:#?}");
    // A floor, so that a walk that silently finds nothing (a moved folder) fails too.
    assert!(checked >= 25, "the walk found only {checked} checked methods");
}

#[test]
fn the_walk_finds_a_method_that_forgot_its_check() {
    let source = "impl S {\n    pub async fn peek(&self, principal: &Principal, id: Id) -> R {\n        \
                  self.store.get(id).await\n    }\n    pub async fn helper(&self) {}\n}";
    let found = methods_acting_for_a_principal(source);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].0, "peek");
    assert!(!found[0].1.contains(".require("));
}
