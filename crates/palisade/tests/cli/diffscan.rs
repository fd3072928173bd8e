//! `palisade diffscan` as a CI job runs it: no server, no database, no configuration; exit 0 on
//! pass, 1 on fail, 2 on error; every format; policies, baselines, rule packs and `--git`; and
//! `verify-artifact` checking signed results offline.

use crate::process::{BIN, TempDataDir, temp_data_dir};
use base64::Engine as _;
use diffscan_engine::{Policy, Signer, sign_report};
use serde_json::Value;
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const AWS_DIFF: &str = "diff --git a/src/settings.py b/src/settings.py
index 6d4cacf..aba4875 100644
--- a/src/settings.py
+++ b/src/settings.py
@@ -10,2 +10,4 @@
 REGION = 'eu-west-1'
+AWS_ACCESS_KEY_ID = \"AKIAVQJXXVBOTHD0WTFL\"
+AWS_SECRET_ACCESS_KEY = \"PDZpAemm1za7v0fHhvjwdbT2HwDqzuM14qHOXHlp\"
 BUCKET = 'reports'
";

const CLEAN_DIFF: &str = "diff --git a/src/parse.rs b/src/parse.rs
index 82b4440..1683436 100644
--- a/src/parse.rs
+++ b/src/parse.rs
@@ -50 +50 @@ impl Parser
-    let parts = line.split(',');
+    let fields = line.split(',');
";

/// Runs `palisade diffscan ARGS` in `dir` with `stdin`, with no configuration at all.
fn diffscan(dir: &Path, args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .arg("diffscan")
        .args(args)
        .current_dir(dir)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("DATABASE_URL", "postgres://nobody@127.0.0.1:1/nothing")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin).unwrap();
    child.wait_with_output().unwrap()
}

fn write(dir: &TempDataDir, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn a_scan_exits_0_on_pass_1_on_fail_and_2_on_error() {
    let dir = temp_data_dir();
    let clean = diffscan(&dir, &["-"], CLEAN_DIFF.as_bytes());
    assert_eq!(clean.status.code(), Some(0), "{}", String::from_utf8_lossy(&clean.stderr));
    let file = write(&dir, "pr.diff", AWS_DIFF);
    let failed = diffscan(&dir, &[&file], b"");
    assert_eq!(failed.status.code(), Some(1));
    let text = String::from_utf8_lossy(&failed.stdout);
    assert!(text.contains("secrets.aws-access-key-id"), "{text}");
    assert!(!text.contains("PDZpAemm1za7v0fHhvjwdbT2HwDqzuM14qHOXHlp"), "secrets are redacted");
    let error = diffscan(&dir, &[], b"just a commit message\n");
    assert_eq!(error.status.code(), Some(2));
    let missing = diffscan(&dir, &["/nonexistent/pr.diff"], b"");
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read"));
    let usage = diffscan(&dir, &["--format", "xml", "-"], CLEAN_DIFF.as_bytes());
    assert_eq!(usage.status.code(), Some(2));
}

#[test]
fn every_format_renders_and_sarif_carries_fingerprints() {
    let dir = temp_data_dir();
    let file = write(&dir, "pr.diff", AWS_DIFF);
    let json = diffscan(&dir, &["--format", "json", &file], b"");
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["decision"], "fail");
    assert_eq!(report["format"], "palisade.diffscan.report/v1");
    let sarif = diffscan(&dir, &["--format", "sarif", &file], b"");
    let sarif: Value = serde_json::from_slice(&sarif.stdout).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
    assert!(sarif["runs"][0]["results"][0]["partialFingerprints"].is_object());
    let out = dir.join("report.html");
    let html = diffscan(&dir, &["--format", "html", "-o", &out.display().to_string(), &file], b"");
    assert_eq!(html.status.code(), Some(1));
    assert!(html.stdout.is_empty());
    assert!(std::fs::read_to_string(out).unwrap().starts_with("<!DOCTYPE html>"));
}

#[test]
fn a_policy_a_baseline_and_a_rule_pack_change_the_decision() {
    let dir = temp_data_dir();
    let file = write(&dir, "pr.diff", AWS_DIFF);
    let audit = write(&dir, "audit.yaml", "version: 1\nprofile: audit\n");
    assert_eq!(diffscan(&dir, &["--policy", &audit, &file], b"").status.code(), Some(0));
    let lenient = write(&dir, "lenient.yaml", "version: 1\non_error: fail-open\n");
    let open = diffscan(&dir, &["--policy", &lenient, "--format", "json", "-"], b"no diff here\n");
    assert_eq!(open.status.code(), Some(0));
    let report: Value = serde_json::from_slice(&open.stdout).unwrap();
    assert_eq!(report["degraded"], true);
    let typo = write(
        &dir,
        "typo.yaml",
        "version: 1\nexceptions:\n  - rule: secrets.aws-acess-key\n    path: '**'\n    expires: 2999-01-01\n    reason: the fixtures of the login tests\n",
    );
    let refused = diffscan(&dir, &["--policy", &typo, &file], b"");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("secrets.aws-acess-key"));

    let baseline = dir.join("baseline.json").display().to_string();
    assert_eq!(diffscan(&dir, &["--write-baseline", &baseline, &file], b"").status.code(), Some(1));
    assert_eq!(diffscan(&dir, &["--baseline", &baseline, &file], b"").status.code(), Some(0));

    let pack = write(
        &dir,
        "pack.yaml",
        "name: ci\nversion: 1\ndescription: Our tokens.\nrules:\n  - id: secrets.ci-token\n    family: secrets\n    severity: critical\n    confidence: high\n    title: CI token\n    description: A CI token.\n    remediation: Revoke it.\n    pattern: '\\bcitok_[a-z0-9]{20}\\b'\n    keywords: [citok_]\n    examples:\n      positive: [\"t = 'citok_abcdefghij0123456789'\"]\n      negative: [\"t = env('CI')\"]\n",
    );
    let diff = "diff --git a/a.py b/a.py\n--- a/a.py\n+++ b/a.py\n@@ -1 +1,2 @@\n x = 1\n+t = 'citok_q8w7e6r5t4y3u2i1o0pa'\n";
    assert_eq!(diffscan(&dir, &["-"], diff.as_bytes()).status.code(), Some(0));
    assert_eq!(
        diffscan(&dir, &["--rule-pack", &pack, "-"], diff.as_bytes()).status.code(),
        Some(1)
    );
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args([
            "-c",
            "user.name=ci",
            "-c",
            "user.email=ci@palisade.test",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .env_remove("GIT_DIR")
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn git_ranges_are_scanned_without_running_anything_the_repository_configures() {
    let dir = temp_data_dir();
    git(&dir, &["init", "-q", "-b", "main"]);
    std::fs::write(dir.join("settings.py"), "REGION = 'eu-west-1'\n").unwrap();
    git(&dir, &["add", "."]);
    git(&dir, &["commit", "-q", "-m", "base"]);
    git(&dir, &["checkout", "-q", "-b", "feature"]);
    std::fs::write(
        dir.join("settings.py"),
        "REGION = 'eu-west-1'\nAWS_ACCESS_KEY_ID = \"AKIAVQJXXVBOTHD0WTFL\"\n",
    )
    .unwrap();
    git(&dir, &["commit", "-q", "-am", "add a key"]);
    // A hostile repository asks git to run an external diff program; it must not run.
    let tripwire = dir.join("ran");
    git(&dir, &["config", "diff.external", &format!("touch {}", tripwire.display())]);
    let scanned = diffscan(&dir, &["--git", "main..feature", "--format", "json"], b"");
    assert_eq!(scanned.status.code(), Some(1), "{}", String::from_utf8_lossy(&scanned.stderr));
    let report: Value = serde_json::from_slice(&scanned.stdout).unwrap();
    assert!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["rule_id"] == "secrets.aws-access-key-id")
    );
    assert!(!tripwire.exists(), "the configured external diff ran");
    let injected = diffscan(&dir, &["--git", "--output=/tmp/x..feature"], b"");
    assert_eq!(injected.status.code(), Some(2));
    assert_eq!(diffscan(&dir, &["--git", "main..nonexistent"], b"").status.code(), Some(2));
}

fn artifact(signer: &Signer) -> Vec<u8> {
    let report = diffscan_engine::scan(
        AWS_DIFF.as_bytes(),
        &Policy::default(),
        None,
        chrono::Utc::now().date_naive(),
    )
    .unwrap();
    sign_report(&report, "pr-17", signer).unwrap()
}

#[test]
fn verify_artifact_accepts_the_signers_key_and_refuses_tampering_other_keys_and_the_development_key()
 {
    let dir = temp_data_dir();
    let signer = Signer::ed25519(&[42u8; 32]).unwrap();
    let public = base64::engine::general_purpose::STANDARD
        .encode(signer.verification_key().ed25519_public_key().unwrap());
    let signed = dir.join("a.dsse.json");
    std::fs::write(&signed, artifact(&signer)).unwrap();
    let signed = signed.display().to_string();
    let ok = diffscan(&dir, &["verify-artifact", &signed, "--public-key", &public], b"");
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stderr));
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(out.contains("verified") && out.contains("decision: fail"), "{out}");
    let key_file = write(&dir, "key.pub", &format!("{public}\n"));
    assert_eq!(
        diffscan(&dir, &["verify-artifact", &signed, "--public-key", &key_file], b"").status.code(),
        Some(0)
    );

    let other = base64::engine::general_purpose::STANDARD.encode(
        Signer::ed25519(&[7u8; 32]).unwrap().verification_key().ed25519_public_key().unwrap(),
    );
    assert_eq!(
        diffscan(&dir, &["verify-artifact", &signed, "--public-key", &other], b"").status.code(),
        Some(1)
    );

    let mut envelope: Value = serde_json::from_slice(&std::fs::read(&signed).unwrap()).unwrap();
    envelope["payloadType"] = Value::String("application/json".into());
    let tampered = write(&dir, "tampered.json", &envelope.to_string());
    let refused = diffscan(&dir, &["verify-artifact", &tampered, "--public-key", &public], b"");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("NOT VERIFIED"));

    let development = dir.join("dev.json");
    std::fs::write(&development, artifact(&Signer::deterministic())).unwrap();
    let development = development.display().to_string();
    let refused = diffscan(&dir, &["verify-artifact", &development, "--public-key", &public], b"");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("development key"));
    let allowed =
        diffscan(&dir, &["verify-artifact", &development, "--allow-development-key"], b"");
    assert_eq!(allowed.status.code(), Some(0));

    let hmac_key = write(&dir, "hmac.key", &hex_of(&[5u8; 32]));
    let hmac = dir.join("hmac.json");
    std::fs::write(&hmac, artifact(&Signer::hmac(&[5u8; 32]).unwrap())).unwrap();
    let hmac = hmac.display().to_string();
    assert_eq!(
        diffscan(&dir, &["verify-artifact", &hmac, "--hmac-key-file", &hmac_key], b"")
            .status
            .code(),
        Some(0)
    );
    assert_eq!(
        diffscan(&dir, &["verify-artifact", &hmac], b"").status.code(),
        Some(2),
        "no key given"
    );
    assert_eq!(
        diffscan(&dir, &["verify-artifact", "/nonexistent", "--public-key", &public], b"")
            .status
            .code(),
        Some(2)
    );
}

fn hex_of(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
