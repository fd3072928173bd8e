//! `POST /admin/api-keys`: creates an API key through identity's `create_api_key`
//! (`API_KEYS_MANAGE`; its scopes may not exceed the creator's permissions). The answer is the
//! key list with the new key shown this once, in a `.secret` element with a copy button, and
//! `Cache-Control: no-store` so that the browser keeps no copy of the page. A refusal of what was
//! typed re-renders the form with its fields kept and the errors beside them.
//!
//! The expiry is a date (the key works until the end of that day, UTC); it must be a real date
//! of a four-digit year, else the field says so and nothing is created.

use super::api_keys::{Created, KeyForm, render};
use crate::error::PageError;
use crate::form::Submitted;
use crate::notice::Notice;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use edge::AppState;
use edge::auth::Context;
use identity::service::api_keys::ApiKeyRequest;
use platform::{FieldCode, Invalid};

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    let name = form.get("name").unwrap_or_default();
    let scopes: Vec<String> = form.all("scope").into_iter().map(str::to_string).collect();
    let expires_on = form.get("expires_on");
    let typed = || KeyForm {
        name: name.chars().take(200).collect(),
        scopes: scopes.iter().take(64).cloned().collect(),
        expires_on: expires_on.unwrap_or_default().chars().take(32).collect(),
        notice: Notice::default(),
    };
    let created = match expiry(expires_on) {
        Ok(expires_at) => {
            let request =
                ApiKeyRequest { name, scopes: &scopes, expires_at: expires_at.as_deref() };
            let identity = &state.services.identity;
            identity
                .create_api_key(&context, &form.viewer.principal, &request)
                .await
                .map_err(PageError::from)
        }
        Err(invalid) => Err(invalid),
    };
    let (status, page) = match created {
        Ok(created) => {
            let shown = Created {
                name: created.row.name,
                prefix: created.row.prefix,
                key: created.key.expose().clone(),
            };
            let page = render(&state, &form.viewer, None, KeyForm::default(), Some(shown)).await?;
            (StatusCode::CREATED, page)
        }
        Err(refused) => {
            let (status, notice) = Notice::refusal(refused)?;
            let page =
                render(&state, &form.viewer, None, KeyForm { notice, ..typed() }, None).await?;
            (status, page)
        }
    };
    let no_store = [(header::CACHE_CONTROL, HeaderValue::from_static("no-store"))];
    Ok((status, no_store, Html(page)).into_response())
}

/// The end of the chosen day (UTC) as RFC 3339, or no expiry.
fn expiry(date: Option<&str>) -> Result<Option<String>, PageError> {
    let Some(text) = date else { return Ok(None) };
    let invalid = || {
        PageError::from(Invalid::new(
            "expires_at",
            FieldCode::INVALID_TIMESTAMP,
            "a date such as 2027-01-31",
        ))
    };
    // Four-digit years only: `%Y` alone would take `+275760` or `99999`.
    if text.len() != 10 || !text.starts_with(|c: char| c.is_ascii_digit()) {
        return Err(invalid());
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| invalid())?;
    Ok(Some(format!("{}T23:59:59Z", day.format("%Y-%m-%d"))))
}

#[cfg(test)]
mod tests {
    use super::expiry;

    #[test]
    fn an_expiry_is_a_real_date_of_a_four_digit_year() {
        assert_eq!(expiry(Some("2027-01-31")).unwrap().as_deref(), Some("2027-01-31T23:59:59Z"));
        assert_eq!(expiry(None).unwrap(), None);
        for bad in
            ["2027-02-30", "99999-01-01", "+27576-09-13", "tomorrow", "2027-1-1", "٢٠٢٧-01-01"]
        {
            assert!(expiry(Some(bad)).is_err(), "{bad}");
        }
    }
}
