//! Proof of authorization to scan: the well-known file, a DNS TXT record served by a real DNS
//! server on loopback, forward-confirmed reverse DNS under an authorized domain, and a tenant
//! administrator's attestation; failures say why; the token is bound to its asset and tenant.

use super::{Site, authorize, create_asset, id, verify};
use serde_json::{Value, json};
use testapp::ResponseExt;

#[tokio::test]
async fn a_domain_is_authorized_by_its_txt_record_on_a_real_dns_server() {
    let site = Site::start().await;
    site.dns.a("shop.example.test", site.ip).await;
    let app = site.app().await;
    let admin = app.admin_of("acme").await;
    let asset =
        create_asset(&app, &admin.token, &json!({"kind": "domain", "value": "shop.example.test"}))
            .await;
    let challenge = authorize(&app, &admin.token, &id(&asset)).await;
    let token = challenge["token"].as_str().unwrap();
    assert_eq!(token.len(), 43);
    assert_eq!(challenge["asset"]["status"], "verifying");
    assert_eq!(challenge["methods"], json!(["dns_txt", "http_file"]));
    assert_eq!(challenge["dns"]["name"], "_palisade-challenge.shop.example.test");
    assert_eq!(challenge["dns"]["record_type"], "TXT");
    assert_eq!(challenge["dns"]["value"], format!("palisade-verify={token}"));
    assert_eq!(challenge["http"]["body"], token);

    let missing = verify(&app, &admin.token, &id(&asset), Some("dns_txt")).await;
    assert_eq!(missing["result"], "failed");
    assert!(
        missing["reason"]
            .as_str()
            .unwrap()
            .contains("no TXT record at _palisade-challenge.shop.example.test"),
        "{missing}"
    );
    assert_eq!(missing["asset"]["status"], "failed");

    site.dns
        .txt("_palisade-challenge.shop.example.test", "palisade-verify=someone-elses-token")
        .await;
    let wrong = verify(&app, &admin.token, &id(&asset), Some("dns_txt")).await;
    assert_eq!(wrong["result"], "failed");
    assert!(wrong["reason"].as_str().unwrap().contains("none of them"), "{wrong}");

    site.dns
        .txt("_palisade-challenge.shop.example.test", &format!("palisade-verify={token}"))
        .await;
    let proven = verify(&app, &admin.token, &id(&asset), None).await;
    assert_eq!(
        (proven["result"].as_str(), proven["method"].as_str()),
        (Some("authorized"), Some("dns_txt")),
        "{proven}"
    );
    assert_eq!(proven["asset"]["status"], "authorized");
    assert!(proven["asset"]["status_reason"].is_null());
    let verifications = app.audit_summaries("asset.verify").await;
    let results: Vec<&str> = verifications.iter().map(|s| s["result"].as_str().unwrap()).collect();
    assert_eq!(results, ["failed", "failed", "authorized"]);
}

#[tokio::test]
async fn the_well_known_file_must_hold_this_assets_token_and_other_tenants_tokens_prove_nothing() {
    let site = Site::start().await;
    let app = site.app().await;
    let (a, b) = (app.admin_of("acme").await, app.admin_of("globex").await);
    let body = json!({"kind": "ip", "value": site.ip.to_string(), "ports": "22"});
    let ours = create_asset(&app, &a.token, &body).await;
    let theirs = create_asset(&app, &b.token, &body).await;
    let our_token =
        authorize(&app, &a.token, &id(&ours)).await["token"].as_str().unwrap().to_string();
    let their_token =
        authorize(&app, &b.token, &id(&theirs)).await["token"].as_str().unwrap().to_string();
    assert_ne!(our_token, their_token);

    let not_served = verify(&app, &a.token, &id(&ours), Some("http_file")).await;
    assert!(not_served["reason"].as_str().unwrap().contains("HTTP 404"), "{not_served}");
    // Tenant B's token under tenant A's path, and A's path with a wrong body, prove nothing.
    site.files.serve(&their_token, &their_token);
    assert_eq!(verify(&app, &a.token, &id(&ours), Some("http_file")).await["result"], "failed");
    site.files.serve(&our_token, "not the token");
    let wrong = verify(&app, &a.token, &id(&ours), Some("http_file")).await;
    assert!(wrong["reason"].as_str().unwrap().contains("does not contain"), "{wrong}");
    site.files.serve(&our_token, &format!("{our_token}\n"));
    let proven = verify(&app, &a.token, &id(&ours), None).await;
    assert_eq!(
        (proven["result"].as_str(), proven["method"].as_str()),
        (Some("authorized"), Some("http_file"))
    );
    // B's asset is still unproven.
    let theirs_now: Value =
        app.get_as(&b.token, &format!("/v1/assets/{}", id(&theirs))).await.expect_json(200).await;
    assert_eq!(theirs_now["status"], "verifying");
}

#[tokio::test]
async fn an_address_is_authorized_when_its_reverse_dns_falls_under_an_authorized_domain() {
    let site = Site::start().await;
    let app = site.app().await;
    let admin = app.admin_of("acme").await;
    // Public addresses: the check only asks the test's DNS server about them and connects to
    // nothing. (Resolvers answer `localhost` for every 127/8 address, per RFC 6761.)
    let ip: std::net::Ipv4Addr = "1.2.3.4".parse().unwrap();
    let other: std::net::Ipv4Addr = "1.2.3.5".parse().unwrap();
    site.dns.ptr(ip, "web-1.dc.example.test").await;
    site.dns.a("web-1.dc.example.test", ip).await;
    site.dns.ptr(other, "web-2.dc.example.test").await; // does not resolve back

    let address =
        create_asset(&app, &admin.token, &json!({"kind": "ip", "value": ip.to_string()})).await;
    let before = verify(&app, &admin.token, &id(&address), Some("reverse_dns")).await;
    assert!(before["reason"].as_str().unwrap().contains("no authorized domain"), "{before}");

    let domain =
        create_asset(&app, &admin.token, &json!({"kind": "domain", "value": "dc.example.test"}))
            .await;
    let token =
        authorize(&app, &admin.token, &id(&domain)).await["token"].as_str().unwrap().to_string();
    site.dns.txt("_palisade-challenge.dc.example.test", &format!("palisade-verify={token}")).await;
    assert_eq!(verify(&app, &admin.token, &id(&domain), None).await["result"], "authorized");

    let proven = verify(&app, &admin.token, &id(&address), Some("reverse_dns")).await;
    assert_eq!(
        (proven["result"].as_str(), proven["method"].as_str()),
        (Some("authorized"), Some("reverse_dns")),
        "{proven}"
    );

    let unconfirmed =
        create_asset(&app, &admin.token, &json!({"kind": "ip", "value": other.to_string()})).await;
    let refused = verify(&app, &admin.token, &id(&unconfirmed), Some("reverse_dns")).await;
    assert!(refused["reason"].as_str().unwrap().contains("does not resolve back"), "{refused}");
    let block = create_asset(
        &app,
        &admin.token,
        &json!({"kind": "cidr", "value": format!("{}/30", network(ip))}),
    )
    .await;
    let partial = verify(&app, &admin.token, &id(&block), None).await;
    assert_eq!(partial["result"], "failed", "every address of a block must pass: {partial}");
    // The DNS and file methods do not apply to a block.
    let wrong_method = app
        .post_as(
            &admin.token,
            &format!("/v1/assets/{}/verify", id(&block)),
            &json!({"method": "dns_txt"}),
        )
        .await;
    assert_eq!(wrong_method.problem().await.errors[0].code, "NOT_APPLICABLE");
    let bad_method = app
        .post_as(
            &admin.token,
            &format!("/v1/assets/{}/verify", id(&block)),
            &json!({"method": "telepathy"}),
        )
        .await;
    assert_eq!(bad_method.problem().await.errors[0].code, "INVALID_METHOD");
}

fn network(ip: std::net::Ipv4Addr) -> std::net::Ipv4Addr {
    std::net::Ipv4Addr::from_bits(ip.to_bits() & !3)
}

#[tokio::test]
async fn a_tenant_administrator_attests_addresses_and_blocks_with_a_reason_that_is_audited() {
    let site = Site::start().await;
    let app = site.app().await;
    let admin = app.admin_of("acme").await;
    let block =
        create_asset(&app, &admin.token, &json!({"kind": "cidr", "value": "127.40.0.0/24"})).await;
    let path = format!("/v1/assets/{}/attest", id(&block));
    let no_reason = app.post_as(&admin.token, &path, &json!({})).await.problem().await;
    assert_eq!(no_reason.errors[0].code, "REQUIRED");
    let attested: Value = app
        .post_as(&admin.token, &path, &json!({"reason": "MSA 2026-114, scope annex B"}))
        .await
        .expect_json(200)
        .await;
    assert_eq!(attested["status"], "authorized");
    assert_eq!(attested["authorization"]["method"], "attestation");
    assert_eq!(attested["authorization"]["attested_by"], admin.user.to_string());
    assert_eq!(attested["authorization"]["reason"], "MSA 2026-114, scope annex B");
    let audited = app.audit_summaries("asset.attest").await;
    assert_eq!(audited[0]["reason"], "MSA 2026-114, scope annex B");
    let domain = create_asset(
        &app,
        &admin.token,
        &json!({"kind": "domain", "value": "attest.example.test"}),
    )
    .await;
    let refused = app
        .post_as(
            &admin.token,
            &format!("/v1/assets/{}/attest", id(&domain)),
            &json!({"reason": "x"}),
        )
        .await;
    assert_eq!(refused.problem().await.errors[0].code, "NOT_APPLICABLE");
}

#[tokio::test]
async fn verifying_without_a_challenge_answers_409() {
    let site = Site::start().await;
    let app = site.app().await;
    let admin = app.admin_of("acme").await;
    let asset =
        create_asset(&app, &admin.token, &json!({"kind": "domain", "value": "quiet.example.test"}))
            .await;
    let response =
        app.post_as(&admin.token, &format!("/v1/assets/{}/verify", id(&asset)), &json!({})).await;
    let problem = response.problem().await;
    assert_eq!((problem.status, problem.code.as_str()), (409, "NO_CHALLENGE"));
}
