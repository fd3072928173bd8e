//! Notify's routes: `/v1/channels`, `/v1/events`, `/v1/deliveries` and the live feed `/v1/ws`.
//! Handlers call `notify::Notify`; its errors become HTTP in `edge::errors::notify`.

pub mod channels;
pub mod deliveries;
pub mod events;
pub mod ws;

use edge::AppState;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .merge(channels::routes())
        .merge(events::routes())
        .merge(deliveries::routes())
        .merge(ws::routes())
}
