//! How diffscan runs: the largest diff it scans, how long raw diffs and webhook bodies are kept,
//! where raw diffs are stored (a directory under the data directory, or an S3-compatible bucket),
//! how results are signed, and how long a GitHub call may take. Read from the `[diffscan]`
//! section by `DiffscanSettings::read`; secrets never appear in errors or `Debug`.

use base64::Engine;
use platform::Secret;
use platform::config::{Origin, Source};
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct DiffscanSettings {
    /// Diffs larger than this are not scanned (the decision is `error`, or a degraded `pass`
    /// under fail-open). Also caps what is read from GitHub.
    pub max_diff_bytes: usize,
    /// Raw diffs and raw webhook bodies are purged this long after they arrive.
    pub retention: Duration,
    pub objects: ObjectStoreSettings,
    pub signing: SigningSettings,
    /// One GitHub API call (resolution, connection, request, response): at most this long.
    pub github_timeout: Duration,
}

/// Where raw diffs are kept.
#[derive(Clone, Debug)]
pub enum ObjectStoreSettings {
    /// Files under this directory (`None`: `<data_dir>/diffscan`).
    Filesystem {
        root: Option<PathBuf>,
    },
    S3(S3Settings),
}

/// An S3-compatible bucket (AWS S3, MinIO, Ceph, …), signed with AWS Signature Version 4.
#[derive(Clone, Debug)]
pub struct S3Settings {
    /// `https://s3.eu-west-1.amazonaws.com`, `http://minio.internal:9000`, …
    pub endpoint: String,
    pub bucket: String,
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: Secret<String>,
    /// Put before every key (`palisade/` by default).
    pub prefix: String,
    /// `https://endpoint/bucket/key` (true, the default) or `https://bucket.endpoint/key`.
    pub path_style: bool,
}

/// Which key signs results.
#[derive(Clone, Debug)]
pub enum SigningSettings {
    /// ed25519 with this 32-byte seed; `None`: a key generated once into the encrypted secret
    /// store and shared by every process.
    Ed25519 { seed: Option<KeyMaterial> },
    /// HMAC-SHA256 with this key (verifiers need the same key).
    Hmac { key: KeyMaterial },
    /// The fixed, public development key: refused in production mode.
    Deterministic,
}

/// Key bytes given in the configuration, or the file they are read from at start (where a Vault
/// agent or a secrets manager renders them).
#[derive(Clone, Debug)]
pub enum KeyMaterial {
    Inline(Secret<Vec<u8>>),
    File(PathBuf),
}

impl Default for DiffscanSettings {
    fn default() -> Self {
        DiffscanSettings {
            max_diff_bytes: 16 << 20,
            retention: Duration::from_secs(30 * 86_400),
            objects: ObjectStoreSettings::Filesystem { root: None },
            signing: SigningSettings::Ed25519 { seed: None },
            github_timeout: Duration::from_secs(10),
        }
    }
}

impl DiffscanSettings {
    /// The `[diffscan]` section.
    pub fn read(src: &mut Source<'_>) -> DiffscanSettings {
        let defaults = DiffscanSettings::default();
        let max_diff_bytes = src.number(
            "diffscan.max_diff_bytes",
            &["PALISADE_DIFFSCAN_MAX_DIFF_BYTES"],
            defaults.max_diff_bytes,
            1024..=(64 << 20),
        );
        let retention_days: u64 = src.number(
            "diffscan.retention_days",
            &["PALISADE_DIFFSCAN_RETENTION_DAYS"],
            30,
            1..=3650,
        );
        let github_timeout = src.seconds(
            "diffscan.github.timeout_secs",
            &["PALISADE_DIFFSCAN_GITHUB_TIMEOUT_SECS"],
            10,
            1..=120,
        );
        DiffscanSettings {
            max_diff_bytes,
            retention: Duration::from_secs(retention_days * 86_400),
            objects: read_objects(src),
            signing: read_signing(src),
            github_timeout,
        }
    }
}

fn read_objects(src: &mut Source<'_>) -> ObjectStoreSettings {
    let backend = src.parsed(
        "diffscan.objects.backend",
        &["PALISADE_DIFFSCAN_OBJECTS_BACKEND"],
        "filesystem",
        |text| match text {
            "filesystem" => Ok("filesystem"),
            "s3" => Ok("s3"),
            _ => Err("is not an object store (filesystem or s3)".into()),
        },
    );
    let root = src
        .optional_string("diffscan.objects.path", &["PALISADE_DIFFSCAN_OBJECTS_PATH"])
        .map(PathBuf::from);
    let endpoint =
        src.optional_string("diffscan.objects.s3.endpoint", &["PALISADE_DIFFSCAN_S3_ENDPOINT"]);
    let bucket =
        src.optional_string("diffscan.objects.s3.bucket", &["PALISADE_DIFFSCAN_S3_BUCKET"]);
    let region =
        src.string("diffscan.objects.s3.region", &["PALISADE_DIFFSCAN_S3_REGION"], "us-east-1");
    let access_key_id = src.optional_string(
        "diffscan.objects.s3.access_key_id",
        &["PALISADE_DIFFSCAN_S3_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"],
    );
    let secret_access_key = src.optional_string(
        "diffscan.objects.s3.secret_access_key",
        &["PALISADE_DIFFSCAN_S3_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"],
    );
    let prefix =
        src.string("diffscan.objects.s3.prefix", &["PALISADE_DIFFSCAN_S3_PREFIX"], "palisade/");
    let path_style =
        src.boolean("diffscan.objects.s3.path_style", &["PALISADE_DIFFSCAN_S3_PATH_STYLE"], true);
    if backend != "s3" {
        return ObjectStoreSettings::Filesystem { root };
    }
    match (endpoint, bucket, access_key_id, secret_access_key) {
        (Some(endpoint), Some(bucket), Some(access_key_id), Some(secret)) => {
            ObjectStoreSettings::S3(S3Settings {
                endpoint: endpoint.trim_end_matches('/').to_string(),
                bucket,
                region,
                access_key_id,
                secret_access_key: Secret::new(secret),
                prefix,
                path_style,
            })
        }
        _ => {
            src.error(
                "diffscan.objects.backend",
                Origin::Both,
                "the s3 object store needs diffscan.objects.s3.endpoint, bucket, access_key_id \
                 and secret_access_key",
            );
            ObjectStoreSettings::Filesystem { root }
        }
    }
}

fn read_signing(src: &mut Source<'_>) -> SigningSettings {
    let mode = src.parsed(
        "diffscan.signing.mode",
        &["PALISADE_DIFFSCAN_SIGNING_MODE"],
        "ed25519",
        |text| match text {
            "ed25519" => Ok("ed25519"),
            "hmac" => Ok("hmac"),
            "deterministic" => Ok("deterministic"),
            _ => Err("is not a signing mode (ed25519, hmac or deterministic)".into()),
        },
    );
    let ed25519 = key_material(
        src,
        ("diffscan.signing.ed25519_key", "PALISADE_DIFFSCAN_SIGNING_ED25519_KEY"),
        ("diffscan.signing.ed25519_key_file", "PALISADE_DIFFSCAN_SIGNING_ED25519_KEY_FILE"),
    );
    let hmac = key_material(
        src,
        ("diffscan.signing.hmac_key", "PALISADE_DIFFSCAN_SIGNING_HMAC_KEY"),
        ("diffscan.signing.hmac_key_file", "PALISADE_DIFFSCAN_SIGNING_HMAC_KEY_FILE"),
    );
    match mode {
        "hmac" => match hmac {
            Some(key) => SigningSettings::Hmac { key },
            None => {
                src.error(
                    "diffscan.signing.mode",
                    Origin::Both,
                    "hmac signing needs diffscan.signing.hmac_key or hmac_key_file",
                );
                SigningSettings::Ed25519 { seed: ed25519 }
            }
        },
        "deterministic" => SigningSettings::Deterministic,
        _ => SigningSettings::Ed25519 { seed: ed25519 },
    }
}

/// A key given inline (base64 of 32 bytes) or as a file path; both set is an error.
fn key_material<'a>(
    src: &mut Source<'a>,
    (key, key_env): (&str, &'a str),
    (file, file_env): (&str, &'a str),
) -> Option<KeyMaterial> {
    let inline = src
        .base64_key(key, &[key_env])
        .and_then(|text| base64::engine::general_purpose::STANDARD.decode(text).ok())
        .map(|bytes| KeyMaterial::Inline(Secret::new(bytes)));
    let path = src.optional_string(file, &[file_env]).map(|path| KeyMaterial::File(path.into()));
    match (inline, path) {
        (Some(_), Some(_)) => {
            src.error(key, Origin::Both, &format!("set {key} or {file}, not both"));
            None
        }
        (inline, path) => inline.or(path),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn read(toml: &str, env: &[(&str, &str)]) -> Result<DiffscanSettings, Vec<String>> {
        let env: HashMap<String, String> =
            env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut src = Source::new("palisade.toml", toml, &env).map_err(|e| e.0)?;
        let settings = DiffscanSettings::read(&mut src);
        src.finish().map_err(|e| e.0)?;
        Ok(settings)
    }

    #[test]
    fn the_defaults_keep_diffs_a_month_on_disk_and_sign_with_a_generated_ed25519_key() {
        let settings = read("", &[]).unwrap();
        assert_eq!(settings.max_diff_bytes, 16 << 20);
        assert_eq!(settings.retention, Duration::from_secs(30 * 86_400));
        assert!(matches!(settings.objects, ObjectStoreSettings::Filesystem { root: None }));
        assert!(matches!(settings.signing, SigningSettings::Ed25519 { seed: None }));
    }

    #[test]
    fn s3_needs_its_endpoint_bucket_and_credentials_and_never_echoes_the_secret() {
        let errors = read(
            "[diffscan.objects]\nbackend = \"s3\"\n[diffscan.objects.s3]\nsecret_access_key = \"hush-hush-secret\"\n",
            &[],
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].contains("needs diffscan.objects.s3.endpoint"), "{errors:?}");
        assert!(!errors[0].contains("hush-hush-secret"));
        let s3 = read(
            "[diffscan.objects]\nbackend = \"s3\"\n[diffscan.objects.s3]\nendpoint = \"http://127.0.0.1:9000/\"\nbucket = \"b\"\naccess_key_id = \"AKIA\"\nsecret_access_key = \"s\"\n",
            &[],
        )
        .unwrap();
        let ObjectStoreSettings::S3(s3) = s3.objects else { panic!("s3 expected") };
        assert_eq!(
            (s3.endpoint.as_str(), s3.region.as_str()),
            ("http://127.0.0.1:9000", "us-east-1")
        );
    }

    #[test]
    fn hmac_signing_needs_a_key_and_a_key_is_given_inline_or_as_a_file_not_both() {
        let errors = read("[diffscan.signing]\nmode = \"hmac\"\n", &[]).unwrap_err();
        assert!(errors[0].contains("hmac signing needs"), "{errors:?}");
        let key = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
        let settings = read(
            "[diffscan.signing]\nmode = \"hmac\"\n",
            &[("PALISADE_DIFFSCAN_SIGNING_HMAC_KEY", &key)],
        )
        .unwrap();
        assert!(matches!(settings.signing, SigningSettings::Hmac { key: KeyMaterial::Inline(_) }));
        let both = read(
            &format!("[diffscan.signing]\ned25519_key = \"{key}\"\ned25519_key_file = \"/k\"\n"),
            &[],
        )
        .unwrap_err();
        assert!(both[0].contains("not both"), "{both:?}");
        let short = read("[diffscan.signing]\nhmac_key = \"c2hvcnQ=\"\n", &[]).unwrap_err();
        assert!(short[0].contains("exactly 32 bytes"), "{short:?}");
    }
}
