//! Route handlers, one folder per capability (`routes/<capability>/<resource>/<op>.rs`), each
//! capability exposing `routes()`.

pub mod alerts;
pub mod diffscan;
pub mod identity;
pub mod notify;
pub mod surface;
pub mod system;
