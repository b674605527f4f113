//! Signing keys and age identities: generating them, reading a public key, and key rotation (a
//! borough's statement signed by its old and new key; LOTI applying it to the keyring).

use super::*;

/// Creates a signing key pair: the secret key (passphrase-protected, minisign format, mode 0600)
/// and the public key (`.pub`). Refuses to overwrite either file.
pub fn generate_signing_key(
    secret: &Path,
    public: &Path,
    passphrase: &str,
) -> Result<KeyInfo, Error> {
    for p in [secret, public] {
        if p.exists() {
            return Err(Error::new(
                ErrorKind::Conflict,
                format!("{} already exists: choose another name", p.display()),
            ));
        }
    }
    let (secret_text, info) =
        keys::generate_signing_key(passphrase).map_err(|e| refused(secret, e))?;
    write_new_file(secret, secret_text.as_bytes(), Readers::OwnerOnly)?;
    write_new_file(public, info.to_file_text().as_bytes(), Readers::Anyone)?;
    Ok(key_info(&info))
}

/// The id and fingerprint of a public key file (or of the public half of a secret key, given
/// its passphrase).
pub fn public_key_info(public: &Path) -> Result<KeyInfo, Error> {
    let text = read_text(public)?;
    PublicKeyInfo::parse(&text)
        .map(|k| key_info(&k))
        .map_err(|e| refused(public, e))
}

/// Creates a LOTI age identity file (mode 0600) and returns its recipient (`age1…`).
pub fn generate_identity(path: &Path, ctx: &Context) -> Result<String, Error> {
    let (secret, recipient) = keys::generate_identity();
    let text = format!(
        "# created: {}\n# public key: {recipient}\n{secret}\n",
        ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    write_new_file(path, text.as_bytes(), Readers::OwnerOnly)?;
    Ok(recipient)
}

/// Borough: makes a new signing key and a rotation statement signed by the old and the new key,
/// for LOTI to apply with [`Store::apply_rotation`].
pub fn rotate_signing_key(
    organisation: &str,
    old_secret: &Path,
    new_secret: &Path,
    new_public: &Path,
    passphrase: &str,
    out: &Path,
    ctx: &Context,
) -> Result<KeyInfo, Error> {
    let org = Organisation::resolve(organisation, None)
        .map_err(|e| Error::new(ErrorKind::Validation, e.to_string()))?;
    let old = SigningKey::unlock(&read_text(old_secret)?, passphrase)
        .map_err(|e| refused(old_secret, e))?;
    let info = generate_signing_key(new_secret, new_public, passphrase)?;
    let new = SigningKey::unlock(&read_text(new_secret)?, passphrase)
        .map_err(|e| refused(new_secret, e))?;
    let statement = crate::bundle::rotation::Rotation {
        format: crate::bundle::rotation::FORMAT_NAME.into(),
        format_version: 1,
        organisation: org.id(),
        old_key: old.info().base64,
        new_key: new.info().base64,
        created: ctx.now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    };
    let bytes = statement.seal(&old, &new).map_err(|e| refused(out, e))?;
    write_new_file(out, &bytes, Readers::Anyone)?;
    Ok(info)
}

impl Store {
    /// LOTI: applies a rotation statement. The old key must be trusted for the organisation; the
    /// new key becomes active and the old one is still accepted for a grace period.
    pub fn apply_rotation(&mut self, file: &Path, ctx: &Context) -> Result<KeyringEntry, Error> {
        self.require_role(StoreRole::Central)?;
        let bytes = read_file(file, 64 * 1024)?;
        let (r, old, new) =
            crate::bundle::rotation::Rotation::open(&bytes).map_err(|e| refused(file, e))?;
        self.db.write(|tx| {
            let current = tx.key(&old.key_id)?.ok_or_else(|| {
                refused(
                    file,
                    BundleError::Key("the old key is not in LOTI's keyring".into()),
                )
            })?;
            if current.status != "active" || current.organisation_id != r.organisation {
                return Err(refused(
                    file,
                    BundleError::Key(format!(
                        "the old key is {} for {}, not active for {}",
                        current.status, current.organisation_id, r.organisation
                    )),
                ));
            }
            if tx.key(&new.key_id)?.is_some() {
                return Err(refused(
                    file,
                    BundleError::Key("the new key is already in the keyring".into()),
                ));
            }
            let until =
                crate::store::rows_ts(ctx.now + chrono::Duration::days(ROTATION_GRACE_DAYS));
            tx.retire_key(&old.key_id, &new.key_id, &until)?;
            let row = KeyRow {
                key_id: new.key_id.clone(),
                organisation_id: r.organisation.clone(),
                public_key: new.base64.clone(),
                status: "active".into(),
                added_at: crate::store::rows_ts(ctx.now),
                expires_at: crate::store::rows_ts(
                    ctx.now + chrono::Duration::days(KEY_LIFETIME_DAYS),
                ),
                replaced_by: None,
                confirmed_by: ctx.actor.clone(),
                confirmed_note: format!("rotation signed by the old key {}", old.key_id),
                revoked_at: None,
                revoked_reason: None,
            };
            tx.insert_key(&row)?;
            Ok(keyring_dto(&row))
        })
    }
}
