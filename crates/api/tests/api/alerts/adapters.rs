//! Realistic payloads of every source, pushed through their adapter routes: the stored OCSF 1.8
//! Detection Finding is checked field by field, against the schema's required attributes and
//! enum values (as stored and as served), and the raw payload is kept as sent.

use super::{Soc, accepted_id, fixture};
use chrono::DateTime;
use detect::catalog::OcsfCatalog;
use serde_json::{Value, json};
use std::collections::BTreeSet;

fn millis(rfc3339: &str) -> i64 {
    DateTime::parse_from_rfc3339(rfc3339).unwrap().timestamp_millis()
}

fn observables(finding: &Value) -> BTreeSet<(i64, String, String)> {
    finding["observables"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| {
            let text = |k: &str| o[k].as_str().unwrap().to_string();
            (o["type_id"].as_i64().unwrap(), text("value"), text("name"))
        })
        .collect()
}

/// (technique, sub-technique, tactic) uids.
fn attacks(finding: &Value) -> Vec<(String, Option<String>, String)> {
    finding["finding_info"]["attacks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["technique"]["uid"].as_str().unwrap().to_string(),
                a["sub_technique"]["uid"].as_str().map(String::from),
                a["tactic"]["uid"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The class identity every stored finding has, and no schema violation as stored or served.
async fn check_class(soc: &Soc, id: &str, served: &Value) {
    for (key, expected) in [
        ("class_uid", json!(2004)),
        ("class_name", json!("Detection Finding")),
        ("category_uid", json!(2)),
        ("category_name", json!("Findings")),
        ("activity_id", json!(1)),
        ("type_uid", json!(200401)),
        ("is_alert", json!(true)),
    ] {
        assert_eq!(served[key], expected, "{key}");
    }
    assert_eq!(served["metadata"]["version"], "1.8.0");
    let catalog = OcsfCatalog::embedded().unwrap();
    let violations = catalog.validate(served);
    assert!(violations.is_empty(), "served: {violations:?}");
    let stored: Value = sqlx::query_scalar("select finding from alerts where id = $1::uuid")
        .bind(id)
        .fetch_one(&soc.app.db.superuser().await)
        .await
        .unwrap();
    let violations = catalog.validate(&stored);
    assert!(violations.is_empty(), "stored: {violations:?}");
}

#[tokio::test]
async fn a_wazuh_rdp_brute_force_alert_is_stored_as_a_medium_detection_finding() {
    let soc = Soc::start().await;
    let payload = fixture("wazuh-4x-rdp-bruteforce.json");
    let report = soc.ingest("/v1/alerts/ingest/wazuh", &payload).await;
    assert_eq!(report["accepted"][0]["outcome"], "created");
    let alert = soc.alert(&accepted_id(&report)).await;
    let finding = &alert["finding"];
    check_class(&soc, alert["id"].as_str().unwrap(), finding).await;
    assert_eq!(
        (alert["source"].as_str(), alert["severity"].as_str()),
        (Some("wazuh"), Some("medium"))
    );
    assert_eq!(
        (finding["severity_id"].as_i64(), finding["severity"].as_str()),
        (Some(3), Some("Medium"))
    );
    assert_eq!((finding["status_id"].as_i64(), finding["status"].as_str()), (Some(1), Some("New")));
    assert_eq!(finding["time"], millis("2025-03-18T02:41:07.118Z"));
    assert_eq!(finding["metadata"]["product"]["name"], "Wazuh");
    assert_eq!(finding["metadata"]["product"]["vendor_name"], "Wazuh");
    assert_eq!(finding["metadata"]["original_event_uid"], "1742265667.88213354");
    assert_eq!(finding["metadata"]["log_provider"], "wazuh");
    let info = &finding["finding_info"];
    assert_eq!(info["uid"], "1742265667.88213354");
    assert_eq!(
        info["title"],
        "Multiple Windows logon failures from the same source (RDP brute force)"
    );
    assert_eq!(info["desc"], payload["full_log"]);
    assert_eq!(info["analytic"]["uid"], "60204");
    assert_eq!(info["analytic"]["type_id"], 1);
    assert_eq!(info["types"], json!(["windows", "windows_security", "authentication_failures"]));
    assert_eq!(attacks(finding), [("T1110".into(), Some("T1110.001".into()), "TA0006".into())]);
    assert_eq!(info["attacks"][0]["technique"]["name"], "Brute Force");
    assert_eq!(info["attacks"][0]["sub_technique"]["name"], "Password Guessing");
    assert_eq!(info["attacks"][0]["tactic"]["name"], "Credential Access");
    // First seen is the Windows event's own time, two seconds before Wazuh's alert.
    assert_eq!(info["first_seen_time"], millis("2025-03-18T02:41:05.447Z"));
    assert_eq!(info["last_seen_time"], millis("2025-03-18T02:41:07.118Z"));
    let expected: BTreeSet<(i64, String, String)> = [
        (2, "10.44.8.21", "device.ip"),
        (2, "203.0.113.77", "src_endpoint.ip"),
        (1, "srv-rds-02", "device.hostname"),
        (4, "administrator", "user.name"),
    ]
    .into_iter()
    .map(|(t, v, n)| (t, v.to_string(), n.to_string()))
    .collect();
    assert_eq!(observables(finding), expected);
    assert_eq!(
        finding["resources"],
        json!([{"type": "host", "name": "SRV-RDS-02", "uid": "014"}, {"type": "manager", "name": "wazuh-manager-eu-1"}])
    );
    assert_eq!(alert["raw"], payload, "the raw payload is kept as sent");
    assert_eq!(alert["rule"], json!({"uid": "60204", "name": info["title"]}));
}

#[tokio::test]
async fn an_elastic_search_hit_is_read_through_its_source_with_its_attack_chain() {
    let soc = Soc::start().await;
    let payload = fixture("elastic-credential-dumping.json");
    let report = soc.ingest("/v1/alerts/ingest/elastic", &payload).await;
    let alert = soc.alert(&accepted_id(&report)).await;
    let finding = &alert["finding"];
    check_class(&soc, alert["id"].as_str().unwrap(), finding).await;
    let source = &payload["_source"];
    assert_eq!(
        (finding["severity_id"].as_i64(), finding["severity"].as_str()),
        (Some(5), Some("Critical"))
    );
    assert_eq!(finding["time"], millis("2025-03-18T09:12:44.901Z"));
    assert_eq!(
        finding["metadata"]["product"],
        json!({"name": "Elastic Security", "vendor_name": "Elastic", "version": "8.17.2"})
    );
    let info = &finding["finding_info"];
    assert_eq!(info["uid"], source["kibana"]["alert"]["uuid"]);
    assert_eq!(info["title"], "LSASS Memory Dump via Comsvcs DLL");
    assert_eq!(info["desc"], source["kibana"]["alert"]["reason"]);
    assert_eq!(info["analytic"]["uid"], "208dbe77-01ed-4954-8d44-1e5751cb20de");
    assert_eq!(info["types"], json!(["eql", "process"]));
    assert_eq!(
        attacks(finding),
        [
            ("T1003".into(), None, "TA0006".into()),
            ("T1003".into(), Some("T1003.001".into()), "TA0006".into())
        ]
    );
    assert_eq!(info["first_seen_time"], millis("2025-03-18T09:12:41.377Z"));
    let found = observables(finding);
    for (type_id, value) in [
        (1, "db-prod-04"),
        (2, "10.12.30.44"),
        (2, "fe80::20c:29ff:fe4b:1a2c"),
        (4, "svc_sql"),
        (8, "9f1f9a5f3ed5b6fbd7f0e6c0a1e1b2b3c4d5e6f708192a3b4c5d6e7f8091a2b3"),
        (9, "rundll32.exe"),
        (9, "cmd.exe"),
    ] {
        assert!(found.iter().any(|(t, v, _)| *t == type_id && v == value), "{value} in {found:?}");
    }
    assert_eq!(
        finding["resources"],
        json!([{"type": "host", "name": "DB-PROD-04", "uid": "c9a1b2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d"}])
    );
    assert_eq!(alert["raw"], payload);
}

#[tokio::test]
async fn a_sentinel_security_alert_keeps_its_entities_as_observables() {
    let soc = Soc::start().await;
    let payload = fixture("sentinel-impossible-travel.json");
    let report = soc.ingest("/v1/alerts/ingest/sentinel", &payload).await;
    let alert = soc.alert(&accepted_id(&report)).await;
    let finding = &alert["finding"];
    check_class(&soc, alert["id"].as_str().unwrap(), finding).await;
    assert_eq!(finding["severity_id"], 3);
    assert_eq!(
        (finding["confidence_id"].as_i64(), finding["confidence"].as_str()),
        (Some(3), Some("High"))
    );
    assert_eq!(finding["metadata"]["product"]["name"], "Microsoft Cloud App Security");
    assert_eq!(finding["metadata"]["original_event_uid"], "2517d4b1-8c6e-4a2f-9b3d-7e1f0a5c6d48");
    let info = &finding["finding_info"];
    assert_eq!(info["title"], "Impossible travel activity");
    assert_eq!(info["analytic"]["uid"], "MCAS_ALERT_ANUBIS_DETECTION_IMPOSSIBLE_TRAVEL");
    // Sentinel writes tactics without spaces; the technique is reported under that one only.
    assert_eq!(attacks(finding), [("T1078".into(), None, "TA0001".into())]);
    assert_eq!(info["first_seen_time"], millis("2025-03-18T10:52:03Z"));
    assert_eq!(finding["time"], millis("2025-03-18T11:05:12.447Z"));
    let found: BTreeSet<(i64, String)> =
        observables(finding).into_iter().map(|(t, v, _)| (t, v)).collect();
    let expected: BTreeSet<(i64, String)> = [
        (2, "198.51.100.20"),
        (2, "192.0.2.146"),
        (1, "lt-jdoe-14.contoso.example"),
        (4, "j.doe"),
        (5, "j.doe@contoso.example"),
    ]
    .into_iter()
    .map(|(t, v)| (t, v.to_string()))
    .collect();
    assert_eq!(found, expected);
    assert_eq!(alert["raw"], payload);
}

#[tokio::test]
async fn a_splunk_es_notable_webhook_maps_urgency_cim_fields_and_annotations() {
    let soc = Soc::start().await;
    let payload = fixture("splunk-es-dns-exfil.json");
    let report = soc.ingest("/v1/alerts/ingest/splunk", &payload).await;
    let alert = soc.alert(&accepted_id(&report)).await;
    let finding = &alert["finding"];
    check_class(&soc, alert["id"].as_str().unwrap(), finding).await;
    assert_eq!(finding["severity_id"], 4);
    assert_eq!(finding["time"], 1_742_299_187_000_i64);
    assert_eq!(finding["metadata"]["product"]["name"], "Splunk Enterprise Security");
    let info = &finding["finding_info"];
    assert_eq!(info["uid"], payload["result"]["event_id"]);
    assert_eq!(info["title"], "Possible DNS exfiltration from $src$ to $query$");
    assert_eq!(info["desc"], payload["result"]["rule_description"]);
    assert_eq!(info["analytic"]["uid"], "Network - DNS Exfiltration via Long Subdomains - Rule");
    assert_eq!(info["analytic"]["name"], "DNS Exfiltration via Long Subdomains");
    assert_eq!(info["types"], json!(["network"]));
    assert_eq!(
        attacks(finding),
        [
            ("T1048".into(), Some("T1048.003".into()), "TA0010".into()),
            ("T1071".into(), Some("T1071.004".into()), "TA0011".into()),
        ]
    );
    let found = observables(finding);
    for (type_id, value) in [
        (2, "10.8.14.63"),
        (2, "8.8.8.8"),
        (4, "m.okafor"),
        (1, "a7f3e91c0b2d4e6f8a1b3c5d7e9f0a2b4c6d8e0f1a3b5c7d9e.exfil-cdn.example"),
    ] {
        assert!(found.iter().any(|(t, v, _)| *t == type_id && v == value), "{value} in {found:?}");
    }
    assert_eq!(alert["raw"], payload);
}

#[tokio::test]
async fn an_ocsf_finding_is_taken_as_it_is_and_a_non_finding_is_refused() {
    let soc = Soc::start().await;
    let payload = fixture("ocsf-detection-finding-cloudtrail.json");
    let report = soc.ingest("/v1/alerts/ingest/ocsf", &payload).await;
    let alert = soc.alert(&accepted_id(&report)).await;
    let finding = &alert["finding"];
    check_class(&soc, alert["id"].as_str().unwrap(), finding).await;
    for key in ["severity_id", "confidence_id", "time"] {
        assert_eq!(finding[key], payload[key], "{key}");
    }
    for key in ["uid", "title", "desc", "types", "first_seen_time", "last_seen_time"] {
        assert_eq!(finding["finding_info"][key], payload["finding_info"][key], "{key}");
    }
    assert_eq!(finding["finding_info"]["analytic"]["uid"], "IAM.9");
    assert_eq!(attacks(finding), [("T1078".into(), Some("T1078.004".into()), "TA0001".into())]);
    assert_eq!(finding["metadata"]["product"], payload["metadata"]["product"]);
    let found: BTreeSet<(i64, String)> =
        observables(finding).into_iter().map(|(t, v, _)| (t, v)).collect();
    assert_eq!(
        found,
        [(2, "192.0.2.201".to_string()), (4, "root".to_string())].into_iter().collect()
    );
    assert_eq!(
        finding["resources"],
        json!([{"type": "AwsAccount", "name": "prod-payments", "uid": "111122223333"}])
    );

    let mut not_a_finding = payload.clone();
    not_a_finding["class_uid"] = json!(1007);
    let mut bad_enum = payload.clone();
    bad_enum["severity_id"] = json!(42);
    let report = soc.ingest("/v1/alerts/ingest/ocsf", &json!([not_a_finding, bad_enum])).await;
    let codes: Vec<&str> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["UNRECOGNIZED_SHAPE", "INVALID_FIELD"]);
    assert!(report["rejected"][1]["message"].as_str().unwrap().contains("severity_id"));
}

#[tokio::test]
async fn a_wazuh_alert_pushed_to_the_elastic_route_is_refused_as_another_shape() {
    let soc = Soc::start().await;
    let report =
        soc.ingest("/v1/alerts/ingest/elastic", &fixture("wazuh-4x-rdp-bruteforce.json")).await;
    assert_eq!(report["accepted"], json!([]));
    assert_eq!(report["rejected"][0]["code"], "UNRECOGNIZED_SHAPE");
    assert_eq!(soc.count("alerts").await, 0);
}
