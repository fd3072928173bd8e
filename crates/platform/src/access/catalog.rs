//! The permission catalog and the roles: the single source of truth for what can be granted, for
//! every capability. Every route and every service method declares one of these permissions; the
//! default matrix says which role gets which in a new tenant.
//!
//! Pure data: no database, no caching (identity keeps each tenant's matrix in use). A capability
//! that lands adds its permissions here, and to the default matrix, in the same change.

use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::fmt;

macro_rules! catalog {
    ($(#[$meta:meta])* $name:ident { $($variant:ident),+ $(,)? }) => {
        $(#[$meta])*
        #[allow(non_camel_case_types)]
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => stringify!($variant)),+ }
            }

            pub fn parse(text: &str) -> Option<$name> {
                match text { $(stringify!($variant) => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

catalog!(
    /// What a principal may do, named `MODULE_ACTION`.
    Permission {
        TENANTS_MANAGE,
        USERS_VIEW, USERS_MANAGE,
        ROLES_VIEW, ROLES_MANAGE,
        API_KEYS_MANAGE,
        AUDIT_VIEW,
        ASSETS_VIEW, ASSETS_MANAGE, SCANS_RUN, CHANGES_ACK,
        CHANNELS_MANAGE, EVENTS_VIEW,
        ALERTS_VIEW, ALERTS_INGEST, ALERTS_TRIAGE, ALERTS_BULK, RULES_MANAGE,
        CASES_VIEW, CASES_MANAGE,
        INTEL_VIEW, INTEL_MANAGE,
        DIFFSCAN_VIEW, DIFFSCAN_RUN, POLICIES_MANAGE,
        COMPLIANCE_VIEW, COMPLIANCE_MANAGE,
        REPORTS_VIEW, REPORTS_MANAGE,
    }
);

catalog!(
    /// A principal's role in one tenant.
    Role {
        GLOBAL_ADMIN,
        TENANT_ADMIN,
        SOC_ANALYST_L2,
        SOC_ANALYST_L1,
        THREAT_HUNTER,
        DETECTION_ENGINEER,
        AUDITOR_READONLY,
        EXECUTIVE_READONLY,
    }
);

pub type PermissionSet = BTreeSet<Permission>;

impl Role {
    /// The permissions a role gets in a new tenant (and after `POST /v1/roles/reset`).
    pub fn default_permissions(self) -> PermissionSet {
        use Permission::*;
        let list: &[Permission] = match self {
            Role::GLOBAL_ADMIN => Permission::ALL,
            Role::TENANT_ADMIN => &[
                USERS_VIEW,
                USERS_MANAGE,
                ROLES_VIEW,
                ROLES_MANAGE,
                API_KEYS_MANAGE,
                AUDIT_VIEW,
                ASSETS_VIEW,
                ASSETS_MANAGE,
                SCANS_RUN,
                CHANGES_ACK,
                CHANNELS_MANAGE,
                EVENTS_VIEW,
                ALERTS_VIEW,
                ALERTS_INGEST,
                ALERTS_TRIAGE,
                ALERTS_BULK,
                RULES_MANAGE,
                CASES_VIEW,
                CASES_MANAGE,
                INTEL_VIEW,
                INTEL_MANAGE,
                DIFFSCAN_VIEW,
                DIFFSCAN_RUN,
                POLICIES_MANAGE,
                COMPLIANCE_VIEW,
                COMPLIANCE_MANAGE,
                REPORTS_VIEW,
                REPORTS_MANAGE,
            ],
            Role::SOC_ANALYST_L2 => &[
                USERS_VIEW,
                ASSETS_VIEW,
                ASSETS_MANAGE,
                SCANS_RUN,
                CHANGES_ACK,
                EVENTS_VIEW,
                ALERTS_VIEW,
                ALERTS_INGEST,
                ALERTS_TRIAGE,
                ALERTS_BULK,
                CASES_VIEW,
                CASES_MANAGE,
                INTEL_VIEW,
                INTEL_MANAGE,
                DIFFSCAN_VIEW,
                DIFFSCAN_RUN,
                COMPLIANCE_VIEW,
                REPORTS_VIEW,
            ],
            Role::SOC_ANALYST_L1 => &[
                ASSETS_VIEW,
                CHANGES_ACK,
                EVENTS_VIEW,
                ALERTS_VIEW,
                ALERTS_TRIAGE,
                CASES_VIEW,
                INTEL_VIEW,
                DIFFSCAN_VIEW,
                REPORTS_VIEW,
            ],
            Role::THREAT_HUNTER => &[
                ASSETS_VIEW,
                EVENTS_VIEW,
                ALERTS_VIEW,
                ALERTS_TRIAGE,
                CASES_VIEW,
                CASES_MANAGE,
                INTEL_VIEW,
                INTEL_MANAGE,
                DIFFSCAN_VIEW,
                REPORTS_VIEW,
            ],
            Role::DETECTION_ENGINEER => &[
                ASSETS_VIEW,
                EVENTS_VIEW,
                ALERTS_VIEW,
                ALERTS_INGEST,
                RULES_MANAGE,
                CASES_VIEW,
                INTEL_VIEW,
                DIFFSCAN_VIEW,
                DIFFSCAN_RUN,
                POLICIES_MANAGE,
                REPORTS_VIEW,
            ],
            Role::AUDITOR_READONLY => &[
                USERS_VIEW,
                ROLES_VIEW,
                AUDIT_VIEW,
                ASSETS_VIEW,
                EVENTS_VIEW,
                ALERTS_VIEW,
                CASES_VIEW,
                INTEL_VIEW,
                DIFFSCAN_VIEW,
                COMPLIANCE_VIEW,
                REPORTS_VIEW,
            ],
            Role::EXECUTIVE_READONLY => {
                &[ASSETS_VIEW, ALERTS_VIEW, CASES_VIEW, COMPLIANCE_VIEW, REPORTS_VIEW]
            }
        };
        list.iter().copied().collect()
    }

    /// Roles whose permissions cannot be edited: taking permissions from the global administrator
    /// could lock every administrator out.
    pub fn is_locked(self) -> bool {
        self == Role::GLOBAL_ADMIN
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_parse() {
        for permission in Permission::ALL {
            assert_eq!(Permission::parse(permission.as_str()), Some(*permission));
        }
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(*role));
        }
        assert_eq!(Permission::parse("tenants_manage"), None);
    }

    #[test]
    fn only_the_global_admin_manages_tenants_by_default() {
        for role in Role::ALL {
            let has = role.default_permissions().contains(&Permission::TENANTS_MANAGE);
            assert_eq!(has, *role == Role::GLOBAL_ADMIN, "{role}");
        }
    }

    #[test]
    fn read_only_roles_get_no_manage_permission() {
        for role in [Role::AUDITOR_READONLY, Role::EXECUTIVE_READONLY] {
            let writes: Vec<_> = role
                .default_permissions()
                .into_iter()
                .filter(|p| !p.as_str().ends_with("_VIEW"))
                .collect();
            assert!(writes.is_empty(), "{role}: {writes:?}");
        }
    }
}
