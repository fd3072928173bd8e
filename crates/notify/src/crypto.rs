//! What binds a channel's sealed secret to its row: the associated data of its AES-256-GCM
//! ciphertext (the keyring itself is `platform::sealing`), so a ciphertext copied to another
//! channel or tenant does not decrypt.

use platform::{ChannelId, TenantId};

/// The associated data of a channel's secret: tenant id bytes then channel id bytes.
pub fn channel_aad(tenant: TenantId, channel: ChannelId) -> [u8; 32] {
    let mut aad = [0u8; 32];
    aad[..16].copy_from_slice(tenant.as_uuid().as_bytes());
    aad[16..].copy_from_slice(channel.as_uuid().as_bytes());
    aad
}
