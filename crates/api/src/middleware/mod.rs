//! The tower layers every request passes through, outermost first: request id, trace span and
//! access log, metrics, security headers, problem+json for bare error statuses, timeout, body
//! limit. Each layer is one file.

pub mod problem_fallback;
pub mod rate_limit;
pub mod request_id;
pub mod security_headers;
pub mod timeout;
pub mod trace;
