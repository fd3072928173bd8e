//! Unit tests of configuration loading: defaults, precedence, errors, the example file.

use super::*;

fn load(toml: &str, env: &[(&str, &str)]) -> Result<Config, ConfigErrors> {
    let env = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
    Config::load("palisade.toml", toml, &env)
}

#[test]
fn defaults_apply_when_nothing_is_set() {
    let config = load("", &[]).unwrap();
    assert_eq!(config.app.platform.data_dir, PathBuf::from("./palisade-data"));
    assert_eq!(config.listen.to_string(), "0.0.0.0:8443");
    assert_eq!(config.redirect_listen.unwrap().to_string(), "0.0.0.0:8080");
    assert!(config.app.platform.database.url.is_none());
    assert_eq!(config.app.http.body_limit_bytes, 1024 * 1024);
    assert_eq!(config.tls.hostnames, vec!["localhost"]);
    assert!(!config.tls.behind_proxy);
    assert_eq!(config.app.platform.jobs.concurrency, 4);
    assert_eq!(config.app.platform.jobs.shutdown_grace, Duration::from_secs(30));
}

#[test]
fn environment_overrides_the_file() {
    let config = load(
        "listen = \"127.0.0.1:9000\"\n[http]\nbody_limit_bytes = 2048\n",
        &[("PALISADE_LISTEN", "127.0.0.1:9443"), ("DATABASE_URL", "postgres://app@db/p")],
    )
    .unwrap();
    assert_eq!(config.listen.to_string(), "127.0.0.1:9443");
    assert_eq!(config.app.http.body_limit_bytes, 2048);
    assert_eq!(config.app.platform.database.url.unwrap().expose(), "postgres://app@db/p");
}

#[test]
fn the_job_runner_is_configured_from_the_file_or_the_environment() {
    let config = load(
        "[jobs]\nconcurrency = 8\nshutdown_grace_secs = 5\n",
        &[("PALISADE_JOBS_CONCURRENCY", "16")],
    )
    .unwrap();
    assert_eq!(config.app.platform.jobs.concurrency, 16);
    assert_eq!(config.app.platform.jobs.shutdown_grace, Duration::from_secs(5));
    let errors = load("[jobs]\nconcurrency = 0\n", &[]).unwrap_err();
    assert!(errors.to_string().contains("`jobs.concurrency`"), "{errors}");
}

#[test]
fn every_bad_value_is_reported_with_its_origin() {
    let errors = load(
        "listen = \"nowhere\"\nlistne = 1\n[http]\nrequest_timeout_secs = 0\n",
        &[
            ("PALISADE_TLS_BEHIND_PROXY", "maybe"),
            ("PALISADE_TLS_HOSTNAMES", "ok.example, bad_host"),
        ],
    )
    .unwrap_err();
    let text = errors.to_string();
    assert_eq!(errors.0.len(), 5, "{text}");
    assert!(text.contains("`listen` in palisade.toml: `nowhere` is not an address and port"));
    assert!(
        text.contains("`http.request_timeout_secs` in palisade.toml: `0` is not a whole number")
    );
    assert!(text.contains(
        "PALISADE_TLS_BEHIND_PROXY (setting `tls.behind_proxy`): `maybe` is not a boolean"
    ));
    assert!(text.contains("`bad_host`"));
    assert!(text.contains("unknown setting `listne`"));
}

#[test]
fn a_certificate_without_its_key_is_refused() {
    let errors = load("[tls]\ncert_file = \"/etc/cert.pem\"\n", &[]).unwrap_err();
    assert!(errors.to_string().contains("must be set together"));
}

#[test]
fn broken_toml_is_reported_with_the_file_name() {
    let errors = load("listen = ", &[]).unwrap_err();
    assert!(errors.0[0].starts_with("palisade.toml:"));
}

#[test]
fn the_redirect_listener_can_be_turned_off() {
    let config = load("redirect_listen = \"off\"", &[]).unwrap();
    assert!(config.redirect_listen.is_none());
}

#[test]
fn database_urls_are_redacted_in_debug_output() {
    let config = load("", &[("DATABASE_URL", "postgres://app:s3cret@db/p")]).unwrap();
    assert!(!format!("{config:?}").contains("s3cret"));
}

#[test]
fn the_documented_example_file_parses() {
    let text = include_str!("../../../../palisade.example.toml");
    load(text, &[]).unwrap();
}

#[test]
fn logs_read_auto_json_or_text_and_a_bad_filter_stops_the_start() {
    assert_eq!(load("", &[]).unwrap().log.format, LogFormat::Auto);
    assert!(load("", &[]).unwrap().log.filter.is_none(), "the quiet default applies");
    let text = load("[log]\nformat = \"text\"\nfilter = \"palisade=debug,info\"\n", &[]).unwrap();
    assert_eq!(text.log.format, LogFormat::Text);
    assert_eq!(text.log.filter.as_deref(), Some("palisade=debug,info"));
    assert_eq!(load("", &[("PALISADE_LOG_FORMAT", "json")]).unwrap().log.format, LogFormat::Json);
    let errors = load("[log]\nfilter = \"info,[unclosed\"\nformat = \"xml\"\n", &[]).unwrap_err();
    let text = errors.to_string();
    assert!(text.contains("`log.filter`") && text.contains("is not a log filter"), "{text}");
    assert!(text.contains("`log.format`"), "{text}");
}

#[test]
fn the_pool_must_fit_the_embedded_cluster() {
    let errors = load("[database]\nmax_connections = 500\n", &[]).unwrap_err();
    assert!(errors.to_string().contains("more than the embedded cluster allows (180"), "{errors}");
    let external =
        load("[database]\nmax_connections = 500\n", &[("DATABASE_URL", "postgres://a@b/c")]);
    assert_eq!(external.unwrap().app.platform.database.max_connections, 500);
}

#[test]
fn a_previous_data_key_that_cannot_be_used_stops_the_start_with_a_reason() {
    let key = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";
    let alone = load("", &[("PALISADE_ENCRYPTION_PREVIOUS_KEY", key)]).unwrap_err();
    assert!(alone.0[0].contains("is set without encryption.key"), "{alone:?}");
    let same_id = [
        ("PALISADE_ENCRYPTION_KEY", key),
        ("PALISADE_ENCRYPTION_PREVIOUS_KEY", key),
        ("PALISADE_ENCRYPTION_PREVIOUS_KEY_ID", "k1"),
    ];
    let refused = load("", &same_id).unwrap_err();
    assert!(refused.0[0].contains("must differ from encryption.key_id"), "{refused:?}");
    let rotating = [("PALISADE_ENCRYPTION_KEY", key), ("PALISADE_ENCRYPTION_PREVIOUS_KEY", key)];
    assert!(load("", &rotating).is_ok(), "k1 replacing k0 is what a rotation looks like");
}
