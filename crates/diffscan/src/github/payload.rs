//! The `pull_request` webhook event, as far as a scan needs it: the action, the repository,
//! the pull request's number and head commit. Everything else in the body is ignored; what is
//! read is checked (repository name, commit id) before it is used anywhere.

use super::{is_commit_sha, is_repository_name};
use serde::Deserialize;

/// Actions after which the pull request's diff may have changed (or it reopened for review).
pub const SCANNED_ACTIONS: [&str; 4] = ["opened", "synchronize", "reopened", "ready_for_review"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullRequestEvent {
    pub action: String,
    pub repository: String,
    pub number: i32,
    pub head_sha: String,
    pub draft: bool,
}

#[derive(Deserialize)]
struct Raw {
    action: String,
    number: Option<i64>,
    pull_request: RawPull,
    repository: RawRepository,
}

#[derive(Deserialize)]
struct RawPull {
    number: Option<i64>,
    head: RawHead,
    #[serde(default)]
    draft: bool,
}

#[derive(Deserialize)]
struct RawHead {
    sha: String,
}

#[derive(Deserialize)]
struct RawRepository {
    full_name: String,
}

/// The `action` of any event body, if it has one (for the delivery's record).
pub fn action_of(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Action {
        action: Option<String>,
    }
    let action = serde_json::from_slice::<Action>(body).ok()?.action?;
    let valid = (1..=64).contains(&action.len())
        && action.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    valid.then_some(action)
}

impl PullRequestEvent {
    /// Reads a `pull_request` event body; the error says which part is missing or wrong.
    pub fn parse(body: &[u8]) -> Result<PullRequestEvent, String> {
        let raw: Raw = serde_json::from_slice(body)
            .map_err(|e| format!("not a pull_request event body: {}", short(&e.to_string())))?;
        let number = raw.number.or(raw.pull_request.number).ok_or("the event has no number")?;
        let number = i32::try_from(number)
            .ok()
            .filter(|n| *n > 0)
            .ok_or("the pull request number is out of range")?;
        if !is_repository_name(&raw.repository.full_name) {
            return Err("repository.full_name is not owner/name".into());
        }
        if !is_commit_sha(&raw.pull_request.head.sha) {
            return Err("pull_request.head.sha is not a commit id".into());
        }
        Ok(PullRequestEvent {
            action: raw.action,
            repository: raw.repository.full_name,
            number,
            head_sha: raw.pull_request.head.sha,
            draft: raw.pull_request.draft,
        })
    }

    /// Whether this action calls for a scan.
    pub fn wants_scan(&self) -> bool {
        SCANNED_ACTIONS.contains(&self.action.as_str())
    }
}

fn short(text: &str) -> String {
    text.chars().take(200).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(action: &str, repository: &str, sha: &str) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "action": action,
            "number": 12,
            "pull_request": {"number": 12, "head": {"sha": sha, "ref": "feature"}, "draft": false},
            "repository": {"full_name": repository, "private": true},
            "sender": {"login": "octocat"}
        }))
        .unwrap()
    }

    #[test]
    fn a_pull_request_event_gives_its_repository_number_and_head() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let parsed = PullRequestEvent::parse(&event("synchronize", "octo/app", sha)).unwrap();
        assert_eq!((parsed.repository.as_str(), parsed.number), ("octo/app", 12));
        assert!(parsed.wants_scan());
        let closed = PullRequestEvent::parse(&event("closed", "octo/app", sha)).unwrap();
        assert!(!closed.wants_scan());
        assert_eq!(action_of(&event("labeled", "octo/app", sha)).as_deref(), Some("labeled"));
    }

    #[test]
    fn hostile_fields_are_refused_before_use() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        assert!(PullRequestEvent::parse(&event("opened", "../../etc", sha)).is_err());
        assert!(PullRequestEvent::parse(&event("opened", "a/b", "HEAD; rm -rf /")).is_err());
        assert!(PullRequestEvent::parse(b"\x00\xff").is_err());
        assert!(PullRequestEvent::parse(b"{}").is_err());
        assert_eq!(action_of(br#"{"action": "x\u0000y"}"#), None);
    }
}
