//! Integration tests of the diffscan crate against real peers on loopback (one test binary for
//! the crate): the S3 object store against moto's S3-compatible server with signature checking
//! on. The API's behaviour is tested through `TestApp` in the api crate.

// Tests fail by panicking; helpers unwrap for the same reason.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod s3;
