//! One scan: its page with live progress, and cancelling it.

pub mod cancel;
pub mod detail;
