//! Authorization to scan: issuing the challenge (`authorize`), checking it (`verify`, by DNS
//! TXT, HTTP(S) file or reverse DNS), an administrator's attestation for addresses and blocks,
//! and the checks the system makes by itself: the scheduled re-check (lost proof revokes the
//! asset) and the one before every scan.

use super::Surface;
use crate::error::SurfaceError;
use crate::jobs;
use crate::model::{Asset, AssetId, AssetStatus, AuthMethod};
use crate::store;
use crate::verify::{self, Outcome, Subject, TXT_PREFIX, WELL_KNOWN_PATH};
use chrono::Utc;
use platform::access::{Forbidden, Permission, Principal, Role};
use platform::audit::{self, RequestContext};
use platform::outbox::{self, Event, Severity};
use platform::{FieldCode, TenantId};
use serde::Serialize;
use serde_json::json;
use surface_engine::values::{AssetKind, AssetValue};

/// How to prove control of an asset, as `authorize` answers.
#[derive(Clone, Debug, Serialize)]
pub struct Instructions {
    /// The methods that can prove this asset, in the order `verify` tries them.
    pub methods: Vec<AuthMethod>,
    /// Publish a TXT record `name` with `value` (domains).
    pub dns: Option<DnsInstruction>,
    /// Serve `body` at one of `urls` (domains and single addresses).
    pub http: Option<HttpInstruction>,
}

#[derive(Clone, Debug, Serialize)]
pub struct DnsInstruction {
    pub name: String,
    pub record_type: &'static str,
    pub value: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct HttpInstruction {
    pub urls: Vec<String>,
    pub body: String,
}

/// A challenge just issued.
#[derive(Clone, Debug)]
pub struct Issued {
    pub asset: Asset,
    pub token: String,
    pub instructions: Instructions,
}

/// What `verify` found.
#[derive(Clone, Debug)]
pub struct Verification {
    pub asset: Asset,
    /// The method that proved it, when it is now authorized.
    pub method: Option<AuthMethod>,
    /// Why it failed, when it did.
    pub reason: Option<String>,
}

impl Surface {
    /// Issues a new challenge token bound to this asset of this tenant and answers how to
    /// publish it. The asset becomes `verifying`; an earlier authorization ends (calling it
    /// again restarts the proof with a new token).
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn authorize(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AssetId,
    ) -> Result<Issued, SurfaceError> {
        principal.require(Permission::ASSETS_MANAGE)?;
        let token = verify::new_token();
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        store::assets::get(&mut tx, id, true).await?.ok_or(SurfaceError::NotFound("asset"))?;
        let asset = store::assets::issue_challenge(&mut tx, id, &token).await?;
        let summary = json!({ "value": asset.value.to_string(), "status": asset.status.as_str() });
        let entry =
            principal.audit(context, "asset.authorize", "asset", Some(id.to_string()), summary);
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        let instructions = self.instructions(&asset.value, &token);
        Ok(Issued { asset, token, instructions })
    }

    /// Checks the proof now, by `method` or by every method that applies, and records the
    /// result: `authorized`, or `failed` with the reason.
    #[tracing::instrument(skip(self, context, principal))]
    pub async fn verify(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AssetId,
        method: Option<AuthMethod>,
    ) -> Result<Verification, SurfaceError> {
        principal.require(Permission::ASSETS_MANAGE)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let asset =
            store::assets::get(&mut tx, id, false).await?.ok_or(SurfaceError::NotFound("asset"))?;
        let domains = store::assets::authorized_domains(&mut tx).await?;
        tx.commit().await?;
        let token = asset.challenge.as_ref().map(|c| c.token.clone());
        let applicable = verify::methods_for(asset.kind());
        let methods: Vec<AuthMethod> = match method {
            Some(method) if !applicable.contains(&method) => {
                return Err(SurfaceError::invalid(
                    "method",
                    FieldCode::NOT_APPLICABLE,
                    format!(
                        "{method} cannot prove a {} asset; use one of {}",
                        asset.kind(),
                        names(applicable)
                    ),
                ));
            }
            Some(method) => vec![method],
            None => applicable
                .iter()
                .copied()
                .filter(|m| token.is_some() || !verify::needs_token(*m))
                .collect(),
        };
        if methods.is_empty()
            || (token.is_none() && methods.iter().all(|m| verify::needs_token(*m)))
        {
            return Err(SurfaceError::NoChallenge(
                "no challenge was issued for this asset; call POST /v1/assets/{id}/authorize first"
                    .into(),
            ));
        }
        let subject = Subject { value: &asset.value, token: token.as_deref(), domains: &domains };
        let mut outcomes = Vec::new();
        for method in methods {
            let outcome = self.verifier().check(method, subject).await;
            let proven = outcome == Outcome::Proven;
            outcomes.push((method, outcome));
            if proven {
                break;
            }
        }
        let (proven_by, outcome) = verify::best(outcomes);
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current =
            store::assets::get(&mut tx, id, true).await?.ok_or(SurfaceError::NotFound("asset"))?;
        let same_token = current.challenge.as_ref().map(|c| &c.token) == token.as_ref();
        let (asset, summary) = match (proven_by, &outcome, same_token) {
            (Some(method), _, true) => {
                let asset = store::assets::authorize(&mut tx, id, method, None, None).await?;
                let at = Utc::now() + self.settings().recheck_interval;
                jobs::enqueue_recheck(&mut tx, id, at).await?;
                (asset, json!({ "result": "authorized", "method": method.as_str() }))
            }
            (_, Outcome::NotProven(reason) | Outcome::Unreachable(reason), true) => {
                let asset =
                    store::assets::set_unproven(&mut tx, id, AssetStatus::Failed, reason).await?;
                let summary = json!({ "result": "failed", "reason": asset.status_reason });
                (asset, summary)
            }
            _ => {
                let reason = "a new challenge was issued while this one was checked; verify again";
                let asset =
                    store::assets::set_unproven(&mut tx, id, AssetStatus::Failed, reason).await?;
                (asset, json!({ "result": "failed", "reason": reason }))
            }
        };
        let entry =
            principal.audit(context, "asset.verify", "asset", Some(id.to_string()), summary);
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        let method = (asset.status == AssetStatus::Authorized)
            .then(|| asset.authorization.as_ref().map(|a| a.method))
            .flatten();
        let reason = asset.status_reason.clone();
        Ok(Verification { asset, method, reason })
    }

    /// An administrator vouches that the tenant may scan this address or block (a contract,
    /// a ticket): needs `ASSETS_MANAGE` and the tenant administrator role, and a reason, which
    /// the audit log keeps. Attested assets are not re-checked.
    #[tracing::instrument(skip(self, context, principal, reason))]
    pub async fn attest(
        &self,
        context: &RequestContext,
        principal: &Principal,
        id: AssetId,
        reason: Option<&str>,
    ) -> Result<Asset, SurfaceError> {
        principal.require(Permission::ASSETS_MANAGE)?;
        if principal.role != Some(Role::TENANT_ADMIN) && !principal.is_global_admin {
            return Err(Forbidden::new(
                "Only a tenant administrator may attest that an asset may be scanned.",
            )
            .into());
        }
        let reason = super::input::parse_reason(reason)?;
        let mut tx = self.db().tenant_tx(principal.tenant).await?;
        let current =
            store::assets::get(&mut tx, id, true).await?.ok_or(SurfaceError::NotFound("asset"))?;
        if current.kind() == AssetKind::Domain {
            return Err(SurfaceError::invalid(
                "kind",
                FieldCode::NOT_APPLICABLE,
                "a domain proves control by DNS TXT or a well-known file; attestations are for \
                 addresses and blocks",
            ));
        }
        let asset = store::assets::authorize(
            &mut tx,
            id,
            AuthMethod::Attestation,
            principal.user,
            Some(&reason),
        )
        .await?;
        let summary = json!({ "value": asset.value.to_string(), "reason": reason });
        let entry =
            principal.audit(context, "asset.attest", "asset", Some(id.to_string()), summary);
        audit::record(&mut tx, &entry).await?;
        tx.commit().await?;
        Ok(asset)
    }

    /// Checks an authorized asset's proof again, as its recorded method does (an attestation
    /// holds as it is). A definite "not there" revokes the asset.
    pub(crate) async fn check_proof(
        &self,
        tenant: TenantId,
        asset: &Asset,
    ) -> Result<Outcome, SurfaceError> {
        let Some(authorization) = &asset.authorization else {
            return Ok(Outcome::NotProven(format!("the asset is {}", asset.status)));
        };
        let mut tx = self.db().tenant_tx(tenant).await?;
        let domains = store::assets::authorized_domains(&mut tx).await?;
        tx.commit().await?;
        let token = asset.challenge.as_ref().map(|c| c.token.as_str());
        let subject = Subject { value: &asset.value, token, domains: &domains };
        let outcome = self.verifier().check(authorization.method, subject).await;
        if let Outcome::NotProven(reason) = &outcome {
            self.revoke(tenant, asset.id, reason).await?;
        }
        Ok(outcome)
    }

    /// The re-check job: checks the proof of an authorized asset and queues the next re-check.
    pub async fn recheck_authorization(
        &self,
        tenant: TenantId,
        id: AssetId,
    ) -> Result<(), SurfaceError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let asset = store::assets::get(&mut tx, id, false).await?;
        tx.commit().await?;
        let Some(asset) = asset else { return Ok(()) };
        let Some(authorization) =
            asset.authorization.as_ref().filter(|_| asset.status == AssetStatus::Authorized)
        else {
            return Ok(());
        };
        if authorization.method == AuthMethod::Attestation {
            return Ok(());
        }
        let interval = self.settings().recheck_interval;
        let due = authorization.checked_at + interval - chrono::Duration::minutes(1);
        if due > Utc::now() {
            return Ok(());
        }
        let outcome = self.check_proof(tenant, &asset).await?;
        let mut tx = self.db().tenant_tx(tenant).await?;
        let next = match &outcome {
            Outcome::Proven => {
                store::assets::mark_checked(&mut tx, id).await?;
                Some(Utc::now() + interval)
            }
            // Try again sooner; the authorization holds until a definite answer.
            Outcome::Unreachable(reason) => {
                tracing::warn!(asset = %id, %reason, "the proof could not be re-checked");
                Some(Utc::now() + interval.min(std::time::Duration::from_secs(3600)))
            }
            Outcome::NotProven(_) => None,
        };
        if let Some(at) = next {
            jobs::enqueue_recheck(&mut tx, id, at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Lost proof: the asset becomes `revoked`, audited as the system's doing, announced as
    /// `surface.asset_revoked`.
    async fn revoke(
        &self,
        tenant: TenantId,
        id: AssetId,
        reason: &str,
    ) -> Result<(), SurfaceError> {
        let mut tx = self.db().tenant_tx(tenant).await?;
        let Some(current) = store::assets::get(&mut tx, id, true).await? else { return Ok(()) };
        if current.status != AssetStatus::Authorized {
            return Ok(());
        }
        let reason = format!("the proof of authorization is gone: {reason}");
        let asset = store::assets::set_unproven(&mut tx, id, AssetStatus::Revoked, &reason).await?;
        let value = asset.value.to_string();
        let summary = json!({ "value": value, "reason": asset.status_reason });
        super::audit_system(&mut tx, "asset.revoke", "asset", id.to_string(), summary).await?;
        let subject = format!("Authorization to scan {value} was revoked");
        let payload = json!({ "asset_id": id, "asset": value, "reason": asset.status_reason });
        outbox::emit(
            &mut tx,
            &Event {
                kind: "surface.asset_revoked",
                severity: Severity::High,
                subject: &subject,
                payload,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How to publish `token` for `value` (what `authorize` answered when it issued the token),
    /// for a page showing an open challenge again.
    pub fn instructions(&self, value: &AssetValue, token: &str) -> Instructions {
        let methods = verify::methods_for(value.kind()).to_vec();
        let dns = value.domain().map(|domain| DnsInstruction {
            name: verify::txt_name(domain.as_str()),
            record_type: "TXT",
            value: format!("{TXT_PREFIX}{token}"),
        });
        let host = match value {
            AssetValue::Domain(domain) => Some(domain.to_string()),
            AssetValue::Ip(std::net::IpAddr::V4(ip)) => Some(ip.to_string()),
            AssetValue::Ip(std::net::IpAddr::V6(ip)) => Some(format!("[{ip}]")),
            AssetValue::Cidr(_) => None,
        };
        let settings = self.settings();
        let http = host.map(|host| {
            let at = |scheme: &str, port: u16, default: u16| match port == default {
                true => format!("{scheme}://{host}{WELL_KNOWN_PATH}{token}"),
                false => format!("{scheme}://{host}:{port}{WELL_KNOWN_PATH}{token}"),
            };
            HttpInstruction {
                urls: vec![
                    at("https", settings.verify_https_port, 443),
                    at("http", settings.verify_http_port, 80),
                ],
                body: token.to_string(),
            }
        });
        Instructions { methods, dns, http }
    }
}

fn names(methods: &[AuthMethod]) -> String {
    methods.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", ")
}
