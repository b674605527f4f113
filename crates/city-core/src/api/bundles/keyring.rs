//! LOTI's keyring and quarantine: the keys trusted per organisation, confirming a quarantined key
//! (and importing what waited for it), revoking one.

use super::*;

pub(super) fn keyring_dto(k: &KeyRow) -> KeyringEntry {
    let info = PublicKeyInfo::parse(&k.public_key)
        .map(|i| key_info(&i))
        .unwrap_or(KeyInfo {
            public_key: k.public_key.clone(),
            key_id: k.key_id.clone(),
            fingerprint: String::new(),
        });
    KeyringEntry {
        organisation: k.organisation_id.clone(),
        key: info,
        status: k.status.clone(),
        added_at: k.added_at.clone(),
        expires_at: k.expires_at.clone(),
        replaced_by: k.replaced_by.clone(),
        confirmed_by: k.confirmed_by.clone(),
        confirmed_note: k.confirmed_note.clone(),
        revoked_at: k.revoked_at.clone(),
        revoked_reason: k.revoked_reason.clone(),
    }
}

impl Store {
    /// LOTI's keyring.
    pub fn keyring(&mut self) -> Result<Vec<KeyringEntry>, Error> {
        self.require_role(StoreRole::Central)?;
        let rows = self.db.read(|tx| tx.keys())?;
        Ok(rows.iter().map(keyring_dto).collect())
    }

    /// Bundles waiting for their signer's key to be confirmed.
    pub fn quarantine(&mut self) -> Result<Vec<QuarantinedBundle>, Error> {
        self.require_role(StoreRole::Central)?;
        let rows = self.db.read(|tx| tx.quarantined())?;
        Ok(rows
            .iter()
            .map(|q| QuarantinedBundle {
                file: q.file_name.clone(),
                sha256: q.sha256.clone(),
                claimed_organisation: q.claimed_organisation.clone(),
                claimed_cycle: q.claimed_cycle.clone(),
                key: KeyInfo {
                    public_key: q.public_key.clone(),
                    key_id: q.key_id.clone(),
                    fingerprint: q.fingerprint.clone(),
                },
                received_at: q.received_at.clone(),
            })
            .collect())
    }

    /// Pins `public_key` (a `.pub` file, or the key id of a quarantined bundle's signer) to an
    /// organisation after its fingerprint was confirmed out of band (`note` records how, e.g.
    /// "phoned J. Smith on the number LOTI holds"). Quarantined bundles signed by it are then
    /// imported.
    pub fn confirm_key(
        &mut self,
        key: &str,
        organisation: &str,
        fingerprint: &str,
        note: &str,
        identities: &[PathBuf],
        ctx: &Context,
    ) -> Result<Vec<ImportOutcome>, Error> {
        self.confirm_key_named(key, organisation, None, fingerprint, note, identities, ctx)
    }

    /// [`Store::confirm_key`] for any organisation: one that is not a London authority
    /// (`scheme:code`) needs its name, as when creating its store.
    #[allow(clippy::too_many_arguments)]
    pub fn confirm_key_named(
        &mut self,
        key: &str,
        organisation: &str,
        organisation_name: Option<&str>,
        fingerprint: &str,
        note: &str,
        identities: &[PathBuf],
        ctx: &Context,
    ) -> Result<Vec<ImportOutcome>, Error> {
        self.require_role(StoreRole::Central)?;
        if note.trim().is_empty() {
            return Err(Error::new(
                ErrorKind::Validation,
                "say how the fingerprint was confirmed",
            )
            .at(input("keyring", "note")));
        }
        let org = Organisation::resolve(organisation, organisation_name)
            .map_err(|e| Error::new(ErrorKind::Validation, e.to_string()))?;
        let quarantined = self.db.read(|tx| tx.quarantined())?;
        let info = if Path::new(key).is_file() {
            PublicKeyInfo::parse(&read_text(Path::new(key))?)
                .map_err(|e| refused(Path::new(key), e))?
        } else {
            let q = quarantined
                .iter()
                .find(|q| q.key_id == key)
                .ok_or_else(|| {
                    Error::new(
                        ErrorKind::NotFound,
                        format!("no quarantined bundle is signed by key {key}, and no such file"),
                    )
                })?;
            PublicKeyInfo::parse(&q.public_key)
                .map_err(|e| Error::new(ErrorKind::Storage, e.to_string()))?
        };
        let normalise = |s: &str| {
            s.chars()
                .filter(|c| c.is_ascii_hexdigit())
                .collect::<String>()
                .to_ascii_lowercase()
        };
        if normalise(fingerprint) != normalise(&info.fingerprint) {
            return Err(Error::new(
                ErrorKind::Validation,
                format!(
                    "the fingerprint given does not match the key's ({}): do not trust this key",
                    info.fingerprint
                ),
            ));
        }
        self.db.write(|tx| {
            if let Some(existing) = tx.key(&info.key_id)? {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!(
                        "key {} is already in the keyring for {} ({})",
                        info.key_id, existing.organisation_id, existing.status
                    ),
                ));
            }
            tx.insert_organisation(&org)?;
            tx.insert_key(&KeyRow {
                key_id: info.key_id.clone(),
                organisation_id: org.id(),
                public_key: info.base64.clone(),
                status: "active".into(),
                added_at: crate::store::rows_ts(ctx.now),
                expires_at: crate::store::rows_ts(
                    ctx.now + chrono::Duration::days(KEY_LIFETIME_DAYS),
                ),
                replaced_by: None,
                confirmed_by: ctx.actor.clone(),
                confirmed_note: note.trim().to_string(),
                revoked_at: None,
                revoked_reason: None,
            })?;
            Ok::<_, Error>(())
        })?;
        let waiting: Vec<&QuarantineRow> = quarantined
            .iter()
            .filter(|q| q.key_id == info.key_id)
            .collect();
        if waiting.is_empty() {
            return Ok(Vec::new());
        }
        let ids = identities
            .iter()
            .map(|p| read_text(p).and_then(|t| keys::parse_identity(&t).map_err(|e| refused(p, e))))
            .collect::<Result<Vec<_>, _>>()?;
        let mut out = Vec::new();
        for q in waiting {
            let file = PathBuf::from(&q.file_name);
            let result = self.db.write(|tx| {
                let ahead = Ahead {
                    sha: sha256_hex(&q.bundle),
                    unverified: None,
                    verified: None,
                };
                let o = import_in(tx, &file, &q.bundle, ahead, &ids, true, ctx)?;
                if o.outcome != ImportOutcomeKind::Quarantined {
                    tx.delete_quarantine(&q.sha256)?;
                }
                Ok::<_, Error>(o)
            });
            out.push(result.unwrap_or_else(|e| ImportOutcome {
                file: q.file_name.clone(),
                outcome: ImportOutcomeKind::Refused,
                message: e.message.clone(),
                organisation: None,
                cycle: None,
                seq: None,
                diff: None,
                error: Some(e),
            }));
        }
        Ok(out)
    }

    /// Revokes a key: every later bundle signed with it is refused.
    pub fn revoke_key(
        &mut self,
        key_id: &str,
        reason: &str,
        ctx: &Context,
    ) -> Result<KeyringEntry, Error> {
        self.require_role(StoreRole::Central)?;
        self.db.write(|tx| {
            let k = tx.key(key_id)?.ok_or_else(|| {
                Error::new(
                    ErrorKind::NotFound,
                    format!("key {key_id} is not in the keyring"),
                )
            })?;
            if k.status == "revoked" {
                return Err(Error::new(
                    ErrorKind::Conflict,
                    format!("key {key_id} is already revoked"),
                ));
            }
            tx.revoke_key(key_id, ctx.now, reason.trim())?;
            let k = tx
                .key(key_id)?
                .ok_or_else(|| Error::new(ErrorKind::Storage, "the key vanished"))?;
            Ok(keyring_dto(&k))
        })
    }
}
