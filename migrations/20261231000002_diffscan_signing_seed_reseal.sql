-- diffscan: `palisade admin rotate-keys` seals the generated signing seed again with the current
-- data key, as it does every other sealed secret; the application may rewrite the seal (and
-- nothing else: the key, its id and its public half never change).

grant update (seed_ciphertext, seed_nonce, seed_key_id) on diffscan_signing_keys to palisade_app;
