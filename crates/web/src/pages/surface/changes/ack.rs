//! `POST /changes/{id}/ack`: acknowledges one change (the service checks `CHANGES_ACK` and
//! audits the first acknowledgement; acknowledging again keeps it), then back to the list view
//! or asset page the button was on.

use crate::error::PageError;
use crate::form::{Submitted, parse_id};
use crate::respond::see_other;
use axum::extract::{Path, State};
use axum::response::Response;
use edge::AppState;
use edge::auth::Context;
use surface::model::ChangeId;

/// Where to go back to: a changes list view or an asset page of ours, else the list.
fn back(path: Option<&str>) -> &str {
    path.filter(|p| {
        (*p == "/changes" || p.starts_with("/changes?") || p.starts_with("/assets/"))
            && !p.contains("//")
            && p.bytes().all(|b| b.is_ascii_graphic())
    })
    .unwrap_or("/changes")
}

pub async fn submit(
    State(state): State<AppState>,
    Context(context): Context,
    Path(id): Path<String>,
    form: Submitted,
) -> Result<Response, PageError> {
    let id: ChangeId = parse_id(&id)?;
    state.services.surface.ack_change(&context, &form.viewer.principal, id).await?;
    Ok(see_other(back(form.get("back"))))
}

#[cfg(test)]
mod tests {
    use super::back;

    #[test]
    fn only_our_own_pages_are_gone_back_to() {
        assert_eq!(back(Some("/changes?acked=false")), "/changes?acked=false");
        assert_eq!(back(Some("/assets/0191")), "/assets/0191");
        for hostile in ["//evil.example", "https://evil.example", "/changes?x=\n", "/assets//x"] {
            assert_eq!(back(Some(hostile)), "/changes", "{hostile:?}");
        }
        assert_eq!(back(None), "/changes");
    }
}
