//! Detection-rule pages: the tenant's Sigma rules listed with an enable/disable toggle per row,
//! one rule's edit form (the YAML in a textarea, its exceptions, a box to test it against sample
//! events), and the actions that create, change, enable, disable and delete rules. Reading needs
//! `ALERTS_VIEW`, every change `RULES_MANAGE`; the alerts service checks both again.
//!
//! This module owns what the rule pages share: their routes and `Notice`, a refusal of what was
//! typed shown beside the field it concerns (a rule that does not compile: the parser's message
//! and the line it points at).

mod delete;
mod edit;
mod list;
mod save;
mod test;
mod toggle;

use super::tiered;
use crate::error::PageError;
use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use edge::rate_limit::Tier;
use edge::{AppState, FieldError};

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

/// A refusal of what was typed: the sentence for the top of the form and the field errors for
/// beside their fields, with the status the API would answer.
#[derive(Debug, Default)]
pub struct Notice {
    pub error: Option<String>,
    pub fields: Vec<FieldError>,
}

impl Notice {
    /// `error` as a refusal to show on the form (a validation error or a conflict); any other
    /// failure stays an error page.
    pub fn refusal(error: PageError) -> Result<(StatusCode, Notice), PageError> {
        let (Some((detail, fields)), PageError::Api(api)) = (error.form_errors(), &error) else {
            return Err(error);
        };
        let status = StatusCode::from_u16(api.to_problem().status)
            .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        Ok((status, Notice { error: Some(detail), fields }))
    }

    /// The sentence at the top of the form, opening with `what` (e.g. "Nothing was saved"): the
    /// refusal itself, or a pointer to the fields marked beside them when it names fields.
    pub fn headed(mut self, what: &str) -> Notice {
        let detail = self.error.take().unwrap_or_default();
        self.error = Some(match self.fields.is_empty() {
            true => format!("{what}: {detail}"),
            false => format!("{what}: correct what is marked below."),
        });
        self
    }

    /// The message for field `name`, if it was refused.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|f| f.field == name).map(|f| f.message.as_str())
    }

    /// The messages for the exceptions (`exceptions`, `exceptions[3]`, …).
    pub fn exception_errors(&self) -> Vec<String> {
        self.fields
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
