//! The administration pages as a browser drives them: members and invitations, the role grid,
//! API keys (shown once, working, revocable), the audit log with its filters, and tenants for
//! global administrators; for each, what the user one role down sees and may post, and hostile
//! input. The services' own rules are tested through the API; these check that the pages call
//! them and say their answers.

mod api_keys;
mod audit;
mod roles;
mod tenants;
mod users;

use super::{Answer, Browser};
use testapp::{Member, TestApp};

/// A browser signed in as `member`.
async fn signed_in<'a>(app: &'a TestApp, member: &Member) -> Browser<'a> {
    let mut browser = Browser::new(app);
    browser.sign_in(&member.email, &member.password, Some(&member.tenant.to_string())).await;
    browser
}

/// Posts `fields` to `path` with the CSRF token of the page at `from`.
async fn post_with_token(
    browser: &mut Browser<'_>,
    from: &str,
    path: &str,
    fields: &[(&str, &str)],
) -> Answer {
    let csrf = browser.get(from).await.csrf();
    let mut all = vec![("_csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    browser.post(path, &all).await
}

/// How many times `needle` occurs in `haystack`.
fn count(haystack: &str, needle: &str) -> usize {
    haystack.matches(needle).count()
}
