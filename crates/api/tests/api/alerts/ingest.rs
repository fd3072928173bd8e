//! Pushing alerts in Palisade's own format: batches (JSON arrays, NDJSON), per-item reports,
//! dedup by fingerprint, idempotent re-sends, limits, hostile input, and what is written.

use super::{Soc, accepted_id, own_alert};
use platform::access::Role;
use serde_json::{Value, json};
use testapp::ResponseExt;

fn outcomes(report: &Value) -> Vec<(u64, String)> {
    report["accepted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["index"].as_u64().unwrap(), a["outcome"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn a_batch_reports_each_rejected_item_by_index_and_writes_only_the_accepted_ones() {
    let soc = Soc::start().await;
    let batch = json!([
        own_alert("Outbound C2 beacon", "high", "ws-01"),
        {"severity": "high", "source": "gw"},
        own_alert("Port scan", "URGENT", "ws-02"),
        "not an object",
        {"title": "Typo", "severity": "low", "source": "gw", "sevrity": "low"},
        {"title": "Bad IP", "severity": "low", "source": "gw", "observables": [{"type": "ip", "value": "999.1.1.1"}]},
        own_alert("Malware quarantined", "medium", "ws-03"),
    ]);
    let report = soc.ingest("/v1/alerts/ingest", &batch).await;
    assert_eq!(outcomes(&report), [(0, "created".into()), (6, "created".into())]);
    let rejected: Vec<(u64, &str)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["index"].as_u64().unwrap(), r["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rejected,
        [
            (1, "MISSING_FIELD"),
            (2, "INVALID_FIELD"),
            (3, "NOT_AN_OBJECT"),
            (4, "INVALID_FIELD"),
            (5, "INVALID_FIELD")
        ]
    );
    assert!(report["rejected"][0]["message"].as_str().unwrap().contains("title"));
    assert!(report["rejected"][4]["message"].as_str().unwrap().contains("observables[0]"));
    // Only the two accepted alerts exist, with their observables and statistics.
    assert_eq!(soc.count("alerts").await, 2);
    assert_eq!(soc.count("alert_observables").await, 2);
    let stats = soc.get("/v1/alerts/stats").await;
    assert_eq!(stats["by_status"]["new"], 2);
    let audit = soc.app.audit_summaries("alerts.ingest").await;
    assert_eq!((audit[0]["created"].as_u64(), audit[0]["rejected"].as_u64()), (Some(2), Some(5)));
}

#[tokio::test]
async fn repeats_fold_into_one_alert_with_occurrences_and_first_and_last_seen() {
    let soc = Soc::start().await;
    let at = |time: &str| {
        let mut alert = own_alert("Brute force on VPN", "high", "VPN-GW-1");
        alert["time"] = json!(time);
        alert
    };
    let report = soc
        .ingest(
            "/v1/alerts/ingest",
            &json!([at("2026-01-05T10:00:00Z"), at("2026-01-05T09:00:00Z")]),
        )
        .await;
    assert_eq!(outcomes(&report), [(0, "created".into()), (1, "folded".into())]);
    let id = accepted_id(&report);
    assert_eq!(report["accepted"][1]["id"], id.as_str());
    // The same rule on the same host, in another case: still the same alert.
    let mut later = at("2026-01-05T11:30:00Z");
    later["observables"][0]["value"] = json!("vpn-gw-1");
    let report = soc.ingest("/v1/alerts/ingest", &later).await;
    assert_eq!(
        (report["accepted"][0]["outcome"].as_str(), report["accepted"][0]["occurrences"].as_i64()),
        (Some("folded"), Some(3))
    );
    let alert = soc.alert(&id).await;
    assert_eq!(alert["occurrences"], 3);
    assert_eq!(alert["first_seen_at"], "2026-01-05T09:00:00Z");
    assert_eq!(alert["last_seen_at"], "2026-01-05T11:30:00Z");
    assert_eq!(alert["finding"]["count"], 3);
    assert_eq!(alert["finding"]["finding_info"]["first_seen_time"], 1_767_603_600_000_i64);
    // Another host is another alert; so is a repeat after the alert was closed.
    let report =
        soc.ingest("/v1/alerts/ingest", &own_alert("Brute force on VPN", "high", "vpn-gw-2")).await;
    assert_ne!(accepted_id(&report), id);
    let closed =
        soc.post(&format!("/v1/alerts/{id}/close"), &json!({"disposition": "true_positive"})).await;
    assert_eq!(closed.status(), 200);
    let report = soc.ingest("/v1/alerts/ingest", &at("2026-01-05T12:00:00Z")).await;
    assert_eq!(report["accepted"][0]["outcome"], "created");
    assert_eq!(soc.count("alerts").await, 3);
    assert_eq!(soc.get("/v1/alerts/stats").await["by_status"]["total"], 3);
}

#[tokio::test]
async fn re_sending_a_source_id_changes_nothing_and_answers_the_same_alert() {
    let soc = Soc::start().await;
    let mut alert = own_alert("Ransom note written", "critical", "fs-01");
    alert["source_id"] = json!("edr-88231");
    let first = soc.ingest("/v1/alerts/ingest", &alert).await;
    let id = accepted_id(&first);
    for _ in 0..2 {
        let again = soc.ingest("/v1/alerts/ingest", &json!([alert, alert])).await;
        assert_eq!(outcomes(&again), [(0, "duplicate".into()), (1, "duplicate".into())]);
        assert_eq!(again["accepted"][1]["id"], id.as_str());
    }
    assert_eq!(soc.alert(&id).await["occurrences"], 1);
    // A new id for the same finding folds, and re-sending that one is idempotent too.
    alert["source_id"] = json!("edr-88232");
    let folded = soc.ingest("/v1/alerts/ingest", &json!([alert, alert])).await;
    assert_eq!(outcomes(&folded), [(0, "folded".into()), (1, "duplicate".into())]);
    assert_eq!(folded["accepted"][1]["id"], id.as_str());
    assert_eq!(soc.alert(&id).await["occurrences"], 2);
    assert_eq!(soc.count("alert_source_ids").await, 2);
}

#[tokio::test]
async fn two_configured_sources_may_reuse_an_alert_id_and_each_stays_idempotent() {
    let soc = Soc::start().await;
    let mut managers = Vec::new();
    for name in ["edr-east", "edr-west"] {
        let created: Value = soc
            .post("/v1/alert-sources", &json!({"name": name, "kind": "palisade", "auth": "token"}))
            .await
            .expect_json(201)
            .await;
        managers.push((created["id"].as_str().unwrap().to_string(), created["secret"].clone()));
    }
    let push = |manager: usize, alert: &Value| {
        let (id, token) = &managers[manager];
        soc.app
            .client
            .post(soc.app.url("/v1/alerts/ingest"))
            .header("x-palisade-source", id)
            .header("x-palisade-token", token.as_str().unwrap())
            .json(alert)
            .send()
    };
    // Each manager numbers its alerts from its own counter: both send an alert 1001.
    let mut east = own_alert("Ransom note written", "critical", "fs-01");
    east["source_id"] = json!("1001");
    let mut west = own_alert("Port scan", "low", "ws-07");
    west["source_id"] = json!("1001");
    let east_report: Value = push(0, &east).await.unwrap().expect_json(200).await;
    let west_report: Value = push(1, &west).await.unwrap().expect_json(200).await;
    assert_eq!(outcomes(&west_report), [(0, "created".into())], "not a duplicate of the east's");
    let (east_id, west_id) = (accepted_id(&east_report), accepted_id(&west_report));
    assert_ne!(east_id, west_id);
    // Re-sent by the manager that sent it, each still names its own alert.
    for (manager, alert, id) in [(0, &east, &east_id), (1, &west, &west_id)] {
        let again: Value = push(manager, alert).await.unwrap().expect_json(200).await;
        assert_eq!(outcomes(&again), [(0, "duplicate".into())]);
        assert_eq!(again["accepted"][0]["id"], id.as_str());
    }
    // A push with an API key names no configured source: its ids are a scope of their own.
    let mut keyed = own_alert("Beacon to known C2", "high", "ws-09");
    keyed["source_id"] = json!("1001");
    let keyed_report = soc.ingest("/v1/alerts/ingest", &keyed).await;
    assert_eq!(outcomes(&keyed_report), [(0, "created".into())]);
    let again = soc.ingest("/v1/alerts/ingest", &keyed).await;
    assert_eq!(outcomes(&again), [(0, "duplicate".into())]);
    assert_eq!(soc.count("alerts").await, 3);
    assert_eq!(soc.count("alert_source_ids").await, 3);
}

#[tokio::test]
async fn ndjson_is_read_line_by_line_with_per_line_errors() {
    let soc = Soc::start().await;
    let lines = [
        own_alert("One", "low", "a").to_string(),
        "{\"title\": \"broken".to_string(),
        own_alert("Two", "low", "b").to_string(),
    ];
    let response =
        soc.push_raw("/v1/alerts/ingest", "application/x-ndjson", lines.join("\n")).await;
    let report: Value = response.expect_json(200).await;
    assert_eq!(outcomes(&report), [(0, "created".into()), (2, "created".into())]);
    assert_eq!(report["rejected"][0]["index"], 1);
    assert_eq!(report["rejected"][0]["code"], "INVALID_JSON");
}

#[tokio::test]
async fn hostile_values_are_refused_item_by_item_and_nothing_half_written() {
    let soc = Soc::start().await;
    let mut far_future = own_alert("Far", "low", "a");
    // Epoch milliseconds of the year 33658: a valid instant, outside what is stored.
    far_future["time"] = json!(999_999_999_999_999_i64);
    let mut negative = own_alert("Negative", "low", "a");
    negative["time"] = json!(-5);
    let mut bad_date = own_alert("Date", "low", "a");
    bad_date["time"] = json!("2026-13-45T99:00:00Z");
    let body = format!(
        "[{}, {{\"title\": \"nul\\u0000\", \"severity\": \"low\", \"source\": \"x\"}}, {{\"title\": \"big\", \"severity\": \"low\", \"source\": \"x\", \"raw\": {{\"n\": 1e999}}}}, {}, {}, {}]",
        own_alert("Fine", "low", "a"),
        far_future,
        negative,
        bad_date,
    );
    let report: Value =
        soc.push_raw("/v1/alerts/ingest", "application/json", body).await.expect_json(200).await;
    assert_eq!(outcomes(&report), [(0, "created".into())]);
    let rejected: Vec<(u64, &str)> = report["rejected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["index"].as_u64().unwrap(), r["code"].as_str().unwrap()))
        .collect();
    assert_eq!(
        rejected,
        [
            (1, "INVALID_TEXT"),
            (2, "INVALID_JSON"),
            (3, "OUT_OF_RANGE"),
            (4, "INVALID_FIELD"),
            (5, "INVALID_FIELD")
        ]
    );
    assert_eq!(soc.count("alerts").await, 1);
}

#[tokio::test]
async fn oversized_pushes_and_unreadable_bodies_are_refused_whole() {
    let soc = Soc::start().await;
    let many: Vec<Value> = (0..10_001).map(|_| json!({})).collect();
    let problem =
        soc.app.post_as(&soc.key, "/v1/alerts/ingest", &json!(many)).await.problem().await;
    assert_eq!((problem.status, problem.code.as_str()), (413, "TOO_MANY_ITEMS"));
    let huge = format!("[{}]", "1,".repeat(6 * 1024 * 1024));
    let response = soc.push_raw("/v1/alerts/ingest", "application/json", huge).await;
    assert_eq!(response.problem().await.code, "PAYLOAD_TOO_LARGE");
    for (content_type, body, status, code) in [
        ("application/json", "{\"title\": ", 400, "INVALID_JSON"),
        ("application/json", "", 400, "INVALID_JSON"),
        ("text/plain", "{}", 415, "UNSUPPORTED_MEDIA_TYPE"),
    ] {
        let problem =
            soc.push_raw("/v1/alerts/ingest", content_type, body.into()).await.problem().await;
        assert_eq!((problem.status, problem.code.as_str()), (status, code), "{body}");
    }
    // A body just under the ingest limit (far over the default 1 MiB) is read.
    let padding = "x".repeat(2 * 1024 * 1024);
    let mut big = own_alert("Big raw", "low", "a");
    big["raw"] = json!({"padding": padding});
    assert_eq!(soc.ingest("/v1/alerts/ingest", &big).await["accepted"][0]["outcome"], "created");
    assert_eq!(soc.count("alerts").await, 1);
}

#[tokio::test]
async fn pushing_needs_alerts_ingest_and_a_valid_credential() {
    let soc = Soc::start().await;
    let body = own_alert("x", "low", "a");
    let anonymous =
        soc.app.client.post(soc.app.url("/v1/alerts/ingest")).json(&body).send().await.unwrap();
    assert_eq!(anonymous.problem().await.code, "UNAUTHENTICATED");
    let bad = soc.app.post_as("pal_nope_nope", "/v1/alerts/ingest", &body).await;
    assert_eq!(bad.status(), 401);
    let analyst = soc.member("l1@soc.test", Role::SOC_ANALYST_L1).await;
    let refused = soc.app.post_as(&analyst.token, "/v1/alerts/ingest", &body).await.problem().await;
    assert_eq!((refused.status, refused.code.as_str()), (403, "FORBIDDEN"));
    let events = soc.app.post_as(&analyst.token, "/v1/alerts/events", &json!({})).await;
    assert_eq!(events.status(), 403);
    assert_eq!(soc.count("alerts").await, 0);
}

#[tokio::test]
async fn new_alerts_are_announced_once_per_severity_and_batch() {
    let soc = Soc::start().await;
    let batch: Vec<Value> = (0..5)
        .map(|n| {
            own_alert(&format!("Beacon {n}"), if n < 3 { "high" } else { "low" }, &format!("h{n}"))
        })
        .collect();
    soc.ingest("/v1/alerts/ingest", &json!(batch)).await;
    let events = soc.get("/v1/events").await;
    let created: Vec<(&str, i64)> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "alert.created")
        .map(|e| (e["severity"].as_str().unwrap(), e["payload"]["count"].as_i64().unwrap_or(-1)))
        .collect();
    let mut created = created;
    created.sort();
    assert_eq!(created, [("high", 3), ("low", 2)]);
}
