//! `palisade admin rotate-keys`: moves every stored key to the current master key and every
//! sealed secret (channel secrets, alert-source signing secrets, GitHub tokens and webhook
//! secrets, the generated diffscan signing seed) to the current data key, then proves that
//! nothing needs an older key.
//!
//! With the key file (the default), a new master key is made: written to `<file>.next` first,
//! used to re-wrap, then renamed over the file, so that a rotation stopped at any point still
//! starts (the next start reads both). With a configured `encryption.master_key`, the operator
//! has put the new key there and the old one in `encryption.previous_keys`; this re-wraps and
//! says when the old one may go.

use crate::config::Config;
use crate::database::Database;
use anyhow::Context;
use edge::Services;
use platform::keys::{self, MasterKey, MasterKeys};
use platform::server_secrets::SecretStore;
use std::process::ExitCode;

pub async fn rotate(config: &Config, database: &Database) -> anyhow::Result<ExitCode> {
    let encryption = &config.app.platform.encryption;
    let previous = encryption
        .previous_keys
        .iter()
        .map(|key| MasterKey::new(key.expose()))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let from_file = encryption.master_key.is_none();
    let master = match &encryption.master_key {
        Some(key) => MasterKeys::new(MasterKey::new(key.expose())?, previous),
        None => {
            let file = &encryption.master_key_file;
            let old = keys::read_key_file(file)?;
            let next = keys::next_file(file);
            // A rotation stopped earlier left its key: finish with that one.
            keys::write_key_file(&next, &MasterKey::generate_text())?;
            let new = keys::read_key_file(&next)?;
            MasterKeys::new(new, [vec![old], previous].concat())
        }
    };
    let current = master.current().id().to_string();
    let secrets = SecretStore::new(database.app.pool().clone(), master);
    let rewrapped = secrets.rewrap().await?;
    if from_file {
        let file = &encryption.master_key_file;
        std::fs::rename(keys::next_file(file), file).with_context(|| {
            format!("putting the new master key in place at {}", file.display())
        })?;
        println!("new master key {current} written to {} (back it up)", file.display());
    }
    println!("{} stored keys wrapped with master key {current}", rewrapped.secrets);
    let services = Services::build(&config.app, database.app.clone()).await?;
    let resealed = services.notify.reseal_channel_secrets().await?
        + services.alerts.reseal_source_secrets().await?
        + services.diffscan.reseal_secrets().await?;
    let data_key = services.keyring.get().await?.current_id().to_string();
    println!("{} sealed secrets sealed again with data key {data_key}", resealed.secrets);
    if rewrapped.left_behind + resealed.left_behind > 0 {
        println!(
            "rotate-keys: FAILED: {} stored keys and {} sealed secrets still need an older key",
            rewrapped.left_behind, resealed.left_behind
        );
        return Ok(ExitCode::FAILURE);
    }
    if encryption.previous_data_key.is_some() {
        println!("nothing needs encryption.previous_key any more: remove it");
    }
    if !from_file && !encryption.previous_keys.is_empty() {
        println!("nothing needs encryption.previous_keys any more: remove them");
    }
    println!("rotate-keys: ok");
    Ok(ExitCode::SUCCESS)
}
