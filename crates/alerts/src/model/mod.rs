//! The alerts capability's typed values and entities: ids, statuses and dispositions, the alert
//! as triage sees it, list filters, ingest sources, detection and correlation rules, bulk jobs,
//! statistics and a tenant's alert settings. Parsing untrusted input into these happens here
//! (`parse` functions returning `Invalid`); SQL lives in `store`.

pub mod alert;
pub mod bulk;
pub mod correlation;
pub mod filter;
pub mod ids;
pub mod rule;
pub mod source;
pub mod stats;
pub mod tenant_settings;

pub use alert::{Alert, AlertStatus, AlertSummary, Disposition, HistoryEntry, severity_word};
pub use bulk::{BulkAction, BulkJob, BulkJobStatus, BulkOutcome};
pub use correlation::{CorrelationGroup, CorrelationRule, GroupMember};
pub use filter::{AlertFilter, FilterInput};
pub use ids::{
    AlertId, AlertSourceId, BulkJobId, CorrelationGroupId, CorrelationRuleId, DetectionRuleId,
};
pub use rule::DetectionRule;
pub use source::{AlertSource, SourceAuth};
pub use stats::{AlertStats, StatsRange};
pub use tenant_settings::{SlaTarget, TenantAlertSettings};
