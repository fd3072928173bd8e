//! `Notice`: what a page says about the form or action it concerns — a refusal of what was typed
//! (the sentence at the top of the form, the field errors beside their fields, with the status the
//! API would answer) or a success. Anything that is not about the form stays an error page.

use crate::error::PageError;
use axum::http::StatusCode;
use edge::FieldError;

#[derive(Debug, Default)]
pub struct Notice {
    pub error: Option<String>,
    pub fields: Vec<FieldError>,
    pub done: Option<String>,
}

impl Notice {
    /// A success to say at the top of the form.
    pub fn done(message: impl Into<String>) -> Notice {
        Notice { done: Some(message.into()), ..Notice::default() }
    }

    /// `error` as a refusal to show on the form with its status (a validation error, a conflict,
    /// too many attempts); any other failure stays an error page.
    pub fn refusal(error: PageError) -> Result<(StatusCode, Notice), PageError> {
        let (Some((detail, fields)), PageError::Api(api)) = (error.form_errors(), &error) else {
            return Err(error);
        };
        let status = StatusCode::from_u16(api.to_problem().status)
            .unwrap_or(StatusCode::UNPROCESSABLE_ENTITY);
        Ok((status, Notice { error: Some(detail), fields, done: None }))
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
}
