//! Fuzzes offline verification of signed artifacts with arbitrary bytes: it must refuse, never
//! panic, and never accept an envelope the development key did not sign.

#![no_main]

use diffscan_engine::{VerificationKey, verify_artifact};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &[u8]| {
    if verify_artifact(input, &[VerificationKey::development()]).is_ok() {
        panic!("an arbitrary input verified");
    }
});
