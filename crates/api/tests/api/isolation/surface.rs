//! Tenant A's surface objects for the isolation table, and the check that B changed none.

use serde_json::{Value, json};
use testapp::{Member, TestApp};

/// Tenant A's surface objects are unchanged, and tenant B's lists show none of them.
pub async fn surface_objects_unchanged(
    app: &TestApp,
    owner_a: &Member,
    intruder: &Member,
    surface: &SurfaceObjects,
) {
    let asset: Value = app
        .get_as(&owner_a.token, &format!("/v1/assets/{}", surface.asset))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        (asset["status"].as_str(), asset["ports"].as_str()),
        (Some("authorized"), Some("22"))
    );
    let scan: Value = app
        .get_as(&owner_a.token, &format!("/v1/scans/{}", surface.scan))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(scan["status"], "queued");
    let change: Value = app
        .get_as(&owner_a.token, &format!("/v1/changes/{}", surface.change))
        .await
        .json()
        .await
        .unwrap();
    assert!(change["acked_at"].is_null());
    // Lists of tenant B show nothing of A's, whatever the filter.
    let listed: Value = app
        .get_as(&intruder.token, &format!("/v1/changes?asset_id={}", surface.asset))
        .await
        .json()
        .await
        .unwrap();
    assert!(listed["items"].as_array().unwrap().is_empty());
    let assets: Value = app.get_as(&intruder.token, "/v1/assets").await.json().await.unwrap();
    assert!(assets["items"].as_array().unwrap().is_empty());
}

/// Tenant A's surface objects: an attested asset (through the API) with a queued scan, a
/// snapshot and a change (written directly, as if a scan had completed).
pub struct SurfaceObjects {
    pub asset: String,
    pub scan: String,
    pub snapshot: String,
    pub change: String,
}

pub async fn surface_objects_of(app: &TestApp, owner: &Member) -> SurfaceObjects {
    let asset: Value = app
        .post_as(
            &owner.token,
            "/v1/assets",
            &json!({"kind": "ip", "value": "127.77.0.1", "ports": "22"}),
        )
        .await
        .json()
        .await
        .unwrap();
    let asset = asset["id"].as_str().unwrap().to_string();
    let attested = app
        .post_as(&owner.token, &format!("/v1/assets/{asset}/attest"), &json!({"reason": "lab"}))
        .await;
    assert_eq!(attested.status(), 200);
    let scan: Value = app
        .post_as(&owner.token, &format!("/v1/assets/{asset}/scans"), &json!({}))
        .await
        .json()
        .await
        .unwrap();
    let scan = scan["id"].as_str().unwrap().to_string();
    let (snapshot, change) = (uuid::Uuid::now_v7().to_string(), uuid::Uuid::now_v7().to_string());
    let db = app.db.superuser().await;
    sqlx::query(
        "insert into snapshots (tenant_id, id, asset_id, scan_id, sha256, hosts, open_ports, document)
         values ($1, $2::uuid, $3::uuid, $4::uuid, repeat('a', 64), 0, 0, '{}')",
    )
    .bind(owner.tenant)
    .bind(&snapshot)
    .bind(&asset)
    .bind(&scan)
    .execute(&db)
    .await
    .unwrap();
    sqlx::query(
        "insert into changes (tenant_id, id, asset_id, scan_id, snapshot_id, kind, severity,
                              address, port, event_id)
         values ($1, $2::uuid, $3::uuid, $4::uuid, $5::uuid, 'PORT_OPENED', 'high', '127.77.0.1',
                 22, gen_random_uuid())",
    )
    .bind(owner.tenant)
    .bind(&change)
    .bind(&asset)
    .bind(&scan)
    .bind(&snapshot)
    .execute(&db)
    .await
    .unwrap();
    SurfaceObjects { asset, scan, snapshot, change }
}
