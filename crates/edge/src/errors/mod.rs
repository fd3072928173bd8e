//! Each capability's errors as HTTP statuses and stable codes, one file per capability. They
//! live here rather than in the api crate because the console renders the same mapping as HTML
//! (and the orphan rule wants an `ApiError` conversion next to `ApiError` or the domain error).

mod alerts;
mod diffscan;
mod identity;
mod notify;
mod surface;
