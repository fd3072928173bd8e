//! Configuration errors, `--help` and `--version`.

use crate::process::run;

#[test]
fn bad_configuration_values_exit_2_naming_each_one() {
    let output = run(
        &["serve"],
        &[
            ("PALISADE_LISTEN", "not-an-address"),
            ("PALISADE_HTTP_BODY_LIMIT_BYTES", "-5"),
            ("PALISADE_TLS_BEHIND_PROXY", "perhaps"),
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("PALISADE_LISTEN (setting `listen`): `not-an-address`"), "{stderr}");
    assert!(stderr.contains("PALISADE_HTTP_BODY_LIMIT_BYTES"), "{stderr}");
    assert!(stderr.contains("PALISADE_TLS_BEHIND_PROXY"), "{stderr}");
}

#[test]
fn a_missing_config_file_is_a_clear_error() {
    let output = run(&["--config", "/nonexistent/palisade.toml", "serve"], &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&output.stderr)
            .contains("cannot read config file /nonexistent/palisade.toml")
    );
}

#[test]
fn missing_postgresql_binaries_are_explained_in_one_line() {
    let output = run(
        &["migrate"],
        &[("PG_BIN_DIR", "/nonexistent/bin"), ("PALISADE_DATA_DIR", "/tmp/unused")],
    );
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("PG_BIN_DIR=/nonexistent/bin does not contain initdb"), "{stderr}");
}

#[test]
fn every_command_has_help_and_the_binary_has_a_version() {
    for args in [
        &["--help"][..],
        &["serve", "--help"],
        &["worker", "--help"],
        &["migrate", "--help"],
        &["admin", "--help"],
        &["admin", "audit-verify", "--help"],
    ] {
        let output = run(args, &[]);
        assert!(output.status.success(), "{args:?}");
        assert!(String::from_utf8_lossy(&output.stdout).contains("Usage:"), "{args:?}");
    }
    let version = run(&["--version"], &[]);
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("palisade {}", env!("CARGO_PKG_VERSION"))
    );
}
