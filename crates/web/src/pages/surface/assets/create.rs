//! `POST /assets`: adds an asset from the form (kind, value, ports, tags, schedule) through the
//! service, which normalizes and validates every field, judges the value by the SSRF guard and
//! checks `ASSETS_MANAGE`. Added: to the new asset's page, where its proof starts. Refused for
//! what was typed: the list again with the form as it was and each error next to its field.

use super::list::{AddForm, AssetsQuery, render};
use crate::error::PageError;
use crate::form::Submitted;
use crate::pages::surface::Refusal;
use crate::respond::see_other;
use axum::extract::State;
use axum::response::Response;
use edge::AppState;
use edge::auth::Context;
use surface::service::input::AssetInput;

/// Tags as typed: separated by commas or spaces.
fn tags(text: &str) -> Vec<String> {
    text.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|tag| !tag.is_empty())
        .map(str::to_string)
        .collect()
}

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    form: Submitted,
) -> Result<Response, PageError> {
    let typed = AddForm {
        kind: form.get("kind").unwrap_or("domain").to_string(),
        value: form.get("value").unwrap_or_default().to_string(),
        ports: form.get("ports").unwrap_or_default().to_string(),
        tags: form.get("tags").unwrap_or_default().to_string(),
        schedule: form.get("schedule").unwrap_or_default().to_string(),
    };
    let input = AssetInput {
        kind: Some(typed.kind.clone()),
        value: form.get("value").map(str::to_string),
        ports: form.get("ports").map(str::to_string),
        tags: Some(tags(&typed.tags)),
        schedule: form.get("schedule").map(str::to_string),
    };
    let created =
        state.services.surface.create_asset(&context, &form.viewer.principal, &input).await;
    match created {
        Ok(asset) => Ok(see_other(&format!("/assets/{}", asset.id))),
        Err(error) => {
            let refusal = Refusal::from_error(error.into())?;
            render(&state, &form.viewer, AssetsQuery::default(), typed, Some(refusal)).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::tags;

    #[test]
    fn tags_are_split_on_commas_and_spaces() {
        assert_eq!(tags(" prod, team:web  edge ,,"), ["prod", "team:web", "edge"]);
        assert!(tags("").is_empty());
    }
}
