//! Rebuilds the crate when a migration is added or changed: `sqlx::migrate!` embeds the files of
//! `migrations/` at compile time, and Cargo does not otherwise know that it reads them.

fn main() {
    println!("cargo:rerun-if-changed=../../migrations");
}
