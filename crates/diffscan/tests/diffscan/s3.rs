//! The S3 object store against a real S3-compatible server: moto (PyPI, installed by
//! `scripts/install-test-tools.sh`) on a loopback port, with IAM authentication on, so that a
//! request whose SigV4 signature is wrong is refused. A user, its key and a bucket are created
//! first (the only unauthenticated calls moto is told to allow).

use bytes::Bytes;
use diffscan::model::ScanId;
use diffscan::objects::{self, ObjectKey, ObjectStore, S3Store};
use diffscan::settings::S3Settings;
use platform::{Secret, TenantId};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

fn tools() -> PathBuf {
    let bin = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/test-tools/venv/bin");
    assert!(
        bin.join("moto_server").exists(),
        "{} is missing: run scripts/install-test-tools.sh (scripts/test does)",
        bin.join("moto_server").display()
    );
    bin
}

/// A moto server on a free loopback port, stopped when dropped.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

const SETUP: &str = r#"
import json, sys, boto3
endpoint = sys.argv[1]
anonymous = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="setup", aws_secret_access_key="setup")
iam = boto3.client("iam", **anonymous)
iam.create_user(UserName="palisade")
iam.put_user_policy(UserName="palisade", PolicyName="s3", PolicyDocument=json.dumps(
    {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}))
key = iam.create_access_key(UserName="palisade")["AccessKey"]
s3 = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                  aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
s3.create_bucket(Bucket="evidence")
print(key["AccessKeyId"], key["SecretAccessKey"])
"#;

async fn moto() -> (Moto, String, String) {
    let bin = tools();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let child = Command::new(bin.join("moto_server"))
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .env("INITIAL_NO_AUTH_ACTION_COUNT", "3")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let endpoint = format!("http://127.0.0.1:{port}");
    let server = Moto { child, endpoint: endpoint.clone() };
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let output = Command::new(bin.join("python")).args(["-c", SETUP, &endpoint]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let printed = String::from_utf8(output.stdout).unwrap();
    let mut parts = printed.split_whitespace();
    let (id, secret) = (parts.next().unwrap().to_string(), parts.next().unwrap().to_string());
    (server, id, secret)
}

fn store(endpoint: &str, id: &str, secret: &str) -> S3Store {
    S3Store::new(
        S3Settings {
            endpoint: endpoint.to_string(),
            bucket: "evidence".into(),
            region: "us-east-1".into(),
            access_key_id: id.into(),
            secret_access_key: Secret::new(secret.into()),
            prefix: "palisade/".into(),
            path_style: true,
        },
        Duration::from_secs(10),
    )
    .unwrap()
}

#[tokio::test]
async fn objects_round_trip_through_an_s3_server_that_checks_signatures() {
    let (moto, id, secret) = moto().await;
    let s3 = store(&moto.endpoint, &id, &secret);
    assert_eq!(s3.backend(), "s3");
    let key = ObjectKey::diff(TenantId::generate(), ScanId::generate());
    assert_eq!(s3.get(&key).await.unwrap(), None);
    let diff = Bytes::from_static(b"diff --git a/x b/x\n+\x00binary\xff\n");
    s3.put(&key, diff.clone()).await.unwrap();
    assert_eq!(s3.get(&key).await.unwrap(), Some(diff));

    objects::purge(&s3, &key, &serde_json::json!({"reason": "retention"})).await.unwrap();
    assert_eq!(s3.get(&key).await.unwrap(), None);
    let marker = s3.get(&key.deletion_marker()).await.unwrap().unwrap();
    assert!(String::from_utf8_lossy(&marker).contains("retention"));
    s3.delete(&key).await.unwrap();

    let forged = store(&moto.endpoint, &id, "not-the-secret-access-key");
    let refused = forged.put(&key, Bytes::from_static(b"x")).await.unwrap_err().to_string();
    assert!(refused.contains("HTTP 403"), "{refused}");
    assert!(!refused.contains(&secret) && !refused.contains("not-the-secret"), "{refused}");
    let unknown = store(&moto.endpoint, "AKIAUNKNOWNUSER00000", &secret);
    assert!(unknown.get(&key).await.is_err());
}
