//! The built-in rule pack, embedded at build time from `rules/*.yaml` (one file per family) so the
//! binary carries no rule files and reads nothing at run time.

use super::{PackError, RulePack, parse_pack};

const BUILTIN_SOURCES: [(&str, &str); 8] = [
    ("builtin/hidden-text.yaml", include_str!("../../rules/hidden-text.yaml")),
    ("builtin/prompt-injection.yaml", include_str!("../../rules/prompt-injection.yaml")),
    ("builtin/ci-cd.yaml", include_str!("../../rules/ci-cd.yaml")),
    ("builtin/execution.yaml", include_str!("../../rules/execution.yaml")),
    ("builtin/secrets.yaml", include_str!("../../rules/secrets.yaml")),
    ("builtin/injection-sink.yaml", include_str!("../../rules/injection-sink.yaml")),
    ("builtin/integrity.yaml", include_str!("../../rules/integrity.yaml")),
    ("builtin/policy.yaml", include_str!("../../rules/policy.yaml")),
];

/// The built-in packs, parsed and validated (a failure here is a bug the tests catch).
pub fn builtin_packs() -> Result<Vec<RulePack>, PackError> {
    BUILTIN_SOURCES.iter().map(|(origin, source)| parse_pack(source, origin)).collect()
}

/// The sources of the built-in packs, for digests and for showing them.
pub fn builtin_sources() -> impl Iterator<Item = (&'static str, &'static str)> {
    BUILTIN_SOURCES.iter().copied()
}
