//! GitHub: the webhook's signature (`X-Hub-Signature-256`, checked in constant time over the raw
//! body), the `pull_request` event as far as a scan needs it, the REST calls a scan makes (pull
//! request, its diff, check runs) through the SSRF guard, and the check run's content (decision,
//! summary, annotations in batches of at most 50).
//!
//! Every text that comes from a diff or a webhook is treated as hostile: it is never followed,
//! and it is escaped before it reaches GitHub's Markdown.

pub mod checks;
pub mod client;
pub mod payload;
pub mod signature;

pub use client::{GithubClient, GithubError, PullRequestInfo};
pub use payload::PullRequestEvent;

/// Whether `text` is a repository's `owner/name` as GitHub allows them.
pub fn is_repository_name(text: &str) -> bool {
    let Some((owner, name)) = text.split_once('/') else { return false };
    let part = |s: &str| {
        (1..=100).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"_.-".contains(&b))
            && s != "."
            && s != ".."
    };
    part(owner) && part(name)
}

/// Whether `text` is a git object id (SHA-1 or SHA-256, lowercase hex).
pub fn is_commit_sha(text: &str) -> bool {
    (text.len() == 40 || text.len() == 64)
        && text.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repository_names_and_commit_ids_are_checked_strictly() {
        assert!(is_repository_name("octo-org/hello.world_2"));
        for bad in ["octo", "a/b/c", "../x", "a/..", "a /b", "a/b?x=1", "/b", "a/"] {
            assert!(!is_repository_name(bad), "{bad}");
        }
        assert!(is_commit_sha(&"a".repeat(40)));
        assert!(!is_commit_sha(&"A".repeat(40)));
        assert!(!is_commit_sha("abc"));
    }
}
