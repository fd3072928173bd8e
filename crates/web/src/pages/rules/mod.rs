//! Detection-rule pages: the tenant's Sigma rules listed with an enable/disable toggle per row,
//! one rule's edit form (the YAML in a textarea, its exceptions, a box to test it against sample
//! events), and the actions that create, change, enable, disable and delete rules. Reading needs
//! `ALERTS_VIEW`, every change `RULES_MANAGE`; the alerts service checks both again.
//!
//! This module owns what the rule pages share: their routes and how a rule that does not compile
//! is shown beside its field (the parser's message and the line it points at).

mod delete;
mod edit;
mod list;
mod save;
mod test;
mod toggle;

use super::tiered;
use crate::notice::Notice;
use axum::Router;
use axum::routing::{get, post};
use edge::AppState;
use edge::rate_limit::Tier;

pub fn routes() -> Router<AppState> {
    let general = |route| tiered(Tier::General, route);
    Router::new()
        .route("/rules", general(get(list::show).post(save::create)))
        .route("/rules/new", general(get(edit::new)))
        .route("/rules/test", general(post(test::submit)))
        .route("/rules/{id}", general(get(edit::show).post(save::update)))
        .route("/rules/{id}/enable", general(post(toggle::enable)))
        .route("/rules/{id}/disable", general(post(toggle::disable)))
        .route("/rules/{id}/delete", general(post(delete::submit)))
}

/// The messages of `notice` for the exceptions (`exceptions`, `exceptions[3]`, …).
pub fn exception_errors(notice: &Notice) -> Vec<String> {
    notice
        .fields
        .iter()
        .filter(|f| f.field.starts_with("exceptions"))
        .map(|f| match f.field.strip_prefix("exceptions[") {
            Some(rest) => {
                let index = rest.trim_end_matches(']').parse::<usize>().map_or(0, |i| i + 1);
                format!("exception {index}: {}", f.message)
            }
            None => f.message.clone(),
        })
        .collect()
}

/// The line a parser's message points at (`line 13: …`, `line 4, column 9: …`).
pub fn refused_line(message: &str) -> Option<usize> {
    let rest = message.strip_prefix("line ")?;
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok().filter(|line| *line > 0)
}

#[cfg(test)]
mod tests {
    use super::refused_line;

    #[test]
    fn the_line_is_read_from_the_parsers_message() {
        assert_eq!(refused_line("line 13: unknown modifier 'x'"), Some(13));
        assert_eq!(refused_line("line 4, column 9: YAML syntax error"), Some(4));
        assert_eq!(refused_line("line 0: nothing"), None);
        assert_eq!(refused_line("Missing required field"), None);
        assert_eq!(refused_line("line 99999999999999999999999: huge"), None);
    }
}
