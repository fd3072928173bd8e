//! The addresses a scan connects to, resolved now and checked by the SSRF guard: a domain's
//! A and AAAA records (the scan is refused when any of them is denied, as the guard refuses a
//! name), an address, or every address a block scans. The engine gets these and nothing else.

use crate::dns::LookupError;
use crate::service::Surface;
use surface_engine::values::{AssetValue, ScanTarget, Target, expand};

impl Surface {
    pub(crate) async fn scan_targets(&self, value: &AssetValue) -> Result<Vec<ScanTarget>, String> {
        let refused = |error: platform::outbound::SsrfError| {
            format!("refused by the outbound policy: {error}")
        };
        match value {
            AssetValue::Domain(domain) => {
                let name = domain.as_str();
                let addresses = self.dns().addresses(name).await.map_err(|error| match error {
                    LookupError::NotFound(reason) | LookupError::Failed(reason) => {
                        format!("could not resolve the domain: {reason}")
                    }
                })?;
                self.policy().check_resolved(name, &addresses).map_err(refused)?;
                Ok(addresses.into_iter().map(|ip| ScanTarget::named(ip, domain.clone())).collect())
            }
            AssetValue::Ip(ip) => {
                self.policy().check_ip(*ip).map_err(refused)?;
                Ok(vec![ScanTarget::of_address(*ip)])
            }
            AssetValue::Cidr(cidr) => {
                let targets = expand(&[Target::Block(*cidr)]).map_err(|e| e.to_string())?;
                for target in &targets {
                    self.policy().check_ip(target.address()).map_err(refused)?;
                }
                Ok(targets)
            }
        }
    }
}
