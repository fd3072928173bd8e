//! Diffscan's typed values: ids, the scan and finding entities as the service hands them out,
//! policies, exceptions, baselines, rule packs, GitHub installations, repositories and
//! deliveries. Parsing untrusted input into these lives in `service::input`; SQL in `store`.

mod config;
mod github;
mod scan;

pub use config::{BaselineEntry, BaselineRecord, ExceptionRecord, PolicyRecord, RulePackRecord};
pub use github::{DeliveryRecord, DeliveryStatus, InstallationRecord, RepositoryRecord};
pub use scan::{
    DiffInfo, FindingFilter, FindingRecord, GithubRef, Requester, ScanFilter, ScanRecord,
    ScanSource, ScanStatus, ScanSummary, StatusCounts,
};

platform::id!(
    /// One scan of one diff.
    pub ScanId,
    "scan"
);
platform::id!(
    /// A tenant's diffscan policy.
    pub PolicyId,
    "policy"
);
platform::id!(
    /// A policy exception (rule + path glob + expiry + reason).
    pub ExceptionId,
    "exception"
);
platform::id!(
    /// A named set of accepted findings.
    pub BaselineId,
    "baseline"
);
platform::id!(
    /// A tenant's own rule pack.
    pub RulePackId,
    "rule pack"
);
platform::id!(
    /// A GitHub installation: an API, a token and a webhook secret.
    pub InstallationId,
    "GitHub installation"
);
platform::id!(
    /// A repository of a GitHub installation whose pull requests are scanned.
    pub RepositoryId,
    "repository"
);
platform::id!(
    /// One GitHub webhook delivery, kept for replay.
    pub WebhookDeliveryId,
    "webhook delivery"
);

/// A text column holding one of a fixed set of words.
pub(crate) fn word<T: Copy>(all: &[T], name: impl Fn(T) -> &'static str, text: &str) -> Option<T> {
    all.iter().copied().find(|value| name(*value) == text)
}
