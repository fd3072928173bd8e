//! The SSRF guard as asset registration sees it: a value whose addresses the guard denies is
//! refused at creation (422 `HOST_NOT_ALLOWED`) unless the operator's allowlist covers them. A
//! domain is resolved now through surface's resolver; one that does not resolve yet is accepted
//! (it is resolved and checked again before every scan).

use super::Surface;
use crate::dns::LookupError;
use crate::error::SurfaceError;
use platform::FieldCode;
use platform::outbound::SsrfError;
use surface_engine::values::AssetValue;

impl Surface {
    pub(crate) async fn check_value(&self, value: &AssetValue) -> Result<(), SurfaceError> {
        let refused =
            |message: String| SurfaceError::invalid("value", FieldCode::HOST_NOT_ALLOWED, message);
        match value {
            AssetValue::Ip(ip) => self.policy().check_ip(*ip).map_err(|e| refused(e.to_string())),
            AssetValue::Cidr(cidr) => {
                for ip in cidr.hosts() {
                    if let Err(error) = self.policy().check_ip(ip) {
                        return Err(refused(format!("{cidr} contains {ip}: {error}")));
                    }
                }
                Ok(())
            }
            AssetValue::Domain(domain) => {
                let name = domain.as_str();
                let lookup = tokio::time::timeout(
                    self.settings().verify_timeout,
                    self.dns().addresses(name),
                )
                .await;
                let addresses = match lookup {
                    Ok(Ok(addresses)) => addresses,
                    Ok(Err(LookupError::NotFound(_) | LookupError::Failed(_))) | Err(_) => {
                        Vec::new()
                    }
                };
                match self.policy().check_resolved(name, &addresses) {
                    Ok(()) | Err(SsrfError::NoAddresses { .. }) => Ok(()),
                    Err(error) => Err(refused(error.to_string())),
                }
            }
        }
    }
}
