//! Change events: the filtered list, and acknowledging one (the service has no bulk
//! acknowledgement, so each row has its own button).

pub mod ack;
pub mod list;
