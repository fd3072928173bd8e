//! Passwords: the policy a new password must pass, and Argon2id hashing and verification.
//!
//! It owns the rules for choosing a password ([`NewPassword`], [`PasswordPolicyError`]) and the
//! PHC strings that store them ([`PasswordHasher`], [`HashCost`]). It must not touch the database,
//! know about users or HTTP, or log a password or a hash: callers load and store the PHC string,
//! and the api crate maps [`PasswordPolicyError::code`] to its responses.

mod hasher;
mod policy;

pub use hasher::{HashCost, PasswordHasher};
pub use policy::{MAX_BYTES, MIN_CHARS, NewPassword, PasswordPolicyError};
